#!/usr/bin/env bash
# Spreadsheets as officials type them: a workbook written by another program (openpyxl) with a
# title above the header, headers in Chinese (simplified and traditional), a column in 万元,
# amounts with separators, currency signs and units, dates typed five ways and as date cells,
# choices by their Chinese labels; a formula without a saved value and a bare year in a date
# column are refused; a CSV saved in GB18030 imports; an .xls file is refused with advice; a blank
# template (lianzhang template) filled in by openpyxl imports back, its notes row skipped.
. "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }
PY=/usr/bin/python3 # Debian's, which python3-openpyxl installs into
"$PY" -c 'import openpyxl' 2>/dev/null || { fail "python3-openpyxl is installed (scripts/deps.sh)"; finish; }

# ---- enterprises: a title row, a blank row, then the header; dates typed five ways ----
"$PY" - "$T/ent.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws['A1'] = '2023年江门市链上企业名单'
ws.merge_cells('A1:E1')
ws.append([])
ws.append(['統一社會信用代碼', '企业名称', '成立日期', '上市板塊', '本地企业'])
ws.append(['91440703MA4UA0001G', '江门示例正极材料有限公司', '2023/1/5', '科創板', '是'])
ws.append(['91440704MA4UA00022', '江门示例负极材料有限公司', '2023-1-6', '主板', '是'])
ws.append(['91440705MA4UA0003K', '江门示例电芯有限公司', '2023年1月7日', '未上市', '是'])
ws.append(['91440781MA4UA0004Q', '台山示例家电有限公司', 20230108, '港股', '是'])
ws.append(['91310000MA1FL00056', '上海示例隔膜有限公司', '2023.01.09', '创业板', '否'])
wb.save(sys.argv[1])
PY
expect_exit 0 "a workbook with a title row and Chinese headers imports" "$LZ" import "$DB" enterprises "$T/ent.xlsx"
expect_in "$OUT" "5 rows" "every row below the header is read, the title is not"
"$LZ" export "$DB" enterprises | tr -d '\r' | cut -d, -f1,6,8 | sort > "$T/got" # uscc, founded, listing_board (division_name beside division)
printf '%s\n' "91310000MA1FL00056,2023-01-09,chinext" "91440703MA4UA0001G,2023-01-05,star" \
  "91440704MA4UA00022,2023-01-06,main" "91440705MA4UA0003K,2023-01-07,none" "91440781MA4UA0004Q,2023-01-08,hk" \
  "uscc,founded,listing_board" | sort > "$T/want"
expect_eq "$(cat "$T/got")" "$(cat "$T/want")" "dates typed five ways and choices by label (either script) are stored as ISO dates and codes"

# ---- indicators: a 万元 column, amounts as typed ----
"$PY" - "$T/ind.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(['2030年度企业指标（单位见表头）'])
ws.append(['企业', '年度', '产值（万元）', '主营业务收入', '纳税额', '研發投入', '從業人員'])
ws.append(['91440703MA4UA0001G', 2030, 12.3, '1,234.50', '￥5,000.00', '12.3 万元', '1,200'])
ws.append(['91440704MA4UA00022', 2030, 0.5, '¥5000', '0.5亿', 7, 3])
wb.save(sys.argv[1])
PY
expect_exit 0 "amounts in 万元 and as typed import" "$LZ" import "$DB" indicators "$T/ind.xlsx"
"$LZ" export "$DB" indicators | tr -d '\r' | grep ',2030,' | cut -d, -f1,3-9 | sort > "$T/got" # without enterprise_name
printf '%s\n' "91440703MA4UA0001G,2030,123000.00,1234.50,,5000.00,123000.00,1200" \
  "91440704MA4UA00022,2030,5000.00,5000.00,,50000000.00,7.00,3" > "$T/want"
expect_eq "$(cat "$T/got")" "$(cat "$T/want")" "every amount is stored exactly, in yuan"

