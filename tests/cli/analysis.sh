#!/usr/bin/env bash
# The chain leader's analyses on small hand-made chains (tests/cli/fixtures/analysis), every
# figure worked out by hand below.
#
# Chain bat, year 2023. Segments cell, mat, pack, rec; mat feeds cell and rec, cell feeds pack and
# rec. Local confirmed members and their 2023 output: A 300, B 100, C 100 on mat; D 200 on cell
# and on rec (counted once in the chain); G (no output) on rec. E (cell) and H (mat) are outside
# suppliers placed on the map; F's membership on pack is only proposed. Chain output
# 300+100+100+200 = 700.00.
# Purchases of bat's local members in 2023: A->D 60 (local), E->D 40, X->D 100 (X on no segment:
# unplaced), B->G 20 (local), H->A 200, E->G 10 = 430.00, local 80.00, rate 80/430 = 0.1860.
# Not counted: A->E 500 (E is not local), A->F 77 (F not confirmed), A->D 999 (year 2022).
#   mat: suppliers A 60 + B 20 + H 200 = 280.00, local 80.00, rate 0.2857 < 0.3000: thin although
#        it has 3 local firms; output 500.00, share 500/700 = 0.7143, top1 300/500 = 0.6000,
#        HHI 10000 x (300² + 100² + 100²) / 500² = 4400.
#   cell: one local firm (D) and E 40 + 10 = 50.00 bought from E, rate 0.0000: thin on both rules.
#   pack: no confirmed local firm: missing. rec: D and G, 2 firms: thin; output 200.00 (D's).
#   breaks: cell->pack (nothing flows) and cell->rec (50.00, none local); mat->cell (A->D) and
#   mat->rec (B->G) carry local purchases.
# Chain pet: resin with P1 50, P2 30, P3 20 (HHI 10000 x (2500 + 900 + 400) / 100² = 3800) and
# the outside Y; P2->P1 30 (local), Y->P1 70, so resin's rate is exactly 0.3000: not below, strong.
# A->P1 25 comes from a supplier with no place in pet: unplaced, local, 25.00. Chain: 125.00,
# local 55.00, rate 0.4400.
. "$(dirname "$0")/lib.bash"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
AF="$FIX/analysis"
export LIANZHANG_POLICIES="$T/no-policies" # the built-in thresholds unless a test names a file
DB="$T/db"

"$LZ" init "$DB" > /dev/null || fail "init"
for t in divisions clusters chains segments enterprises memberships indicators supply_links projects; do
  "$LZ" import "$DB" "$t" "$AF/$t.csv" > /dev/null || fail "import $t"
done

# jqx EXPR: the JSON output $OUT through jq, compact.
jqx() { printf '%s' "$OUT" | jq -c "$1"; }

# ---- chain diagnose ----
expect_exit 0 "chain diagnose runs" "$LZ" chain diagnose "$DB" --year 2023 --chain bat --format json
expect_eq "$(jqx '.chains[0] | [.purchases, .local_purchases, .local_supply_rate, .output]')" \
  '["430.00","80.00","0.1860","700.00"]' "bat: purchases of local members only, rate 80/430, output with D once"
expect_eq "$(jqx '.chains[0].unplaced')" '{"purchases":"100.00","local_purchases":"0.00","local_supply_rate":"0.0000","suppliers":1}' \
  "bat: a supplier on no segment is counted under unplaced"
seg() { jqx ".chains[0].segments[] | select(.code == \"$1\") | $2"; }
expect_eq "$(seg mat '[.label, .local_enterprises, .output, .output_share, .top1_share, .hhi, .purchases, .local_purchases, .local_supply_rate]')" \
  '["thin",3,"500.00","0.7143","0.6000",4400,"280.00","80.00","0.2857"]' "mat: three firms, but thin by its local supply rate"
