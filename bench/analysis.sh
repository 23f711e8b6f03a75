#!/usr/bin/env bash
# Chain analytics on the reference data set (`lianzhang demo`, 1,000,000 enterprises unless
# BENCH_ENTERPRISES says otherwise; the data set bench/policy.sh generates and keeps): the
# diagnosis of every chain, the clusters' progress, the overview and the masters evaluation
# through the CLI (goal: each under 1 s), then the overview route of a server on
# loopback, p99 once warm (goal: under 50 ms; bench/analysis.mjs). The data set is copied and the
# copy opened once read-write first, outside the timing (a file of an older schema is upgraded
# then). Wall times move with whatever else the machine runs; the CPU times beside them do not.
# Environment: BUILD (default build), BENCH_ENTERPRISES, BENCH_YEAR (2023), BENCH_ROUNDS (200),
# BENCH_RUNS (5: runs of each command).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_ENTERPRISES:-1000000}
YEAR=${BENCH_YEAR:-2023}
ROUNDS=${BENCH_ROUNDS:-200}
RUNS=${BENCH_RUNS:-5}
DATE=$((YEAR + 1))-06-30
LZ=${BUILD:-build}/lianzhang
NAME=analysis
. bench/reference.bash
reference_copy bench

# timed FILE NAME GOAL_S COMMAND...: runs it RUNS times with its output to $OUT/FILE and prints
# the median run's wall and CPU time, the range of the walls and the first run's wall apart: the
# first command after the data set is copied also pays for the kernel taking back the memory the
# copy's page cache holds (its system time), which the runs after it do not.
timed() {
  local file=$1 name=$2 goal=$3
  shift 3
  : > "$OUT/times.txt"
  for _ in $(seq 1 "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" > "$OUT/$file"
    cat "$OUT/time.txt" >> "$OUT/times.txt"
  done
  awk -v name="$name" -v goal="$goal" -v n="$N" '
    { wall[NR] = $1; line[NR] = $0; if (NR == 1) first = $1 }
    END {
      for (i = 1; i <= NR; i++) order[i] = i
      for (i = 2; i <= NR; i++) for (j = i; j > 1 && wall[order[j]] < wall[order[j - 1]]; j--) { t = order[j]; order[j] = order[j - 1]; order[j - 1] = t }
      split(line[order[int((NR + 1) / 2)]], m, " ")
      printf "analysis: %d enterprises, %-36s %6.2f s median of %d (%.2f-%.2f; first %.2f) (goal < %s s; CPU %.2f s user + %.2f s system), peak RSS %.0f MiB%s\n",
        n, name ":", m[1], NR, wall[order[1]], wall[order[NR]], first, goal, m[2], m[3], m[4] / 1024, (m[1] > goal ? "  OVER" : "")
    }' "$OUT/times.txt"
}
DB="$OUT/run.db"
timed diagnosis.json "diagnosis of every chain" 1 "$LZ" chain diagnose "$DB" --year "$YEAR" --format json
timed progress.json "clusters progress" 1 "$LZ" clusters progress "$DB" --year "$YEAR" --format json
timed overview.json "overview (CLI)" 1 "$LZ" overview "$DB" --year "$YEAR" --date "$DATE"
# The evaluation lists the first 100 of each chain and whoever holds a place (docs/analysis.md):
# every chain at once (the whole city read once), then the largest chain alone (through its index).
MC=$(sqlite3 "$DB" "SELECT chain FROM memberships GROUP BY chain ORDER BY count(*) DESC, chain LIMIT 1")
timed masters.json "masters evaluate, every chain" 1 "$LZ" masters evaluate "$DB" --year "$YEAR" --format json
timed masters-$MC.json "masters evaluate, chain $MC" 1 "$LZ" masters evaluate "$DB" --year "$YEAR" --chain "$MC" --format json
echo "analysis: masters evaluate wrote $(wc -c < "$OUT/masters.json") bytes of JSON for every chain"

reference_serve bench
node bench/analysis.mjs "$URL" "$COOKIE" "$YEAR" "$DATE" "$ROUNDS" 50
