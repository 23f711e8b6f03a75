#!/usr/bin/env bash
# Hostile workbooks: what an import builds is bounded by the file's size. A number no double holds
# is a row error naming the cell; a zip bomb of shared strings, a sheet that inflates far beyond
# XML's usual ratio, and a row of cells all repeating one long string are refused with an error,
# in little memory (peak RSS measured with /usr/bin/time).
. "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }

# workbook OUT SHEET_XML [SHARED_STRINGS_XML]: the smallest .xlsx this reader takes.
workbook() {
  python3 - "$@" <<'EOF'
import sys, zipfile
out, sheet = sys.argv[1], sys.argv[2]
sst = sys.argv[3] if len(sys.argv) > 3 else None
def read(x):
    return open(x[1:], 'rb').read() if x.startswith('@') else x.encode()
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('xl/workbook.xml', '<workbook><sheets><sheet name="s" r:id="rId1" xmlns:r="r"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr('xl/worksheets/sheet1.xml', read(sheet))
    if sst:
        z.writestr('xl/sharedStrings.xml', read(sst))
EOF
}
# peak KB of the last `measured` run, with its exit code in $RC and stderr in $ERR
measured() {
  /usr/bin/time -f '%M' -o "$T/rss" "$@" > "$T/.out" 2> "$T/.err"
  RC=$?
  ERR=$(cat "$T/.err")
  RSS=$(tail -1 "$T/rss")
}
row() { # cells... -> <row> of inline strings and numbers
  local r=$1 out="<row r=\"$1\">" col=A
  shift
  for v in "$@"; do
    case $v in
      n:*) out+="<c r=\"$col$r\"><v>${v#n:}</v></c>" ;;
      *) out+="<c r=\"$col$r\" t=\"inlineStr\"><is><t>$v</t></is></c>" ;;
    esac
    col=$(echo "$col" | tr A-Y B-Z)
  done
  echo "$out</row>"
}

# ---- a number no double holds ----
workbook "$T/huge.xlsx" "<worksheet><sheetData>$(row 1 uscc year output_value)$(row 2 91440703MA4UA0001G n:2021 n:1E99999999999999)</sheetData></worksheet>"
measured "$LZ" import "$DB" indicators "$T/huge.xlsx"
expect_eq "$RC" 1 "a cell holding 1E99999999999999 is bad input, not a crash"
expect_in "$ERR" "huge.xlsx:2: C2: the number '1E99999999999999' is beyond what a spreadsheet cell holds" "naming the cell"
if [ "$(stat -c %s "$T/huge.xlsx")" -lt 1000 ] && [ "$RSS" -lt 65536 ]; then pass "in little memory ($RSS KB)"; else fail "in little memory" "$RSS KB"; fi
workbook "$T/tiny.xlsx" "<worksheet><sheetData>$(row 1 uscc year output_value)$(row 2 91440703MA4UA0001G n:2021 n:1E-400)</sheetData></worksheet>"
expect_exit 0 "a number too small for a double reads as 0" "$LZ" import "$DB" indicators "$T/tiny.xlsx"

# ---- a zip bomb of shared strings ----
python3 -c "import sys; sys.stdout.write('<sst>' + '<si><t>x</t></si>' * 3000000 + '</sst>')" > "$T/sst.xml"
workbook "$T/bomb.xlsx" "<worksheet><sheetData>$(row 1 code name)</sheetData></worksheet>" "@$T/sst.xml"
measured "$LZ" import "$DB" divisions "$T/bomb.xlsx"
expect_eq "$RC" 1 "a zip bomb of shared strings is refused ($(stat -c %s "$T/bomb.xlsx") bytes)"
expect_in "$ERR" "xl/sharedStrings.xml expands from" "saying the part expands too much"
if [ "$RSS" -lt 65536 ]; then pass "before inflating it ($RSS KB)"; else fail "before inflating it" "$RSS KB"; fi

# ---- a sheet that inflates beyond the ratio ----
python3 -c "import sys; sys.stdout.write('<worksheet><sheetData>' + '<row><c><v>1</v></c></row>' * 1000000 + '</sheetData></worksheet>')" > "$T/sheet.xml"
workbook "$T/rows.xlsx" "@$T/sheet.xml"
measured "$LZ" import "$DB" divisions "$T/rows.xlsx"
expect_eq "$RC" 1 "a sheet that inflates over 100 times is refused"
expect_in "$ERR" "xl/worksheets/sheet1.xml expands from" "naming the sheet's part"

# ---- one long string repeated in every cell of a row: compressed well within the ratio ----
python3 -c "
import random, sys
random.seed(7)
s = ''.join(random.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(400000))
sys.stdout.write('<sst><si><t>' + s + '</t></si></sst>')" > "$T/long.xml"
cells=$(python3 -c "print(''.join('<c t=\"s\"><v>0</v></c>' for _ in range(200)))")
workbook "$T/repeat.xlsx" "<worksheet><sheetData>$(row 1 code name)<row r=\"2\">$cells</row></sheetData></worksheet>" "@$T/long.xml"
measured "$LZ" import "$DB" divisions "$T/repeat.xlsx"
expect_eq "$RC" 1 "a row of 200 copies of a 400 KB string is refused ($(stat -c %s "$T/repeat.xlsx") bytes)"
expect_in "$ERR" "times the file's size: refused" "saying the workbook's text is too large for the file"
if [ "$RSS" -lt 65536 ]; then pass "in bounded memory ($RSS KB, not the 80 MB the row would take)"; else fail "in bounded memory" "$RSS KB"; fi

# ---- other damage ----
workbook "$T/dtd.xlsx" '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><worksheet><sheetData></sheetData></worksheet>'
expect_exit 1 "a DTD in a part is refused" "$LZ" import "$DB" divisions "$T/dtd.xlsx"
expect_in "$ERR" "document type declaration" "saying so"
workbook "$T/sst-index.xlsx" "<worksheet><sheetData>$(row 1 code name)<row r=\"2\"><c r=\"A2\" t=\"s\"><v>7</v></c></row></sheetData></worksheet>"
expect_exit 1 "a cell naming a missing shared string is refused" "$LZ" import "$DB" divisions "$T/sst-index.xlsx"
expect_in "$ERR" "sst-index.xlsx:2: A2: refers to shared string '7', the workbook has 0" "naming the cell"
workbook "$T/nul.xlsx" "<worksheet><sheetData>$(row 1 code name)$(row 2 440799 'a&#0;b')</sheetData></worksheet>"
expect_exit 1 "a NUL character in a cell is refused" "$LZ" import "$DB" divisions "$T/nul.xlsx"
expect_in "$ERR" "nul.xlsx: xl/worksheets/sheet1.xml:1:" "with the part, line and column"

finish
