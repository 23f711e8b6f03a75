#!/usr/bin/env bash
# masters evaluate on a small hand-made chain (tests/cli/fixtures/masters), every figure worked
# out by hand below, with the criteria of fixtures/masters/test.criteria: revenue 50%, tax 30%,
# employees 20%, the rest 0%; revenue floor 100.00; batch of 2 with 1 reserve.
#
# Chain bat, 2023. Confirmed members: A (master) revenue 1000, tax 100, 50 employees; B 600, 60,
# 30; C (reserve master) 200, 70, 90; D revenue 50 (under the floor); E not local. F's membership
# is only proposed: no candidate.
#   revenue:   min 200 max 1000 -> A 1.0000, B 400/800 = 0.5000, C 0.0000
#   tax:       min 60 max 100   -> A 1.0000, B 0.0000, C 10/40 = 0.2500
#   employees: min 30 max 90    -> A 20/60 = 0.3333, B 0.0000, C 1.0000
#   A: 0.5 + 0.3 + 0.2 x 0.3333 = 0.8667 (employees contributes 0.0667)
#   B: 0.5 x 0.5 = 0.2500;  C: 0.3 x 0.25 + 0.2 = 0.2750.  Ranks A 1, C 2, B 3.
# Sensitivity: revenue +20% (weights 60:30:20) gives B 30 against C 27.5: B and C swap;
# employees -20% (50:30:16) gives C 23.5 against B 25: they swap; no other move changes a rank.
# Batch: 2 masters wanted, A is one: 1 open -> C proposed, B reserve.
# Other raw figures: A's local purchases 40.00 (from B; 77.00 in 2022 not counted), C's 10.00
# (F's 99.00 not counted: F is not confirmed), B's 0.00 (E is not local). A's growth from 2020:
# (1000 - 400) / (400 x 3) = 0.5000; B's from 2022: 50/550 = 0.0909. Output shares of the local
# members' 1000.00: A 0.5000, B 0.3000, C 0.2000.
. "$(dirname "$0")/lib.bash"
MF="$FIX/masters"
export LIANZHANG_POLICIES="$T/no-policies"
DB="$T/db"
A=91440703MA4UC00010 B=91440703MA4UC00023 C=91440703MA4UC00036 D=91440704MA4UC0004P E=91310000MA4UC0005R

"$LZ" init "$DB" > /dev/null || fail "init"
for t in divisions clusters chains segments enterprises memberships indicators supply_links; do
  "$LZ" import "$DB" "$t" "$MF/$t.csv" > /dev/null || fail "import $t"
done
jqx() { printf '%s' "$OUT" | jq -c "$1"; }

expect_exit 0 "masters evaluate runs" "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$MF/test.criteria" --format json
expect_eq "$(jqx '[.chains[0].candidates[] | [.uscc, .rank, .score]]')" \
  "[[\"$A\",1,\"0.8667\"],[\"$C\",2,\"0.2750\"],[\"$B\",3,\"0.2500\"],[\"$E\",null,null],[\"$D\",null,null]]" \
  "scores and ranks by hand, gated candidates last"
expect_eq "$(jqx ".chains[0].candidates[] | select(.uscc == \"$A\") | .criteria.employees")" \
  '{"raw":50,"normalised":"0.3333","contribution":"0.0667"}' "min-max normalisation and weighted contribution"
expect_eq "$(jqx ".chains[0].candidates[] | select(.uscc == \"$C\") | [.criteria.tax_paid.normalised, .criteria.revenue.normalised]")" \
  '["0.2500","0.0000"]' "the lowest is 0, a quarter of the range is 0.2500"
expect_eq "$(jqx '[.chains[0].candidates[] | .sensitivity]')" \
  '[[],["revenue+20%","employees-20%"],["revenue+20%","employees-20%"],[],[]]' "sensitivity: the weight moves that swap B and C"
