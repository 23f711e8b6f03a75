#!/usr/bin/env bash
# Every number column has a safe range: money and decimals at most 10^13 yuan (units) unless the
# contract says otherwise. Import refuses a value past it; `check` reports one already stored
# (by an older binary or a hand edit), naming the table, key, column, value and the range.
. "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }
I=uscc,year,value_added

printf '%s\n91440703MA4UA0001G,2023,1000000000000000\n' "$I" > "$T/indicators.csv"
expect_exit 1 "value added of 10^15 yuan is refused" "$LZ" import "$DB" indicators "$T/indicators.csv"
expect_in "$ERR" "indicators.csv:2: value_added: 1000000000000000.00 is outside the safe range -10000000000000.00..10000000000000.00" \
  "naming the value and the range"
printf '%s\n91440703MA4UA0001G,2023,-10000000000000.00\n' "$I" > "$T/indicators.csv"
expect_exit 0 "the bound itself is accepted" "$LZ" import "$DB" indicators "$T/indicators.csv"
printf 'id,plot_ratio\nP2021-001,10000000000000.01\n' > "$T/projects.csv"
expect_exit 1 "a decimal column has the same bound" "$LZ" import "$DB" projects "$T/projects.csv"
expect_in "$ERR" "projects.csv:2: plot_ratio: 10000000000000.01 is outside the safe range 0.00..10000000000000.00" "in its units"
printf '[{"uscc": "91440703MA4UA0001G", "year": 2023, "revenue": 1e16}]' > "$T/indicators.json"
expect_exit 1 "JSON numbers have the bound too" "$LZ" import "$DB" indicators "$T/indicators.json"
expect_in "$ERR" "indicators.json:1: revenue: 10000000000000000.00 is outside the safe range 0.00..10000000000000.00" "with the same message"

expect_exit 0 "check passes before a hand edit" "$LZ" check "$DB"
db_sql "$DB" "UPDATE indicators SET value_added = 100000000000000000 WHERE uscc = '91440703MA4UA0001G' AND year = 2021"
expect_exit 1 "check finds a stored value past the range" "$LZ" check "$DB"
expect_in "$OUT$ERR" "indicators: 91440703MA4UA0001G/2021: value_added: 1000000000000000.00 is outside the safe range -10000000000000.00..10000000000000.00" \
  "naming table, key, column, value and range"
finish