expect_eq "$(seg mat '.reasons')" '["本地配套率0.2857，低于0.3000（采购280.00元，其中本地80.00元）"]' "mat: the reason gives the figures"
expect_eq "$(seg cell '[.label, .local_enterprises, .output, .output_share, .purchases, .local_supply_rate]')" \
  '["thin",1,"200.00","0.2857","50.00","0.0000"]' "cell: an outside member is no local enterprise"
expect_eq "$(seg cell '.reasons | length')" "2" "cell: both rules fired, both said"
expect_eq "$(seg pack '[.label, .local_enterprises, .output, .output_share, .top1_share, .hhi, .purchases, .local_supply_rate, .reasons]')" \
  '["missing",0,"0.00","0.0000",null,null,"0.00",null,["本环节没有本地企业"]]' "pack: a proposed membership does not count; no denominator, null"
expect_eq "$(seg rec '[.label, .local_enterprises, .output, .top1_share, .hhi, .reasons]')" \
  '["thin",2,"200.00","1.0000",10000,["本地企业仅2家（不超过2家为薄弱）"]]' "rec: two firms are thin"
expect_eq "$(jqx '.chains[0].breaks')" '[{"from":"cell","to":"pack","purchases":"0.00"},{"from":"cell","to":"rec","purchases":"50.00"}]' \
  "breaks: the feeds edges with no local purchase, with what flows along them"
expect_eq "$(jqx '.thresholds["diagnosis.thin_supply_rate"]')" '{"value":"0.3000","source":"assumed"}' "the thresholds say they are assumed"

run "$LZ" chain diagnose "$DB" --year 2023 --chain pet --format json
expect_eq "$(jqx '.chains[0] | [.purchases, .local_purchases, .local_supply_rate, .unplaced.purchases, .unplaced.local_purchases, .unplaced.suppliers]')" \
  '["125.00","55.00","0.4400","25.00","25.00",1]' "pet: a local supplier on no segment of the chain is unplaced"
expect_eq "$(seg resin '[.label, .hhi, .top1_share, .local_supply_rate, .reasons]')" \
  '["strong",3800,"0.5000","0.3000",["本地企业3家（多于2家）","本地配套率0.3000，不低于0.3000"]]' "resin: a rate of exactly 0.3000 is not below it: strong"
run "$LZ" chain diagnose "$DB" --year 2023 --chain pet --format json --lang en
expect_eq "$(seg resin '.reasons')" '["3 local enterprises (more than 2)","local supply rate 0.3000, not below 0.3000"]' "reasons in English"
run "$LZ" chain diagnose "$DB" --year 2023 --chain bat --format json --lang zh-TW
expect_eq "$(seg pack '.reasons')" '["本環節沒有本地企業"]' "reasons in traditional Chinese"
run "$LZ" chain diagnose "$DB" --year 2023 --format json
expect_eq "$(jqx '[.chains[].code]')" '["app","bat","fib","pet"]' "without --chain, every chain"
# Every chain at once is read from the whole city in one pass (src/analysis/city.c), a chain alone
# through its index: the two agree on every figure of every chain, customers included.
for y in 2022 2023; do
  ALL=$("$LZ" chain diagnose "$DB" --year "$y" --format json --by customer)
  for c in app bat fib pet; do
    ONE=$("$LZ" chain diagnose "$DB" --year "$y" --chain "$c" --format json --by customer)
    expect_eq "$(printf '%s' "$ALL" | jq -c ".chains[] | select(.code == \"$c\")")" "$(printf '%s' "$ONE" | jq -c '.chains[0]')" \
      "$y, $c: the diagnosis of every chain as that of the chain alone"
  done
done
run "$LZ" chain diagnose "$DB" --year 2022 --chain bat --format json
expect_eq "$(jqx '.chains[0] | [.purchases, .local_supply_rate, .output]')" '["999.00","1.0000","500.00"]' "year is the data year: 2022's links and output (A 250, B 80, D 170)"

