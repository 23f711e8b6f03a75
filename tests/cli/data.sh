#!/usr/bin/env bash
# CLI tests of the foundation: init, import (good and every kind of bad input), export,
# round trips, check, schema versions, help and exit codes.
. "$(dirname "$0")/lib.bash"

# ---- init ----
expect_exit 0 "init creates a database" "$LZ" init "$T/a.db"
expect_exit 1 "init refuses an existing file" "$LZ" init "$T/a.db"
expect_in "$ERR" "already exists" "init says the file exists"
expect_exit 2 "init without a path is a usage error" "$LZ" init
expect_exit 1 "a missing database is bad input" "$LZ" export "$T/none.db" divisions
expect_in "$ERR" "lianzhang init" "the missing-database message says how to create one"

# ---- a good import of every table ----
if load_good "$T/good.db"; then pass "every table of the good fixture imports"; else fail "every table of the good fixture imports"; fi
expect_exit 0 "check passes on the good data" "$LZ" check "$T/good.db"
run "$LZ" export "$T/good.db" enterprises
expect_in "$OUT" '"江门示例电芯有限公司, 二期"' "export quotes a field with a comma"
expect_in "$OUT" "91440704MA4UA00022,江门示例负极材料有限公司,440704,江海区,3985,2018-06-30,true,main" "booleans are exported canonically (是 -> true)"
run "$LZ" export "$T/good.db" indicators
expect_in "$OUT" "91440705MA4UA0003K,\"江门示例电芯有限公司, 二期\",2021,,,,,,,false," "unknown values stay empty, not 0"

# ---- re-import is an update, and a no-op on content ----
dump "$T/good.db" > "$T/before.txt"
run "$LZ" import "$T/good.db" enterprises "$FIX/good/enterprises.csv"
expect_in "$OUT" "(0 inserted, 5 updated)" "re-import updates by natural key"
dump "$T/good.db" > "$T/after.txt"
if cmp -s "$T/before.txt" "$T/after.txt"; then pass "re-import leaves the data unchanged"; else fail "re-import leaves the data unchanged"; fi

# ---- round trips through every export format ----
for fmt in csv json xlsx; do
  "$LZ" init "$T/rt-$fmt.db" > /dev/null
  ok=1
  for t in $TABLE_ORDER; do
    "$LZ" export "$T/good.db" "$t" -o "$T/$t.$fmt" && "$LZ" import "$T/rt-$fmt.db" "$t" "$T/$t.$fmt" > /dev/null || { ok=0; echo "  round trip $fmt failed at $t"; }
  done
  dump "$T/rt-$fmt.db" > "$T/rt-$fmt.txt"
  if [ $ok = 1 ] && cmp -s "$T/before.txt" "$T/rt-$fmt.txt"; then pass "import(export(x)) = x via $fmt"; else fail "import(export(x)) = x via $fmt" "$(diff "$T/before.txt" "$T/rt-$fmt.txt" | head -10)"; fi
done
run file "$T/enterprises.xlsx"
expect_in "$OUT" "Microsoft" "xlsx export is a real workbook"

# ---- bad files: each reported as FILE:LINE: COLUMN: reason, and nothing written ----
bad_case() { # NAME TABLE CONTENT EXPECTED-MESSAGE
  local name=$1 table=$2 content=$3 want=$4
  printf '%b' "$content" > "$T/$table.csv"
  dump "$T/good.db" > "$T/pre.txt"
  run "$LZ" import "$T/good.db" "$table" "$T/$table.csv"
  if [ "$RC" -eq 1 ] && printf '%s' "$ERR" | grep -qF -- "$want"; then pass "bad input: $name"; else fail "bad input: $name" "exit $RC" "stderr: $ERR" "expected: $want"; fi
  dump "$T/good.db" > "$T/post.txt"
  cmp -s "$T/pre.txt" "$T/post.txt" || fail "nothing written after: $name"
}
H=uscc,name,division,industry_code,founded,local,listing_board
bad_case "wrong USCC check character" enterprises "$H\n91440703MA4UA0001G,a,440703,,,true,none\n91440703MA4UA0001X,b,440703,,,true,none\n" \
  "enterprises.csv:3: uscc: check character is 'X', expected 'G'"
