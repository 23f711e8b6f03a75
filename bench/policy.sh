#!/usr/bin/env bash
# Policy engine speed on the reference data set (`lianzhang demo`, 1,000,000 enterprises unless
# BENCH_ENTERPRISES says otherwise): every policy for one award year end to end (load, evaluate,
# write the ledger) with peak memory; then, from bench/policy_bench.c, the facts load and the
# evaluation alone, and the tech-upgrade, above-size and executive-IIT rules through the engine
# against a hand-written C loop over the same arrays (their totals must agree to the fen).
# Wall times move with whatever else the machine runs; the CPU times beside them do not.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_ENTERPRISES:-1000000}
YEAR=${BENCH_YEAR:-2023}
BUILD=${BUILD:-build}
LZ=$BUILD/lianzhang
OUT=bench/out/policy
mkdir -p "$OUT"
DB="$OUT/demo-$N.db"
if [ ! -f "$DB" ]; then # the data set is deterministic: generated once, reused by later runs
  t0=$(date +%s.%N)
  "$LZ" demo "$DB" --enterprises "$N" --seed 1 > /dev/null
  echo "policy: generated $N enterprises in $(echo "$(date +%s.%N) - $t0" | bc) s"
fi
make -s BUILD="$BUILD" "$BUILD/bench/policy_bench" # linked as the program is (the Makefile's libraries)
"$LZ" user list "$DB" > /dev/null # a file of an older schema is upgraded once, before and outside the timing
cp "$DB" "$OUT/run.db"
sync # the copy's write-back would otherwise be timed with the run
t0=$(date +%s.%N)
/usr/bin/time -f "%M %U %S" -o "$OUT/rss.txt" "$LZ" awards "$OUT/run.db" --year "$YEAR" --record --format csv -o "$OUT/awards.csv" 2> "$OUT/ledger.txt"
t1=$(date +%s.%N)
read -r rss user sys < "$OUT/rss.txt"
awk -v n="$N" -v year="$YEAR" -v t="$(echo "$t1 - $t0" | bc)" -v rss="$rss" -v user="$user" -v sys="$sys" -v rows="$(($(wc -l < "$OUT/awards.csv") - 1))" 'BEGIN {
  printf "policy: %d enterprises, award year %s: all policies end to end (load, evaluate, write the ledger): %.2f s (goal < 5 s; CPU %.2f s user + %.2f s system), peak RSS %.0f MiB (goal < 1024)\n", n, year, t, user, sys, rss / 1024
  printf "policy: %d awards written to the ledger and the CSV\n", rows
}'
head -1 "$OUT/ledger.txt" | sed 's/^/policy: /'
# On the run's copy: recording upgraded its schema, should this binary be newer than the data set.
"$BUILD/bench/policy_bench" "$OUT/run.db" "$YEAR" policies/jiangmen | sed 's/^/policy: /'
rm -f "$OUT/run.db" "$OUT/run.db-wal" "$OUT/run.db-shm"
