#!/usr/bin/env bash
# Every command on PostgreSQL gives what it gives on SQLite (run by tests/pg/run.sh, which starts
# the cluster and passes its connection string in LZ_PG_CONNINFO). The same steps run on a SQLite
# file and on a PostgreSQL database side by side: init, good and bad imports, an update, exports in
# CSV and JSON, check, the reference city (demo), awards computed and recorded, explained and
# signed off, accounts, masters' decisions, the calendar, every analysis and the leader's workbook.
# Each step's exit code, standard output and standard error must be the same byte for byte, the
# database's own name aside. Then writers on several processes at once: the audit chain stays one
# line and verifies.
source "$(dirname "$0")/../cli/lib.bash"
: "${LZ_PG_CONNINFO:?run by tests/pg/run.sh}"
PSQL=${PG_BINDIR:-/usr/lib/postgresql/15/bin}/psql
export LIANZHANG_POLICIES="$LZ_ROOT/policies/jiangmen"

# newdb NAME: a new empty database; prints its connection string (a later keyword wins in libpq's).
newdb() {
  "$PSQL" -X -q -v ON_ERROR_STOP=1 "$LZ_PG_CONNINFO dbname=postgres" -c "CREATE DATABASE $1" >/dev/null &&
    echo "$LZ_PG_CONNINFO dbname=$1"
}

# shown: stdin with the databases' names as the program shows them (a path; "PostgreSQL database
# D on H (user U)"; a connection string without its password) replaced by DB, and the times of
# the audit entries and the hashes that cover them (the two runs' clocks differ) by STAMP and HASH.
shown() {
  perl -pe 's/\Q$ENV{S}\E/DB/g; s/PostgreSQL database \S+ on .*?\(user \S+\)/DB/g;
    s/(?:\b[a-z_]+=[^\s:]+ )*dbname=[^\s:]+(?: [a-z_]+=[^\s:]+)*/DB/g;
    s/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/STAMP/g; s/\b[0-9a-f]{64}\b/HASH/g'
}

# same NAME ARGS...: runs `lianzhang ARGS` with the argument @DB@ standing for the file, then the
# PostgreSQL database, and compares what each gives; both must exit with $WANT (default 0).
same() {
  local name=$1 a=() b=() x
  shift
  for x in "$@"; do a+=("${x//@DB@/$S}"); b+=("${x//@DB@/$P}"); done
  "$LZ" "${a[@]}" > "$T/s.out" 2> "$T/s.err" < "${STDIN:-/dev/null}"
  local rs=$?
  "$LZ" "${b[@]}" > "$T/p.out" 2> "$T/p.err" < "${STDIN:-/dev/null}"
  local rp=$?
  for f in s.out s.err p.out p.err; do S=$S shown < "$T/$f" > "$T/$f.shown"; done
  if [ "$rs" = "${WANT:-0}" ] && [ "$rp" = "${WANT:-0}" ] && cmp -s "$T/s.out.shown" "$T/p.out.shown" && cmp -s "$T/s.err.shown" "$T/p.err.shown"; then
    pass "$name"
  else
    fail "$name" "exit $rs on SQLite, $rp on PostgreSQL" "$(diff "$T/s.out.shown" "$T/p.out.shown" | head -8)" \
      "$(diff "$T/s.err.shown" "$T/p.err.shown" | head -6)"
  fi
}

# ---- the data contract: init, imports good and bad, an update, exports, check -----------------------
S="$T/s.db"
P=$(newdb contract) || { fail "a database for the contract"; finish; }
export S
same "init" init @DB@
run "$LZ" init "$P"
expect_eq "$RC" 1 "init refuses a database that has the schema already"
expect_in "$ERR" "already holds a Lianzhang database" "saying so"
for t in $TABLE_ORDER; do same "import $t" import @DB@ "$t" "$FIX/good/$t.csv"; done
printf 'uscc,name,division,industry_code,founded,local,listing_board\n91440703MA4UA0001G,a,440703,,,true,none\n91440703MA4UA0001X,b,440703,,,true,none\n' > "$T/bad-uscc.csv"
WANT=1 same "a bad USCC is refused alike, naming file, line and column" import @DB@ enterprises "$T/bad-uscc.csv"
printf 'uscc,chain,segment,role,status\n91440703MA4UA0001G,NOPE,x,member,confirmed\n' > "$T/bad-ref.csv"
WANT=1 same "a reference to no row is refused alike" import @DB@ memberships "$T/bad-ref.csv"
sed 's/江门示例电芯有限公司/江门示例电芯股份公司/' "$FIX/good/enterprises.csv" > "$T/renamed.csv"
same "an update by natural key" import @DB@ enterprises "$T/renamed.csv"
for t in $TABLE_ORDER; do
  same "export $t" export @DB@ "$t"
  same "export $t as JSON" export @DB@ "$t" --format json
done
same "check" check @DB@
same "audit verify" audit verify @DB@
same "audit list" audit list @DB@ --limit 100

