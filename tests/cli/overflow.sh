#!/usr/bin/env bash
# A figure out of range (value added of 10^15 yuan) overflows a rule's arithmetic: that subject is
# undetermined, its explanation names the rule's FILE:LINE, and every other subject of the year
# still gets its award (the whole year's run once failed for everyone).
. "$(dirname "$0")/lib.bash"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export LIANZHANG_POLICIES="$ROOT/policies/jiangmen"
A=914407816639575679
B=914407814033488967
C=91440704142740223L

load_policy_fixtures "$T/db" || fail "the policy fixtures load"
# C was first above size in 2020: its 2022 award compares value added of 2021 with 110% of 2020's.
# Import refuses a figure beyond the safe range now, so the huge one is written as a database that
# predates the range (or another tool) would hold it: straight into the table, in fen.
printf 'uscc,year,value_added,above_scale,new_fixed_asset_investment\n%s,2020,1000000000000000.00,true,\n' "$C" > "$T/huge.csv"
expect_exit 1 "import refuses a value added of 10^15 yuan" "$LZ" import "$T/db" indicators "$T/huge.csv"
db_sql "$T/db" "UPDATE indicators SET value_added = 100000000000000000 WHERE uscc = '$C' AND year = 2020"
expect_eq "$(db_sql "$T/db" "SELECT value_added FROM indicators WHERE uscc = '$C' AND year = 2020")" "100000000000000000" \
  "the stored figure is 10^15 yuan"
expect_exit 1 "check reports the figure" "$LZ" check "$T/db"
expect_in "$OUT" "value_added: 1000000000000000.00 is outside the safe range" "naming the column, the value and the range"
expect_exit 0 "the year's awards are computed despite one enterprise's huge figure" "$LZ" awards "$T/db" --year 2022 --format csv --all
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts
expect_in "$OUT" "miit.above_scale,enterprise,$A,$A,eligible,100000.00" "other enterprises still get their awards"
expect_in "$OUT" "miit.above_scale,enterprise,$B,$B,eligible,100000.00" "every other enterprise"
expect_in "$OUT" "miit.tech_upgrade,project,P1,$C,eligible,3000000.00" "its awards under other policies stand"
expect_in "$OUT" "miit.above_scale,enterprise,$C,$C,undetermined,0.00" "the enterprise with the huge figure is undetermined"

expect_exit 0 "its explanation" "$LZ" explain "$T/db" --year 2022 --enterprise "$C" --policy miit.above_scale --lang en
expect_in "$OUT" "a figure is out of range (arithmetic overflow): undetermined" "the explanation gives the reason"
place=$(printf '%s\n' "$OUT" | grep -o 'miit\.above_scale\.policy:[0-9]*' | head -1)
line=${place##*:}
if [ -n "$line" ] && sed -n "${line}p" "$LIANZHANG_POLICIES/miit.above_scale.policy" | grep -q value_added; then
  pass "the explanation names the rule's FILE:LINE, a line computing with value added"
else
  fail "the explanation names the rule's FILE:LINE" "place: '$place'" "$OUT"
fi
run "$LZ" awards "$T/db" --year 2022 --format json --lang zh-CN
expect_in "$OUT" "运算溢出" "the JSON awards explain it too (zh-CN)"
finish