bad_case "USCC of the wrong length" enterprises "$H\n9144,a,440703,,,true,none\n" "enterprises.csv:2: uscc: must be 18 characters, got 4"
bad_case "unknown column" enterprises "$H,colour\n91440703MA4UA0001G,a,440703,,,true,none,red\n" "enterprises.csv:1: colour: unknown column of enterprises"
bad_case "a new row without a required column" divisions "code\n440799\n" "divisions.csv:2: name: required column is missing (a new row needs it)"
bad_case "empty required field" enterprises "$H\n91440703MA4UA0001G,,440703,,,true,none\n" "enterprises.csv:2: name: is required"
bad_case "bad enum value" enterprises "$H\n91440703MA4UA0001G,a,440703,,,true,nasdaq\n" "enterprises.csv:2: listing_board: 'nasdaq' is not one of none (未上市), main (主板), star (科创板)"
bad_case "bad boolean" enterprises "$H\n91440703MA4UA0001G,a,440703,,,maybe,none\n" "enterprises.csv:2: local: 'maybe' is not a boolean"
bad_case "bad date" enterprises "$H\n91440703MA4UA0001G,a,440703,,2021-02-30,true,none\n" "enterprises.csv:2: founded: '2021-02-30' is not a calendar day"
bad_case "unknown division" enterprises "$H\n91440703MA4UA0001G,a,440799,,,true,none\n" "enterprises.csv:2: division: '440799' does not exist in divisions"
bad_case "local enterprise without division" enterprises "$H\n91440703MA4UA0001G,a,,,,true,none\n" "enterprises.csv:2: division: is required for a local enterprise"
bad_case "row with too many fields" enterprises "$H\n91440703MA4UA0001G,a,440703,,,true,none,extra\n" "enterprises.csv:2: has 8 fields, the header has 7"
bad_case "duplicate key in one file" enterprises "$H\n91440703MA4UA0001G,a,440703,,,true,none\n91440703MA4UA0001G,b,440703,,,true,none\n" "enterprises.csv:3: uscc: the same key (uscc=91440703MA4UA0001G) is on an earlier row"
bad_case "unterminated quote" enterprises "$H\n91440703MA4UA0001G,\"a,440703,,,true,none\n" "enterprises.csv:2: quoted field 2 is never closed"
bad_case "invalid UTF-8" enterprises "$H\n91440703MA4UA0001G,\xff\xfe,440703,,,true,none\n" "enterprises.csv:2: the file is neither UTF-8 nor GB18030 (GBK) text"
bad_case "empty file" enterprises "" "enterprises.csv:1: the file is empty"
I=uscc,year,output_value,revenue,value_added,tax_paid,rd_expense,employees,above_scale,new_fixed_asset_investment
bad_case "money with three decimals" indicators "$I\n91440703MA4UA0001G,2023,1.234,,,,,,,\n" "indicators.csv:2: output_value: more than 2 decimals in '1.234'"
bad_case "negative money" indicators "$I\n91440703MA4UA0001G,2023,-5,,,,,,,\n" "indicators.csv:2: output_value: must not be negative"
bad_case "money overflow" indicators "$I\n91440703MA4UA0001G,2023,999999999999999999999,,,,,,,\n" "indicators.csv:2: output_value: '999999999999999999999' is too large"
bad_case "year out of range" indicators "$I\n91440703MA4UA0001G,1850,,,,,,,,\n" "indicators.csv:2: year: 1850 is outside the safe range 1990..2100"
bad_case "unknown enterprise" indicators "$I\n91440781MA4UA0004Q,2023,,,,,,,,\n91440703MA4UA0001X,2023,,,,,,,,\n" "indicators.csv:3: uscc: check character is 'X', expected 'G'"
bad_case "reference to a missing enterprise" indicators "$I\n91440703MA4UA00060,2023,,,,,,,,\n" "indicators.csv:2: uscc: '91440703MA4UA00060' does not exist in enterprises"
C=code,cluster,name,lead_department,lead_divisions,leader,source
bad_case "three lead divisions" chains "$C\nx,new_materials,X,,440703;440704;440705,,assumed\n" "chains.csv:2: lead_divisions: needs 1 to 2 items separated by ';', got 3"
bad_case "no lead division" chains "$C\nx,new_materials,X,,,,assumed\n" "chains.csv:2: lead_divisions: is required"
M=uscc,chain,segment,role
bad_case "segment of another chain" memberships "$M\n91440703MA4UA0001G,appliance_smart,cathode,member\n" "memberships.csv:2: segment: 'cathode' is not a segments of chain 'appliance_smart'"
P=id,uscc,name,chain,division,kind,total_investment,fixed_asset_investment,equipment_investment,approved_equipment_purchase,stage,start_date,planned_completion,completion_date,key,new_investment,plot_ratio,land_use
bad_case "equipment above fixed-asset investment" projects "$P\nP9,91440703MA4UA0001G,x,,,new,10,5,6,,signed,,,,,,,\n" "projects.csv:2: fixed_asset_investment: is smaller than equipment_investment"
bad_case "completion date on an unfinished project" projects "$P\nP9,91440703MA4UA0001G,x,,,new,,,,,signed,,,2022-01-01,,,,\n" "projects.csv:2: completion_date: is set but stage is 'signed'"
printf 'code,name\n440799,x\n' > "$T/divisions.txt"
expect_exit 1 "an unknown file type is refused" "$LZ" import "$T/good.db" divisions "$T/divisions.txt"
expect_exit 2 "an unknown table is a usage error" "$LZ" import "$T/good.db" nosuch "$FIX/good/divisions.csv"
expect_in "$ERR" "enterprises  uscc*,name" "the unknown-table message lists the tables and columns"

