#!/usr/bin/env bash
# lianzhang demo: the reference data set is deterministic for a seed, passes `check`, survives
# export -> import unchanged, and never leaves a half-written database behind.
. "$(dirname "$0")/lib.bash"

expect_exit 0 "demo --help" "$LZ" demo --help
expect_in "$OUT" "--enterprises N" "demo --help shows the options"
expect_exit 2 "demo without a database is a usage error" "$LZ" demo
expect_exit 2 "demo with a non-numeric size is a usage error" "$LZ" demo "$T/x.db" --enterprises many
expect_exit 2 "demo with an unknown option is a usage error" "$LZ" demo "$T/x.db" --colour
expect_exit 2 "demo with a day that is not a date is a usage error" "$LZ" demo "$T/x.db" --today 2026-02-30
expect_exit 1 "demo below 100 enterprises is refused" "$LZ" demo "$T/x.db" --enterprises 99
expect_in "$ERR" "between 100 and 5000000" "the size error names the range"
[ ! -e "$T/x.db" ] && [ ! -e "$T/x.db.partial" ] && pass "a refused demo leaves no file" || fail "a refused demo leaves no file"

expect_exit 0 "demo with a seed" "$LZ" demo "$T/a.db" --enterprises 400 --seed 42
expect_in "$OUT" "enterprises          400 rows" "the summary counts the enterprises asked for"
expect_eq "$ERR" "" "no progress bar when stderr is not a terminal"
[ ! -e "$T/a.db.partial" ] && pass "no partial file after success" || fail "no partial file after success"
expect_exit 0 "the same seed again" "$LZ" demo "$T/b.db" --enterprises 400 --seed 42
expect_exit 0 "another seed" "$LZ" demo "$T/c.db" --enterprises 400 --seed 43

dump "$T/a.db" > "$T/a.txt"
dump "$T/b.db" > "$T/b.txt"
dump "$T/c.db" > "$T/c.txt"
cmp -s "$T/a.txt" "$T/b.txt" && pass "same seed and size give byte-identical exports" || fail "same seed and size give byte-identical exports"
cmp -s "$T/a.txt" "$T/c.txt" && fail "another seed gives other data" || pass "another seed gives other data"
for t in $TABLE_ORDER; do
  grep -q "^## $t" "$T/a.txt" && [ "$(db_sql "$T/a.db" "SELECT count(*) FROM $t")" -gt 0 ] || fail "table $t is filled"
done
pass "every table is filled"

expect_exit 0 "the reference data passes check" "$LZ" check "$T/a.db"
expect_exit 0 "the audit log of the demo verifies" "$LZ" audit verify "$T/a.db"

# Round trip: every table exported, imported into a new database, exported again: unchanged.
"$LZ" init "$T/r.db" > /dev/null
ok=1
for t in $TABLE_ORDER; do
  "$LZ" export "$T/a.db" "$t" -o "$T/$t.csv" && "$LZ" import "$T/r.db" "$t" "$T/$t.csv" > /dev/null 2> "$T/imp.err" ||
    { ok=0; fail "round trip: $t imports" "$(head -5 "$T/imp.err")"; }
done
[ $ok -eq 1 ] && pass "round trip: every table imports"
dump "$T/r.db" > "$T/r.txt"
cmp -s "$T/a.txt" "$T/r.txt" && pass "round trip: export -> import leaves the data unchanged" ||
  fail "round trip: export -> import leaves the data unchanged" "$(diff "$T/a.txt" "$T/r.txt" | head -5)"

expect_exit 1 "demo refuses an existing database" "$LZ" demo "$T/a.db" --enterprises 400 --seed 1
dump "$T/a.db" | cmp -s - "$T/a.txt" && pass "the existing database is untouched" || fail "the existing database is untouched"

# A stale partial file from an interrupted run does not get in the way.
echo "junk" > "$T/d.db.partial"
expect_exit 0 "demo replaces a stale partial file" "$LZ" demo "$T/d.db" --enterprises 100
if command -v script > /dev/null; then
  script -qec "'$LZ' demo '$T/tty.db' --enterprises 100 > /dev/null" /dev/null > "$T/tty.txt" 2>&1
  expect_in "$(tr '\r' '\n' < "$T/tty.txt")" "14/15 appeals       [##############################] 100%" "a progress bar on a terminal"
fi
expect_exit 0 "the defaults make a quick data set" "$LZ" demo "$T/e.db"
expect_in "$OUT" "enterprises         3000 rows" "3000 enterprises by default"

# The default data set shows every kind of answer the chain analytics give.
"$LZ" chain diagnose "$T/e.db" --year 2023 --format json > "$T/diag.json"
expect_eq "$(jq -c '[.chains[].segments[].label] | unique' "$T/diag.json")" '["missing","strong","thin"]' "the demo has missing, thin and strong segments"
[ "$(jq '[.chains[].breaks | length] | add' "$T/diag.json")" -gt 0 ] && pass "the demo has broken links" || fail "the demo has broken links"
[ "$(jq '[.chains[].segments[] | select(.local_supply_rate != null) | .local_supply_rate | tonumber | select(. < 0.3)] | length' "$T/diag.json")" -gt 0 ] &&
  pass "some segments buy mostly from outside" || fail "some segments buy mostly from outside"
expect_eq "$("$LZ" projects lights "$T/e.db" --date 2024-03-31 --format json | jq -c '[.projects[].light] | unique')" \
  '["cannot_tell","green","red","yellow"]' "the demo has projects under every light"
for c in $(jq -r '.chains[].code' "$T/diag.json"); do
  "$LZ" targets recommend "$T/e.db" --year 2023 --chain "$c" --date 2026-12-01
done > "$T/recommend.json"
[ "$(jq -s '[.[].stale_targets | length] | add' "$T/recommend.json")" -gt 0 ] && pass "the demo has idle targets" || fail "the demo has idle targets"
expect_eq "$(jq -s -c '[.[].candidates[] | .segments[0].label // "none"] | unique' "$T/recommend.json")" '["missing","none","strong","thin"]' "the demo recommends suppliers for every kind of segment, and unplaced ones"
finish
