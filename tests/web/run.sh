#!/usr/bin/env bash
# Browser tests: playwright-core drives Debian's chromium (headless) against `lianzhang serve` on
# a loopback port and a fresh demo database (the Jiangmen reference data, 2023 awards recorded,
# one account per role). Prints "ok - NAME" / "not ok - NAME" per test (the runner's TAP lines)
# and "# ..." lines with the cockpit's transfer size and first render time. Screenshots of every
# page in every language go to tests/out/BUILD/web/.
# The npm tools here (package.json) are installed with `npm ci` when missing or older than the lock.
# Usage: tests/web/run.sh BUILDDIR   (LZ_WEB_TESTS="pages" runs those files only)
set -uo pipefail
BUILD=${1:-build}
. "$(dirname "$0")/../server.bash"
HERE="$ROOT/tests/web"
OUT="$ROOT/tests/out/$BUILD/web"
notok() { echo "not ok - $1"; shift; [ $# -gt 0 ] && printf '    %s\n' "$@"; exit 1; }

[ -x /usr/bin/chromium ] || notok "chromium is installed (scripts/deps.sh)"
log=$(npm_tools "$HERE") || notok "npm ci installs the browser test tools" "$log"

DB="$T/web.db"
"$LZ" demo "$DB" --enterprises 3000 --seed 1 > /dev/null || notok "demo database"
"$LZ" calendar load "$DB" "$ROOT"/data/calendar/*.csv > /dev/null || notok "calendar"
"$LZ" awards "$DB" --year 2023 --record --format csv --dir "$ROOT/policies/jiangmen" > /dev/null || notok "2023 awards"
# demo-accounts prints "NAME ROLE [SCOPE] password: PW" per account, passwords new every run.
"$LZ" user demo-accounts "$DB" | awk '
  BEGIN { printf "{" } $NF != "" && $(NF-1) == "password:" {
    scope = (NF == 5) ? $3 : ""; printf "%s\"%s\": {\"role\": \"%s\", \"scope\": \"%s\", \"password\": \"%s\"}", sep, $1, $2, scope, $NF; sep = ", " }
  END { print "}" }' > "$T/accounts.json"
grep -q demo-enterprise "$T/accounts.json" || notok "demo accounts" "$(cat "$T/accounts.json")"

serve_start "$T/serve.out" "$T/serve.err" "$DB" --listen 127.0.0.1:0 --access-log none --policies "$ROOT/policies/jiangmen" ||
  notok "server starts" "$(cat "$T/serve.err")"
echo "ok - server starts on a fresh demo database"

mkdir -p "$OUT"
export LZ_WEB_URL="${url%/}" LZ_WEB_ACCOUNTS="$T/accounts.json" LZ_WEB_OUT="$OUT"
# The first-render budget is for a release server; under ASan or coverage it is measured, not held to.
case "$BUILD" in *san* | *cov*) export LZ_WEB_UNTIMED=1 ;; esac
failed=0
for f in $(TESTS=${LZ_WEB_TESTS:-} test_files "$HERE"); do
  node --test-reporter="$ROOT/tests/api/reporter.mjs" --test-concurrency=1 "$f" || failed=1
done
[ "$failed" -eq 0 ] || { echo "# server log (tail):"; tail -20 "$T/serve.err" | sed 's/^/#   /'; }
kill -TERM "$PID"
if wait "$PID"; then echo "ok - server stops cleanly after the browser tests"; else echo "not ok - server stops cleanly"; failed=1; fi
PID=
exit $failed
