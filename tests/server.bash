# Shared steps of the test runners that drive a real server (tests/api/run.sh, tests/web/run.sh),
# sourced with BUILD set: ROOT, LZ and a temporary folder T (removed at exit, after the server
# started with serve_start is stopped).
#   npm_tools DIR: `npm ci` in DIR when its node_modules is missing or older than the lock file;
#     non-zero with npm's log on stdout when that fails.
#   serve_start OUT ERR ARGS...: starts `lianzhang serve ARGS...` (PID) and waits for the URL it
#     prints (url); non-zero when it does not come.
#   test_files DIR: the *.test.mjs files to run, those named in $TESTS when it is set.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LZ="$ROOT/$BUILD/lianzhang"
T=$(mktemp -d)
PID=
server_cleanup() {
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$T"
}
trap server_cleanup EXIT

npm_tools() {
  [ -f "$1/node_modules/.package-lock.json" ] && [ ! "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ] && return 0
  (cd "$1" && npm ci --no-audit --no-fund) > "$T/npm.log" 2>&1 && return 0
  tail -20 "$T/npm.log"
  return 1
}

serve_start() {
  local out=$1 err=$2
  shift 2
  "$LZ" serve "$@" > "$out" 2> "$err" &
  PID=$!
  url=
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://[0-9.:]*/' "$out" 2>/dev/null || true)
    [ -n "$url" ] && return 0
    kill -0 "$PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

test_files() {
  if [ -n "${TESTS:-}" ]; then for n in $TESTS; do echo "$1/$n.test.mjs"; done; else echo "$1"/*.test.mjs; fi
}
