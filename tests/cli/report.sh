#!/usr/bin/env bash
# The chain leader's workbook (lianzhang report) on the analyses' hand-made chains
# (tests/cli/fixtures/analysis): the sheets it holds, its figures equal to what `chain diagnose`,
# `clusters progress` and `masters evaluate` print as JSON, the targets funnel, numbers stored as numbers with money and percentage
# formats, the charts, the frozen header, and the refusals of a missing or non-XLSX -o.
. "$(dirname "$0")/lib.bash"
AF="$FIX/analysis"
PY=/usr/bin/python3 # Debian's, which python3-openpyxl installs into
export LIANZHANG_POLICIES="$T/no-policies" # the built-in thresholds
DB="$T/db"

"$LZ" init "$DB" > /dev/null || fail "init"
for t in divisions clusters chains segments enterprises memberships indicators supply_links projects; do
  "$LZ" import "$DB" "$t" "$AF/$t.csv" > /dev/null || fail "import $t"
done

printf 'id,name,chain,stage,expected_investment\nT1,甲,bat,lead,100\nT2,乙,bat,lead,50.5\nT3,丙,bat,signed,\nT4,丁,pet,landed,7\n' > "$T/targets.csv"
"$LZ" import "$DB" targets "$T/targets.csv" > /dev/null || fail "import targets"

# The ledger of 2023 under the city's policies: 17 awards, on bat's, app's and pet's members.
"$LZ" awards "$DB" --year 2023 --record --dir "$(cd "$(dirname "$0")/../.." && pwd)/policies/jiangmen" > /dev/null 2>&1 ||
  fail "record the awards of 2023"

expect_exit 0 "report writes the workbook" "$LZ" report "$DB" --year 2023 --date 2024-06-30 -o "$T/r.xlsx"

# cell SHEET REF: a cell's value as Python prints it, "number_format" appended with FMT=1.
cell() { "$PY" -c "import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]; print(ws[sys.argv[3]].value)" "$T/r.xlsx" "$1" "$2"; }
fmt() { "$PY" -c "import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]; print(ws[sys.argv[3]].number_format)" "$T/r.xlsx" "$1" "$2"; }
book() { "$PY" -c "import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1]); print($1)" "$T/r.xlsx"; }

expect_eq "$(book 'wb.sheetnames')" "['汇总', 'app', 'bat', 'fib', 'pet']" "a summary sheet, then one sheet per chain"
expect_eq "$(book '[len(ws._charts) for ws in wb.worksheets]')" "[2, 2, 2, 2, 2]" "two charts on every sheet"
expect_eq "$(book '[type(c).__name__ + c.type for c in wb.worksheets[0]._charts]')" "['BarChartbar', 'BarChartbar']" \
  "the summary's charts are bars: the targets funnel and the clusters against target"
expect_eq "$(book '[type(c).__name__ + c.type for c in wb.worksheets[2]._charts]')" "['BarChartbar', 'BarChartcol']" \
  "a chain's charts: the targets funnel in bars, segment output in columns"
expect_eq "$(book '[ws.freeze_panes for ws in wb.worksheets]')" "['A2', 'A2', 'A2', 'A2', 'A2']" "the header row stays in view"
expect_eq "$(cell 汇总 A1),$(cell 汇总 C1),$(cell bat C1)" "集群,产值（元）,评价" "Chinese headings by default"

# Figures equal to the analyses' own JSON.
run "$LZ" clusters progress "$DB" --year 2023 --format json
P=$OUT
expect_eq "$(cell 汇总 A4) $(cell 汇总 C4) $(cell 汇总 D4) $(cell 汇总 F4)" \
  "$(printf '%s' "$P" | jq -r '.clusters[2] | "\(.code) \(.output | tonumber) \(.target_output_2025 | tonumber) \(.needed_growth | tonumber)"')" \
  "mat: output, target and growth needed as clusters progress says"
