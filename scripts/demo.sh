#!/usr/bin/env bash
# `make demo`: a fresh demo.db with the Jiangmen reference data (appeals dated up to today, or
# DEMO_TODAY), the official working-day calendar, the 2023 awards in the ledger, one account per
# role and a second bureau account with random passwords (printed once), a walk-through of a
# four-eyes approval with curl, then the server on loopback.
# Environment: DEMO_DB, DEMO_LISTEN, DEMO_ENTERPRISES, DEMO_SEED, DEMO_TODAY (YYYY-MM-DD), DEMO_BIN (the binary).
set -euo pipefail
cd "$(dirname "$0")/.."
LZ=${DEMO_BIN:-build/lianzhang}
DB=${DEMO_DB:-demo.db}
LISTEN=${DEMO_LISTEN:-127.0.0.1:8080}
rm -f "$DB" "$DB-wal" "$DB-shm"
"$LZ" demo "$DB" --enterprises "${DEMO_ENTERPRISES:-3000}" --seed "${DEMO_SEED:-1}" ${DEMO_TODAY:+--today "$DEMO_TODAY"}
"$LZ" calendar load "$DB" data/calendar/*.csv > /dev/null
"$LZ" awards "$DB" --year 2023 --record --format csv > /dev/null
"$LZ" check "$DB"
echo
ACCOUNTS=$("$LZ" user demo-accounts "$DB")
printf '%s\n' "$ACCOUNTS"
password() { printf '%s\n' "$ACCOUNTS" | awk -v name="$1" '$1 == name { print $NF }'; }
cat <<TXT

Four eyes, in another terminal: demo-bureau reviews one of its 2023 awards, demo-bureau-2 approves it.
  API=http://$LISTEN/api/v1
  # 1. sign in as demo-bureau; keep its session cookie and CSRF token
  T1=\$(curl -s -c b1.txt -H 'Content-Type: application/json' -d '{"name":"demo-bureau","password":"$(password demo-bureau)"}' \$API/session | sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p')
  # 2. the first award of the bureau's policies still as computed
  ID=\$(curl -s -b b1.txt "\$API/awards?year=2023&status=computed&limit=1" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
  # 3. demo-bureau reviews it
  curl -s -b b1.txt -H "X-CSRF-Token: \$T1" -H 'Content-Type: application/json' -d '{"to":"reviewed"}' \$API/awards/\$ID/transition
  # 4. its reviewer cannot approve it too (403); demo-bureau-2 signs in and approves it
  curl -s -b b1.txt -H "X-CSRF-Token: \$T1" -H 'Content-Type: application/json' -d '{"to":"approved"}' \$API/awards/\$ID/transition
  T2=\$(curl -s -c b2.txt -H 'Content-Type: application/json' -d '{"name":"demo-bureau-2","password":"$(password demo-bureau-2)"}' \$API/session | sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p')
  curl -s -b b2.txt -H "X-CSRF-Token: \$T2" -H 'Content-Type: application/json' -d '{"to":"approved"}' \$API/awards/\$ID/transition
  # 5. who did what, in order
  curl -s -b b2.txt \$API/awards/\$ID/history

Also:
  $LZ explain $DB --year 2023 --enterprise USCC    # why an award, clause by clause
  $LZ calendar due $DB 2026-09-30 5                # appeal deadlines count the official working days

Serving the browser UI on http://$LISTEN/ and the API on http://$LISTEN/api/v1 (Ctrl-C stops).
TXT
exec "$LZ" serve "$DB" --listen "$LISTEN"
