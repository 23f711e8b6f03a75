#!/usr/bin/env bash
# Chain analytics on the reference data set (`lianzhang demo`, 1,000,000 enterprises unless
# BENCH_ENTERPRISES says otherwise; the data set bench/policy.sh generates and keeps): the
# diagnosis of every chain, the clusters' progress, the overview and the masters evaluation
# through the CLI (goal: each under 1 s), then the overview route of a server on
# loopback, p99 once warm (goal: under 50 ms; bench/analysis.mjs). The data set is copied and the
# copy opened once read-write first, outside the timing (a file of an older schema is upgraded
# then). Wall times move with whatever else the machine runs; the CPU times beside them do not.
# Environment: BUILD (default build), BENCH_ENTERPRISES, BENCH_YEAR (2023), BENCH_ROUNDS (200),
# BENCH_MASTERS_CHAIN (a chain code, or all; default the largest chain).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_ENTERPRISES:-1000000}
YEAR=${BENCH_YEAR:-2023}
ROUNDS=${BENCH_ROUNDS:-200}
DATE=$((YEAR + 1))-06-30
LZ=${BUILD:-build}/lianzhang
for tool in node curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "analysis: $tool is missing (make deps)"; exit 1; }
done
DATA=bench/out/policy/demo-$N.db
OUT=bench/out/analysis
mkdir -p "$OUT" "$(dirname "$DATA")"
[ -f "$DATA" ] || "$LZ" demo "$DATA" --enterprises "$N" --seed 1 > /dev/null
SPID=
cleanup() {
  [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
  rm -f "$OUT"/run.db*
}
trap cleanup EXIT
cp "$DATA" "$OUT/run.db"
sync # the copy's write-back would otherwise be timed with the runs
PW=$(node -e "import('$PWD/tests/api/password.mjs').then((m) => console.log(m.strongPassword()))")
printf '%s\n' "$PW" | "$LZ" user add "$OUT/run.db" bench --role admin --password-stdin > /dev/null # upgrades, outside the timing

# timed FILE NAME GOAL_S COMMAND...: runs it with its output to $OUT/FILE, prints wall and CPU.
timed() {
  local file=$1 name=$2 goal=$3
  shift 3
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" > "$OUT/$file"
  read -r wall user sys rss < "$OUT/time.txt"
  awk -v name="$name" -v goal="$goal" -v wall="$wall" -v user="$user" -v sys="$sys" -v rss="$rss" -v n="$N" 'BEGIN {
    printf "analysis: %d enterprises, %-36s %6.2f s (goal < %s s; CPU %.2f s user + %.2f s system), peak RSS %.0f MiB%s\n",
      n, name ":", wall, goal, user, sys, rss / 1024, (wall > goal ? "  OVER" : "")
  }'
}
DB="$OUT/run.db"
timed diagnosis.json "diagnosis of every chain" 1 "$LZ" chain diagnose "$DB" --year "$YEAR" --format json
timed progress.json "clusters progress" 1 "$LZ" clusters progress "$DB" --year "$YEAR" --format json
timed overview.json "overview (CLI)" 1 "$LZ" overview "$DB" --year "$YEAR" --date "$DATE"
# The evaluation lists the first 100 of each chain and whoever holds a place (docs/analysis.md);
# BENCH_MASTERS_CHAIN=all evaluates every chain, by default the largest chain alone.
MC=${BENCH_MASTERS_CHAIN:-$(sqlite3 "$DB" "SELECT chain FROM memberships GROUP BY chain ORDER BY count(*) DESC, chain LIMIT 1")}
if [ "$MC" = all ]; then
  timed masters.json "masters evaluate, every chain" 1 "$LZ" masters evaluate "$DB" --year "$YEAR" --format json
else
  timed masters.json "masters evaluate, chain $MC" 1 "$LZ" masters evaluate "$DB" --year "$YEAR" --chain "$MC" --format json
fi
echo "analysis: masters evaluate wrote $(wc -c < "$OUT/masters.json") bytes of JSON"

"$LZ" serve "$DB" --listen 127.0.0.1:0 --access-log none > "$OUT/serve.out" 2> "$OUT/serve.err" &
SPID=$!
for _ in $(seq 1 100); do grep -q http "$OUT/serve.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$OUT/serve.out")
COOKIE=
for _ in $(seq 1 30); do # the first start's escalation sweep may hold the write lock a moment
  curl -s -D "$OUT/login.h" -o "$OUT/login.json" -H 'Content-Type: application/json' -d "{\"name\":\"bench\",\"password\":\"$PW\"}" "$URL/api/v1/session"
  COOKIE=$(sed -n 's/^Set-Cookie: \([^;]*\).*/\1/ip' "$OUT/login.h")
  [ -n "$COOKIE" ] && break
  sleep 1
done
[ -n "$COOKIE" ] || { echo "analysis: cannot sign in: $(cat "$OUT/login.json")"; cat "$OUT/serve.err"; exit 1; }
node bench/analysis.mjs "$URL" "$COOKIE" "$YEAR" "$DATE" "$ROUNDS" 50
