#!/usr/bin/env bash
# lianzhang migrate against a real PostgreSQL (run by tests/pg/run.sh, which starts the cluster and
# passes its connection string in LZ_PG_CONNINFO; each check uses a database of its own on it).
# A small city goes SQLite -> PostgreSQL -> SQLite and comes back row for row, value for value and
# type for type, with its audit chain intact; identities move past the highest id; a database that
# holds Lianzhang tables and a file that exists are refused and left as they were; a failure in
# the middle of the copy (a value PostgreSQL refuses, a timestamp that would not come back the
# same) leaves the PostgreSQL database empty; a NUL byte, invalid UTF-8, text in an integer column
# and an impossible date are refused with table, row and column; text with tabs, newlines, other
# control characters, backslashes and '\N', and '' beside NULL, survive both ways.
source "$(dirname "$0")/../cli/lib.bash"
: "${LZ_PG_CONNINFO:?run by tests/pg/run.sh}"
PSQL=${PG_BINDIR:-/usr/lib/postgresql/15/bin}/psql
export LIANZHANG_POLICIES="$LZ_ROOT/policies/jiangmen"

# pg DB SQL...: runs SQL on database DB of the cluster, unaligned, tuples only.
pg() {
  local db=$1
  shift
  "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 "$LZ_PG_CONNINFO dbname=$db" "$@"
}
# newdb NAME: a new empty database; prints its connection string (a later keyword wins in libpq's).
newdb() {
  pg postgres -c "CREATE DATABASE $1" >/dev/null && echo "$LZ_PG_CONNINFO dbname=$1"
}
tables_in() { pg "$1" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"; }
# rows DB: every row of every table as SQLite's .dump writes it (values with their types), sorted.
rows() { sqlite3 "$1" .dump | grep '^INSERT' | sort; }

A="$T/a.db"
"$LZ" demo "$A" --enterprises 300 >/dev/null || { fail "demo"; finish; }
"$LZ" awards "$A" --year 2023 --record >/dev/null || { fail "awards --record"; finish; }
printf 'Quartz-Lantern-4471\n' | "$LZ" user add "$A" ops --role admin --password-stdin >/dev/null || { fail "user add"; finish; }
for t in audit_log awards award_runs accounts; do
  [ "$(sqlite3 "$A" "SELECT count(*) > 0 FROM $t")" = 1 ] || fail "the city has rows in $t"
done
head=$("$LZ" audit head "$A")

# ---- SQLite -> PostgreSQL -> SQLite ---------------------------------------------------------------
M1=$(newdb m1)
expect_exit 0 "a SQLite file migrates to an empty PostgreSQL database" "$LZ" migrate "$A" "$M1"
expect_in "$OUT" "PostgreSQL database m1" "the report names the PostgreSQL database"
expect_in "$OUT" "ending in $head" "and the audit head, the file's"
expect_eq "$(pg m1 -c "SELECT version FROM lianzhang_schema")" "$(sqlite3 "$A" 'PRAGMA user_version')" \
  "the PostgreSQL database records the schema version"
expect_eq "$(pg m1 -c "SELECT count(*) FROM enterprises")" "300" "the rows are in PostgreSQL"
expect_eq "$(pg m1 -c "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM audit_log ORDER BY seq LIMIT 1")" \
  "$(sqlite3 "$A" 'SELECT at FROM audit_log ORDER BY seq LIMIT 1')" "a timestamp is the same instant in PostgreSQL"
for t in audit_log:seq award_runs:id awards:id master_decisions:id; do
  tab=${t%%:*} col=${t#*:}
  expect_eq "$(pg m1 -c "SELECT nextval(pg_get_serial_sequence('$tab', '$col'))")" \
    "$(sqlite3 "$A" "SELECT coalesce(max($col), 0) + 1 FROM $tab")" "the identity of $tab is past its highest id"
done

# The foreign keys were set aside for the copy: all of them are back, deferred where they were.
expect_eq "$(pg m1 -c "SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' WHERE k.contype = 'f'")" \
  "$(sqlite3 "$A" "SELECT count(DISTINCT m.name || '/' || p.id) FROM sqlite_master m, pragma_foreign_key_list(m.name) p
                   WHERE m.type = 'table'")" "every foreign key of SQLite's is in PostgreSQL after the copy"
# The plain indexes were set aside too and built after the copy: every one of the file's is there.
expect_eq "$(pg m1 -c "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
                       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
                       WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)" | LC_ALL=C sort)" \
  "$(sqlite3 "$A" "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL" | LC_ALL=C sort)" \
  "every index of SQLite's is in PostgreSQL after the copy"
expect_eq "$(pg m1 -c "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'text'
                       AND collation_name IS DISTINCT FROM 'C'")" 0 "text compares byte by byte, as in SQLite"
run pg m1 -c "BEGIN" -c "UPDATE memberships SET uscc = '000000000000000000' WHERE ctid = (SELECT ctid FROM memberships LIMIT 1)" \
  -c "SELECT 'accepted until the commit'" -c "COMMIT"
expect_in "$OUT" "accepted until the commit" "a data contract's reference is still checked at commit"
expect_in "$ERR" "violates foreign key constraint \"memberships_uscc_fkey\"" "and still checked"
run pg m1 -c "UPDATE awards SET run_id = -1 WHERE id = (SELECT min(id) FROM awards)" -c "SELECT 'accepted'"
expect_not_in "$OUT" "accepted" "the ledger's reference is still checked at once"
expect_in "$ERR" "violates foreign key constraint" "and refused"

B="$T/b.db"
expect_exit 0 "the PostgreSQL database migrates to a new SQLite file" "$LZ" migrate "$M1" "$B"
expect_in "$OUT" "$B: schema version" "the report names the file"
expect_in "$OUT" "ending in $head" "and the same audit head"
if [ ! -e "$B.partial" ]; then pass "no partial file is left"; else fail "no partial file is left"; fi
exports() { for t in $TABLE_ORDER; do "$LZ" export "$1" "$t" --format csv --no-bom; done; }
expect_eq "$(exports "$B" | md5sum)" "$(exports "$A" | md5sum)" "every table's export is the same"
expect_eq "$(rows "$B" | md5sum)" "$(rows "$A" | md5sum)" "every row of every table, typed, is the same"
# object by object: the copy's indexes are built after its rows, so they stand after the tables
schema() { sqlite3 "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"; }
expect_eq "$(schema "$B" | md5sum)" "$(schema "$A" | md5sum)" "the schema is the same"
expect_exit 0 "the copy's audit log verifies against the file's head" "$LZ" audit verify "$B" --head "$head"
expect_exit 0 "the copy is consistent" "$LZ" check "$B"

# A URL or connection string that leaves the server out: libpq takes it from PG* variables.
newdb m5 >/dev/null
pghost=$(printf '%s' "$LZ_PG_CONNINFO" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
pguser=$(printf '%s' "$LZ_PG_CONNINFO" | sed -n 's/.*user=\([^ ]*\).*/\1/p')
expect_exit 0 "a URL without a host reaches the server PGHOST names" env PGHOST="$pghost" PGUSER="$pguser" "$LZ" migrate "$A" "postgresql:///m5"
expect_in "$OUT" "PostgreSQL database m5 on $pghost" "and says where it went"
expect_exit 0 "and a connection string with only dbname= reads it back" env PGHOST="$pghost" PGUSER="$pguser" "$LZ" migrate "dbname=m5" "$T/f.db"
expect_eq "$(rows "$T/f.db" | md5sum)" "$(rows "$A" | md5sum)" "the same rows"

# ---- refusals that change nothing ---------------------------------------------------------------
before=$(pg m1 -c "SELECT (SELECT count(*) FROM audit_log) || '/' || (SELECT count(*) FROM lianzhang_schema)")
expect_exit 1 "a database with Lianzhang tables is refused" "$LZ" migrate "$A" "$M1"
expect_in "$ERR" "already has Lianzhang tables in schema public: accounts, " "and the refusal names them"
expect_eq "$(pg m1 -c "SELECT (SELECT count(*) FROM audit_log) || '/' || (SELECT count(*) FROM lianzhang_schema)")" "$before" \
  "and nothing was added to it"
M2=$(newdb m2)
pg m2 -c "CREATE TABLE accounts (x int)"
expect_exit 1 "one Lianzhang table of its own is enough to refuse" "$LZ" migrate "$A" "$M2"
expect_in "$ERR" "public: accounts;" "the one table is named"
expect_eq "$(tables_in m2)" "1" "and no table was created"

sum=$(md5sum <"$B")
expect_exit 1 "a SQLite file that exists is never overwritten" "$LZ" migrate "$M1" "$B"
expect_in "$ERR" "$B: already exists" "and the refusal names it"
expect_eq "$(md5sum <"$B")" "$sum" "the file is unchanged"

expect_exit 1 "a bad URL is refused" "$LZ" migrate "$A" "postgresql://u@localhost/db?nosuchoption=1"
expect_in "$ERR" "not a PostgreSQL URL or connection string: invalid URI query parameter: \"nosuchoption\"" "with libpq's reason"
expect_exit 1 "a URL libpq cannot parse is refused" "$LZ" migrate "$A" "postgres://u:secret@[::1/db"
expect_not_in "$ERR" "secret" "without repeating its password"
expect_exit 1 "a server that is not there is refused" "$LZ" migrate "$A" "host=$T/nosocket dbname=x user=y password=secret"
expect_in "$ERR" "cannot connect to PostgreSQL (user=y dbname=x host=$T/nosocket): connection to server on socket" "naming where it looked"
expect_not_in "$ERR" "secret" "without the password"
expect_exit 2 "two SQLite files are a usage error" "$LZ" migrate "$A" "$T/c.db"
expect_in "$ERR" "lianzhang backup copies a file" "pointing at backup"

M3=$(newdb m3)
expect_exit 1 "a database without Lianzhang's schema is not read" "$LZ" migrate "$M3" "$T/none.db"
expect_in "$ERR" "is not a Lianzhang database: schema public has no table lianzhang_schema" "and says why"
if [ ! -e "$T/none.db" ] && [ ! -e "$T/none.db.partial" ]; then pass "no file is left"; else fail "no file is left"; fi
pg m1 -c "UPDATE lianzhang_schema SET version = version + 1"
expect_exit 1 "another schema version is refused" "$LZ" migrate "$M1" "$T/none.db"
expect_in "$ERR" "is at schema version $(($(sqlite3 "$A" 'PRAGMA user_version') + 1)), this binary's is" "naming both versions"
pg m1 -c "UPDATE lianzhang_schema SET version = version - 1"

# ---- a failure in the middle leaves PostgreSQL empty ------------------------------------------------
# appeals is the last of the data contract's tables: thirteen tables are copied when its bad status
# (SQLite has no CHECK on it, PostgreSQL has) stops the COPY.
C="$T/c.db"
cp "$A" "$C"
sqlite3 "$C" "UPDATE appeals SET status = 'bogus' WHERE rowid = (SELECT max(rowid) FROM appeals)"
expect_exit 1 "a value PostgreSQL refuses stops the copy" "$LZ" migrate "$C" "$M3"
expect_in "$ERR" "copying appeals" "the error names the table"
expect_in "$ERR" "nothing was written to PostgreSQL database m3" "and says nothing was written"
expect_eq "$(tables_in m3)" "0" "the database has no table after the failure"
cp "$A" "$C"
id=$(sqlite3 "$C" "SELECT max(id) FROM award_runs")
sqlite3 "$C" "UPDATE award_runs SET run_at = replace(replace(run_at, 'T', ' '), 'Z', '+00') WHERE id = $id"
expect_exit 1 "a timestamp that would not come back the same is refused" "$LZ" migrate "$C" "$M3"
expect_in "$ERR" "award_runs (id=$id), column run_at: '" "naming table, row and column"
expect_eq "$(tables_in m3)" "0" "and the database stays empty"

# What the importer never writes but a file could hold: refused before PostgreSQL sees it.
refused_value() { # NAME SQL NEEDLE: c.db with SQL applied is refused, the message has NEEDLE, m3 stays empty
  cp "$A" "$C"
  sqlite3 "$C" "$2"
  expect_exit 1 "$1 is refused" "$LZ" migrate "$C" "$M3"
  expect_in "$ERR" "$3" "$1: the message names table, row and column"
  expect_eq "$(tables_in m3)" "0" "$1: the database stays empty"
}
uscc=$(sqlite3 "$A" "SELECT uscc FROM enterprises ORDER BY uscc LIMIT 1")
refused_value "a NUL byte in text" "UPDATE enterprises SET name = CAST(X'61006200' AS TEXT) WHERE uscc = '$uscc'" \
  "enterprises (uscc=$uscc), column name: the text holds a NUL byte"
refused_value "invalid UTF-8" "UPDATE enterprises SET name = CAST(X'61FF62' AS TEXT) WHERE uscc = '$uscc'" \
  "enterprises (uscc=$uscc), column name: the text is not valid UTF-8 (byte 2)"
refused_value "text in an integer column" "UPDATE award_runs SET year = 'soon' WHERE id = $id" \
  "award_runs (id=$id), column year: 'soon' is not an integer"
refused_value "a dangling reference" "UPDATE memberships SET uscc = '000000000000000000' WHERE rowid = (SELECT max(rowid) FROM memberships)" \
  "checking every reference: insert or update on table \"memberships\" violates foreign key constraint \"memberships_uscc_fkey\" (Key (uscc)=(000000000000000000) is not present in table \"enterprises\".)"
refused_value "an impossible date" "UPDATE enterprises SET founded = '2023-02-29' WHERE uscc = '$uscc'" \
  "enterprises (uscc=$uscc), column founded: '2023-02-29' is not a date"

# ---- text that COPY must escape, and '' beside NULL, both ways ----------------------------------------
cp "$A" "$C"
sqlite3 "$C" "UPDATE enterprises SET name = 'tab' || char(9) || 'nl' || char(10) || 'cr' || char(13) || char(8, 11, 12) || 'bs\\N\\\\.' || ' 链长 \\', industry_code = '', founded = NULL WHERE uscc = '$uscc'"
M4=$(newdb m4)
expect_exit 0 "text with tabs, newlines, backslashes migrates" "$LZ" migrate "$C" "$M4"
expect_eq "$(pg m4 -c "SELECT name = 'tab' || chr(9) || 'nl' || chr(10) || 'cr' || chr(13) || chr(8) || chr(11) || chr(12) || E'bs\\\\N\\\\\\\\. 链长 \\\\' AND industry_code = '' AND founded IS NULL FROM enterprises WHERE uscc = '$uscc'")" \
  "t" "PostgreSQL holds the same text, '' and NULL"
expect_exit 0 "and back" "$LZ" migrate "$M4" "$T/d.db"
expect_eq "$(rows "$T/d.db" | md5sum)" "$(rows "$C" | md5sum)" "every value came back the same"
# a fraction of a second where Lianzhang writes none cannot be written back without a change
pg m4 -c "UPDATE award_runs SET run_at = run_at + interval '0.5 second' WHERE id = $id"
expect_exit 1 "a timestamp SQLite's text cannot hold is refused" "$LZ" migrate "$M4" "$T/e.db"
expect_in "$ERR" "award_runs (id=$id), column run_at:" "naming table, row and column"
if [ ! -e "$T/e.db" ] && [ ! -e "$T/e.db.partial" ]; then pass "and no file is left"; else fail "and no file is left"; fi
# A reference PostgreSQL no longer checks (its foreign key dropped by hand) is caught on the way
# back, where the copy checks every reference once the rows are in.
pg m4 -c "UPDATE award_runs SET run_at = run_at - interval '0.5 second' WHERE id = $id"
pg m4 -c "ALTER TABLE memberships DROP CONSTRAINT memberships_uscc_fkey" \
  -c "UPDATE memberships SET uscc = '000000000000000001' WHERE (uscc, chain, segment) = (SELECT uscc, chain, segment FROM memberships ORDER BY 1, 2, 3 LIMIT 1)"
expect_exit 1 "a reference to no row is refused on the way back" "$LZ" migrate "$M4" "$T/dangling.db"
expect_in "$ERR" "memberships (uscc=000000000000000001, chain=" "naming the table and the row's key"
expect_in "$ERR" "its reference to enterprises points to no row" "and the table it misses"
if [ ! -e "$T/dangling.db" ] && [ ! -e "$T/dangling.db.partial" ]; then pass "no file is left"; else fail "no file is left"; fi
finish
