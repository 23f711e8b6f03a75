#!/usr/bin/env bash
# Payments made before the system existed go into the award ledger as paid awards, all or nothing.
. "$(dirname "$0")/lib.bash"
POL="$LZ_ROOT/policies/jiangmen"
load_good "$T/db" || fail "fixture loads"
"$LZ" user add "$T/db" clerk --role admin --password-stdin <<< 'long enough pw' > /dev/null || fail "admin account"
"$LZ" user add "$T/db" firm --role enterprise --scope 91440703MA4UA0001G --password-stdin <<< 'long enough pw' > /dev/null \
  || fail "enterprise account"
H=year,policy,subject,subject_id,uscc,amount
printf '%s\n2021,miit.software,enterprise,91440703MA4UA0001G,91440703MA4UA0001G,500000.00\n2021,miit.above_scale,enterprise,91440704MA4UA00022,91440704MA4UA00022,100000.00\n' "$H" > "$T/paid.csv"
expect_exit 1 "earlier payments need a named account" "$LZ" award "$T/db" import-paid "$T/paid.csv" --dir "$POL"
expect_in "$ERR" "--as ACCOUNT" "the refusal asks for --as"
expect_exit 1 "and an admin one" "$LZ" award "$T/db" import-paid "$T/paid.csv" --dir "$POL" --as firm
expect_in "$ERR" "only an admin account records earlier payments" "the refusal says who may"
expect_eq "$(db_sql "$T/db" "SELECT count(*) FROM awards")" "0" "nothing was imported without an admin"
expect_exit 0 "earlier payments import" "$LZ" award "$T/db" import-paid "$T/paid.csv" --dir "$POL" --as clerk
expect_in "$OUT" "2 earlier payments imported as paid" "the import counts its rows"
run "$LZ" award "$T/db" list
expect_in "$OUT" "miit.software" "the ledger lists the imported payment"
expect_in "$OUT" "paid" "it is paid"
expect_exit 1 "the same payment twice is refused" "$LZ" award "$T/db" import-paid "$T/paid.csv" --dir "$POL" --as clerk
expect_in "$ERR" "already holds miit.software enterprise 91440703MA4UA0001G for 2021" "the refusal names the payment"
expect_eq "$(db_sql "$T/db" "SELECT count(*) FROM awards")" "2" "nothing was written by the refused import"

bad() { # NAME CONTENT EXPECTED
  printf '%b' "$2" > "$T/bad.csv"
  run "$LZ" award "$T/db" import-paid "$T/bad.csv" --dir "$POL" --as clerk
  if [ "$RC" -eq 1 ] && printf '%s' "$ERR" | grep -qF -- "$3"; then pass "bad payment: $1"; else fail "bad payment: $1" "exit $RC" "$ERR"; fi
}
bad "unknown policy" "$H\n2021,miit.nothing,enterprise,x,91440703MA4UA0001G,1.00\n" "bad.csv:2: policy: 'miit.nothing' is not a policy of this city"
bad "unknown enterprise" "$H\n2021,miit.software,enterprise,x,91440703MA4UA00060,1.00\n" "bad.csv:2: uscc: '91440703MA4UA00060' does not exist in enterprises"
bad "bad amount" "$H\n2021,miit.software,enterprise,x,91440703MA4UA0001G,1.001\n" "bad.csv:2: amount: more than 2 decimals"
bad "zero amount" "$H\n2021,miit.software,enterprise,x,91440703MA4UA0001G,0\n" "bad.csv:2: amount: a payment must be more than 0.00"
bad "missing column" "year,policy\n2021,miit.software\n" "bad.csv:1: subject: required column is missing"
bad "bad subject" "$H\n2021,miit.software,company,x,91440703MA4UA0001G,1.00\n" "bad.csv:2: subject: 'company' is not one of"
# Every bad row is reported in one run, after a good one, and none of the file is written.
printf '%s\n2022,miit.software,enterprise,91440703MA4UA0001G,91440703MA4UA0001G,1.00\n2022,miit.software,enterprise,x,91440703MA4UA0001G,1.001\n2022,miit.nothing,enterprise,y,91440703MA4UA0001G,2.00\n' "$H" > "$T/two.csv"
expect_exit 1 "a file with two bad rows is refused" "$LZ" award "$T/db" import-paid "$T/two.csv" --dir "$POL" --as clerk
expect_in "$ERR" "two.csv:3: amount: more than 2 decimals" "the first bad row is reported"
expect_in "$ERR" "two.csv:4: policy: 'miit.nothing' is not a policy of this city" "and so is the second"
expect_in "$ERR" "two.csv: 2 errors; nothing was imported" "the count says both"
expect_eq "$(db_sql "$T/db" "SELECT count(*) FROM awards WHERE year = 2022")" "0" "the good row above them is not written either"
expect_eq "$(db_sql "$T/db" "SELECT count(*) FROM awards")" "2" "no bad file wrote anything"
expect_eq "$(db_sql "$T/db" "SELECT count(*) || ' by ' || min(actor) FROM audit_log WHERE target LIKE 'award_runs/%'")" "1 by clerk" \
  "the import is audited once, naming the account"
finish
