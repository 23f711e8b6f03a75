#!/usr/bin/env bash
# `lianzhang award DB ID STATUS --as ACCOUNT`: the command line signs off awards under the API's
# four-eyes rule, as a named, enabled account whose role may make the move, never as one
# anonymous operator moving an award from computed to paid alone.
. "$(dirname "$0")/lib.bash"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PF="$ROOT/tests/policy/fixtures"
POL="$ROOT/policies/jiangmen"

"$LZ" init "$T/db" > /dev/null || fail "init"
for t in divisions enterprises indicators projects persons events; do
  "$LZ" import "$T/db" "$t" "$PF/$t.csv" > /dev/null || fail "fixture $t loads"
done
"$LZ" awards "$T/db" --year 2022 --record --format csv --dir "$POL" > /dev/null 2>&1 || fail "recording a year"
add() { "$LZ" user add "$T/db" "$1" --role "$2" ${3:+--scope "$3"} --password-stdin <<< 'long enough pw' > /dev/null || fail "account $1"; }
add reviewer admin
add approver admin
add miit bureau 市工信局
add miit2 bureau 市工信局
add tech bureau 市科技局
add gone admin
"$LZ" user disable "$T/db" gone > /dev/null
C=$(db_sql "$T/db" "SELECT uscc FROM enterprises ORDER BY uscc LIMIT 1")
add firm enterprise "$C"
run "$LZ" award "$T/db" list --year 2022 --policy miit.tech_upgrade
ids=($(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f1))
[ "${#ids[@]}" -ge 2 ] || fail "two recorded awards to move" "$OUT"
a=${ids[0]} b=${ids[1]}
status() { db_sql "$T/db" "SELECT status || ' ' || updated_by FROM awards WHERE id = $1"; }

expect_exit 2 "a move without --as is a usage error" "$LZ" award "$T/db" "$a" reviewed
expect_in "$ERR" "--as ACCOUNT" "the usage names --as"
expect_exit 1 "an unknown account is refused" "$LZ" award "$T/db" "$a" reviewed --as nobody
expect_in "$ERR" "--as nobody: no enabled account" "the refusal names the account"
expect_exit 1 "a disabled account is refused" "$LZ" award "$T/db" "$a" reviewed --as gone
expect_exit 1 "an enterprise account does not sign off" "$LZ" award "$T/db" "$a" reviewed --as firm
expect_in "$ERR" "signed off by an admin or by the bureau that owns the policy" "the refusal says who signs off"
expect_exit 1 "another department's bureau does not sign off" "$LZ" award "$T/db" "$a" reviewed --as tech --dir "$POL"
expect_eq "$(status "$a" | cut -d' ' -f1)" "computed" "refused moves change nothing"

expect_exit 0 "an admin reviews" "$LZ" award "$T/db" "$a" reviewed --as reviewer
expect_exit 1 "the reviewer cannot also approve" "$LZ" award "$T/db" "$a" approved --as reviewer
expect_in "$ERR" "neither the account that computed the award nor its reviewer" "the refusal states the four-eyes rule"
expect_exit 0 "another admin approves" "$LZ" award "$T/db" "$a" approved --as approver
expect_exit 0 "and pays" "$LZ" award "$T/db" "$a" paid --as approver
expect_eq "$(status "$a")" "paid approver" "the ledger names the account that moved it last"
expect_eq "$(db_sql "$T/db" "SELECT actor FROM audit_log WHERE target = 'awards/$a' ORDER BY seq" | paste -sd' ')" \
  "reviewer approver approver" "the audit log names each account"

expect_exit 0 "the policy's own bureau reviews" "$LZ" award "$T/db" "$b" reviewed --as miit --dir "$POL"
expect_exit 1 "and cannot approve its own review" "$LZ" award "$T/db" "$b" approved --as miit --dir "$POL"
expect_exit 0 "a second account of the bureau approves" "$LZ" award "$T/db" "$b" approved --as miit2 --dir "$POL"
expect_eq "$(status "$b")" "approved miit2" "the bureau's approval is recorded"
finish
