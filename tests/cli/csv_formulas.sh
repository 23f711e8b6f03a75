#!/usr/bin/env bash
# CSV export never hands a spreadsheet a formula: a text cell starting with = + - @ goes out with a
# leading apostrophe (a negative number in a number column stays a number), and importing the file
# back takes off exactly that apostrophe, so the round trip is lossless.
. "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }
cat > "$T/enterprises.json" <<'JSON'
[{"uscc": "91440703MA4UA0001G", "name": "=HYPERLINK(\"http://example.invalid\",\"点击\")"},
 {"uscc": "91440704MA4UA00022", "name": "'=already quoted"},
 {"uscc": "91440705MA4UA0003K", "name": "@SUM(1)"}]
JSON
"$LZ" import "$DB" enterprises "$T/enterprises.json" > /dev/null || fail "import formula-like names"
printf '[{"uscc": "91440703MA4UA0001G", "year": 2021, "value_added": "-5.00"}]' > "$T/indicators.json"
"$LZ" import "$DB" indicators "$T/indicators.json" > /dev/null || fail "import a negative value added"
printf '[{"id": "E-001", "flags": ["-x", "y"], "detail": "+86 750 0000"}]' > "$T/events.json"
"$LZ" import "$DB" events "$T/events.json" > /dev/null || fail "import a code and a detail starting with - and +"

run "$LZ" export "$DB" enterprises
expect_in "$OUT" "91440703MA4UA0001G,\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"点击\"\")\"," "a name starting with = gets an apostrophe"
expect_in "$OUT" "91440704MA4UA00022,''=already quoted," "so does one already starting with an apostrophe before ="
expect_in "$OUT" "91440705MA4UA0003K,'@SUM(1)," "and one starting with @"
run "$LZ" export "$DB" indicators
expect_in "$OUT" ",2021,300000000.00,280000000.00,-5.00," "a negative number stays a number"
run "$LZ" export "$DB" events
expect_in "$OUT" "E-001,91440703MA4UA0001G,\"'=HYPERLINK(" "the enterprise name export puts beside a code is guarded too"
expect_in "$OUT" ",2021-05-18,chain_master_designated,8000000.00,'+86 750 0000,'-x;y" \
  "codes, lists and free text are guarded alike"

dump "$DB" > "$T/before.txt"
ok=1
for t in enterprises indicators events; do
  "$LZ" export "$DB" "$t" -o "$T/$t.csv" && "$LZ" import "$DB" "$t" "$T/$t.csv" > /dev/null || ok=0
done
dump "$DB" > "$T/after.txt"
if [ $ok = 1 ] && cmp -s "$T/before.txt" "$T/after.txt"; then pass "import(export(x)) = x with guarded cells"
else fail "import(export(x)) = x with guarded cells" "$(diff "$T/before.txt" "$T/after.txt" | head)"; fi
expect_eq "$(db_sql "$DB" "SELECT name FROM enterprises WHERE uscc = '91440704MA4UA00022'")" "'=already quoted" \
  "the stored text keeps its own apostrophe"

printf "id,detail\nE-002,'plain\nE-003,'=x\n" > "$T/events.csv"
"$LZ" import "$DB" events "$T/events.csv" > /dev/null
expect_eq "$(db_sql "$DB" "SELECT detail FROM events WHERE id IN ('E-002', 'E-003') ORDER BY id" | paste -sd'|')" \
  "'plain|=x" "import removes the guard only before a formula character"

# Award CSVs follow the same rule: ids are guarded on the way out, and import-paid takes the guard off.
"$LZ" user add "$DB" clerk --role admin --password-stdin <<< 'long enough pw' > /dev/null || fail "admin account"
printf "year,policy,subject,subject_id,uscc,amount\n2021,miit.software,project,'=P1,91440703MA4UA0001G,1.00\n" > "$T/paid.csv"
expect_exit 0 "import-paid takes a guarded id" "$LZ" award "$DB" import-paid "$T/paid.csv" --dir "$LZ_ROOT/policies/jiangmen" --as clerk
expect_eq "$(db_sql "$DB" "SELECT subject_id FROM awards")" "=P1" "without its guard"
finish
