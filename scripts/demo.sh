#!/usr/bin/env bash
# `make demo`: a fresh demo.db with the Jiangmen reference data, one account per role with a
# random password (printed once), then the server on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
LZ=build/lianzhang
DB=${DEMO_DB:-demo.db}
LISTEN=${DEMO_LISTEN:-127.0.0.1:8080}
rm -f "$DB" "$DB-wal" "$DB-shm"
"$LZ" init "$DB"
"$LZ" demo "$DB" --enterprises "${DEMO_ENTERPRISES:-3000}" --seed "${DEMO_SEED:-1}"
"$LZ" check "$DB"
if "$LZ" --help | grep -q '^  user '; then
  echo
  echo "Demo accounts (shown once; passwords are random):"
  "$LZ" user demo-accounts "$DB"
fi
echo
echo "Try:"
echo "  $LZ export $DB enterprises --format xlsx -o enterprises.xlsx"
echo "  $LZ check $DB"
if "$LZ" --help | grep -q '^  awards '; then
  echo "  $LZ awards $DB --year 2023"
fi
if "$LZ" --help | grep -q '^  serve '; then
  echo
  echo "Serving on http://$LISTEN/ (Ctrl-C stops)"
  exec "$LZ" serve "$DB" --listen "$LISTEN"
fi