# many errors: the first 50 are listed, the rest counted, in one run
{ echo "$I"; for i in $(seq 1 60); do echo "91440703MA4UA0001G,$((2030 + i)),x,,,,,,,"; done; } > "$T/indicators.csv"
run "$LZ" import "$T/good.db" indicators "$T/indicators.csv"
expect_eq "$(printf '%s\n' "$ERR" | grep -c 'output_value')" "50" "up to 50 errors are listed"
expect_in "$ERR" "... and 10 more errors" "the rest are counted"

# references inside one file resolve in any order (a segment feeding a later one)
printf 'chain,code,name,stage,feeds,source\nbattery,recycle_a,回收,downstream,recycle_b,assumed\nbattery,recycle_b,再生,downstream,,assumed\n' > "$T/segments.csv"
expect_exit 0 "a reference to a row later in the same file resolves" "$LZ" import "$T/good.db" segments "$T/segments.csv"
printf 'chain,code,name,stage,feeds,source\nbattery,recycle_c,回收,downstream,nowhere,assumed\n' > "$T/segments.csv"
expect_exit 1 "a list reference to nothing is refused" "$LZ" import "$T/good.db" segments "$T/segments.csv"
expect_in "$ERR" "segments.csv:2: feeds: 'nowhere' is not a segments of chain 'battery'" "the dangling list item is named"

# CRLF + BOM + quoted newline, as Excel writes
printf '\xef\xbb\xbfid,uscc,chain,category,summary,department,opened,due,status,resolved,outcome\r\nA-9,91440705MA4UA0003K,battery,land,"第一行\r\n第二行",市自然资源局,2022-02-01,,open,,\r\n' > "$T/appeals.csv"
expect_exit 0 "a BOM, CRLF and a quoted newline import" "$LZ" import "$T/good.db" appeals "$T/appeals.csv"
run "$LZ" export "$T/good.db" appeals --format json
expect_in "$OUT" '"summary":"第一行\r\n第二行"' "the quoted newline is kept"

# ---- check finds what other writers broke ----
cp "$T/good.db" "$T/broken.db"
sqlite3 "$T/broken.db" "PRAGMA foreign_keys=OFF; UPDATE enterprises SET division='449999' WHERE uscc='91440781MA4UA0004Q'; UPDATE indicators SET revenue=-5 WHERE year=2022; UPDATE chains SET lead_divisions='440703;440999' WHERE code='battery';"
expect_exit 1 "check reports problems with exit 1" "$LZ" check "$T/broken.db"
expect_in "$OUT" "enterprises: 91440781MA4UA0004Q: division: '449999' does not exist in divisions" "check names a dangling reference"
expect_in "$OUT" "indicators: 91440703MA4UA0001G/2022: revenue: must not be negative" "check names an impossible value"
expect_in "$OUT" "chains: battery: lead_divisions: '440999' does not exist in divisions" "check follows ';'-list references"

# ---- the indicators' packs (docs/analysis.md): kept by the store, dropped by another program's write ----
packs="SELECT group_concat(year || ':' || n, ' ') FROM (SELECT year, sum(rows) AS n FROM indicator_packs GROUP BY year ORDER BY year)"
rows="SELECT group_concat(year || ':' || n, ' ') FROM (SELECT year, count(*) AS n FROM indicators GROUP BY year ORDER BY year)"
cp "$T/good.db" "$T/packs.db"
expect_eq "$(sqlite3 "$T/packs.db" "$packs")" "$(sqlite3 "$T/packs.db" "$rows")" "each year's packs hold its rows"
sqlite3 "$T/packs.db" "UPDATE indicators SET employees = 1 WHERE year = 2022"
expect_eq "$(sqlite3 "$T/packs.db" "SELECT count(*) FROM indicator_packs WHERE year = 2022")" "0" "another program's write drops its year's packs"
expect_exit 0 "check passes after it" "$LZ" check "$T/packs.db"
expect_eq "$(sqlite3 "$T/packs.db" "$packs")" "$(sqlite3 "$T/packs.db" "$rows")" "the next read-write open packs the year again"
sqlite3 "$T/packs.db" "UPDATE indicator_packs SET rows = (SELECT rows FROM indicator_packs WHERE year = 2021), data = (SELECT data FROM indicator_packs WHERE year = 2021) WHERE year = 2022"
expect_exit 1 "packs changed past the store are a problem" "$LZ" check "$T/packs.db"
expect_in "$OUT" "indicator_packs: 2022: the packs differ from the year's rows at 9144" "check names the year and where"
expect_in "$OUT" "rebuilt from the rows" "and says they were rebuilt"
expect_exit 0 "check passes once they are" "$LZ" check "$T/packs.db"

