#!/usr/bin/env bash
# `make demo`: a fresh demo.db with the Jiangmen reference data, one account per role with a
# random password (printed once), then the server on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
LZ=build/lianzhang
DB=${DEMO_DB:-demo.db}
LISTEN=${DEMO_LISTEN:-127.0.0.1:8080}
rm -f "$DB" "$DB-wal" "$DB-shm"
"$LZ" demo "$DB" --enterprises "${DEMO_ENTERPRISES:-3000}" --seed "${DEMO_SEED:-1}"
"$LZ" check "$DB"
echo
"$LZ" user demo-accounts "$DB"
cat <<TXT

Try, in another terminal:
  $LZ awards $DB --year 2023                       # every award of 2023, to the fen
  $LZ explain $DB --year 2023 --enterprise USCC    # why, clause by clause (USCC: e.g. demo-enterprise's)
  $LZ export $DB enterprises --format xlsx -o enterprises.xlsx
  curl -s http://$LISTEN/healthz

Serving the API on http://$LISTEN/api/v1 (Ctrl-C stops).
TXT
exec "$LZ" serve "$DB" --listen "$LISTEN"
