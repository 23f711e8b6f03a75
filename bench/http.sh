#!/usr/bin/env bash
# HTTP throughput: wrk on loopback against two API endpoints of the reference data set — a read
# (one enterprise with its indicators and memberships) and a list (100 enterprises) — each side by
# side with nginx serving the very same response bytes as a static file. Prints requests/s,
# latency percentiles, errors, the server's memory before and after, and the ratio to nginx.
# Goal: at least half of nginx's requests/s, p99 under 10 ms, no errors, no memory growth.
# Then the read again through nginx in front of two servers on one PostgreSQL 15 database (a
# throwaway cluster, scripts/pg-cluster.sh, holding a copy of the data by `lianzhang migrate`).
# Environment: BUILD (default build), BENCH_ENTERPRISES (default 10000), BENCH_SECONDS (default 10),
# BENCH_CONNECTIONS (default 64).
set -euo pipefail
cd "$(dirname "$0")/.."
LZ=${BUILD:-build}/lianzhang
N=${BENCH_ENTERPRISES:-10000}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=$(nproc)
for tool in wrk nginx python3 curl; do
  command -v "$tool" >/dev/null || { echo "http bench: $tool is missing (make deps)"; exit 1; }
done
T=$(mktemp -d)
PGDIR=$(mktemp -d /tmp/lz-pg-http.XXXXXX)
SPID= NPID= PPIDS=
cleanup() {
  [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
  [ -n "$NPID" ] && kill -QUIT "$NPID" 2>/dev/null
  for p in $PPIDS; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  [ -f "$T/proxy/nginx.pid" ] && kill -QUIT "$(cat "$T/proxy/nginx.pid")" 2>/dev/null
  scripts/pg-cluster.sh stop "$PGDIR" 2>/dev/null || rmdir "$PGDIR"
  rm -rf "$T"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

"$LZ" demo "$T/bench.db" --enterprises "$N" --seed 1 > /dev/null 2>&1
PW=$(node -e "import('$PWD/tests/api/password.mjs').then((m) => console.log(m.strongPassword()))")
printf '%s\n' "$PW" | "$LZ" user add "$T/bench.db" bench --role admin --password-stdin > /dev/null
"$LZ" serve "$T/bench.db" --listen 127.0.0.1:0 --threads "$THREADS" --access-log none > "$T/serve.out" 2> "$T/serve.err" &
SPID=$!
for _ in $(seq 1 100); do grep -q http "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$T/serve.out")
COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"password\":\"$PW\"}" "$URL/api/v1/session" | sed -n 's/^Set-Cookie: \([^;]*\).*/\1/ip')
USCC=$(sqlite3 "$T/bench.db" "SELECT uscc FROM indicators GROUP BY uscc ORDER BY count(*) DESC, uscc LIMIT 1")
READ="/api/v1/enterprises/$USCC"
LIST="/api/v1/enterprises?limit=100"

# nginx serves the same bytes from files, on the same machine, with as many workers as CPUs.
mkdir -p "$T/www" "$T/nginx"
chmod 755 "$T" # nginx workers run as an unprivileged user when started by root
curl -sf -H "Cookie: $COOKIE" "$URL$READ" > "$T/www/read.json"
curl -sf -H "Cookie: $COOKIE" "$URL$LIST" > "$T/www/list.json"
# nginx_conf DIR PORT CONFIG: an nginx configuration in DIR (its pid, logs and temporary files
# there too) listening on PORT with CONFIG inside its server block; prints the file's path.
# UPSTREAM, when set, is an upstream block of the http block.
nginx_conf() {
  cat > "$1/nginx.conf" <<CONF
worker_processes $THREADS;
pid $1/nginx.pid;
error_log $1/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $1; proxy_temp_path $1; fastcgi_temp_path $1;
  uwsgi_temp_path $1; scgi_temp_path $1;
  ${UPSTREAM:-}
  server {
    listen 127.0.0.1:$2;
    $3
  }
}
CONF
  echo "$1/nginx.conf"
}
NPORT=$(free_port)
conf=$(nginx_conf "$T/nginx" "$NPORT" "root $T/www; default_type application/json;")
nginx -p "$T/nginx" -c "$conf" -g 'daemon off;' 2> "$T/nginx/stderr" &
NPID=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NPORT/read.json" > /dev/null && break; sleep 0.1; done

