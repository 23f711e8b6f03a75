#!/usr/bin/env bash
# A server outlives a restart of its PostgreSQL (run by tests/pg/run.sh, which passes the
# cluster's folder in LZ_PG_CLUSTER): the restart ends every connection of the server's workers;
# the next request makes its connection again and is answered, signed-in sessions hold (they live
# in the database), a write goes through, and a command-line run meets no stale connection.
source "$(dirname "$0")/../cli/lib.bash"
: "${LZ_PG_CONNINFO:?run by tests/pg/run.sh}" "${LZ_PG_CLUSTER:?run by tests/pg/run.sh}"
PSQL=${PG_BINDIR:-/usr/lib/postgresql/15/bin}/psql
CLUSTER="$LZ_ROOT/scripts/pg-cluster.sh"

"$PSQL" -X -q -v ON_ERROR_STOP=1 "$LZ_PG_CONNINFO dbname=postgres" -c "CREATE DATABASE reconnect" > /dev/null
DB="$LZ_PG_CONNINFO dbname=reconnect"
"$LZ" demo "$DB" --enterprises 100 --today 2025-06-30 > /dev/null || fail "the reference city loads"
echo 'Quartz-Lantern-4471' | "$LZ" user add "$DB" official --role admin --password-stdin > /dev/null ||
  fail "an account is made"

serve_bg "$DB"
[ -n "$URL" ] && pass "the server starts on PostgreSQL" || fail "the server starts on PostgreSQL" "$(cat "$T/serve.err")"

JAR="$T/cookies" CSRF=
# status METHOD PATH [BODY]: the HTTP status of a request with the session's cookie and CSRF token
status() {
  curl -s -o "$T/body" -w '%{http_code}' -b "$JAR" -c "$JAR" -X "$1" -H 'Content-Type: application/json' \
    ${CSRF:+-H "X-CSRF-Token: $CSRF"} ${3:+--data "$3"} "$URL$2"
}
expect_eq "$(status POST /api/v1/session '{"name":"official","password":"Quartz-Lantern-4471"}')" 200 "signed in"
CSRF=$(/usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf"])' < "$T/body")
# each request a few times: every worker's connection meets the restart
reads() { for _ in 1 2 3 4; do status GET "/api/v1/enterprises?limit=5"; echo; done | sort -u; }
expect_eq "$(reads)" 200 "a signed-in list before the restart"

"$CLUSTER" restart "$LZ_PG_CLUSTER" || fail "the database server restarts"
expect_eq "$(status GET /healthz)" 200 "health after the restart: the connection is made again"
expect_eq "$(reads)" 200 "the same list after the restart, in the same session"
expect_eq "$(status PUT /api/v1/session/lang '{"lang":"en"}')" 200 "a write after the restart"
expect_eq "$(status GET /api/v1/session)" 200 "the session still holds"
expect_in "$(cat "$T/body")" '"lang":"en"' "and says what was written"
run "$LZ" audit verify "$DB"
expect_eq "$RC" 0 "the audit chain verifies after it"
kill -0 "$PID" 2> /dev/null && pass "the server still runs" || fail "the server still runs" "$(tail -5 "$T/serve.err")"
finish
