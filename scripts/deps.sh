#!/usr/bin/env bash
# Installs the Debian 12 packages Lianzhang builds, tests and benchmarks with.
# As root it installs what is missing; otherwise it prints the exact apt-get line to run.
# --check: the same, but quiet when nothing is missing.
set -euo pipefail
packages=(
  build-essential pkg-config clang libclang-rt-14-dev
  libsqlite3-dev sqlite3 libjansson-dev libmicrohttpd-dev libsodium-dev
  libxlsxwriter-dev libzip-dev libexpat1-dev libpwquality-dev cracklib-runtime libcmocka-dev
  curl openssl jq python3 python3-openpyxl nodejs chromium fonts-noto-cjk gcovr man-db
  wrk hyperfine nginx-light
  postgresql-15 libpq-dev
)
# nginx-light fronts two servers in tests/api/servers.test.mjs and serves the static side of
# bench/http.sh. postgresql-15 and libpq-dev serve `make test-pg` (a throwaway cluster, scripts/pg-cluster.sh); Debian
# also creates its own main cluster when it installs the server, which nothing here uses.
missing=()
# nodejs brings npm with it where it comes from NodeSource; Debian splits npm out.
command -v npm >/dev/null 2>&1 || packages+=(npm)
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  [ "${1:-}" = --check ] || echo "deps: all ${#packages[@]} packages present"
  exit 0
fi
line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing packages; run as root:" >&2
  echo "  apt-get update && $line" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