# run NAME URL [header]: prints "rps p50 p90 p99 errors" from wrk's --latency report.
run() {
  local out
  if [ $# -gt 2 ]; then out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency -H "$3" "$2")
  else out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency "$2"); fi
  echo "$out" > "$T/wrk-$1.txt"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) } /^ +90%/ { p90 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /Non-2xx/ { err += $NF } /Socket errors/ { gsub(/[^0-9 ]/, " "); err += $1 + $2 + $3 + $4 }
    END { printf "%.0f %.3f %.3f %.3f %d\n", rps, p50, p90, p99, err }' "$T/wrk-$1.txt"
}

echo "http: $N enterprises, wrk $THREADS threads x $CONNS connections x ${SECS}s, $(nproc) CPUs, loopback"
printf 'http: %-34s %10s %9s %9s %9s %7s\n' endpoint "req/s" "p50 ms" "p90 ms" "p99 ms" errors
rss0=$(rss_kib "$SPID")
for what in read list; do
  path=$READ; [ "$what" = list ] && path=$LIST
  run warm "$URL$path" "Cookie: $COOKIE" > /dev/null # warm caches and connections first
  read -r lr l50 l90 l99 le < <(run "lz-$what" "$URL$path" "Cookie: $COOKIE")
  read -r nr n50 n90 n99 ne < <(run "nginx-$what" "http://127.0.0.1:$NPORT/$what.json")
  printf 'http: %-34s %10s %9s %9s %9s %7s\n' "lianzhang $what ($(wc -c < "$T/www/$what.json") bytes)" "$lr" "$l50" "$l90" "$l99" "$le"
  printf 'http: %-34s %10s %9s %9s %9s %7s\n' "nginx static, same bytes" "$nr" "$n50" "$n90" "$n99" "$ne"
  awk -v a="$lr" -v b="$nr" -v p="$l99" -v e="$le" -v w="$what" 'BEGIN {
    printf "http: %s: lianzhang/nginx = %.2f (goal >= 0.50), p99 %.2f ms (goal < 10), %d errors\n", w, a / b, p, e }'
done
rss1=$(rss_kib "$SPID")
run again "$URL$READ" "Cookie: $COOKIE" > /dev/null
rss2=$(rss_kib "$SPID")
echo "http: server RSS ${rss0} KiB before, ${rss1} KiB after the runs, ${rss2} KiB after one more run (growth $((rss2 - rss1)) KiB)"

# ---- the read through nginx in front of two servers on one PostgreSQL database ---------------------
PG=$(scripts/pg-cluster.sh start "$PGDIR")
"$LZ" migrate "$T/bench.db" "$PG" > /dev/null
ups=
for _ in 1 2; do
  "$LZ" serve "$PG" --listen 127.0.0.1:0 --threads "$THREADS" --access-log none > "$T/pg-serve.out" 2>> "$T/pg-serve.err" &
  PPIDS="$PPIDS $!"
  for _ in $(seq 1 100); do grep -q http "$T/pg-serve.out" 2>/dev/null && break; sleep 0.1; done
  ups="$ups server $(grep -o '127.0.0.1:[0-9]*' "$T/pg-serve.out");"
  : > "$T/pg-serve.out"
done
mkdir -p "$T/proxy"
PPORT=$(free_port)
conf=$(UPSTREAM="upstream lianzhang { $ups keepalive 64; }" nginx_conf "$T/proxy" "$PPORT" \
  'location / { proxy_pass http://lianzhang; proxy_http_version 1.1; proxy_set_header Connection ""; }')
nginx -p "$T/proxy" -c "$conf" 2> "$T/proxy/stderr"
PURL="http://127.0.0.1:$PPORT"
for _ in $(seq 1 50); do curl -sf "$PURL/healthz" > /dev/null && break; sleep 0.1; done
PCOOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"password\":\"$PW\"}" "$PURL/api/v1/session" | sed -n 's/^Set-Cookie: \([^;]*\).*/\1/ip')
run warm "$PURL$READ" "Cookie: $PCOOKIE" > /dev/null
read -r pr p50 p90 p99 pe < <(run "pg-read" "$PURL$READ" "Cookie: $PCOOKIE")
read -r nr n50 n90 n99 ne < <(run "nginx-read-again" "http://127.0.0.1:$NPORT/read.json")
printf 'http: %-34s %10s %9s %9s %9s %7s\n' "read, 2 servers on PostgreSQL" "$pr" "$p50" "$p90" "$p99" "$pe"
printf 'http: %-34s %10s %9s %9s %9s %7s\n' "nginx static, same bytes" "$nr" "$n50" "$n90" "$n99" "$ne"
awk -v a="$pr" -v b="$nr" -v p="$p99" -v e="$pe" 'BEGIN {
  printf "http: read through nginx to two servers on PostgreSQL / nginx static = %.2f, p99 %.2f ms, %d errors\n", a / b, p, e }'