expect_eq "$(jqx '.chains[0] | [.masters, .reserve_masters, .open, .proposed, .reserves]')" \
  "[[\"$A\"],[\"$C\"],1,[\"$C\"],[\"$B\"]]" "batch: fills up to 2 masters, then the reserve"
expect_eq "$(jqx "[.chains[0].candidates[] | select(.gate) | [.uscc, .gate]]")" \
  "[[\"$E\",\"local\"],[\"$D\",\"revenue_floor\"]]" "a gate failure is named and never proposed"
expect_not_in "$(jqx '.chains[0].candidates[].uscc')" "91440703MA4UC0006F" "a proposed membership is no candidacy"
expect_eq "$(jqx "[.chains[0].candidates[] | select(.uscc == \"$A\" or .uscc == \"$C\" or .uscc == \"$B\") | .criteria.local_purchases.raw]")" \
  '["40.00","10.00","0.00"]' "local purchases: the year's, from local confirmed members only"
expect_eq "$(jqx "[.chains[0].candidates[] | select(.uscc == \"$A\" or .uscc == \"$B\") | [.criteria.growth.raw, .criteria.output_share.raw]]")" \
  '[["0.5000","0.5000"],["0.0909","0.3000"]]' "growth from the earliest of three years; output share"
expect_eq "$(jqx "[.chains[0].candidates[] | select(.uscc == \"$A\" or .uscc == \"$E\") | .name]")" '["甲","戊外地"]' \
  "one chain names its candidates"
ONE_CHAIN="$(jqx '[.chains[0].candidates[] | [.uscc, .name, .rank, .sensitivity]]')"
expect_exit 0 "masters evaluate, every chain" "$LZ" masters evaluate "$DB" --year 2023 --criteria "$MF/test.criteria" --format json
expect_eq "$(jqx '[.chains[] | select(.code == "bat") | .candidates[] | [.uscc, .name, .rank, .sensitivity]]')" "$ONE_CHAIN" \
  "every chain at once lists, names and ranks a chain's candidates as the chain alone does"
expect_exit 0 "masters evaluate --chain bat" "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$MF/test.criteria" --format json
expect_eq "$(jqx '.criteria["gate.revenue_floor"]')" '{"value":"100.00","source":"confirmed","document":"测试文件"}' \
  "the criteria are shown with their sources"

# The listing: --top N lists the first N (ranked, then gated) and whoever holds a place (master, reserve master,
# proposed, reserve); the counts tell how many there are in all. D and E hold none.
expect_exit 0 "masters evaluate --top 0" "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$MF/test.criteria" \
  --format json --top 0
expect_eq "$(jqx '.chains[0] | [[.candidates[].uscc], .candidates_total, .candidates_scored]')" "[[\"$A\",\"$C\",\"$B\"],5,3]" \
  "--top 0 lists only those holding a place, and counts every candidate"
expect_exit 0 "masters evaluate --top 4" "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$MF/test.criteria" \
  --format json --top 4
expect_eq "$(jqx '[.chains[0].candidates[].uscc]')" "[\"$A\",\"$C\",\"$B\",\"$E\"]" "--top 4: the first gated one comes after the ranked"
expect_exit 1 "--top takes a count or all" "$LZ" masters evaluate "$DB" --year 2023 --chain bat --top some
expect_in "$ERR" "--top: a number of candidates 0..1000000 or 'all', not 'some'" "the bad --top is named"

# Dominance: A is at least B's equal on all ten criteria, and better on most; with the city's
# criteria (all ten weighed) it still ranks above B.
expect_exit 0 "the city's criteria load" "$LZ" masters evaluate "$DB" --year 2023 --chain bat --format json \
  --criteria "$(cd "$(dirname "$0")/../.." && pwd)/policies/jiangmen/masters.criteria"
expect_eq "$(jqx "[.chains[0].candidates[] | select(.uscc == \"$A\" or .uscc == \"$B\") | .uscc]")" "[\"$A\",\"$B\"]" \
  "an enterprise better on every criterion ranks above the one it dominates"
expect_eq "$(jqx "[.chains[0].candidates[] | select(.uscc == \"$A\") | .criteria | to_entries[] | select(.value.normalised != \"1.0000\") | .key]")" \
  '["employees"]' "A is the best of the chain on all but employees"

# The floor is inclusive: C's revenue is exactly 200.00. Above it, C fails; at 1000.00 only A is
# left, so every criterion has one value: normalised 1.0000 and A scores 1.0000 with nobody to propose.
sed 's/^gate.revenue_floor .*/gate.revenue_floor = 200.00 assumed/' "$MF/test.criteria" > "$T/floor200.criteria"
sed 's/^gate.revenue_floor .*/gate.revenue_floor = 200.01 assumed/' "$MF/test.criteria" > "$T/floor20001.criteria"
sed 's/^gate.revenue_floor .*/gate.revenue_floor = 1000.00 assumed/' "$MF/test.criteria" > "$T/floor1000.criteria"
run "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$T/floor200.criteria" --format json
expect_eq "$(jqx ".chains[0].candidates[] | select(.uscc == \"$C\") | [.gate, .rank]")" '[null,2]' "a revenue equal to the floor passes"
run "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$T/floor20001.criteria" --format json
expect_eq "$(jqx ".chains[0].candidates[] | select(.uscc == \"$C\") | .gate")" '"revenue_floor"' "a fen under the floor fails"
run "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$T/floor1000.criteria" --format json
expect_eq "$(jqx ".chains[0] | [(.candidates[0] | .uscc, .score, ([.criteria[].normalised] | unique)), .proposed, .reserves]")" \
  "[\"$A\",\"1.0000\",[\"1.0000\"],[],[]]" "one candidate left: every criterion normalises to 1, nobody to propose"
# A value the candidate lacks normalises to 0 (D has no R&D figure; the city's floor is 0).
run "$LZ" masters evaluate "$DB" --year 2023 --chain bat --format json \
  --criteria "$(cd "$(dirname "$0")/../.." && pwd)/policies/jiangmen/masters.criteria"
expect_eq "$(jqx ".chains[0].candidates[] | select(.uscc == \"$D\") | .criteria.rd_expense")" \
  '{"raw":null,"normalised":"0.0000","contribution":"0.0000"}' "a missing value counts as the chain's lowest"

# Table and CSV show the same ranks with the status in the batch.
expect_exit 0 "csv" "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$MF/test.criteria" --format csv
expect_in "$OUT" "bat,2,$C,丙,reserve_master,0.2750,proposed,,revenue+20% employees-20%" "csv row of the proposed"
expect_exit 0 "table" "$LZ" masters evaluate "$DB" --year 2023 --criteria "$MF/test.criteria" --lang en
expect_in "$OUT" "current master" "table names the current master"
expect_exit 0 "a chain with no members" "$LZ" masters evaluate "$DB" --year 2023 --chain pet --format json
expect_eq "$(jqx '.chains[0] | [.candidates, .proposed, .open]')" '[[],[],3]' "no members: nothing to propose"

# Every chain at once reads the whole city (one scan per table) where one chain reads through the
# indexes: the documents are the same, chain for chain.
expect_exit 0 "every chain" "$LZ" masters evaluate "$DB" --year 2023 --criteria "$MF/test.criteria" --format json --top all
ALL=$(printf '%s' "$OUT" | jq -c '.chains')
ONE_BY_ONE=$(for c in $(printf '%s' "$ALL" | jq -r '.[].code'); do
  "$LZ" masters evaluate "$DB" --year 2023 --chain "$c" --criteria "$MF/test.criteria" --format json --top all | jq -c '.chains[0]'
done | jq -cs '.')
expect_eq "$(printf '%s' "$ALL" | jq 'length')" 2 "both chains evaluated"
expect_eq "$ALL" "$ONE_BY_ONE" "every chain at once gives each chain's own document"

# Equal scores rank in USCC order, also where the first sixteen characters agree, whatever the order
# the rows were written in; read alone or with every chain.
"$LZ" init "$T/ties.db" > /dev/null || fail "init"
for t in divisions clusters chains segments enterprises memberships indicators supply_links; do
  "$LZ" import "$T/ties.db" "$t" "$MF/$t.csv" > /dev/null || fail "import $t"
done
db_sql "$T/ties.db" "INSERT INTO enterprises (uscc, name, division, local) VALUES
    ('91440703TIEAAAAB0Z', 'T3', '440703', 1), ('91440703TIEAAAAA1Z', 'T2', '440703', 1),
    ('91440703TIEAAAAA0Z', 'T1', '440703', 1);
  INSERT INTO memberships (uscc, chain, segment, role, status) SELECT uscc, 'bat', 'mat', 'member', 'confirmed'
    FROM enterprises WHERE name LIKE 'T_';
  INSERT INTO indicators (uscc, year, revenue, employees) SELECT uscc, 2023, 50000, 7 FROM enterprises WHERE name LIKE 'T_';" \
  > /dev/null || fail "the tied candidates"
for scope in "--chain bat" ""; do
  # shellcheck disable=SC2086 # $scope is an option and its value, or nothing
  expect_exit 0 "ties: masters evaluate $scope" "$LZ" masters evaluate "$T/ties.db" --year 2023 $scope --criteria "$MF/test.criteria" \
    --format json --top all
  ranks="$(jqx '[.chains[] | select(.code == "bat") | .candidates[] | select(.name | test("^T.$")) | [.name, .rank]]')"
  expect_eq "$(printf '%s' "$ranks" | jq -c '[.[][0]]')" '["T1","T2","T3"]' "ties in USCC order ($scope)"
  expect_eq "$(printf '%s' "$ranks" | jq -c '[.[][1]] | .[1] - .[0] == 1 and .[2] - .[1] == 1')" 'true' \
    "tied candidates take consecutive ranks ($scope)"
done

# Bad criteria files name FILE:LINE.
printf 'weight.revenue = 60%% assumed\n' > "$T/sum.criteria"
expect_exit 1 "weights not summing to 100% refused" "$LZ" masters evaluate "$DB" --year 2023 --criteria "$T/sum.criteria"
expect_in "$ERR" "sum.criteria:1: the weights sum to 1.4000" "the sum is named with the file"
printf '# x\nweight.size = 3 assumed\n' > "$T/bad.criteria"
expect_exit 1 "unknown parameter refused" "$LZ" masters evaluate "$DB" --year 2023 --criteria "$T/bad.criteria"
expect_in "$ERR" "bad.criteria:2: unknown parameter 'weight.size'" "FILE:LINE of the unknown parameter"
expect_exit 1 "unknown chain" "$LZ" masters evaluate "$DB" --year 2023 --chain zzz
expect_exit 2 "no year is a usage error" "$LZ" masters evaluate "$DB"

# Purchases past what a figure holds (written straight into the table: import refuses them) stop
# the evaluation with the chain named, whether the chain is read alone (in two halves at once) or
# with every other chain (the chains evaluated two at a time).
db_sql "$DB" "UPDATE supply_links SET amount = 9000000000000000000 WHERE supplier = '$B' AND customer = '$A' AND year = 2023;
  INSERT INTO supply_links (supplier, customer, year, amount) VALUES ('$C', '$A', 2023, 9000000000000000000)"
expect_exit 1 "a member's purchases past the range: one chain" "$LZ" masters evaluate "$DB" --year 2023 --chain bat
expect_in "$ERR" "chain bat: a member's purchases of 2023 add up past what the figures can hold" "the chain is named"
expect_exit 1 "a member's purchases past the range: every chain" "$LZ" masters evaluate "$DB" --year 2023
expect_in "$ERR" "chain bat: a member's purchases of 2023 add up past what the figures can hold" "the chain is named among all"
expect_eq "$OUT" "" "no document is written"
finish
