#!/usr/bin/env bash
# `make test-pg`: starts a throwaway PostgreSQL 15 cluster (scripts/pg-cluster.sh), runs the
# PostgreSQL tests against it with its connection string in LZ_PG_CONNINFO, and stops and removes
# the cluster however they end. Today that is the schema test only: there is no PostgreSQL driver
# yet, so the CLI and API suites do not run here.
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
"$ROOT/$BUILD/tests-pg/test_pg_schema"