expect_eq "$(cell 汇总 C4),$(cell 汇总 D4)" "800,1152" "mat: 800.00 against 1152.00"
expect_eq "$(fmt 汇总 C4),$(fmt 汇总 F4)" "#,##0.00,0.00%" "money with two decimals, ratios as percentages"
run "$LZ" chain diagnose "$DB" --year 2023 --chain bat --format json
D=$OUT
expect_eq "$(cell bat D3),$(cell bat E3),$(cell bat F3)" \
  "$(printf '%s' "$D" | jq -r '.chains[0].segments[1] | "\(.local_enterprises),\(.output | tonumber | floor),\(.local_supply_rate | tonumber)"')" \
  "bat mat: firms, output and local supply rate as chain diagnose says"
expect_eq "$(cell bat B6),$(cell bat E6),$(cell bat F6)" "全链合计,700,0.186" "bat: the whole chain's output and rate under its segments"
expect_eq "$(cell bat C4),$(cell bat C2)" "缺失,薄弱" "labels in words"
# Summary row of bat (row 8): 1 missing, 3 thin, 0 strong; 6 green, 1 cannot tell at 2024-06-30.
expect_eq "$(book 'list(wb.worksheets[0].iter_rows(min_row=8, max_row=8, values_only=True))')" \
  "[('bat', '新能源电池', 700, 0.186, 1, 3, 0, 6, 0, 0, 1)]" "bat's summary: segments by label, projects by light"
expect_eq "$(cell bat A8),$(cell bat C9)" "项目编号,绿灯" "bat's projects with their lights"

# The work lists: targets by stage in the stages' order, every stage shown, the city's on the
# summary and each chain's on its sheet; the appeals under them.
stages() { # SHEET: the rows of the table under the 招商阶段 heading
  "$PY" -c "
import openpyxl,sys
ws=openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]
rows=list(ws.iter_rows(values_only=True))
h=[i for i,r in enumerate(rows) if r[0]=='招商阶段'][0]
print([r[:3] for r in rows[h+1:h+8]]); print(rows[h+9][:5], rows[h+10][:5])" "$T/r.xlsx" "$1"
}
awards() { # SHEET: (policy, awards decided) of the table under the 政策 heading
  "$PY" -c "
import itertools,openpyxl,sys
rows=list(openpyxl.load_workbook(sys.argv[1])[sys.argv[2]].iter_rows(values_only=True))
h=[i for i,r in enumerate(rows) if r[0]=='政策'][0]
print([r[0:3:2] for r in itertools.takewhile(lambda r: r[0], rows[h+1:])])" "$T/r.xlsx" "$1"
}
expect_eq "$(awards 汇总 | sed -n 1p)" "[('land.lease_first', 8), ('land.plot_ratio_raise', 9)]" "the city's awards per policy"
expect_eq "$(awards bat | sed -n 1p)" "[('land.lease_first', 7), ('land.plot_ratio_raise', 7)]" \
  "a chain's awards: those of its confirmed members"
expect_eq "$(awards pet | sed -n 1p)" "[('land.plot_ratio_raise', 1)]" "pet's one award"
expect_eq "$(stages 汇总 | sed -n 1p)" \
  "[('线索', 2, 150.5), ('已接触', 0, 0), ('已拜访', 0, 0), ('洽谈中', 0, 0), ('已签约', 1, 0), ('已落地', 1, 7), ('已流失', 0, 0)]" \
  "the city's targets by stage in order, every stage, with the known expected investment"
