#!/usr/bin/env bash
# `make test-pg`: starts a throwaway PostgreSQL 15 cluster (scripts/pg-cluster.sh), runs the
# PostgreSQL tests against it with its connection string in LZ_PG_CONNINFO, and stops and removes
# the cluster however they end: the schema test (C), `lianzhang migrate` (migrate.sh), every
# command side by side on SQLite and PostgreSQL (parity.sh), a server across a restart of the
# database server (reconnect.sh), the CLI suite with its databases on the cluster (cli.sh; six
# scripts about what only a SQLite file has stay on SQLite), and the whole API suite on a
# PostgreSQL database (tests/api/run.sh with LZ_API_DATABASE; its own servers get databases of
# their own).
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/lz-pg.XXXXXX)
log=$(mktemp)
# stop refuses a folder it did not mark: one that start never got to is only an empty folder
trap '"$ROOT/scripts/pg-cluster.sh" stop "$dir" 2>/dev/null || rmdir "$dir"; rm -f "$log"' EXIT
trap 'exit 130' INT TERM # a signal ends the run through the EXIT trap too
LZ_PG_CONNINFO=$("$ROOT/scripts/pg-cluster.sh" start "$dir")
LZ_PG_CLUSTER=$dir # for the suites that restart the server
export LZ_PG_CONNINFO LZ_PG_CLUSTER LZ_ROOT="$ROOT"
echo "== PostgreSQL tests ($BUILD) on $LZ_PG_CONNINFO"
passed=0 failed=0 checks=0 failures=0
suite() { # NAME CMD...: runs one suite, counting it and its checks ("ok" and "not ok" lines)
  echo "== $1"
  shift
  if CMOCKA_MESSAGE_OUTPUT=TAP "$@" 2>&1 | tee "$log"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  checks=$((checks + $(grep -cE '^ok( [0-9]+)? - ' "$log" || true)))
  failures=$((failures + $(grep -cE '^not ok( [0-9]+)? - ' "$log" || true)))
}
suite "schema (test_pg_schema)" "$ROOT/$BUILD/tests-pg/test_pg_schema"
suite "the store's PostgreSQL backend (test_pg_store)" "$ROOT/$BUILD/tests-pg/test_pg_store"
suite "lianzhang migrate (migrate.sh)" env LZ="$ROOT/$BUILD/lianzhang" bash "$ROOT/tests/pg/migrate.sh"
suite "every command on both backends (parity.sh)" env LZ="$ROOT/$BUILD/lianzhang" bash "$ROOT/tests/pg/parity.sh"
suite "a server outlives a restart of PostgreSQL (reconnect.sh)" env LZ="$ROOT/$BUILD/lianzhang" bash "$ROOT/tests/pg/reconnect.sh"
suite "the CLI suite on PostgreSQL (cli.sh)" env LZ="$ROOT/$BUILD/lianzhang" LZ_BUILD="$ROOT/$BUILD" bash "$ROOT/tests/pg/cli.sh"
"${PG_BINDIR:-/usr/lib/postgresql/15/bin}/psql" -X -q -v ON_ERROR_STOP=1 "$LZ_PG_CONNINFO dbname=postgres" -c "CREATE DATABASE api"
suite "the API suite on PostgreSQL (tests/api/run.sh)" env LZ_API_DATABASE="$LZ_PG_CONNINFO dbname=api" "$ROOT/tests/api/run.sh" "$BUILD"
echo "suites: $passed passed, $failed failed; checks: $checks passed, $failures failed"
[ "$failed" -eq 0 ]
