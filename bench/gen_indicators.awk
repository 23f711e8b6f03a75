# Writes N enterprises (enterprises.csv) and one year of indicators each (indicators.csv) into DIR,
# with valid USCC check characters. Usage: awk -v N=1000000 -v DIR=out -f gen_indicators.awk
function uscc(i,    body, s, k, c) {
  body = sprintf("91440703%09d", i)
  s = 0
  for (k = 1; k <= 17; k++) s += (index(CS, substr(body, k, 1)) - 1) * W[k]
  c = 31 - s % 31
  return body substr(CS, (c == 31 ? 0 : c) + 1, 1)
}
BEGIN {
  CS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
  split("1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28", W, " ")
  E = DIR "/enterprises.csv"; I = DIR "/indicators.csv"; D = DIR "/divisions.csv"
  print "code,name" > D; print "440703,蓬江区" > D
  print "uscc,name,division,industry_code,founded,local,listing_board" > E
  print "uscc,year,output_value,revenue,value_added,tax_paid,rd_expense,employees,above_scale,new_fixed_asset_investment" > I
  for (i = 1; i <= N; i++) {
    u = uscc(i)
    printf "%s,基准企业%07d,440703,3985,2015-03-01,true,none\n", u, i > E
    rev = (i * 7919) % 90000000
    printf "%s,2023,%d.%02d,%d.00,%d.50,%d.00,%d.00,%d,%s,%d.00\n", u, rev * 1.1, i % 100, rev, rev / 5, rev / 50, rev / 30, i % 3000, (rev >= 20000000 ? "true" : "false"), i % 1000000 > I
  }
}
