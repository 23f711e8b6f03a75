#!/usr/bin/env bash
# The browser UI's cockpit: its compressed transfer size and first render time on the demo city,
# measured in Chromium by the browser test that asserts them (goals: under 500 KB, under 1.5 s).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
out=$(LZ_WEB_TESTS=figures tests/web/run.sh "$BUILD" 2>&1) || { printf '%s\n' "$out" | grep -E '^not ok|^    ' >&2 || true; }
printf '%s\n' "$out" | grep '^# cockpit:' | sed 's/^# //' || { echo "web: no measurement (see tests/web/run.sh)" >&2; exit 1; }
