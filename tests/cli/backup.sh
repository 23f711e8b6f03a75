#!/usr/bin/env bash
# lianzhang backup: the copy holds every table's rows and the audit log as they were, verifies
# against the head it prints, is taken while another process writes (one consistent moment, the
# writer not stopped), never overwrites a file, and leaves no half copy under the name.
source "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }
printf 'long enough pw\n' | "$LZ" user add "$DB" alice --role admin --password-stdin >/dev/null

exports() { # DB: every table's rows as CSV, one after another
  for t in $TABLE_ORDER; do "$LZ" export "$1" "$t" --format csv --no-bom; done
}

expect_exit 0 "backup copies the database" "$LZ" backup "$DB" "$T/copy.db"
expect_in "$OUT" "$T/copy.db: schema version" "it names the copy and its schema version"
head=$(printf '%s' "$OUT" | grep -o '[0-9a-f]\{64\}')
expect_eq "$head" "$("$LZ" audit head "$DB")" "the audit head it prints is the source's"
expect_eq "$(exports "$T/copy.db" | md5sum)" "$(exports "$DB" | md5sum)" "every table's export is the same"
expect_exit 0 "the copy's audit log verifies against the printed head" "$LZ" audit verify "$T/copy.db" --head "$head"
expect_exit 0 "the copy is consistent" "$LZ" check "$T/copy.db"
if [ ! -e "$T/copy.db.partial" ]; then pass "no partial file is left"; else fail "no partial file is left"; fi

expect_exit 1 "an existing file is never overwritten" "$LZ" backup "$DB" "$T/copy.db"
expect_in "$ERR" "$T/copy.db: already exists" "and the refusal names it"
expect_exit 1 "a missing database is named" "$LZ" backup "$T/none.db" "$T/other.db"
expect_in "$ERR" "$T/none.db: no such database" "the missing source is named"
if [ ! -e "$T/other.db" ] && [ ! -e "$T/other.db.partial" ]; then pass "a failed backup leaves no file"; else fail "a failed backup leaves no file"; fi
expect_exit 1 "a folder that does not exist is refused" "$LZ" backup "$DB" "$T/no/such/dir/copy.db"
expect_in "$ERR" "cannot create the copy (does its folder exist" "and the refusal says why"
expect_exit 2 "backup takes two arguments" "$LZ" backup "$DB"

# While a writer adds accounts (each with its audit entry) in a loop, the copy is one moment:
# its audit log verifies and every account in it has its audit entry.
( for i in $(seq 1 40); do printf 'long enough pw\n' | "$LZ" user add "$DB" "w$i" --role admin --password-stdin >/dev/null || exit 1; done ) &
writer=$!
sleep 0.2
expect_exit 0 "backup while another process writes" "$LZ" backup "$DB" "$T/live.db"
wait "$writer" && pass "the writer was not stopped by the backup" || fail "the writer was not stopped by the backup"
expect_exit 0 "the copy taken under writes verifies" "$LZ" audit verify "$T/live.db"
accounts=$(sqlite3 "$T/live.db" "SELECT count(*) FROM accounts")
logged=$(sqlite3 "$T/live.db" "SELECT count(*) FROM audit_log WHERE target LIKE 'accounts/%' AND before IS NULL")
expect_eq "$accounts" "$logged" "every account in the copy has its audit entry (one moment)"
finish
