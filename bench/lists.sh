#!/usr/bin/env bash
# Dashboard lists on the reference data set (1,000,000 enterprises unless BENCH_ENTERPRISES says
# otherwise, the data set bench/policy.sh generates and keeps): filtered, sorted pages of 50 through
# the API, p50 and p99 per kind of page (bench/lists.mjs). Goal: p99 under 50 ms. The data set is
# copied first; opening the copy upgrades its schema, and the upgrade's time is printed too.
# Environment: BUILD (default build), BENCH_ENTERPRISES, BENCH_ROUNDS (pages per kind, default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_ENTERPRISES:-1000000}
ROUNDS=${BENCH_ROUNDS:-200}
LZ=${BUILD:-build}/lianzhang
NAME=lists
. bench/reference.bash
t0=$(date +%s.%N)
reference_copy lists
echo "lists: $N enterprises; opening the copy (schema upgrade from version $(sqlite3 "$DATA" 'PRAGMA user_version') if older) and adding an account: $(echo "$(date +%s.%N) - $t0" | bc) s"
reference_serve lists
node bench/lists.mjs "$URL" "$COOKIE" "$(sqlite3 "$OUT/run.db" "SELECT group_concat(code) FROM divisions")" "$ROUNDS" 50
