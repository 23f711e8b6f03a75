#!/usr/bin/env bash
# `lianzhang awards --format table` (the view for a terminal) on the policy fixtures, checked
# against the CSV contract of the same run: the same rows, amounts grouped by thousands, and a
# total of the eligible amounts only. Then the refusals of the awards command: an unknown format,
# xlsx without a file, a policy that does not exist, recording a run of one enterprise.
. "$(dirname "$0")/lib.bash"
export LIANZHANG_POLICIES="$(cd "$(dirname "$0")/../.." && pwd)/policies/jiangmen"
C=91440704142740223L

load_policy_fixtures "$T/db" || fail "the policy fixtures load"

run "$LZ" awards "$T/db" --year 2022 --format csv --all
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
CSV=$OUT
run env LANG=C "$LZ" awards "$T/db" --year 2022 --format table
TABLE=$OUT
expect_eq "$(printf '%s\n' "$TABLE" | head -1 | tr -s ' ')" "政策 政策名称 对象 对象编号 统一社会信用代码 结论 金额（元）" \
  "the table's headings in Chinese by default"
# The table's rows are the CSV's shown rows (all but not_eligible), amounts grouped by thousands.
want=$(printf '%s\n' "$CSV" | awk -F, 'NR > 1 && $5 != "not_eligible" {
  n = split($6, p, "."); w = p[1]; g = "";
  while (length(w) > 3) { g = "," substr(w, length(w) - 2) g; w = substr(w, 1, length(w) - 3) }
  print $1, $3, $4, w g "." p[2] }')
got=$(printf '%s\n' "$TABLE" | sed '1d;$d' | awk '{ print $1, $4, $5, $NF }')
expect_eq "$got" "$want" "table rows are the CSV rows with grouped amounts"
expect_in "$TABLE" "miit.tech_upgrade    中小企业技术改造事后奖补     项目 P2                 $C 符合条件   1,234,567.89" \
  "the policy's name and words for subject and status beside the codes"
# Every line has the same display width up to the amount's end: Chinese characters count two columns.
widths=$(printf '%s\n' "$TABLE" | sed '$d' | /usr/bin/python3 -c 'import sys, unicodedata
for line in sys.stdin:
    line = line.rstrip("\n")
    print(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line))' | sort -u)
