#!/usr/bin/env bash
# Runs every test layer against one build directory and prints one closing line that CI reads:
#   N passed, N failed
# Layers: C unit tests (cmocka), CLI tests (tests/cli/*.sh, each printing "ok - NAME" or
# "not ok - NAME" per check), API tests (tests/api/run.sh), browser tests (tests/web/run.sh: Chromium
# against a server on a demo database).
set -uo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export LZ="$ROOT/$BUILD/lianzhang" LZ_ROOT="$ROOT" LZ_BUILD="$ROOT/$BUILD"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
OUT="$ROOT/tests/out/$BUILD"
rm -rf "$OUT" && mkdir -p "$OUT"
passed=0 failed=0 failures=()

count_tap() { # file: adds its ok / not ok lines to the totals
  local p f
  p=$(grep -c '^ok - ' "$1" || true)
  f=$(grep -c '^not ok - ' "$1" || true)
  passed=$((passed + p)); failed=$((failed + f))
  grep '^not ok - ' "$1" | sed "s|^|  $(basename "$1" .log): |" >> "$OUT/failures.txt" || true
}

echo "== unit tests ($BUILD)"
for t in "$ROOT/$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  log="$OUT/$name.log"
  # cmocka's TAP output: one "ok N - name" / "not ok N - name" per test.
  if CMOCKA_MESSAGE_OUTPUT=TAP "$t" > "$log" 2>&1; then rc=0; else rc=$?; fi
  p=$(grep -cE '^ok [0-9]+ - ' "$log" || true)
  f=$(grep -cE '^not ok [0-9]+ - ' "$log" || true)
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed or sanitizer abort
  passed=$((passed + p)); failed=$((failed + f))
  printf '  %-32s %3d passed, %d failed\n' "$name" "$p" "$f"
  [ "$f" -eq 0 ] || { failures+=("$name"); tail -30 "$log"; }
done

echo "== CLI tests"
for t in "$ROOT"/tests/cli/*.sh; do
  [ -f "$t" ] || continue
  name=$(basename "$t" .sh)
  log="$OUT/cli-$name.log"
  if bash "$t" > "$log" 2>&1; then rc=0; else rc=$?; fi
  before=$failed
  count_tap "$log"
  p=$(grep -c '^ok - ' "$log" || true)
  if [ "$rc" -ne 0 ] && [ "$failed" -eq "$before" ]; then failed=$((failed + 1)); echo "not ok - $name exited $rc" >> "$log"; fi
  printf '  %-32s %3d passed, %d failed\n' "$name" "$p" "$((failed - before))"
  [ "$failed" -eq "$before" ] || { failures+=("cli/$name"); grep -B2 -A8 '^not ok' "$log" | head -60; tail -15 "$log"; }
done

for layer in api web; do
  runner="$ROOT/tests/$layer/run.sh"
  [ -x "$runner" ] || continue
  echo "== $layer tests"
  log="$OUT/$layer.log"
  if "$runner" "$BUILD" > "$log" 2>&1; then rc=0; else rc=$?; fi
  before=$failed
  count_tap "$log"
  p=$(grep -c '^ok - ' "$log" || true)
  if [ "$rc" -ne 0 ] && [ "$failed" -eq "$before" ]; then failed=$((failed + 1)); fi
  printf '  %-32s %3d passed, %d failed\n' "$layer" "$p" "$((failed - before))"
  [ "$failed" -eq "$before" ] || { failures+=("$layer"); tail -40 "$log"; }
done

if [ ${#failures[@]} -gt 0 ]; then echo "failing: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
