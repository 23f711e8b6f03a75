#!/usr/bin/env bash
# Explanations an official can sign: the zh-CN and zh-TW explanations of the reference data's
# whole 2021–2024 run contain none of the rule language's identifiers, and a few typical cases are
# compared with reviewed text (fixtures/explanations/NAME.LANG.txt: year, enterprise and policy
# below).
. "$(dirname "$0")/lib.bash"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
POLICIES="$ROOT/policies/jiangmen"

# ---- the word list: every identifier the rule files use outside quoted text ----
words=$(grep -hE '^(applies|require|amount|when|otherwise|let|param|cap|bonus|pool|round|missing|subject|valid) ' "$POLICIES"/*.policy |
  sed -E 's/"([^"\\]|\\.)*"//g' | grep -oE '[A-Za-z_][A-Za-z_0-9]*' | sort -u)
count=$(printf '%s\n' "$words" | wc -l)
if [ "$count" -ge 60 ]; then pass "the word list holds the rule language's identifiers ($count)"; else fail "the word list is too short" "$count words"; fi
printf '%s\n' "$words" > "$T/words"

"$LZ" demo "$T/ref.db" --enterprises 300 > /dev/null || fail "the reference data loads"
for lang in zh-CN zh-TW en; do
  for y in 2021 2022 2023 2024; do
    "$LZ" awards "$T/ref.db" --year "$y" --all --format json --lang "$lang"
  done | /usr/bin/python3 -c 'import json, sys
dec = json.JSONDecoder(); text = sys.stdin.read(); i = 0
while i < len(text):
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    doc, i = dec.raw_decode(text, i)
    for r in doc["results"]: print(r["explanation"])' > "$T/$lang.txt"
done
# every identifier of the list that stands as a word of its own (not inside a code like a USCC)
found() { grep -owE -f <(sed 's/.*/\\b&\\b/' "$T/words") "$1" | sort | uniq -c | sort -rn | head -5; }
for lang in zh-CN zh-TW; do
  lines=$(wc -l < "$T/$lang.txt")
  hits=$(found "$T/$lang.txt")
  if [ "$lines" -gt 1000 ] && [ -z "$hits" ]; then
    pass "$lang: $lines lines of explanations, 2021–2024, without an identifier of the rule language"
  else
    fail "$lang: explanations hold rule identifiers (or too few lines: $lines)" "$hits"
  fi
done
# the oracle can fail: English explanations name parameters by their code names
if [ -n "$(found "$T/en.txt")" ]; then pass "the word list finds identifiers where they are (English)"; else fail "the word list finds nothing even in English"; fi
hits=$(grep -oE 'not\(|known\(|first_year\(|in\(|position [0-9]|employer\.|owner\.' "$T/zh-CN.txt" "$T/zh-TW.txt" | sort -u | head -3)
if [ -z "$hits" ]; then pass "no rule syntax: not(...), known(...), first_year(...), position, employer."; else fail "rule syntax in explanations" "$hits"; fi

# ---- golden explanations of typical cases, on the policy fixtures ----
load_policy_fixtures "$T/fix.db" || fail "the policy fixtures load"
while read -r name year uscc policy lang; do
  run "$LZ" explain "$T/fix.db" --year "$year" --enterprise "$uscc" --policy "$policy" --lang "$lang"
  if [ "$RC" -eq 0 ] && diff -u "$FIX/explanations/$name.txt" "$T/.out" > "$T/diff"; then
    pass "golden explanation: $name"
  else
    fail "golden explanation: $name" "$(head -20 "$T/diff")"
  fi
done <<'CASES'
tech_upgrade_capped.zh-CN 2022 91440704142740223L miit.tech_upgrade zh-CN
tech_upgrade_capped.en 2022 91440704142740223L miit.tech_upgrade en
executive_iit_wage_not_above.zh-TW 2022 91440704142740223L talent.executive_iit zh-TW
above_scale_second_year.zh-CN 2023 914407814033488967 miit.above_scale zh-CN
chain_master_pending.zh-CN 2022 914407816639575679 miit.chain_master zh-CN
lease_first.zh-TW 2022 91440704142740223L land.lease_first zh-TW
CASES

# ---- a policy whose scope leaves the enterprise out says which part ----
A=914407816639575679 C=91440704142740223L
run "$LZ" explain "$T/fix.db" --year 2022 --enterprise "$A" --policy finance.listing --lang zh-TW
expect_in "$OUT" "結論：不在本政策適用範圍（適用範圍：事項類型 鏈主企業認定，不屬於股改、輔導備案、申報受理、已上市）" "an event of another kind: the scope's part that excludes it"
run "$LZ" explain "$T/fix.db" --year 2023 --enterprise "$C" --policy miit.tech_upgrade
expect_in "$OUT" "项目 P1「Line upgrade」" "each subject of the enterprise is named"
expect_in "$OUT" "实际竣工日期 2021-06-30 的年份 = 2021 不等于要求的 (奖励年度 2023 - 1) = 2022" "a project completed in another year"
run "$LZ" explain "$T/fix.db" --year 2022 --enterprise "$A" --policy miit.tech_upgrade
expect_in "$OUT" "中小企业技术改造事后奖补：该企业没有可适用的项目记录" "no subject of the policy's kind on record"
run "$LZ" explain "$T/fix.db" --year 2027 --enterprise "$C" --policy miit.above_scale
expect_in "$OUT" "本政策不适用于该奖励年度 2027" "a policy not in force that year says so"
expect_in "$OUT" "适用奖励年度：2021–2025（原文）" "with the award years in force and their source"
expect_eq "$RC" "0" "an explanation of no result is not an error"

# ---- a rate approved below the article's maximum (不超過10%) is used, and said so ----
printf 'id,uscc,name,kind,stage,approved_award_rate\nP2,%s,Press upgrade,tech_upgrade,completed,8\n' "$C" > "$T/rate.csv"
"$LZ" import "$T/fix.db" projects "$T/rate.csv" > /dev/null || fail "an approved rate is imported"
run "$LZ" awards "$T/fix.db" --year 2022 --policy miit.tech_upgrade --format csv
expect_in "$OUT" "miit.tech_upgrade,中小企业技术改造事后奖补,市工信局,project,P2,$C,Test Enterprise C,eligible,987654.31" "8% of 12,345,678.90 instead of the maximum 10%"
run "$LZ" explain "$T/fix.db" --year 2022 --enterprise "$C" --policy miit.tech_upgrade
expect_in "$OUT" "档次 2：按核定奖补比例计付（不超过10%）" "the explanation says the approved rate was used"
expect_in "$OUT" "较小值(奖补比例 10%，(核定奖补比例（%） 8 × 1%) = 8%) = 8%" "never above the maximum"
finish