# ---- schema versions ----
sqlite3 "$T/v1.db" < "$FIX/schema-v1.sql"
expect_exit 0 "an older database is upgraded in place" "$LZ" export "$T/v1.db" divisions
expect_in "$OUT" "440703,蓬江区" "the upgraded database keeps its rows"
latest=$(sqlite3 "$T/good.db" "PRAGMA user_version")
expect_eq "$(sqlite3 "$T/v1.db" 'PRAGMA user_version')" "$latest" "the upgrade reaches the latest version"
list_indexes="SELECT group_concat(name || ':' || (SELECT group_concat(name, ',') FROM pragma_index_info(m.name)), ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_by_%' ORDER BY name) m"
expect_eq "$(sqlite3 "$T/v1.db" "$list_indexes")" "enterprises_by_division_founded:division,founded,uscc enterprises_by_division_name:division,name,uscc enterprises_by_founded:founded,uscc enterprises_by_name:name,uscc indicators_by_year_output_value:year,output_value,uscc" "version 10 indexes the dashboard's orders, the key breaking ties"
expect_eq "$(sqlite3 "$T/v1.db" "SELECT count(*) FROM sqlite_master WHERE name IN ('enterprises_division', 'indicators_year')")" "0" "and drops the single-column indexes they begin with"
expect_eq "$(sqlite3 "$T/good.db" "$list_indexes")" "$(sqlite3 "$T/v1.db" "$list_indexes")" "a new file has the same list indexes as an upgraded one"
cp "$T/good.db" "$T/future.db"
sqlite3 "$T/future.db" "PRAGMA user_version=999"
expect_exit 1 "a newer database is refused" "$LZ" export "$T/future.db" divisions
expect_in "$ERR" "schema version 999 is newer than this binary's $latest" "the refusal names both versions"

# ---- audit entries for imports ----
expect_eq "$(sqlite3 "$T/good.db" "SELECT count(*) FROM audit_log WHERE via LIKE 'import % enterprises %'")" "2" "each successful import is audited once"
expect_eq "$(sqlite3 "$T/good.db" "SELECT count(*) FROM audit_log WHERE after LIKE '%\"sha256\":%'")" "$(sqlite3 "$T/good.db" "SELECT count(*) FROM audit_log")" "import audit entries carry the file's hash"

# ---- the published contract matches the program ----
run "$LZ" columns
if python3 -c 'import sys; doc=open(sys.argv[1]).read(); out=open(sys.argv[2]).read(); sys.exit(0 if out.strip() in doc else 1)' "$LZ_ROOT/docs/data-model.md" "$T/.out"; then
  pass "docs/data-model.md holds exactly what 'lianzhang columns' prints"
else
  fail "docs/data-model.md holds exactly what 'lianzhang columns' prints" "regenerate its Tables section with: lianzhang columns"
fi
expect_exit 2 "columns of an unknown table is a usage error" "$LZ" columns nosuch

# ---- help and usage ----
expect_exit 0 "--help lists commands" "$LZ" --help
for c in init import export check columns; do
  expect_exit 0 "$c --help" "$LZ" "$c" --help
  expect_in "$OUT" "lianzhang $c" "$c --help shows its usage"
done
expect_exit 2 "an unknown command is a usage error" "$LZ" frobnicate
expect_exit 2 "no command is a usage error" "$LZ"
expect_exit 2 "an unknown export format is a usage error" "$LZ" export "$T/good.db" divisions --format pdf

# ---- a long import says how far it has got, on a terminal only (script(1) gives it one) ----
/usr/bin/python3 -c 'print("code,name"); [print(f"{100000 + i},区{i}") for i in range(20000)]' > "$T/many.csv"
"$LZ" init "$T/many.db" > /dev/null
tty_out=$(LANG=C script -qec "$LZ import $T/many.db divisions $T/many.csv" /dev/null)
expect_in "$tty_out" "已读取 20000 行" "on a terminal, import counts the rows it has read"
"$LZ" init "$T/many2.db" > /dev/null
run "$LZ" import "$T/many2.db" divisions "$T/many.csv"
expect_eq "$ERR" "" "in a pipe it says nothing"
expect_in "$OUT" "divisions: 20000 rows" "and imports the same rows"

finish
