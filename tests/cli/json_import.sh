#!/usr/bin/env bash
# A JSON import reads the array one element at a time: memory stays that of a row however long
# the file (a whole-document parse took 77 times the file's size), and syntax errors keep their
# FILE:LINE:COLUMN.
. "$(dirname "$0")/lib.bash"
DB="$T/db"
"$LZ" init "$DB" > /dev/null
python3 -c "import sys; sys.stdout.write('[' + ','.join(['{}'] * 3000000) + ']')" > "$T/big.json"
# Under AddressSanitizer freed memory waits in a quarantine (256 MB by default): keep it small here.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=4" /usr/bin/time -f '%M' -o "$T/rss" "$LZ" import "$DB" divisions "$T/big.json" > /dev/null 2> "$T/err"
rss=$(tail -1 "$T/rss")
expect_in "$(cat "$T/err")" "big.json:1: code: key column is missing" "3 million empty objects are row errors"
if [ "$rss" -lt 65536 ]; then pass "read in bounded memory ($rss KB for a 9 MB file)"; else fail "read in bounded memory" "$rss KB"; fi

json_error() { # NAME CONTENT EXPECTED
  printf '%s' "$2" > "$T/d.json"
  run "$LZ" import "$DB" divisions "$T/d.json"
  if [ "$RC" -eq 1 ] && printf '%s' "$ERR" | grep -qF -- "$3"; then pass "JSON: $1"; else fail "JSON: $1" "exit $RC" "$ERR"; fi
}
json_error "not an array" '{}' "d.json:1: expected an array of objects, one per row"
json_error "an element that is no object" '[1]' "d.json:1: each element must be an object"
json_error "a trailing comma" '[{"code": "440711", "name": "x"},]' "d.json:1:34: unexpected token near ']'"
json_error "a missing comma" '[{"code": "440711", "name": "x"} {}]' "d.json:1:34: expected ',' or ']' after an element"
json_error "an unclosed array" '[{"code": "440711", "name": "x"}' "d.json:1:33: expected ',' or ']' after an element"
json_error "text after the array" '[] x' "d.json:1:4: end of file expected after the array"
json_error "a bad token on line 2" $'[{"code": "440711",\n  "name": tru}]' "d.json:2:"
printf '[{"code": "440711", "name": "x"},\n {"code": "440712", "name": "y"}]' > "$T/d.json"
expect_exit 0 "a good array imports" "$LZ" import "$DB" divisions "$T/d.json"
expect_in "$OUT" "2 rows" "every element"
finish
