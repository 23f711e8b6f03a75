#!/usr/bin/env bash
# `make bench`: every benchmark of the project, each printing its own figures.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in import policy lists analysis migrate postgres http web soak; do
  if [ -x "bench/$b.sh" ]; then
    echo "== $b"
    "bench/$b.sh"
  fi
done
