#!/usr/bin/env bash
# Import speed: 1,000,000 indicator rows through `lianzhang import` (every field validated, every
# reference checked, all in one transaction) side by side with the sqlite3 shell's bare `.import`
# of the same CSV into a table without constraints. Prints rows/s for both and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_ROWS:-1000000}
LZ=build/lianzhang
OUT=bench/out/import
rm -rf "$OUT" && mkdir -p "$OUT"
awk -v N="$N" -v DIR="$OUT" -f bench/gen_indicators.awk
"$LZ" init "$OUT/lz.db" > /dev/null
"$LZ" import "$OUT/lz.db" divisions "$OUT/divisions.csv" > /dev/null
t0=$(date +%s.%N)
"$LZ" import "$OUT/lz.db" enterprises "$OUT/enterprises.csv" > /dev/null
t1=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$OUT/rss.txt" "$LZ" import "$OUT/lz.db" indicators "$OUT/indicators.csv" > /dev/null
t2=$(date +%s.%N)
sqlite3 "$OUT/bare.db" "PRAGMA journal_mode=WAL;" > /dev/null
t3=$(date +%s.%N)
sqlite3 "$OUT/bare.db" ".import --csv $OUT/indicators.csv indicators"
t4=$(date +%s.%N)
awk -v n="$N" -v e="$(echo "$t1 - $t0" | bc)" -v l="$(echo "$t2 - $t1" | bc)" -v s="$(echo "$t4 - $t3" | bc)" -v rss="$(cat "$OUT/rss.txt")" 'BEGIN {
  printf "import: %d enterprises          %6.2f s  %9.0f rows/s (lianzhang import)\n", n, e, n / e
  printf "import: %d indicator rows       %6.2f s  %9.0f rows/s (lianzhang import, peak RSS %.0f MiB)\n", n, l, n / l, rss / 1024
  printf "import: %d indicator rows       %6.2f s  %9.0f rows/s (sqlite3 .import into a bare table)\n", n, s, n / s
  printf "import: ratio lianzhang / bare  %6.2fx (goal: within 2x)\n", l / s
}'
rm -rf "$OUT"
