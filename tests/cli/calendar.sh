#!/usr/bin/env bash
# lianzhang calendar: the shipped notices 2021-2026 load (audited, one entry per year), a year
# loaded again is replaced, working days count over holidays and make-up weekends, a year
# without a notice counts Monday to Friday with a warning, and a bad file changes nothing.
source "$(dirname "$0")/lib.bash"
CAL="${LZ_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/data/calendar"
DB="$T/db"
"$LZ" init "$DB" >/dev/null

expect_exit 0 "the shipped calendars load" "$LZ" calendar load "$DB" "$CAL"/20*.csv
expect_in "$OUT" "calendar 2026: 39 days" "each year says how many days it loaded"
run "$LZ" calendar list "$DB"
expect_eq "$(printf '%s\n' "$OUT" | head -1)" "2021: 31 holidays, 7 make-up working days" "list gives each year's holidays and make-up days"
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "6" "2021 to 2026"
expect_eq "$(db_sql "$DB" "SELECT count(*) FROM audit_log WHERE target LIKE 'calendar/%'")" "6" "each year loaded is audited"

run "$LZ" calendar due "$DB" 2023-09-28 5
expect_eq "$OUT" "2023-10-11" "5 working days from the day before National Day 2023 skip 09-29..10-06 and count the make-up weekend"
expect_eq "$ERR" "" "no warning inside the loaded years"
run "$LZ" calendar due "$DB" 2026-12-30 3
expect_eq "$OUT" "2027-01-04" "a year without a notice counts Monday to Friday"
expect_in "$ERR" "warning: no official calendar for 2027" "and says so"

# an admin's correction: the year is replaced, not added to
printf 'date,kind,name\n2026-10-01,holiday,国庆节\n' > "$T/2026.csv"
expect_exit 0 "a year loads again" "$LZ" calendar load "$DB" "$T/2026.csv"
run "$LZ" calendar due "$DB" 2026-02-13 1
expect_eq "$OUT" "2026-02-16" "the replaced year keeps none of its old days"

# a bad file changes nothing, names its line, exits 1
mkdir "$T/bad"
printf 'date,kind,name\n2026-10-12,workday,国庆节\n' > "$T/bad/2026.csv"
expect_exit 1 "a make-up working day on a weekday is bad input" "$LZ" calendar load "$DB" "$CAL/2025.csv" "$T/bad/2026.csv"
expect_in "$ERR" "2026.csv:2: 2026-10-12 is a make-up working day but already a weekday" "naming the file and line"
expect_eq "$(db_sql "$DB" "SELECT count(*) FROM calendar_days WHERE year = 2026")" "1" "and nothing of the load is kept"
printf 'date,kind\n' > "$T/holidays.csv"
expect_exit 1 "a file not named for its year is bad input" "$LZ" calendar load "$DB" "$T/holidays.csv"
expect_exit 2 "an unknown subcommand is a usage error" "$LZ" calendar forget "$DB"
finish
