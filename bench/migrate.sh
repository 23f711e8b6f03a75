#!/usr/bin/env bash
# `lianzhang migrate` on the reference data set (1,000,000 enterprises unless BENCH_ENTERPRISES
# says otherwise): the SQLite file to a throwaway PostgreSQL 15 cluster (scripts/pg-cluster.sh)
# and back to a new SQLite file, with the wall time, CPU and peak memory of each way, then proof
# that nothing was lost at this size: every table's export the same both sides, the audit chain
# verifying against the file's head. Environment: BUILD (default build), BENCH_ENTERPRISES.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_ENTERPRISES:-1000000}
LZ=${BUILD:-build}/lianzhang
NAME=migrate
. bench/reference.bash
reference_copy bench
dir=$(mktemp -d /tmp/lz-pg-bench.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$dir" 2>/dev/null || rmdir "$dir"; reference_cleanup' EXIT
PG=$(scripts/pg-cluster.sh start "$dir")
BACK="$OUT/back.db"
rm -f "$BACK"

# timed NAME COMMAND...: runs it and prints its wall, CPU and peak RSS.
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" > "$OUT/out.txt"
  read -r wall user sys rss < "$OUT/time.txt"
  printf 'migrate: %d enterprises, %-22s %7.2f s (CPU %.2f s user + %.2f s system), peak RSS %.0f MiB\n' \
    "$N" "$name:" "$wall" "$user" "$sys" "$((rss / 1024))"
}
timed "SQLite -> PostgreSQL" "$LZ" migrate "$OUT/run.db" "$PG"
timed "PostgreSQL -> SQLite" "$LZ" migrate "$PG" "$BACK"
head=$("$LZ" audit head "$OUT/run.db")
"$LZ" audit verify "$BACK" --head "$head" > /dev/null
tables=$(sqlite3 "$OUT/run.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN
  ('divisions','clusters','chains','segments','enterprises','memberships','indicators','supply_links','projects',
   'persons','events','targets','platforms','appeals') ORDER BY name")
differ=0
for t in $tables; do
  a=$("$LZ" export "$OUT/run.db" "$t" --format csv --no-bom | md5sum)
  b=$("$LZ" export "$BACK" "$t" --format csv --no-bom | md5sum)
  [ "$a" = "$b" ] || { echo "migrate: $t differs after the round trip"; differ=1; }
done
rows=$(sqlite3 "$OUT/run.db" "SELECT (SELECT count(*) FROM enterprises) + (SELECT count(*) FROM indicators)
  + (SELECT count(*) FROM supply_links) + (SELECT count(*) FROM memberships)")
echo "migrate: round trip of $rows rows in the four largest tables: every data table's export the same: $([ $differ = 0 ] && echo yes || echo NO), audit chain verifies against $head"
rm -f "$BACK"
[ "$differ" = 0 ]