# by customer: the local chain masters and backbone firms as buyers. D (backbone) bought A 60
# (local), E 40 and X 100: 200.00, local 60.00, 0.3000; A (chain master) bought H 200: 0.0000;
# pet's P1 bought P2 30 (local), Y 70 and A 25 (local): 125.00, local 55.00, 0.4400.
expect_eq "$(jqx '.chains[0] | has("customers")')" "false" "customers only when asked for"
run "$LZ" chain diagnose "$DB" --year 2023 --format json --by customer
expect_eq "$(jqx '[.chains[] | select(.code == "bat" or .code == "pet") | .customers[] | [.uscc, .role, .purchases, .local_purchases, .local_supply_rate]]')" \
  '[["91440704MA4UC0004P","backbone","200.00","60.00","0.3000"],["91440703MA4UC00010","chain_master","200.00","0.00","0.0000"],["91440703MA4UC00111","chain_master","125.00","55.00","0.4400"]]' \
  "by customer: each chain master's and backbone firm's own local supply rate"
run "$LZ" chain diagnose "$DB" --year 2023 --chain bat --by customer --format csv
expect_eq "$(printf '%s\n' "$OUT" | tr -d '\r' | head -2)" "$(printf 'chain,uscc,name,role,division,purchases,local_purchases,local_supply_rate\nbat,91440704MA4UC0004P,丁电芯,backbone,440704,200.00,60.00,0.3000')" \
  "CSV by customer: the customers"
expect_exit 1 "--by takes customer only" "$LZ" chain diagnose "$DB" --year 2023 --by segment

# thresholds from a file: the comparison is exact, not on the printed rate
printf 'diagnosis.thin_supply_rate = 0.2857 assumed # 80/280 = 0.285714...\n' > "$T/a.conf"
run "$LZ" chain diagnose "$DB" --year 2023 --chain bat --format json --config "$T/a.conf"
expect_eq "$(seg mat '.label')" '"strong"' "80/280 is not below 0.2857"
printf 'diagnosis.thin_supply_rate = 28.58%% confirmed 市工信局通知\ndiagnosis.thin_max_enterprises = 1 assumed\n' > "$T/b.conf"
run "$LZ" chain diagnose "$DB" --year 2023 --chain bat --format json --config "$T/b.conf"
expect_eq "$(seg mat '.label')" '"thin"' "80/280 is below 28.58%"
expect_eq "$(seg rec '.label')" '"strong"' "with at most 1 firm thin, two firms and no purchases are strong"
expect_eq "$(jqx '.thresholds["diagnosis.thin_supply_rate"]')" '{"value":"0.2858","source":"confirmed","document":"市工信局通知"}' \
  "a confirmed value names its document"
printf 'diagnosis.thin_supply_rate = 0.3 assumed\nlights.red_above = 3O%% assumed\n' > "$T/c.conf"
expect_exit 1 "a bad thresholds file is refused" "$LZ" chain diagnose "$DB" --year 2023 --config "$T/c.conf"
expect_in "$ERR" "c.conf:2:" "naming FILE:LINE"
mkdir -p "$T/pol" && cp "$T/a.conf" "$T/pol/analysis.conf"
LIANZHANG_POLICIES="$T/pol" run "$LZ" chain diagnose "$DB" --year 2023 --chain bat --format json
expect_eq "$(seg mat '.label')" '"strong"' "the policy folder's analysis.conf is read by default"

expect_exit 1 "an unknown chain is bad input" "$LZ" chain diagnose "$DB" --year 2023 --chain nope
expect_in "$ERR" "chain 'nope' does not exist" "and says so"
expect_exit 2 "--year is required" "$LZ" chain diagnose "$DB"
expect_exit 1 "a bad --lang is refused" "$LZ" chain diagnose "$DB" --year 2023 --lang fr

run "$LZ" chain diagnose "$DB" --year 2023 --chain bat --format csv
expect_eq "$(printf '%s\n' "$OUT" | head -1 | tr -d '\r')" \
  "chain,segment,name,stage,label,local_enterprises,output,output_share,top1_share,hhi,purchases,local_purchases,local_supply_rate,breaks,reasons" \
  "CSV header"
