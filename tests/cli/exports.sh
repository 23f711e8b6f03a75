#!/usr/bin/env bash
# Exports a person can forward, read back by an independent reader (openpyxl): a table's workbook
# with Chinese headers, names beside codes, choices as labels, money as formatted numbers, dates as
# date cells, widths by display width, the header frozen with a filter; CSV files with a BOM and
# names; the award workbook whose rows, totals row and subtotal sheets add up to the CSV's amounts
# to the fen; and the refusals: a file name that contradicts --format, a name that says no format,
# a workbook onto a terminal.
. "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3 # Debian's, which python3-openpyxl installs into
"$PY" -c 'import openpyxl' 2> /dev/null || { fail "python3-openpyxl is installed (scripts/deps.sh)"; finish; }
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }

# ---- a table as a workbook ----
expect_exit 0 "projects export as XLSX" "$LZ" export "$DB" projects -o "$T/p.xlsx"
run "$PY" - "$T/p.xlsx" <<'PY'
import datetime, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['projects']
head = [c.value for c in ws[1]]
row = {h: c for h, c in zip(head, ws[2])}
def check(ok, what): print(('ok' if ok else 'bad') + ': ' + what)
check(head[:4] == ['项目编号', '项目单位', '项目单位名称', '项目名称'], 'Chinese headers, the name beside the code: %s' % head[:4])
check(row['项目单位名称'].value == '江门示例正极材料有限公司', 'enterprise name %r' % row['项目单位名称'].value)
check(row['产业链名称'].value == '新能源电池' and row['所在市（区）名称'].value == '蓬江区', 'chain and division names')
check(row['类型'].value == '技术改造' and row['阶段'].value == '竣工', 'choices as labels: %r %r' % (row['类型'].value, row['阶段'].value))
m = row['总投资']
check(m.value == 8000000 and m.number_format == '#,##0.00', 'money a number with 2 decimals: %r %r' % (m.value, m.number_format))
d = row['开工日期']
check(d.value == datetime.datetime(2020, 3, 1) and d.number_format == 'yyyy-mm-dd', 'a date cell: %r' % d.value)
check(row['重点项目'].value is True and row['容积率'].value == 1.6, 'booleans and decimals as values')
check(ws.freeze_panes == 'A2', 'header frozen: %r' % ws.freeze_panes)
check(ws.auto_filter.ref == 'A1:%s%d' % (openpyxl.utils.get_column_letter(len(head)), ws.max_row), 'autofilter: %r' % ws.auto_filter.ref)
width = lambda col: ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width
name_col = head.index('项目名称') + 1
check(width(name_col) >= 2 * max(len(str(c.value)) for c in list(ws.columns)[name_col - 1]), 'CJK counts two: width %s' % width(name_col))
check(width(1) < width(name_col), 'widths follow the text')
PY
while IFS= read -r line; do
  case $line in ok:*) pass "${line#ok: }" ;; *) fail "${line#bad: }" "$ERR" ;; esac
done <<< "$OUT"
[ -z "$OUT" ] && fail "the workbook reads" "$ERR"

"$LZ" export "$DB" enterprises --lang en -o "$T/e.xlsx"
run "$PY" -c '
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print([c.value for c in ws[1]][:4], ws["H2"].value)' "$T/e.xlsx"
expect_in "$OUT" "['uscc', 'name', 'division', 'division_name'] star" "--lang en: column names as headers, choices as stored"

"$LZ" export "$DB" indicators --unit 万元 -o "$T/w.xlsx"
run "$PY" -c '
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
head = [c.value for c in ws[1]]
c = ws.cell(2, head.index("产值（万元）") + 1)
print(c.value, c.number_format)' "$T/w.xlsx"
expect_eq "$OUT" "30000 #,##0.00####" "--unit 万元: the unit in the header, figures in 万元 showing every fen"

# ---- CSV for Excel ----
"$LZ" export "$DB" memberships -o "$T/m.csv"
expect_eq "$(head -c 3 "$T/m.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "a CSV file starts with the UTF-8 BOM"
expect_eq "$(head -1 "$T/m.csv" | tr -d '\r' | tail -c +4)" "uscc,enterprise_name,chain,chain_name,segment,role,status" \
  "names beside the USCC and the chain code"
run "$PY" -c '
import csv, sys
names = {r["uscc"]: r["name"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))}
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig")))
print(len(rows), len({r["uscc"] for r in rows}), all(r["enterprise_name"] == names[r["uscc"]] for r in rows))' \
  <("$LZ" export "$DB" enterprises) "$T/m.csv"
expect_eq "$(printf '%s' "$OUT" | cut -d' ' -f3)" "True" "each row has its own enterprise's name ($OUT: rows, enterprises)"
"$LZ" export "$DB" memberships --no-bom -o "$T/m2.csv"
expect_eq "$(head -c 4 "$T/m2.csv")" "uscc" "--no-bom: without"
expect_eq "$("$LZ" export "$DB" memberships | head -c 4)" "uscc" "standard output has no BOM (it feeds scripts)"
"$LZ" init "$T/back.db" > /dev/null
for t in divisions clusters chains segments enterprises memberships; do
  "$LZ" export "$DB" "$t" -o "$T/$t.csv" && "$LZ" import "$T/back.db" "$t" "$T/$t.csv" > /dev/null || fail "$t imports back"
