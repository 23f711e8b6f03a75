#!/usr/bin/env bash
# lianzhang audit list: newest first, narrowed by actor, target and dates, in table, json and csv;
# bad values are named (exit 1), unknown options are usage (exit 2).
source "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }
printf 'long enough pw\n' | "$LZ" user add "$DB" alice --role admin --password-stdin >/dev/null
printf 'long enough pw\n' | "$LZ" user add "$DB" bob --role admin --password-stdin >/dev/null
db_sql "$DB" "UPDATE audit_log SET at = '2020-06-01T10:00:00.000Z' WHERE target = 'accounts/alice'"

run "$LZ" audit list "$DB" --format json
expect_eq "$RC" 0 "list as json"
seqs=$(printf '%s' "$OUT" | jq -c '[.[].seq]')
expect_eq "$seqs" "$(printf '%s' "$OUT" | jq -c '[.[].seq] | sort | reverse')" "newest first"
run "$LZ" audit list "$DB" --target accounts/bob --format json
expect_eq "$(printf '%s' "$OUT" | jq -r '[.[].target] | unique | join(",")')" "accounts/bob" "--target narrows"
expect_eq "$(printf '%s' "$OUT" | jq -r '.[0].after | type')" "object" "the row after is JSON"
run "$LZ" audit list "$DB" --since 2020-06-01 --until 2020-06-01 --format csv
expect_eq "$RC" 0 "list as csv"
expect_eq "$(printf '%s' "$OUT" | head -1 | tr -d '\r')" "seq,at,actor,via,target,before,after" "csv header"
expect_eq "$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f5 | sort -u | tr -d '\r')" "accounts/alice" "a day's entries, that day included"
run "$LZ" audit list "$DB" --until 2020-05-31
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "1" "--until before every entry: the header alone"
run "$LZ" audit list "$DB" --limit 1
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "2" "--limit 1: one entry under the header"
expect_in "$OUT" "accounts/bob" "the newest"
run "$LZ" audit list "$DB" --since 2020-6-1
expect_eq "$RC" 1 "a bad date is bad input"
expect_in "$ERR" "--since" "naming the option"
expect_exit 2 "an unknown option is usage" "$LZ" audit list "$DB" --colour red
finish
