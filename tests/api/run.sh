#!/usr/bin/env bash
# API tests against a real server: creates a temporary database from the CSV fixtures, adds one
# account per role, starts `lianzhang serve` on a free loopback port, runs every *.test.mjs with
# Node's built-in test runner (one "ok - NAME" / "not ok - NAME" line per test), stops the server
# and checks it stopped cleanly (under ASan a leak makes that fail) and that the audit log verifies.
# The npm tools the OpenAPI test uses (package.json here) are installed with `npm ci` when missing
# or older than package-lock.json.
# Usage: tests/api/run.sh BUILDDIR
set -uo pipefail
BUILD=${1:-build}
. "$(dirname "$0")/../server.bash"
HERE="$ROOT/tests/api"
failed=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; [ $# -gt 0 ] && printf '    %s\n' "$@"; failed=1; }

log=$(npm_tools "$HERE") || notok "npm ci installs the API test tools" "$log"

# LZ_API_DATABASE: an empty PostgreSQL database to run on (make test-pg); unset: a SQLite file.
DB=${LZ_API_DATABASE:-$T/api.db}
"$LZ" init "$DB" >/dev/null || { notok "init database"; exit 1; }
for t in divisions clusters chains segments enterprises memberships indicators supply_links projects persons events targets platforms appeals key_enterprises; do
  "$LZ" import "$DB" "$t" "$HERE/fixtures/$t.csv" >/dev/null || { notok "import fixture $t"; exit 1; }
done

# One account per role and scope the tests need; passwords are random for every run.
E1=$(sed -n 's/.*"E1": "\(.*\)".*/\1/p' "$HERE/fixtures/usccs.json")
accounts=(
  "admin admin -"
  "bureau bureau 市工信局"
  "chain chain battery"
  "division division 440703"
  "enterprise enterprise $E1"
  "throttled enterprise $E1"
  "disabled enterprise $E1"
  "reviewer admin -"
  "approver admin -"
)
echo "{" > "$T/accounts.json"
sep=
for a in "${accounts[@]}"; do
  read -r name role scope <<< "$a"
  pw=$(node -e "import('$HERE/password.mjs').then((m) => console.log(m.strongPassword()))")
  scope_arg=()
  [ "$scope" != - ] && scope_arg=(--scope "$scope")
  printf '%s\n' "$pw" | "$LZ" user add "$DB" "$name" --role "$role" "${scope_arg[@]}" --password-stdin >/dev/null \
    || { notok "add account $name"; exit 1; }
  printf '%s "%s": {"password": "%s", "role": "%s", "scope": "%s"}\n' "$sep" "$name" "$pw" "$role" "$scope" >> "$T/accounts.json"
  sep=,
done
echo "}" >> "$T/accounts.json"
"$LZ" user disable "$DB" disabled >/dev/null

serve_start "$T/serve.out" "$T/serve.err" "$DB" --listen 127.0.0.1:0 --access-log "$T/access.log" --policies "$ROOT/policies/jiangmen" ||
  { notok "server starts" "$(cat "$T/serve.err")"; exit 1; }
ok "server starts and prints its URL"

export LZ LZ_API_URL="${url%/}" LZ_API_DB="$DB" LZ_API_ACCOUNTS="$T/accounts.json" LZ_API_FIXTURES="$HERE/fixtures"
# LZ_API_TESTS="openapi awards" runs those files only (a developer loop); unset: every file.
for f in $(TESTS=${LZ_API_TESTS:-} test_files "$HERE"); do
  node --test-reporter="$HERE/reporter.mjs" "$f" || failed=1
done

lines=$(wc -l < "$T/access.log")
if [ "$lines" -gt 0 ] && head -1 "$T/access.log" | grep -q '"ms":'; then ok "access log has one JSON line per request with latency"; else notok "access log"; fi

[ "$failed" -eq 0 ] || { echo "# server log (tail):"; tail -20 "$T/serve.err" | sed 's/^/#   /'; }
kill -TERM "$PID"
if wait "$PID"; then ok "server stops cleanly on SIGTERM"; else notok "server stops cleanly on SIGTERM" "$(tail -30 "$T/serve.err")"; fi
PID=
# HTTPS with --tls-cert/--tls-key: a throwaway self-signed certificate.
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 -subj /CN=127.0.0.1 2>/dev/null
  "$LZ" serve "$DB" --listen 127.0.0.1:0 --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" --access-log none \
    --policies "$ROOT/policies/jiangmen" > "$T/tls.out" 2> "$T/tls.err" &
  PID=$!
  for _ in $(seq 1 100); do grep -q https "$T/tls.out" 2>/dev/null && break; sleep 0.1; done
  turl=$(grep -o 'https://[0-9.:]*' "$T/tls.out" || true)
  admin_pw=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).admin.password)' "$T/accounts.json")
  cookie=$(curl -sk -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"name\":\"admin\",\"password\":\"$admin_pw\"}" "$turl/api/v1/session" | grep -i '^set-cookie' || true)
  if curl -skf "$turl/healthz" | grep -q '"ok"'; then ok "serves HTTPS with --tls-cert and --tls-key"; else notok "serves HTTPS"; fi
  if printf '%s' "$cookie" | grep -q 'Secure'; then ok "the session cookie is Secure under TLS"; else notok "Secure cookie under TLS" "$cookie"; fi
  kill -TERM "$PID"; wait "$PID"; PID=
fi
# Behind a reverse proxy: the client's address and scheme come from the proxy's headers.
"$LZ" serve "$DB" --listen 127.0.0.1:0 --behind-proxy --access-log "$T/proxy.log" > "$T/proxy.out" 2> "$T/proxy.err" &
PID=$!
for _ in $(seq 1 100); do grep -q http "$T/proxy.out" 2>/dev/null && break; sleep 0.1; done
purl=$(grep -o 'http://[0-9.:]*' "$T/proxy.out" || true)
login() { # address password [name] -> status, with the Set-Cookie header in $T/h
  curl -s -D "$T/h" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H "X-Forwarded-For: 203.0.113.9, $1" \
    -H 'X-Forwarded-Proto: https' -d "{\"name\":\"${3:-admin}\",\"password\":\"$2\"}" "$purl/api/v1/session"
}
admin_pw=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).admin.password)' "$T/accounts.json")
if [ "$(login 10.0.0.1 "$admin_pw")" = 200 ] && grep -qi 'set-cookie:.*Secure' "$T/h"; then
  ok "behind a proxy, X-Forwarded-Proto: https makes the cookie Secure"; else notok "proxy scheme"; fi
for i in $(seq 1 20); do login 10.0.0.1 wrong-password-x "ghost$i" > /dev/null; done # 20 names: no account limit
a=$(login 10.0.0.1 "$admin_pw"); b=$(login 10.0.0.2 "$admin_pw")
if [ "$a" = 429 ] && [ "$b" = 200 ]; then ok "behind a proxy, sign-ins are throttled per forwarded client address"
else notok "per-address throttle behind a proxy" "10.0.0.1: $a, 10.0.0.2: $b"; fi
kill -TERM "$PID"; wait "$PID"; PID= # the log line is written when a request completes: read it after the stop
if grep -q '"addr":"10.0.0.2"' "$T/proxy.log"; then ok "the access log records the forwarded address"; else notok "forwarded address in the log"; fi

if "$LZ" audit verify "$DB" >/dev/null; then ok "audit log of the whole run verifies"; else notok "audit log of the whole run verifies"; fi
exit $failed
