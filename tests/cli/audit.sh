#!/usr/bin/env bash
# lianzhang audit verify|head: an intact log verifies; an edited, removed or reordered entry is
# found; a log cut back before a kept head hash is caught with --head.
source "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }
printf 'long enough pw\n' | "$LZ" user add "$DB" alice --role admin --password-stdin >/dev/null

run "$LZ" audit verify "$DB"
expect_eq "$RC" 0 "a fresh log verifies"
expect_in "$OUT" "intact" "and says so"
run "$LZ" audit head "$DB"
head=$OUT
if [[ "$head" =~ ^[0-9a-f]{64}$ ]]; then pass "head prints a SHA-256"; else fail "head prints a SHA-256" "$head"; fi
expect_exit 0 "verify --head with the current head" "$LZ" audit verify "$DB" --head "$head"
printf 'long enough pw\n' | "$LZ" user add "$DB" bob --role admin --password-stdin >/dev/null
expect_exit 0 "a later entry keeps an older head valid" "$LZ" audit verify "$DB" --head "$head"

cp "$DB" "$T/edited.db"
sqlite3 "$T/edited.db" "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2"
run "$LZ" audit verify "$T/edited.db"
expect_eq "$RC" 1 "an edited entry fails verification"
expect_in "$ERR" "entry 2" "naming the entry"

cp "$DB" "$T/removed.db"
sqlite3 "$T/removed.db" "DELETE FROM audit_log WHERE seq = 2"
expect_exit 1 "a removed entry fails verification" "$LZ" audit verify "$T/removed.db"

cp "$DB" "$T/truncated.db"
last=$(sqlite3 "$T/truncated.db" "SELECT max(seq) FROM audit_log")
sqlite3 "$T/truncated.db" "DELETE FROM audit_log WHERE seq = $last"
newhead=$("$LZ" audit head "$DB")
expect_exit 0 "a truncated log still links up on its own" "$LZ" audit verify "$T/truncated.db"
run "$LZ" audit verify "$T/truncated.db" --head "$newhead"
expect_eq "$RC" 1 "but not against the head kept before the cut"
expect_in "$ERR" "truncated" "and says it was truncated"

expect_exit 2 "a wrong subcommand is a usage error" "$LZ" audit frobnicate "$DB"
finish
