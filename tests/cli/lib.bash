# Shared helpers for the CLI tests: each check prints "ok - NAME" or "not ok - NAME" (with the
# command's output when it fails), and the script exits non-zero if any check failed.
# Expects $LZ (the binary); every script gets its own temporary directory $T, removed at exit.
set -u
: "${LZ:?set LZ to the lianzhang binary}"
T=$(mktemp -d)
trap 'stop_server; rm -rf "$T"' EXIT
FIX="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/fixtures"
TABLE_ORDER="divisions clusters chains segments enterprises memberships indicators supply_links projects persons events targets platforms appeals"
_failed=0

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; shift; [ $# -gt 0 ] && printf '    %s\n' "$@"; _failed=1; }

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR and the exit code in $RC.
run() {
  "$@" > "$T/.out" 2> "$T/.err"
  RC=$?
  OUT=$(cat "$T/.out")
  ERR=$(cat "$T/.err")
}

# expect_exit CODE NAME CMD...
expect_exit() {
  local code=$1 name=$2
  shift 2
  run "$@"
  if [ "$RC" -eq "$code" ]; then pass "$name"; else fail "$name" "exit $RC, expected $code" "stdout: $OUT" "stderr: $ERR"; fi
}

# expect_in HAYSTACK NEEDLE NAME: the text contains the needle (fixed string).
expect_in() {
  if printf '%s' "$1" | grep -qF -- "$2"; then pass "$3"; else fail "$3" "expected to find: $2" "in: $(printf '%s' "$1" | head -20)"; fi
}

# expect_not_in HAYSTACK NEEDLE NAME: the text does not contain the needle.
expect_not_in() {
  if printf '%s' "$1" | grep -qF -- "$2"; then fail "$3" "did not expect: $2" "in: $(printf '%s' "$1" | head -20)"; else pass "$3"; fi
}

expect_eq() {
  if [ "$1" = "$2" ]; then pass "$3"; else fail "$3" "got:      $1" "expected: $2"; fi
}

# load_good DB: a database with every table of the good fixture set.
load_good() {
  "$LZ" init "$1" > /dev/null || return 1
  for t in $TABLE_ORDER; do "$LZ" import "$1" "$t" "$FIX/good/$t.csv" > /dev/null || return 1; done
}

# dump DB: every table as CSV, for comparing databases.
dump() {
  for t in $TABLE_ORDER; do echo "## $t"; "$LZ" export "$1" "$t"; done
}

# without_names: the CSV on stdin without the name columns that exports and awards put beside codes
# (policy_name, department, enterprise_name, *_name), for checks of codes and amounts alone.
without_names() {
  /usr/bin/python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
keep = [i for i, h in enumerate(rows[0] if rows else []) if h not in ("policy_name", "department") and not h.endswith("_name")]
w = csv.writer(sys.stdout, lineterminator="\n")
for r in rows:
    w.writerow([r[i] for i in keep if i < len(r)])'
}

finish() { exit $_failed; }

# serve_bg DB ARGS...: starts `lianzhang serve DB` on a free loopback port with ARGS in the
# background (its pid in PID, its output in $T/serve.out and $T/serve.err) and waits for the URL
# it prints (URL; empty when it never printed one). stop_server ends it; so does the script's exit.
PID= URL=
serve_bg() {
  "$LZ" serve "$1" --listen 127.0.0.1:0 --access-log none "${@:2}" > "$T/serve.out" 2> "$T/serve.err" &
  PID=$!
  URL=
  for _ in $(seq 1 100); do
    URL=$(grep -o 'https\?://[0-9.:]*' "$T/serve.out" 2> /dev/null || true)
    [ -n "$URL" ] && break
    kill -0 "$PID" 2> /dev/null || break
    sleep 0.1
  done
}
stop_server() { [ -n "$PID" ] && kill -TERM "$PID" 2> /dev/null && wait "$PID"; PID=; }

# db_sql DB SQL: the rows of SQL (portable SQL: no SQLite-only functions) on the test's database,
# as sqlite3 prints them, '|' between columns. On PostgreSQL, where $LZ is tests/pg/lianzhang-on-pg
# and the file stands for a database of its own (tests/pg/cli.sh), that database's.
db_sql() {
  if [ -n "${LZ_REAL:-}" ]; then "$LZ" --sql "$1" "$2"; else sqlite3 "$1" "$2"; fi
}

# load_policy_fixtures DB: a database of the tables in tests/policy/fixtures, the small data set
# on which the reference rules' boundary cases are judged (see tests/cli/policy.sh).
POLICY_FIX="$(cd "$(dirname "${BASH_SOURCE[0]}")/../policy/fixtures" && pwd)"
load_policy_fixtures() {
  "$LZ" init "$1" > /dev/null || return 1
  for t in divisions enterprises indicators projects persons events; do
    "$LZ" import "$1" "$t" "$POLICY_FIX/$t.csv" > /dev/null || return 1
  done
}
