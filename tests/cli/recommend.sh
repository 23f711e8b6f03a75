#!/usr/bin/env bash
# Whom to bring in (`targets recommend`) on the analysis fixtures plus one outside supplier, with
# every rank and figure worked out by hand below (tests/cli/fixtures/recommend).
#
# Chain bat, year 2023: its local chain master A (mat) and backbone D (cell; member on rec). The
# diagnosis labels pack missing, mat, cell and rec thin (tests/cli/analysis.sh).
# Outside suppliers they bought from:
#   Z (子外地电池包, placed on pack): A 5.00 + D 8.00 = 13.00; missing segment: rank 1. The chain
#     master A names it although the backbone D bought more.
#   H (辛外地材料, on mat): A 200.00; thin: rank 2.
#   E (戊外地电芯, on cell): D 40.00; thin: rank 3. E->G 10.00 does not count (G is a member).
#   W (丑外地电芯, on cell): D 40.00 too, the same label and amount as E: rank 4 by its higher USCC.
#   X (壬外地贸易, on no segment): D 100.00; ranks last although it outweighs E and W.
# Not candidates: local suppliers (A->D 60.00), A->D 999.00 of 2022.
# Stale targets on 2024-04-01: T1 updated 2024-01-01 (91 days: stale), T2 2024-01-02 (90: not
# yet), T3 2024-01-03 (89), T8 2023-06-30 (276: stale, listed first as the oldest); T4 landed and
# T5 lost long ago, T6 of chain pet, T7 with no date: never listed.
. "$(dirname "$0")/lib.bash"
RF="$FIX/recommend"
export LIANZHANG_POLICIES="$T/no-policies" # the built-in thresholds
DB="$T/db"

"$LZ" init "$DB" > /dev/null || fail "init"
for t in divisions clusters chains segments enterprises memberships indicators supply_links targets; do
  "$LZ" import "$DB" "$t" "$RF/$t.csv" > /dev/null || fail "import $t"
done

jqx() { printf '%s' "$OUT" | jq -c "$1"; }

expect_exit 0 "targets recommend runs" "$LZ" targets recommend "$DB" --year 2023 --chain bat --date 2024-04-01
expect_eq "$(jqx '[.year, .date, .chain.code, .chain.name]')" '[2023,"2024-04-01","bat","新能源电池"]' "the request and the chain"
expect_eq "$(jqx '[.candidates[] | [.rank, .name, .amount]]')" \
  '[[1,"子外地电池包","13.00"],[2,"辛外地材料","200.00"],[3,"戊外地电芯","40.00"],[4,"丑外地电芯","40.00"],[5,"壬外地贸易","100.00"]]' \
  "missing before thin before unplaced, then by amount, then by USCC; members' purchases left out"
expect_eq "$(jqx '[.candidates[] | [(.segments | map(.code + ":" + .label)), .recommended_by.uscc, .recommended_by.role]]')" \
  '[[["pack:missing"],"91440703MA4UC00010","chain_master"],[["mat:thin"],"91440703MA4UC00010","chain_master"],[["cell:thin"],"91440704MA4UC0004P","backbone"],[["cell:thin"],"91440704MA4UC0004P","backbone"],[[],"91440704MA4UC0004P","backbone"]]' \
  "segments with their labels; recommended by the chain master before a backbone that bought more"
expect_eq "$(jqx '.candidates[0] | [.buyers[] | [.name, .role, .amount]]')" \
  '[["甲正极","chain_master","5.00"],["丁电芯","backbone","8.00"]]' "each buyer with its amount"
expect_eq "$(jqx '.candidates[0].reasons')" \
  '["位于本链电池包环节（缺失）","链主甲正极于2023年向其采购5.00元","骨干企业丁电芯于2023年向其采购8.00元"]' \
  "reasons in zh-CN by default"
expect_eq "$(jqx '.candidates[4].reasons[0]')" '"未列入本链任何环节"' "a supplier on no segment says so"
expect_eq "$(jqx '[.stale_targets[] | [.id, .days_idle, .updated]]')" '[["T8",276,"2023-06-30"],["T1",91,"2024-01-01"]]' \
  "stale: 91 days yes, 90 and 89 not; landed, lost, other chains and undated never; oldest first"
expect_eq "$(jqx '.stale_targets[1] | [.segment, .stage, .owner, .reasons]')" '["mat","contacted","张三",["已91天未更新（超过90天）"]]' \
  "a stale target with its figures and reason"

run "$LZ" targets recommend "$DB" --year 2023 --chain bat --date 2024-04-02
expect_eq "$(jqx '[.stale_targets[].id]')" '["T8","T1","T2"]' "a day later the 90-day target is stale too"
run "$LZ" targets recommend "$DB" --year 2023 --chain bat --date 2024-04-01 --lang en
expect_eq "$(jqx '.candidates[1].reasons')" '["on the chain'"'"'s segment 正极材料 (thin)","chain master 甲正极 bought 200.00 yuan from it in 2023"]' \
  "reasons in English"
run "$LZ" targets recommend "$DB" --year 2023 --chain bat --date 2024-04-01 --lang zh-TW
expect_eq "$(jqx '.candidates[2].reasons')" '["位於本鏈电芯環節（薄弱）","骨幹企業丁电芯於2023年向其採購40.00元"]' "reasons in zh-TW"
run "$LZ" targets recommend "$DB" --year 2022 --chain bat --date 2024-04-01
expect_eq "$(jqx '.candidates')" '[]' "another year: no outside purchases"

expect_exit 1 "an unknown chain is bad input" "$LZ" targets recommend "$DB" --year 2023 --chain nope
expect_in "$ERR" "nope" "the message names the chain"
expect_exit 2 "--chain is required" "$LZ" targets recommend "$DB" --year 2023
expect_exit 2 "an unknown subcommand is usage" "$LZ" targets list "$DB" --year 2023 --chain bat
expect_exit 1 "a bad date is bad input" "$LZ" targets recommend "$DB" --year 2023 --chain bat --date 2024-13-01
finish
