#!/usr/bin/env bash
# A process killed in the middle of an import leaves the database exactly as it was before.
. "$(dirname "$0")/lib.bash"

load_good "$T/db" || fail "fixture loads"
dump "$T/db" > "$T/before.txt"
awk 'BEGIN { print "id,uscc,year,role,wage_income,iit_paid";
             for (i = 0; i < 400000; i++) printf "K%07d,91440703MA4UA0001G,2022,other,%d.00,\n", i, 100000 + i }' > "$T/persons.csv"

# Kill at several moments: early, mid-validation, around the commit.
for delay in 0.05 0.3 0.8 1.5; do
  "$LZ" import "$T/db" persons "$T/persons.csv" > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  dump "$T/db" > "$T/after.txt"
  rows=$(db_sql "$T/db" "SELECT count(*) FROM persons")
  if cmp -s "$T/before.txt" "$T/after.txt"; then
    pass "killed after ${delay}s: database as before"
  elif [ "$rows" -eq 400002 ]; then
    pass "killed after ${delay}s: the import had committed whole"
    dump "$T/db" > "$T/before.txt" # the new state is the baseline for the next kill
  else
    fail "killed after ${delay}s: database as before or fully imported" "persons rows: $rows"
  fi
  run "$LZ" check "$T/db"
  [ "$RC" -eq 0 ] && pass "killed after ${delay}s: check passes" || fail "killed after ${delay}s: check passes" "$OUT" "$ERR"
done
expect_exit 0 "the database takes a complete import after the kills" "$LZ" import "$T/db" persons "$T/persons.csv"
expect_eq "$(db_sql "$T/db" 'SELECT count(*) FROM persons')" "400002" "all rows are there once"
finish
