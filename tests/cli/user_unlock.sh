#!/usr/bin/env bash
# lianzhang user unlock: lifts the sign-in throttle of an account (audited); an unknown account is
# bad input.
source "$(dirname "$0")/lib.bash"
DB="$T/db"
"$LZ" init "$DB" >/dev/null
printf 'long enough pw\n' | "$LZ" user add "$DB" alice --role admin --password-stdin >/dev/null
db_sql "$DB" "INSERT INTO login_throttle (key, failures, first_failure) VALUES ('account:alice', 9, $(date +%s))" > /dev/null ||
  fail "seed a throttle"

run "$LZ" user unlock "$DB" alice
expect_eq "$RC" 0 "unlock an account"
expect_in "$OUT" "alice unlocked" "says so"
expect_eq "$(db_sql "$DB" "SELECT count(*) FROM login_throttle WHERE key = 'account:alice'")" "0" "its throttle is gone"
run "$LZ" audit list "$DB" --target accounts/alice --limit 1
expect_in "$OUT" "user unlock" "the unlock is in the audit log"
run "$LZ" user unlock "$DB" nobody
expect_eq "$RC" 1 "an unknown account is bad input"
expect_in "$ERR" "nobody" "naming it"
finish