expect_in "$OUT" "bat,cell,电芯,midstream,thin,1,200.00,0.2857,1.0000,10000,50.00,0.00,0.0000,pack;rec," "CSV: a segment with the segments it feeds without local supply"
expect_in "$OUT" "bat,,未落位供应商,,,,,,,,100.00,0.00,0.0000,," "CSV: the unplaced line"
run "$LZ" chain diagnose "$DB" --year 2023 --chain bat --lang en
expect_in "$OUT" "only 2 local enterprise(s) (thin at 2 or fewer)" "table: the reasons are printed"
run "$LZ" chain diagnose "$DB" --year 2023 --chain bat --lang zh-CN
expect_in "$OUT" "bat    pack 电池包       缺失" "table: labels in words (CSV and JSON keep the codes)"
expect_exit 0 "XLSX is written" "$LZ" chain diagnose "$DB" --year 2023 --chain bat --format xlsx -o "$T/d.xlsx"
expect_in "$(unzip -p "$T/d.xlsx" xl/sharedStrings.xml)" "本地配套率" "with Chinese headings"
expect_exit 1 "XLSX needs -o" "$LZ" chain diagnose "$DB" --year 2023 --format xlsx

# ---- projects lights, on 2030-01-01 ----
# P01-P04 are signed (10%) and run 10,000 days, so planned progress is elapsed days / 10,000:
# 1,999 days is 9.99 points behind (green), 2,000 is 10 (yellow), 4,000 is 30 (yellow), 4,001
# is 30.01 (red). With construction at 95% (file below), P05 planned to finish yesterday: only 5
# points behind, but a day late: red; P06 finishes today: green.
printf 'lights.progress.construction = 95%% assumed\n' > "$T/l.conf"
run "$LZ" projects lights "$DB" --date 2030-01-01 --format json --config "$T/l.conf"
light() { jqx ".projects[] | select(.id == \"$1\") | [.light, .behind, .days_late]"; }
expect_eq "$(light P01)" '["green","0.0999",0]' "9.99 points behind: green"
expect_eq "$(light P02)" '["yellow","0.1000",0]' "10 points behind: yellow"
expect_eq "$(light P03)" '["yellow","0.3000",0]' "30 points behind: still yellow"
expect_eq "$(light P04)" '["red","0.3001",0]' "30.01 points behind: red"
expect_eq "$(light P05)" '["red","0.0500",1]' "one day past the planned completion, not complete: red, 1 day late"
expect_eq "$(light P06)" '["green","0.0500",0]' "on the day of the planned completion: not late"
expect_eq "$(light P07)" '["green",null,0]' "complete needs no dates"
expect_eq "$(light P11)" '["green","0.0000",0]' "not started yet, nothing planned: green"
expect_eq "$(jqx '[.projects[] | select(.id == "P04") | .actual_progress, .planned_progress]')" '["0.1000","0.4001"]' \
  "actual from the stage, planned from the dates"
expect_eq "$(jqx '.cannot_tell | map([.id, .missing])')" \
  '[["P08",["start_date"]],["P09",["planned_completion"]],["P10",["planned_completion after start_date"]]]' \
  "projects without the dates they need cannot be told, with what is missing"
expect_eq "$(jqx '.by_chain')" \
  '[{"green":3,"yellow":2,"red":1,"cannot_tell":1,"chain":"bat"},{"green":1,"yellow":0,"red":1,"cannot_tell":1,"chain":"pet"},{"green":0,"yellow":0,"red":0,"cannot_tell":1,"chain":null}]' \
  "counts per chain"
expect_eq "$(jqx '.by_division')" \
  '[{"green":2,"yellow":1,"red":1,"cannot_tell":2,"division":"440703"},{"green":2,"yellow":1,"red":1,"cannot_tell":1,"division":"440704"}]' \
  "counts per division"
expect_eq "$(jqx '.red | map([.id, .days_late])')" '[["P04",0],["P05",1]]' "the red list with days late"
expect_exit 0 "the overview on the same day" "$LZ" overview "$DB" --year 2023 --date 2030-01-01 --config "$T/l.conf" \
  --dir "$LZ_ROOT/policies/jiangmen"
