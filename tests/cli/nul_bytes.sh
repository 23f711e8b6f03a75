#!/usr/bin/env bash
# A NUL byte ends text in C: it is refused wherever text comes in (CSV, JSON, XLSX: see
# xlsx_bounds.sh), with FILE:LINE:COLUMN, `check` reports one stored by hand, and the audit chain
# hashes whole values, so bytes appended after a NUL inside an entry are caught.
. "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }

printf 'code,name\n440799,ab\0cd\n' > "$T/divisions.csv"
expect_exit 1 "a NUL in a CSV field is refused" "$LZ" import "$DB" divisions "$T/divisions.csv"
expect_in "$ERR" "divisions.csv:2:10: a NUL byte" "at its line and column"
printf 'code,name\n440799,"江门\0"\n' > "$T/divisions.csv"
expect_exit 1 "a NUL in a quoted CSV field is refused" "$LZ" import "$DB" divisions "$T/divisions.csv"
expect_in "$ERR" "divisions.csv:2:11: a NUL byte" "counting characters, not bytes"
printf 'code,na\0me\n' > "$T/divisions.csv"
expect_exit 1 "a NUL in a CSV header is refused" "$LZ" import "$DB" divisions "$T/divisions.csv"
expect_in "$ERR" "divisions.csv:1:8: a NUL byte" "at its column"
printf '[{"code": "440799", "name": "ab\\u0000cd"}]' > "$T/divisions.json"
expect_exit 1 "a NUL in a JSON string is refused" "$LZ" import "$DB" divisions "$T/divisions.json"
expect_in "$ERR" "divisions.json:1:" "at its line and column"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM divisions WHERE code = '440799'")" 0 "and nothing is written"

cp "$DB" "$T/hand.db"
sqlite3 "$T/hand.db" "UPDATE divisions SET name = name || char(0) || 'hidden' WHERE code = '440703'"
expect_exit 1 "check finds a NUL stored by hand" "$LZ" check "$T/hand.db"
expect_in "$OUT$ERR" "divisions: 440703: name: has a NUL byte at character 4" "naming the row, the column and the place"

expect_exit 0 "the audit log verifies" "$LZ" audit verify "$DB"
sqlite3 "$DB" "UPDATE audit_log SET after = after || char(0) || ',\"rows\":999' WHERE seq = 2"
expect_exit 1 "bytes appended after a NUL inside an entry break the chain" "$LZ" audit verify "$DB"
expect_in "$ERR" "entry 2 was changed" "naming the entry"
finish
