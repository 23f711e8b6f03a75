#!/usr/bin/env bash
# Soak: the server under a long mixed load while thousands of idle connections sit on it.
# 200 connections of wrk make reads and writes as one signed-in official (bench/soak.lua) for
# SOAK_SECONDS, while bench/soak_idle.mjs holds 5,000 idle connections from 25 other loopback
# addresses (the server's header and idle timeouts are lifted past the run so that they stay
# open: what is measured is the cost of holding them; one the server closes anyway is reopened).
# Checks: no 5xx answer and no socket error, the server's RSS at the end within 10% of its RSS
# at the end of the warm-up (the first tenth, at least 30 s: SQLite's page caches and the answer
# caches fill first), /healthz answering within a second during the load, and the audit log
# verifying afterwards. Prints its figures; exits 1 when a check fails.
# Environment: BUILD (default build), SOAK_SECONDS (default 600), SOAK_WARMUP (seconds),
# SOAK_ENTERPRISES (default 50000), SOAK_IDLE (default 5000), SOAK_CONNECTIONS (default 200),
# SOAK_WRITES (percent of requests, default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
LZ=${BUILD:-build}/lianzhang
SECS=${SOAK_SECONDS:-600}
N=${SOAK_ENTERPRISES:-50000}
IDLE=${SOAK_IDLE:-5000}
CONNS=${SOAK_CONNECTIONS:-200}
PER_ADDRESS=200
WARM=${SOAK_WARMUP:-$((SECS / 10 > 30 ? SECS / 10 : 30))}
for tool in wrk node curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is missing (make deps)"; exit 1; }
done
ulimit -n "$(ulimit -Hn)" # every connection is a file, on both sides
need=$((IDLE + CONNS + 256))
[ "$(ulimit -n)" -ge "$need" ] || { echo "soak: needs $need open files, ulimit -n allows $(ulimit -n)"; exit 1; }
T=$(mktemp -d)
SPID= IPID=
cleanup() {
  [ -n "$IPID" ] && kill "$IPID" 2>/dev/null
  [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

"$LZ" demo "$T/soak.db" --enterprises "$N" --seed 3 > /dev/null 2>&1
PW=$(node -e "import('$PWD/tests/api/password.mjs').then((m) => console.log(m.strongPassword()))")
printf '%s\n' "$PW" | "$LZ" user add "$T/soak.db" soak --role admin --password-stdin > /dev/null
"$LZ" serve "$T/soak.db" --listen 127.0.0.1:0 --access-log none --max-connections $((IDLE + CONNS + 100)) \
  --max-per-address $((CONNS + PER_ADDRESS)) --header-timeout $((SECS + 60)) --idle-timeout $((SECS + 60)) > "$T/serve.out" 2> "$T/serve.err" &
SPID=$!
for _ in $(seq 1 100); do grep -q http "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$T/serve.out")
PORT=${URL##*:}
curl -s -D "$T/login.h" -o "$T/login.json" -H 'Content-Type: application/json' \
  -d "{\"name\":\"soak\",\"password\":\"$PW\"}" "$URL/api/v1/session"
export SOAK_COOKIE SOAK_CSRF SOAK_USCCS SOAK_DIVISIONS SOAK_WRITES=${SOAK_WRITES:-10}
SOAK_COOKIE=$(sed -n 's/^Set-Cookie: \([^;]*\).*/\1/ip' "$T/login.h")
SOAK_CSRF=$(sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' "$T/login.json")
SOAK_USCCS=$(sqlite3 "$T/soak.db" "SELECT group_concat(uscc) FROM (SELECT uscc FROM enterprises ORDER BY uscc LIMIT 500)")
SOAK_DIVISIONS=$(sqlite3 "$T/soak.db" "SELECT group_concat(code) FROM divisions")
[ -n "$SOAK_COOKIE" ] && [ -n "$SOAK_CSRF" ] || { echo "soak: cannot sign in"; cat "$T/serve.err"; exit 1; }

# SQLite keeps up to 32 MiB of pages per worker connection: filled by the load alone, the page
# caches would grow with the database (every write adds an audit entry) for minutes, bounded but
# not flat. Reading whole tables through several connections first brings them to their bound,
# so the warm-up ends with the server's memory where it stays (the database is larger than that).
warmers=()
for _ in 1 2 3 4; do
  curl -s -o /dev/null -H "Cookie: $SOAK_COOKIE" "$URL/api/v1/export/indicators?format=csv" &
  warmers+=($!)
done
wait "${warmers[@]}"

echo "soak: ${SECS}s, $N enterprises, $CONNS connections (${SOAK_WRITES}% writes) + $IDLE idle, warm-up ${WARM}s, $(nproc) CPUs"
node bench/soak_idle.mjs "$PORT" "$IDLE" "$PER_ADDRESS" 10 "$((SECS + 5))" > "$T/idle.out" &
IPID=$!
sleep 5
wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 5s -s bench/soak.lua "$URL" > "$T/wrk.out" 2>&1 &
WPID=$!
sleep "$WARM"
rss_warm=$(rss_kib "$SPID")
health_worst=0 rss_trace=$rss_warm
for _ in $(seq 1 $(((SECS - WARM) / 10))); do
  sleep 10
  ms=$(curl -s -o /dev/null -m 5 --interface 127.0.0.5 -w '%{time_total}' "$URL/healthz" | awk '{printf "%d", $1 * 1000}')
  [ "$ms" -gt "$health_worst" ] && health_worst=$ms
  rss_trace="$rss_trace $(rss_kib "$SPID")"
done
wait "$WPID"
rss_end=$(rss_kib "$SPID")
wait "$IPID"
IPID=
fivexx=$(sed -n 's/^soak: 2xx .* 5xx \([0-9]*\)$/\1/p' "$T/wrk.out")
sockerr=$(sed -n 's/.*, \([0-9]*\) socket errors$/\1/p' "$T/wrk.out")
grep -E '^soak:|Requests/sec' "$T/wrk.out" | sed 's/^Requests/soak: requests/'
cat "$T/idle.out"
growth=$(awk -v a="$rss_warm" -v b="$rss_end" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
echo "soak: server RSS ${rss_warm} KiB after warm-up, ${rss_end} KiB at the end (${growth}%); /healthz worst ${health_worst} ms"
echo "soak: server RSS every 10 s after warm-up (KiB): $rss_trace"
kill -TERM "$SPID"
wait "$SPID" || { echo "soak: the server did not stop cleanly"; exit 1; }
SPID=
verify=$("$LZ" audit verify "$T/soak.db") || { echo "soak: FAIL audit log: $verify"; exit 1; }
echo "soak: $verify"
fail=0
[ "${fivexx:-x}" = 0 ] || { echo "soak: FAIL ${fivexx:-unknown} answers were 5xx"; fail=1; }
[ "${sockerr:-x}" = 0 ] || { echo "soak: FAIL ${sockerr:-unknown} socket errors"; fail=1; }
awk -v g="$growth" 'BEGIN { exit !(g < 10 && g > -10) }' || { echo "soak: FAIL RSS moved ${growth}% (limit 10%)"; fail=1; }
[ "$health_worst" -lt 1000 ] || { echo "soak: FAIL /healthz took ${health_worst} ms"; fail=1; }
[ "$fail" = 0 ] && echo "soak: ok"
exit $fail
