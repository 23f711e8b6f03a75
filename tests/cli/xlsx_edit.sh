#!/usr/bin/env bash
# An exported workbook edited by another program imports back: export indicators as XLSX (Chinese
# headers, the enterprise name beside each USCC, money as numbers), change one cell with openpyxl
# (an independent writer that keeps the file's doubles, such as 73338502.95999999 for 73338502.96),
# import, and every value is what it was except that cell. The same in English headers and in 万元.
. "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }
PY=/usr/bin/python3 # Debian's, which python3-openpyxl installs into
"$PY" -c 'import openpyxl' 2>/dev/null || { fail "python3-openpyxl is installed (scripts/deps.sh)"; finish; }
printf 'uscc,year,output_value,revenue,value_added,tax_paid,rd_expense,employees\n%s\n%s\n' \
  "91440703MA4UA0001G,2023,73338502.96,99.99,-0.30,9999999999999.99,0.07,1" \
  "91440704MA4UA00022,2023,1234.50,0.01,-9999999999999.99,1.10,20000000.01,0" > "$T/more.csv"
"$LZ" import "$DB" indicators "$T/more.csv" > /dev/null || fail "import the extra rows"

expect_exit 0 "export indicators as XLSX" "$LZ" export "$DB" indicators -o "$T/x.xlsx"
"$LZ" export "$DB" indicators > "$T/before.csv"
# Unedited, in every form the export offers: the database stays as it was.
for form in "" "--lang en" "--unit 万元" "--lang en --unit 亿元"; do
  # shellcheck disable=SC2086 # the options are words
  "$LZ" export "$DB" indicators $form -o "$T/as-is.xlsx" && "$LZ" import "$DB" indicators "$T/as-is.xlsx" > /dev/null
  "$LZ" export "$DB" indicators > "$T/again.csv"
  if cmp -s "$T/before.csv" "$T/again.csv"; then pass "an unedited export ${form:-by default} imports back unchanged"
  else fail "an unedited export ${form:-by default} imports back unchanged" "$(diff "$T/before.csv" "$T/again.csv" | head)"; fi
done
"$PY" - "$T/x.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
head = [c.value for c in ws[1]]
for row in ws.iter_rows(min_row=2):
    if row[head.index('企业')].value == '91440703MA4UA0001G' and row[head.index('年度')].value == 2023:
        row[head.index('研发投入')].value = 1234.5000000000002  # as a formula result would be
wb.save(sys.argv[1])
PY
expect_exit 0 "the edited workbook imports" "$LZ" import "$DB" indicators "$T/x.xlsx"
"$LZ" export "$DB" indicators > "$T/after.csv"
sed 's/^\(91440703MA4UA0001G,[^,]*,2023,73338502.96,99.99,-0.30,9999999999999.99,\)0.07,/\11234.50,/' "$T/before.csv" > "$T/expected.csv"
if ! cmp -s "$T/before.csv" "$T/expected.csv" && cmp -s "$T/expected.csv" "$T/after.csv"; then
  pass "every value is unchanged but the edited cell"
else
  fail "every value is unchanged but the edited cell" "$(diff "$T/expected.csv" "$T/after.csv" | head)"
fi
finish
