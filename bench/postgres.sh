#!/usr/bin/env bash
# The same work on SQLite and on PostgreSQL 15 (a throwaway cluster, scripts/pg-cluster.sh, fsync
# off): every award of a year of the reference data set (1,000,000 enterprises unless
# BENCH_ENTERPRISES says otherwise), CSV, on the file and on a copy of it in PostgreSQL (made by
# `lianzhang migrate`, not timed here: bench/migrate.sh times it), with the two outputs compared
# byte for byte; then an import of BENCH_IMPORT_ROWS enterprises (default 100,000) into an empty
# PostgreSQL database against a bare COPY of the same CSV into a table of the same columns, with
# and without the indexes of the enterprises table.
# Environment: BUILD (default build), BENCH_ENTERPRISES, BENCH_IMPORT_ROWS.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_ENTERPRISES:-1000000}
ROWS=${BENCH_IMPORT_ROWS:-100000}
LZ=${BUILD:-build}/lianzhang
NAME=postgres
PSQL=${PG_BINDIR:-/usr/lib/postgresql/15/bin}/psql
. bench/reference.bash
reference_copy bench
dir=$(mktemp -d /tmp/lz-pg-bench.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$dir" 2>/dev/null || rmdir "$dir"; reference_cleanup' EXIT
PG=$(scripts/pg-cluster.sh start "$dir")
export LIANZHANG_POLICIES=$PWD/policies/jiangmen
pg() { "$PSQL" -X -q -v ON_ERROR_STOP=1 "$PG dbname=$1" "${@:2}"; }
pg postgres -c "CREATE DATABASE city" -c "CREATE DATABASE imports"
"$LZ" migrate "$OUT/run.db" "$PG dbname=city" > /dev/null
pg city -c "VACUUM ANALYZE" # as a DBA would after a bulk load: the planner's statistics

# timed LABEL COMMAND...: runs it, prints its wall time, CPU and peak RSS, keeps the wall in $WALL.
timed() {
  local label=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" > /dev/null
  read -r WALL user sys rss < "$OUT/time.txt"
  printf 'postgres: %-44s %7.2f s (CPU %.2f s user + %.2f s system), peak RSS %.0f MiB\n' \
    "$label:" "$WALL" "$user" "$sys" "$((rss / 1024))"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

timed "awards of 2024, $N enterprises, SQLite" "$LZ" awards "$OUT/run.db" --year 2024 --format csv -o "$OUT/sqlite.csv"
lite=$WALL
timed "awards of 2024, $N enterprises, PostgreSQL" "$LZ" awards "$PG dbname=city" --year 2024 --format csv -o "$OUT/pg.csv"
same=$(cmp -s "$OUT/sqlite.csv" "$OUT/pg.csv" && echo yes || echo NO)
echo "postgres: awards on PostgreSQL / on SQLite: $(ratio "$WALL" "$lite")x (goal: at most 2x); the same CSV: $same"

"$LZ" export "$OUT/run.db" enterprises --format csv --no-bom -o "$OUT/all.csv"
head -n $((ROWS + 1)) "$OUT/all.csv" > "$OUT/enterprises.csv"
"$LZ" init "$PG dbname=imports" > /dev/null
"$LZ" export "$OUT/run.db" divisions --format csv --no-bom -o "$OUT/divisions.csv"
"$LZ" import "$PG dbname=imports" divisions "$OUT/divisions.csv" > /dev/null
timed "import of $ROWS enterprises" "$LZ" import "$PG dbname=imports" enterprises "$OUT/enterprises.csv"
imported=$WALL
# The bare COPY: the same CSV into a table of the same columns, every one text (no value is
# checked or converted), once without indexes (COPY's parsing and storing alone) and once with
# the indexes the enterprises table has, which any load of these rows must maintain.
cols=$(head -1 "$OUT/enterprises.csv" | sed 's/,/ text COLLATE "C", /g; s/$/ text COLLATE "C"/')
copy_into() { echo "\\copy $1 FROM '$OUT/enterprises.csv' WITH (FORMAT csv, HEADER)"; }
pg imports -c "CREATE TABLE bare ($cols)" -c "CREATE TABLE bare_indexed ($cols)"
pg imports -At -c "SELECT replace(replace(indexdef, 'ON public.enterprises', 'ON public.bare_indexed'), 'INDEX enterprises', 'INDEX bare')
                     FROM pg_indexes WHERE tablename = 'enterprises'" | sed 's/$/;/' | pg imports
timed "bare COPY of the same CSV, no index" "$PSQL" -X -q -v ON_ERROR_STOP=1 "$PG dbname=imports" -c "$(copy_into bare)"
unindexed=$WALL
timed "bare COPY of the same CSV, the same indexes" "$PSQL" -X -q -v ON_ERROR_STOP=1 "$PG dbname=imports" \
  -c "$(copy_into bare_indexed)"
echo "postgres: import / bare COPY without indexes: $(ratio "$imported" "$unindexed")x"
echo "postgres: import / bare COPY with the same indexes: $(ratio "$imported" "$WALL")x (goal: at most 2x)"
rm -f "$OUT"/*.csv
[ "$same" = yes ]
