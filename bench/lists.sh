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
for tool in node curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "lists: $tool is missing (make deps)"; exit 1; }
done
DATA=bench/out/policy/demo-$N.db
OUT=bench/out/lists
mkdir -p "$OUT" "$(dirname "$DATA")"
[ -f "$DATA" ] || "$LZ" demo "$DATA" --enterprises "$N" --seed 1 > /dev/null
SPID=
cleanup() {
  [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
  rm -f "$OUT"/run.db*
}
trap cleanup EXIT
cp "$DATA" "$OUT/run.db"
sync
PW=$(node -e "import('$PWD/tests/api/password.mjs').then((m) => console.log(m.strongPassword()))")
t0=$(date +%s.%N)
printf '%s\n' "$PW" | "$LZ" user add "$OUT/run.db" lists --role admin --password-stdin > /dev/null
echo "lists: $N enterprises; opening the copy (schema upgrade from version $(sqlite3 "$DATA" 'PRAGMA user_version') if older) and adding an account: $(echo "$(date +%s.%N) - $t0" | bc) s"
"$LZ" serve "$OUT/run.db" --listen 127.0.0.1:0 --access-log none > "$OUT/serve.out" 2> "$OUT/serve.err" &
SPID=$!
for _ in $(seq 1 100); do grep -q http "$OUT/serve.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$OUT/serve.out")
COOKIE=
for _ in $(seq 1 30); do # the first start's escalation sweep may hold the write lock a moment
  curl -s -D "$OUT/login.h" -o "$OUT/login.json" -H 'Content-Type: application/json' -d "{\"name\":\"lists\",\"password\":\"$PW\"}" "$URL/api/v1/session"
  COOKIE=$(sed -n 's/^Set-Cookie: \([^;]*\).*/\1/ip' "$OUT/login.h")
  [ -n "$COOKIE" ] && break
  sleep 1
done
[ -n "$COOKIE" ] || { echo "lists: cannot sign in: $(cat "$OUT/login.json")"; cat "$OUT/serve.err"; exit 1; }
node bench/lists.mjs "$URL" "$COOKIE" "$(sqlite3 "$OUT/run.db" "SELECT group_concat(code) FROM divisions")" "$ROUNDS" 50