# ---- the reference city: awards, explanations, sign-off, accounts, decisions, analyses ---------------
S="$T/city.db"
P=$(newdb city) || { fail "a database for the city"; finish; }
same "demo" demo @DB@ --enterprises 400 --today 2025-06-30
for t in $TABLE_ORDER key_enterprises; do same "the city's $t" export @DB@ "$t"; done
same "check the city" check @DB@
# An import of several batches (the importer judges 500 rows at a time, and on PostgreSQL sends
# them by COPY): a partial update, the stored columns kept, with bad rows in different batches
# and a broken quote at the end, reported in the file's order, then the same file without them.
"$LZ" export "$S" indicators --no-bom | awk -F, 'NR == 1 { print "uscc,year,employees"; next } { print $1 "," $3 "," NR }' > "$T/staff.csv"
awk 'NR == 12 || NR == 777 || NR == 1999 { sub(/,[0-9]+$/, ",many") } { print }' "$T/staff.csv" > "$T/staff-bad.csv"
printf '"91440703004006020L,2019,1\n' >> "$T/staff-bad.csv"
WANT=1 same "a long import's errors in the file's order, whatever its batches" import @DB@ indicators "$T/staff-bad.csv"
same "a long partial update" import @DB@ indicators "$T/staff.csv"
same "the indicators after it" export @DB@ indicators
U=$(sqlite3 "$S" "SELECT uscc FROM memberships WHERE role = 'chain_master' ORDER BY uscc LIMIT 1")
C=$(sqlite3 "$S" "SELECT chain FROM memberships WHERE role = 'chain_master' ORDER BY uscc LIMIT 1")
same "awards" awards @DB@ --year 2024 --all
same "awards as JSON" awards @DB@ --year 2024 --format json
same "awards --record" awards @DB@ --year 2024 --record
same "awards --record again: nothing changed" awards @DB@ --year 2024 --record
same "the ledger" award @DB@ list --year 2024
same "explain" explain @DB@ --year 2024 --enterprise "$U"
echo 'Quartz-Lantern-4471' > "$T/pw"
for a in reviewer approver; do STDIN="$T/pw" same "user add $a" user add @DB@ "$a" --role admin --password-stdin; done
same "user list" user list @DB@
same "user disable" user disable @DB@ approver
same "user enable" user enable @DB@ approver
WANT=1 same "the computer cannot review its run" award @DB@ 1 reviewed --as cli:root
same "a review" award @DB@ 1 reviewed --as reviewer
WANT=1 same "the reviewer cannot approve" award @DB@ 1 approved --as reviewer
same "a third account approves" award @DB@ 1 approved --as approver
same "the ledger after sign-off" award @DB@ list --year 2024
same "masters evaluate, one chain" masters evaluate @DB@ --year 2024 --chain "$C" --format json
same "masters evaluate, every chain" masters evaluate @DB@ --year 2024 --format csv
same "a master's revocation proposed" masters propose @DB@ --chain "$C" --enterprise "$U" --kind revoke --batch 第二批 \
  --year 2024 --date 2025-06-30 --as reviewer
WANT=1 same "the proposer cannot approve it" masters decide @DB@ 1 approved --as reviewer
same "another account approves it" masters decide @DB@ 1 approved --as approver
same "the decisions" masters decisions @DB@ --format csv
same "the memberships after it" export @DB@ memberships
same "the events after it" export @DB@ events
same "chain diagnose" chain diagnose @DB@ --year 2024 --format json
same "chain diagnose by customer" chain diagnose @DB@ --year 2024 --chain "$C" --by customer --format csv
same "projects lights" projects lights @DB@ --date 2025-06-30 --format json
same "clusters progress" clusters progress @DB@ --year 2024 --format json
same "targets recommend" targets recommend @DB@ --year 2024 --chain "$C" --date 2025-06-30
same "match an enterprise" match @DB@ --year 2024 --enterprise "$U"
same "match: eligible and unclaimed" match @DB@ --year 2024 --unclaimed
same "overview" overview @DB@ --year 2024 --date 2025-06-30
same "calendar years" calendar list @DB@
same "a due date in working days" calendar due @DB@ 2025-06-30 10
same "audit verify the city" audit verify @DB@
same "audit list the city" audit list @DB@ --limit 1000
"$LZ" report "$S" --year 2024 -o "$T/s.xlsx" && "$LZ" report "$P" --year 2024 -o "$T/p.xlsx"
cells() { /usr/bin/python3 -c '
import openpyxl, sys
for ws in openpyxl.load_workbook(sys.argv[1]).worksheets:
    for row in ws.iter_rows(values_only=True):
        print(ws.title, row)' "$1"; }
if cmp -s <(cells "$T/s.xlsx") <(cells "$T/p.xlsx"); then pass "the leader's workbook, cell for cell"
else fail "the leader's workbook, cell for cell" "$(diff <(cells "$T/s.xlsx") <(cells "$T/p.xlsx") | head -6)"; fi
run "$LZ" backup "$P" "$T/copy.db"
expect_eq "$RC" 1 "backup of a PostgreSQL database is refused"
expect_in "$ERR" "pg_dump" "pointing to pg_dump"

# ---- writers on several processes at once: one audit chain ------------------------------------------
before=$("$LZ" audit verify "$P" | grep -o '[0-9]* entries' | grep -o '[0-9]*')
pids=()
for i in $(seq 1 8); do
  ( printf 'code,name\n4407%02d,d%d\n' $((90 + i)) "$i" > "$T/div$i.csv"
    for _ in 1 2 3; do "$LZ" import "$P" divisions "$T/div$i.csv" >/dev/null 2>&1 || exit 1; done ) &
  pids+=($!)
done
ok=1
for p in "${pids[@]}"; do wait "$p" || ok=0; done
expect_eq "$ok" 1 "24 imports from 8 processes at once all land"
run "$LZ" audit verify "$P"
expect_eq "$RC" 0 "the audit chain verifies after them"
expect_in "$OUT" "$((before + 24)) entries" "one entry each, in one line"
finish