expect_eq "$widths" "$(printf '%s\n' "$widths" | head -1)" "columns line up by display width (one width for every line)"
# The total is of eligible amounts only (pending ones count nothing), summed in fen.
total=$(printf '%s\n' "$CSV" | awk -F, 'NR > 1 && $5 == "eligible" { split($6, p, "."); fen += p[1] * 100 + p[2] }
  END { printf "%d.%02d", fen / 100, fen % 100 }')
expect_eq "$total" "4634567.89" "the CSV's eligible amounts sum to 4,634,567.89"
expect_eq "$(printf '%s\n' "$TABLE" | tail -1)" "符合条件合计：4,634,567.89" "the table ends with the total of eligible amounts"
run "$LZ" awards "$T/db" --year 2022 --format table --all --lang en
expect_in "$OUT" "P3                 $C not eligible          0.00" "--all shows not-eligible rows at 0.00"
expect_eq "$(printf '%s\n' "$OUT" | tail -1)" "total eligible: 4,634,567.89" "and they add nothing to the total"
expect_eq "$(printf '%s\n' "$OUT" | head -1 | tr -s ' ')" "policy name subject subject_id uscc status amount (yuan)" "--lang en: English headings, the amount's unit said"
run env LANG=zh_TW.UTF-8 "$LZ" awards "$T/db" --year 2022
expect_in "$OUT" "符合條件合計：4,634,567.89" "LANG=zh_TW chooses traditional Chinese"
run env LANG=en_US.UTF-8 "$LZ" policy list
expect_in "$OUT" "miit.tech_upgrade" "policy list in English under LANG=en_US"
expect_in "$OUT" "Technical upgrade: post-completion award" "with the English names"
run env LANG=C "$LZ" policy list
starts=$(printf '%s\n' "$OUT" | /usr/bin/python3 -c 'import sys, unicodedata
def w(s): return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
for line in sys.stdin:
    line = line.rstrip("\n")
    print(w(line) - w(line.split()[-1]))' | sort -u)
expect_eq "$(printf '%s\n' "$starts" | wc -l)" "1" "the name column starts at one display column on every line"
expect_in "$OUT" "finance.listing" "policy list in Chinese"
expect_in "$OUT" "企业上市奖励（含假设参数）" "names in Chinese, assumed parameters flagged"

# ---- amounts in 万元 for a person who reads them so, exact to the fen ----
run env LANG=C "$LZ" awards "$T/db" --year 2022 --unit 万元
expect_eq "$(printf '%s\n' "$OUT" | head -1 | tr -s ' ' | awk '{ print $NF }')" "金额（万元）" "the amount column says its unit"
expect_in "$OUT" "项目 P2                 $C 符合条件     123.456789" "1,234,567.89 yuan is 123.456789 万元, nothing rounded away"
expect_eq "$(printf '%s\n' "$OUT" | tail -1)" "符合条件合计：463.456789" "and so is the total"
run "$LZ" awards "$T/db" --year 2022 --unit wan --lang en
expect_in "$OUT" "amount (10,000 yuan)" "the pinyin unit, in English"
expect_exit 2 "--unit with CSV is refused: the CSV contract is yuan" "$LZ" awards "$T/db" --year 2022 --unit 万元 --format csv
expect_in "$ERR" "CSV, JSON and XLSX keep yuan" "saying why"
expect_exit 2 "an unknown unit is a usage error" "$LZ" awards "$T/db" --year 2022 --unit 千元
expect_in "$ERR" "--unit: 元, 万元 or 亿元 (yuan, wan, yi), not '千元'" "naming the units it takes"

# ---- a status line on a terminal only (script(1) gives the command a terminal) ----
tty_out=$(LANG=C script -qec "$LZ awards $T/db --year 2022 --format csv -o $T/tty.csv" /dev/null)
expect_in "$tty_out" "正在读取数据并计算 2022 年度奖励" "on a terminal, awards says what it is doing"
run "$LZ" awards "$T/db" --year 2022 --format csv -o "$T/pipe.csv"
expect_eq "$ERR" "" "in a pipe it says nothing"
expect_eq "$(cat "$T/tty.csv")" "$(cat "$T/pipe.csv")" "and writes the same file"

# ---- refusals ----
expect_exit 2 "an unknown --format is a usage error" "$LZ" awards "$T/db" --year 2022 --format yaml
expect_in "$ERR" "unknown format 'yaml' (table, csv, json, xlsx)" "the message lists the formats"
expect_exit 2 "--format xlsx without -o is a usage error" "$LZ" awards "$T/db" --year 2022 --format xlsx
expect_in "$ERR" "--format xlsx needs -o FILE.xlsx" "the message says what is missing"
expect_exit 1 "--format xlsx into a folder that does not exist is bad input" \
  "$LZ" awards "$T/db" --year 2022 --format xlsx -o "$T/no/such/folder/a.xlsx"
expect_in "$ERR" "$T/no/such/folder/a.xlsx" "the message names the file"
expect_exit 1 "--policy naming no policy is bad input" "$LZ" awards "$T/db" --year 2022 --policy no.such
expect_in "$ERR" "no policy no.such in" "the message names the policy"
expect_exit 2 "--record of a run filtered to one enterprise is refused" \
  "$LZ" awards "$T/db" --year 2022 --enterprise "$C" --record
expect_in "$ERR" "--record records a whole year (or one --policy), not one --enterprise" "the message says why"
expect_eq "$(db_sql "$T/db" 'SELECT count(*) FROM awards')" "0" "and nothing was recorded"
finish