# ---- a formula without a saved value, and a year in a date column ----
"$LZ" export "$DB" indicators > "$T/before.csv"
"$PY" - "$T/formula.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(['企业', '年度', '产值'])
ws.append(['91440703MA4UA0001G', 2030, '=1+1'])
wb.save(sys.argv[1])
PY
expect_exit 1 "a formula without a saved value is refused" "$LZ" import "$DB" indicators "$T/formula.xlsx"
expect_in "$ERR" "formula.xlsx:2: C2: has a formula without a saved value" "naming the cell"
"$LZ" export "$DB" indicators > "$T/after.csv"
cmp -s "$T/before.csv" "$T/after.csv" && pass "and nothing is overwritten" || fail "and nothing is overwritten"
"$PY" - "$T/year.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(['uscc', 'founded'])
ws.append(['91440703MA4UA0001G', 2023])
wb.save(sys.argv[1])
PY
expect_exit 1 "a bare year in a date column is refused" "$LZ" import "$DB" enterprises "$T/year.xlsx"
expect_in "$ERR" "year.xlsx:2: founded:" "naming the row and column"
expect_not_in "$("$LZ" export "$DB" enterprises)" "1905-07-15" "and never read as a serial day"

# ---- a date cell, choices in traditional script ----
"$PY" - "$T/proj.xlsx" <<'PY'
import sys, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(['项目编号', '項目單位', '项目名称', '類型', '階段', '开工日期', '總投資'])
ws.append(['P2030-001', '91440703MA4UA0001G', '技改二期', '技術改造', '在建', datetime.date(2030, 3, 4), '3.5亿元'])
ws['F2'].number_format = 'yyyy"年"m"月"d"日"'
wb.save(sys.argv[1])
PY
expect_exit 0 "a project with a date cell and labels in traditional script imports" "$LZ" import "$DB" projects "$T/proj.xlsx"
expect_in "$("$LZ" export "$DB" projects)" "P2030-001,91440703MA4UA0001G,江门示例正极材料有限公司,技改二期,,,,,tech_upgrade,350000000.00,,,,construction,2030-03-04," \
  "kind, stage, date and amount are stored as codes, ISO and yuan"
printf 'id,kind\nP2030-001,技改\n' > "$T/badkind.csv"
expect_exit 1 "an unknown label is refused" "$LZ" import "$DB" projects "$T/badkind.csv"
expect_in "$ERR" "'技改' is not one of new (新建), expansion (扩产), tech_upgrade (技术改造), other (其他)" "listing every accepted value"

# ---- the file's unit, and decimals past fen after it ----
printf '企业,年度,产值\n91440705MA4UA0003K,2030,12.345678\n' > "$T/unit.csv"
expect_exit 0 "import --unit 万元 scales a plain column" "$LZ" import --unit 万元 "$DB" indicators "$T/unit.csv"
expect_in "$("$LZ" export "$DB" indicators)" "91440705MA4UA0003K,江门示例电芯有限公司,2030,123456.78," "12.345678 万元 is 123456.78 yuan"
printf '企业,年度,产值\n91440705MA4UA0003K,2030,12.3456789\n' > "$T/unit.csv"
expect_exit 1 "more decimals than fen after the unit is refused" "$LZ" import --unit 万元 "$DB" indicators "$T/unit.csv"
expect_in "$ERR" "unit.csv:2: output_value: more than 2 decimals in '123456.789' (typed as '12.3456789')" "saying what it became"
expect_exit 2 "an unknown unit is a usage error" "$LZ" import --unit 千元 "$DB" indicators "$T/unit.csv"

# ---- no header in the first rows ----
printf '名单\n甲,乙\n' > "$T/nohead.csv"
expect_exit 1 "a sheet without a header row is refused" "$LZ" import "$DB" enterprises "$T/nohead.csv"
expect_in "$ERR" "the header must be on row 1, or below a title, and name the columns: 统一社会信用代码 (uscc), 企业名称 (name)" \
  "naming the columns it expects"

