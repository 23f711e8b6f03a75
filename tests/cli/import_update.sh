#!/usr/bin/env bash
# An import that matches stored rows by key changes only the columns the file has: a file with a
# few columns never blanks the others; an empty cell in a present column clears it; a new row still
# needs every required column; the audit entry keeps each changed row's columns before and after.
. "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }
row() { db_sql "$DB" "SELECT $2 FROM $1 WHERE id = '$3'"; }
last_audit() { db_sql "$DB" "SELECT coalesce(before, 'NULL') || ' => ' || after FROM audit_log ORDER BY seq DESC LIMIT 1"; }

printf 'id,amount\nE-001,1.00\n' > "$T/events.csv"
expect_exit 0 "a file of key and one column imports" "$LZ" import "$DB" events "$T/events.csv"
expect_in "$OUT" "(0 inserted, 1 updated)" "it updates the matched row"
expect_eq "$(row events "uscc, date, kind, amount, detail" E-001)" "91440703MA4UA0001G|2021-05-18|chain_master_designated|100|第一批链主" \
  "the columns the file lacks keep their values"
audit=$(last_audit)
expect_in "$audit" '{"id=E-001":{"amount":"8000000.00"}} =>' "the audit entry has the changed column before"
expect_in "$audit" '"changed":{"id=E-001":{"amount":"1.00"}}' "and after"
expect_not_in "$audit" "detail" "and no column that did not change"

printf 'id,detail\nE-001,\n' > "$T/events.csv"
expect_exit 0 "an empty cell in a present column" "$LZ" import "$DB" events "$T/events.csv"
expect_eq "$(row events "amount, coalesce(detail, 'NULL')" E-001)" "100|NULL" "clears that column only"

printf 'id,amount\nE-001,1.00\n' > "$T/events.csv"
run "$LZ" import "$DB" events "$T/events.csv"
expect_eq "$(db_sql "$DB" "SELECT CASE WHEN before IS NULL AND after LIKE '%\"changed\":{}%' THEN 1 ELSE 0 END FROM audit_log ORDER BY seq DESC LIMIT 1")" 1 \
  "a row that does not change is not in the audit entry"

printf 'id,amount\nE-001,2.00\nE-900,5.00\n' > "$T/events.csv"
expect_exit 1 "a new row without a required column is refused" "$LZ" import "$DB" events "$T/events.csv"
expect_in "$ERR" "events.csv:3: uscc: required column is missing (a new row needs it)" "naming the row and the column"
expect_eq "$(row events amount E-001)" 100 "and nothing is written"

printf 'amount\n1.00\n' > "$T/events.csv"
expect_exit 1 "a file without the key column is refused" "$LZ" import "$DB" events "$T/events.csv"
expect_in "$ERR" "events.csv:1: id: key column is missing" "saying which"

# Cross-field rules see the merged row: equipment may not exceed the stored fixed-asset investment.
printf 'id,equipment_investment\nP2021-001,6000000.00\n' > "$T/projects.csv"
expect_exit 1 "a partial row is checked against the stored columns" "$LZ" import "$DB" projects "$T/projects.csv"
expect_in "$ERR" "projects.csv:2: fixed_asset_investment: is smaller than equipment_investment" "with the cross-field message"

# A default is for new rows: a file without `local` does not turn a non-local enterprise local.
db_sql "$DB" "UPDATE enterprises SET local = 0 WHERE uscc = '91440705MA4UA0003K'"
printf 'uscc,name\n91440705MA4UA0003K,改名企业\n' > "$T/enterprises.csv"
expect_exit 0 "a rename of an enterprise" "$LZ" import "$DB" enterprises "$T/enterprises.csv"
expect_eq "$(db_sql "$DB" "SELECT local || '|' || name FROM enterprises WHERE uscc = '91440705MA4UA0003K'")" "0|改名企业" \
  "keeps local, which the file does not have"

# JSON: a key left out of an object keeps the stored value, null clears it.
printf '[{"id": "E-003", "amount": "7.00"}, {"id": "E-002", "detail": null}]' > "$T/events.json"
expect_exit 0 "a JSON import of some keys" "$LZ" import "$DB" events "$T/events.json"
expect_eq "$(row events "amount, coalesce(detail, 'NULL'), flags" E-003)" "700|NULL|overseas_chinese_capital;first_close" \
  "keeps the keys an object leaves out"
expect_eq "$(row events "coalesce(detail, 'NULL'), kind" E-002)" "NULL|listed" "null clears a column"

finish
