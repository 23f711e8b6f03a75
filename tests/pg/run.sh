#!/usr/bin/env bash
# `make test-pg`: starts a throwaway PostgreSQL 15 cluster (scripts/pg-cluster.sh), runs the
# PostgreSQL tests against it with its connection string in LZ_PG_CONNINFO, and stops and removes
# the cluster however they end: the schema test (C) and `lianzhang migrate` (migrate.sh, the
# program itself). No other command runs on PostgreSQL, so the CLI and API suites do not run here.
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/lz-pg.XXXXXX)
# stop refuses a folder it did not mark: one that start never got to is only an empty folder
trap '"$ROOT/scripts/pg-cluster.sh" stop "$dir" 2>/dev/null || rmdir "$dir"' EXIT
trap 'exit 130' INT TERM # a signal ends the run through the EXIT trap too
LZ_PG_CONNINFO=$("$ROOT/scripts/pg-cluster.sh" start "$dir")
export LZ_PG_CONNINFO LZ_ROOT="$ROOT"
echo "== PostgreSQL tests ($BUILD) on $LZ_PG_CONNINFO"
passed=0 failed=0
suite() { # NAME CMD...: runs one suite, counting it
  echo "== $1"
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
suite "schema (test_pg_schema)" "$ROOT/$BUILD/tests-pg/test_pg_schema"
suite "lianzhang migrate (migrate.sh)" env LZ="$ROOT/$BUILD/lianzhang" bash "$ROOT/tests/pg/migrate.sh"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
