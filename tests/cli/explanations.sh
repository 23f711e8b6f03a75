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
finish
