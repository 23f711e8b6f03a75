#!/usr/bin/env bash
# The CLI suite on PostgreSQL (make test-pg): every script of tests/cli/ run as `make test` runs
# it, with $LZ standing for a lianzhang that puts each database file the script names on the test
# cluster, a database of its own (tests/pg/lianzhang-on-pg), and lib.bash's db_sql looking inside
# that database. A new script runs on both backends. These stay on SQLite (`make test`), for what
# only a file has; parity.sh runs their commands on both backends:
#   audit, report, data  copy the database file with cp to damage or compare a copy
#   backup               SQLite's online backup (PostgreSQL's is pg_dump)
#   nul_bytes            writes NUL bytes into stored text, which PostgreSQL's text cannot hold
#   policy               upgrades a SQLite file of schema version 5 written by hand
# Environment: LZ (the binary), LZ_PG_CONNINFO (the cluster), LZ_ROOT.
set -uo pipefail
: "${LZ:?the lianzhang binary}" "${LZ_PG_CONNINFO:?the test cluster}"
ROOT=${LZ_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SQLITE_ONLY=" audit report data backup nul_bytes policy "
failed=0
for script in "$ROOT"/tests/cli/*.sh; do
  name=$(basename "$script" .sh)
  [[ "$SQLITE_ONLY" == *" $name "* ]] && continue
  echo "# tests/cli/$name.sh on PostgreSQL"
  LZ_REAL=$LZ LZ="$ROOT/tests/pg/lianzhang-on-pg" bash "$script" || { failed=1; echo "not ok - $name exited non-zero"; }
done
exit $failed