# ---- CSV as Chinese Excel saves it: GB18030 ----
printf '统一社会信用代码,企业名称,上市板块\n91440703MA4UA0001G,江门示例正极材料（集团）有限公司,科创板\n' | iconv -f UTF-8 -t GB18030 > "$T/gbk.csv"
expect_exit 0 "a GB18030 CSV imports" "$LZ" import "$DB" enterprises "$T/gbk.csv"
expect_in "$("$LZ" export "$DB" enterprises)" "91440703MA4UA0001G,江门示例正极材料（集团）有限公司," "its text is stored as UTF-8"
printf 'uscc,name\n91440703MA4UA0001G,\x81\x20\n' > "$T/junk.csv"
expect_exit 1 "bytes that are neither UTF-8 nor GB18030 are refused" "$LZ" import "$DB" enterprises "$T/junk.csv"
expect_in "$ERR" "junk.csv:2: the file is neither UTF-8 nor GB18030 (GBK) text: in Excel choose 另存为 → CSV UTF-8(逗号分隔)" \
  "with the save-as advice"

# ---- .xls ----
printf 'not read' > "$T/old.xls"
expect_exit 1 "an .xls workbook is refused" "$LZ" import "$DB" enterprises "$T/old.xls"
expect_in "$ERR" "old.xls: an .xls workbook (Excel 97-2003) cannot be read: in Excel choose 另存为 → Excel 工作簿(*.xlsx)" \
  "naming the file and what to save it as"
# ---- a blank template, filled in by another program, imports back ----
expect_exit 0 "a template is written" "$LZ" template events -o "$T/tpl.xlsx"
expect_exit 0 "for every table" sh -c 'for t in $1; do "$2" template "$t" -o "$3/t_$t.xlsx" > /dev/null || exit 1; done' - "$TABLE_ORDER" "$LZ" "$T"
"$PY" - "$T/tpl.xlsx" "$T/t_projects.xlsx" > "$T/tpl.txt" <<'PY'
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[2])
ws = wb['projects']
dv = [d for d in ws.data_validations.dataValidation if 'F3' in d.sqref][0]
print('projects kind list', dv.formula1)
print('money format', ws.column_dimensions['G'].number_format)
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['events']
print('header', '|'.join(c.value for c in ws[1]))
print('notes', ws['A2'].value)
print('kind notes', ws['D2'].value)
ws['A3'] = 'E2030-1'
ws['B3'] = '91440703MA4UA0001G'
ws['C3'] = datetime.date(2030, 5, 6)
ws['C3'].number_format = 'yyyy-mm-dd'
ws['D3'] = '已上市'
ws['E3'] = '50万'
wb.save(sys.argv[1])
PY
expect_in "$(cat "$T/tpl.txt")" 'projects kind list "新建,扩产,技术改造,其他"' "a choice column has a drop-down of its labels"
expect_in "$(cat "$T/tpl.txt")" "money format #,##0.00" "a money column has a number format"
expect_in "$(cat "$T/tpl.txt")" "header 事项编号|企业|日期|事项类型|核定金额|说明|标记" "its header is the Chinese labels"
expect_in "$(cat "$T/tpl.txt")" "notes 填写说明：必填；编码" "a notes row says what each column takes"
expect_in "$(cat "$T/tpl.txt")" "kind notes 必填；填以下之一：认定链主、认定后备链主、" "a list too long for a drop-down is spelled out"
expect_exit 0 "the filled-in template imports" "$LZ" import "$DB" events "$T/tpl.xlsx"
expect_in "$OUT" "events: 1 rows" "the notes row is not a row of data"
expect_in "$("$LZ" export "$DB" events)" "E2030-1,91440703MA4UA0001G,江门示例正极材料（集团）有限公司,2030-05-06,listed,500000.00," "and every value is stored"
finish