expect_eq "$(stages bat | sed -n 1p | grep -o "('线索', [0-9]*, [0-9.]*)")" "('线索', 2, 150.5)" "bat's own targets"
expect_eq "$(stages pet | sed -n 1p | grep -o "('已落地', [0-9]*")" "('已落地', 1" "pet's own targets"
expect_eq "$(stages bat | tail -1)" "('办理中诉求', '其中逾期', '按时办结', '逾期办结', '平均评价') (0, 0, 0, 0, None)" "the appeals under the targets"

# The masters candidates as `masters evaluate` ranks them.
run "$LZ" masters evaluate "$DB" --year 2023 --chain bat --format json
M=$OUT
masters() { "$PY" -c "
import openpyxl,sys
ws=openpyxl.load_workbook(sys.argv[1])['bat']
rows=list(ws.iter_rows(values_only=True))
h=[i for i,r in enumerate(rows) if r[0]=='排名'][0]
e=[i for i,r in enumerate(rows) if r[0]=='招商阶段'][0]
print(' '.join('%s:%s:%s' % (r[2], r[4], r[6]) for r in rows[h+1:e-1]))" "$T/r.xlsx"; }
expect_eq "$(masters)" "$(printf '%s' "$M" | jq -r '[.chains[0].candidates[] | "\(.uscc):\(.score // "None"):\(.gate // "None")"] | join(" ")')" \
  "bat's candidates as masters evaluate lists them, each with the gate it failed"

# Other languages.
expect_exit 0 "--lang en" "$LZ" report "$DB" --year 2023 --chain pet --lang en -o "$T/r.xlsx"
expect_eq "$(book 'wb.sheetnames'),$(cell pet C1),$(cell pet C2)" "['summary', 'pet'],label,strong" "English headings and words; --chain keeps one"
expect_exit 0 "--lang zh-TW" "$LZ" report "$DB" --year 2023 --chain pet --lang zh-TW -o "$T/r.xlsx"
expect_eq "$(cell 匯總 A1),$(cell pet C2)" "集群,較強" "traditional characters"

# A name that reads as a number stays text: only the figures' columns hold numbers.
printf 'id,uscc,name,chain,division,kind,stage,start_date,planned_completion\nP99,91440703MA4UC00010,2.50,pet,440703,new,signed,2024-07-12,2051-11-28\n' > "$T/p.csv"
cp "$DB" "$T/db3" && "$LZ" import "$T/db3" projects "$T/p.csv" > /dev/null || fail "import project 2.50"
expect_exit 0 "report with a project named 2.50" "$LZ" report "$T/db3" --year 2023 --chain pet --date 2024-06-30 -o "$T/r.xlsx"
expect_eq "$(book 'repr(wb["pet"]["B9"].value)')" "'2.50'" "the project's name is text"

# A chain with no segments yet gets its sheet without a chart of nothing.
printf 'code,cluster,name,lead_divisions,source\nzzz,app,x,440704,assumed\n' > "$T/z.csv"
cp "$DB" "$T/db4" && "$LZ" import "$T/db4" chains "$T/z.csv" > /dev/null || fail "import chain zzz"
expect_exit 0 "report with a chain without segments" "$LZ" report "$T/db4" --year 2023 -o "$T/r.xlsx"
expect_eq "$(book '[len(ws._charts) for ws in wb.worksheets]')" "[2, 2, 2, 2, 2, 1]" "no segment chart on the chain without segments"

# A chain whose code Excel cannot take as a sheet name (here the English summary's own) is bad
# input with its code named, and leaves no half-written file.
printf 'code,cluster,name,lead_divisions,source\nsummary,app,x,440704,assumed\n' > "$T/chain.csv"
cp "$DB" "$T/db2" && "$LZ" import "$T/db2" chains "$T/chain.csv" > /dev/null || fail "import chain summary"
expect_exit 1 "a chain code that cannot name a sheet" "$LZ" report "$T/db2" --year 2023 --lang en -o "$T/s.xlsx"
expect_in "$ERR" "chain summary" "the message names the chain"
[ -e "$T/s.xlsx" ] && fail "no half-written workbook" || pass "no half-written workbook"

# Refusals.
expect_exit 2 "no -o: a usage error" "$LZ" report "$DB" --year 2023
expect_in "$ERR" "-o FILE.xlsx" "no -o: the message says to name the file"
expect_exit 2 "-o x.csv: a usage error" "$LZ" report "$DB" --year 2023 -o "$T/x.csv"
expect_in "$ERR" ".xlsx" "-o x.csv: the message names the extension"
[ -e "$T/x.csv" ] && fail "-o x.csv: nothing written" || pass "-o x.csv: nothing written"
expect_exit 2 "no --year: a usage error" "$LZ" report "$DB" -o "$T/y.xlsx"
expect_exit 1 "an unknown chain" "$LZ" report "$DB" --year 2023 --chain nope -o "$T/y.xlsx"

finish