expect_eq "$(jqx '.projects')" '{"green":4,"yellow":2,"red":2,"cannot_tell":3}' \
  "the overview counts the projects of each light as the lights above do (by chain: 3+1, 2, 1+1, 1+1+1)"
run "$LZ" projects lights "$DB" --date 2030-01-01 --format json
expect_eq "$(light P06)" '["red","0.5000",0]' "with the default construction at 50%, 50 points behind is red"
run "$LZ" projects lights "$DB" --date 2030-01-01 --format json --chain pet
expect_eq "$(jqx '[.projects[].id]')" '["P04","P06","P09"]' "--chain keeps that chain's projects"
expect_exit 1 "a bad --date is refused" "$LZ" projects lights "$DB" --date 2030-02-30
run "$LZ" projects lights "$DB" --date 2030-01-01 --format csv --config "$T/l.conf"
expect_in "$OUT" "P08,无开工日期,,440703,land,2031-01-01,0.2000,,,cannot_tell,0,start_date" "CSV: what is missing"
run "$LZ" projects lights "$DB" --date 2030-01-01 --config "$T/l.conf" --lang en
expect_in "$OUT" "$(printf 'by chain\nchain green yellow red cannot tell\nbat       3      2   1           1')" "table: the counts per chain follow the projects"
expect_exit 0 "XLSX: projects and counts" "$LZ" projects lights "$DB" --date 2030-01-01 --format xlsx -o "$T/l.xlsx"
expect_eq "$(unzip -p "$T/l.xlsx" xl/workbook.xml | grep -o 'sheet name="[^"]*"' | tr '\n' ' ')" \
  'sheet name="项目亮灯" sheet name="按产业链" sheet name="按市（区）" ' "one worksheet per part"

# ---- clusters progress, 2023 ----
# mat: bat's A 300, B 100, C 100, D 200, G 0; fib's C (once); pet's P1 50, P2 30, P3 20 = 800.00.
# 2022: A 250, B 80, D 170, P1 40, P2 30, P3 30 = 600.00; growth 200/600 = 0.3333. Above size
# in 2023: A, D, P1 = 3. Target 1152.00: (1152/800)^(1/2) - 1 = 1.2 - 1 = 0.2000.
# app: Q 400 after 500: -0.2000; target 1000.00: sqrt(2.5) - 1 = 0.58113... = 0.5811.
run "$LZ" clusters progress "$DB" --year 2023 --format json
cl() { jqx ".clusters[] | select(.code == \"$1\") | $2"; }
expect_eq "$(cl mat '[.output, .prior_output, .growth, .above_scale_enterprises, .target_output_2025, .needed_growth]')" \
  '["800.00","600.00","0.3333",3,"1152.00","0.2000"]' "mat: each enterprise once, growth and the growth still needed"
expect_eq "$(cl mat '.chains | map([.code, .output, .share])')" \
  '[["bat","700.00","0.8750"],["fib","100.00","0.1250"],["pet","100.00","0.1250"]]' "mat: the chains that carry it"
expect_eq "$(cl app '[.output, .growth, .needed_growth]')" '["400.00","-0.2000","0.5811"]' "app: a fall, and the root rounded to 4 decimals"
expect_eq "$(cl emp '[.output, .growth, .target_output_2025, .needed_growth, .chains]')" '["0.00",null,null,null,[]]' \
  "a cluster without output or target: nulls"
run "$LZ" clusters progress "$DB" --year 2025 --format json
expect_eq "$(cl app '.needed_growth')" "null" "from 2025 on nothing is still needed"
run "$LZ" clusters progress "$DB" --year 2023 --format json --chain pet
expect_eq "$(jqx '[.clusters[].code, (.clusters[].chains | map(.code))]')" '["mat",["pet"]]' "--chain: its cluster with that chain alone"
run "$LZ" clusters progress "$DB" --year 2023
expect_in "$OUT" "bat 0.8750；fib 0.1250；pet 0.1250" "table: the chains with their shares"
finish