done
expect_eq "$("$LZ" export "$T/back.db" memberships)" "$("$LZ" export "$DB" memberships)" "a CSV with a BOM and names imports back unchanged"

# ---- the file name says the format ----
expect_exit 0 "-o FILE.json writes JSON" "$LZ" export "$DB" divisions -o "$T/d.json"
expect_eq "$(head -c 1 "$T/d.json")" "[" "and it is JSON"
expect_exit 2 "-o x.csv with --format xlsx is refused" "$LZ" export "$DB" divisions -o "$T/x.csv" --format xlsx
expect_in "$ERR" "$T/x.csv: the file's name says csv but --format says xlsx" "the message names the file and both formats"
[ -e "$T/x.csv" ] && fail "nothing is written on a refusal" || pass "nothing is written on a refusal"
expect_exit 2 "-o x.txt names no format" "$LZ" export "$DB" divisions -o "$T/x.txt"
expect_in "$ERR" "$T/x.txt: its extension names no format" "the message says how to name it"
expect_exit 0 "-o x.txt with --format csv is fine" "$LZ" export "$DB" divisions -o "$T/x.txt" --format csv
expect_exit 2 "--unit on a CSV is refused" "$LZ" export "$DB" indicators --unit 万元 -o "$T/i.csv"
run script -qec "'$LZ' export '$DB' divisions --format xlsx" /dev/null
expect_in "$OUT" "an XLSX workbook is binary and would garble the terminal: write it with -o FILE.xlsx" "no workbook onto a terminal"
expect_in "$("$LZ" export "$DB" divisions --format xlsx | head -c 2)" "PK" "but into a pipe"

# ---- awards: the workbook adds up to the CSV, to the fen ----
export LIANZHANG_POLICIES="$(cd "$(dirname "$0")/../.." && pwd)/policies/jiangmen"
load_policy_fixtures "$T/pol.db" || fail "the policy fixtures load"
expect_exit 0 "awards as CSV" "$LZ" awards "$T/pol.db" --year 2022 --all -o "$T/a.csv"
expect_eq "$(head -c 3 "$T/a.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "the awards CSV file has the BOM"
expect_exit 0 "awards as XLSX" "$LZ" awards "$T/pol.db" --year 2022 --all -o "$T/a.xlsx"
run "$PY" - "$T/a.xlsx" "$T/a.csv" <<'PY'
import csv, sys, openpyxl
from decimal import Decimal
def fen(v): return int(Decimal(repr(v)).quantize(Decimal('0.01')) * 100)
wb = openpyxl.load_workbook(sys.argv[1])
rows = list(csv.DictReader(open(sys.argv[2], encoding='utf-8-sig')))
csv_fen = sum(int(Decimal(r['amount']) * 100) for r in rows)
sheets = [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets]
print('sheets', wb.sheetnames)
detail = sheets[0]
print('rows', len(detail) - 2 == len(rows))
print('row sum', sum(fen(r[8]) for r in detail[1:-1]) == csv_fen == fen(detail[-1][8]))
for s in sheets[1:]:
    print('subtotals', sum(fen(r[-1]) for r in s[1:-1]) == csv_fen == fen(s[-1][-1]), s[-1][0])
names = {(r['policy'], r['subject_id']): (r['policy_name'], r['enterprise_name']) for r in rows}
print('names', all(names[(r[0], r[4])] == (r[1], r[6]) and r[6] for r in detail[1:-1]))
print('format', wb.worksheets[0].cell(2, 9).number_format, wb.worksheets[0].freeze_panes)
print('csv total', csv_fen)
print('words', sorted({(r[3], r[7]) for r in detail[1:-1]}))
PY
expect_in "$OUT" "sheets ['奖补明细', '按政策汇总', '按部门汇总']" "three sheets: the awards, per policy, per department"
expect_in "$OUT" "rows True" "one row per award, as in the CSV"
expect_in "$OUT" "row sum True" "the rows sum to the totals row and to the CSV's amounts"
expect_eq "$(printf '%s\n' "$OUT" | grep -c 'subtotals True 合计')" "2" "each subtotal sheet sums to the same total"
expect_in "$OUT" "names True" "the enterprise's and the policy's names beside their codes"
expect_in "$OUT" "format #,##0.00 A2" "money with 2 decimals, header frozen"
expect_in "$OUT" "csv total 463456789" "the total is the fixtures' 4,634,567.89"
expect_in "$OUT" "('项目', '符合条件')" "subject and status in words for the people who read the workbook"
expect_exit 2 "awards -o a.csv --format xlsx is refused" "$LZ" awards "$T/pol.db" --year 2022 -o "$T/b.csv" --format xlsx
expect_in "$ERR" "$T/b.csv: the file's name says csv but --format says xlsx" "naming the file"
finish
