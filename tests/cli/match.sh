#!/usr/bin/env bash
# What an enterprise could get: eligible, pending, undetermined with the facts to supply, and near
# misses (a numeric condition failed by under 10% of its threshold), checked by hand on the policy
# fixtures; and the eligible results no ledger award claims yet.
. "$(dirname "$0")/lib.bash"
POL="$LZ_ROOT/policies/jiangmen"
C=91440704142740223L A=914407816639575679
load_policy_fixtures "$T/db" || fail "fixtures load"
# Executives of C in 2021 beside the fixtures' H1 (300,000.00) and H2 (300,000.01), against a wage
# strictly above 300,000: 280,000 misses by 20,000.01 (6.67%), 250,000 by 50,000.01 (16.7%: no near
# miss), one with no wage recorded is undetermined.
# At the edge: 270,000.01 falls short by exactly 10% (30,000.00: not less than 10%), 270,000.02 by
# 29,999.99 (a near miss).
printf 'id,uscc,year,role,wage_income,iit_paid,name\nH3,%s,2021,executive,280000.00,100000.00,\nH4,%s,2021,executive,250000.00,100000.00,\nH5,%s,2021,executive,,100000.00,\nH6,%s,2021,executive,270000.01,100000.00,\nH7,%s,2021,executive,270000.02,100000.00,\n' \
  "$C" "$C" "$C" "$C" "$C" > "$T/persons.csv"
"$LZ" import "$T/db" persons "$T/persons.csv" > /dev/null || fail "extra executives load"
jqx() { printf '%s' "$OUT" | jq -c "$1"; }

expect_exit 0 "match for enterprise C" "$LZ" match "$T/db" --year 2022 --enterprise "$C" --dir "$POL" --lang en
expect_eq "$(jqx '[.year, .uscc, .name]')" '[2022,"91440704142740223L","Test Enterprise C"]' "the enterprise is named"
expect_eq "$(jqx '[.eligible[] | [.policy, .subject_id, .amount]]')" \
  '[["miit.tech_upgrade","P1","3000000.00"],["miit.tech_upgrade","P2","1234567.89"],["talent.executive_iit","H2","200000.00"]]' \
  "eligible: both projects and the executive above the wage threshold"
expect_eq "$(jqx '[.undetermined[] | [.subject_id, .missing]]')" '[["H5",["wage income"]]]' \
  "undetermined: the executive without a wage, with the fact to supply"
expect_eq "$(jqx '[.near_misses[] | [.subject_id, .value, .required, .shortfall]]')" \
  '[["H1","300000.00","300000.00","0.01"],["H3","280000.00","300000.00","20000.01"],["H7","270000.02","300000.00","29999.99"]]' \
  "near misses: a fen short, 6.67% short and just under 10% short; not exactly 10% or 16.7% short"
expect_eq "$(jqx '.near_misses[0].condition')" '"annual wage income above 300,000"' "the condition is named in English"
run "$LZ" match "$T/db" --year 2022 --enterprise "$C" --dir "$POL" --lang zh-CN
expect_eq "$(jqx '.near_misses[0].condition')" '"年度工资薪金收入超过30万元"' "and in Chinese"

expect_exit 0 "match for enterprise A" "$LZ" match "$T/db" --year 2022 --enterprise "$A" --dir "$POL"
expect_eq "$(jqx '[.eligible[].policy, .pending[].policy, .pending[].subject_id]')" '["miit.above_scale","miit.chain_master","E1"]' \
  "A is eligible for the above-size award and pending on the chain-master award"
expect_exit 1 "an unknown enterprise is refused" "$LZ" match "$T/db" --year 2022 --enterprise 91440000000000000X --dir "$POL"
expect_in "$ERR" "no enterprise with USCC 91440000000000000X" "the refusal names the USCC"
expect_exit 2 "--enterprise or --unclaimed, not both" "$LZ" match "$T/db" --year 2022 --unclaimed --enterprise "$A" --dir "$POL"

expect_exit 0 "unclaimed before recording" "$LZ" match "$T/db" --year 2022 --unclaimed --dir "$POL"
expect_eq "$(jqx '[.unclaimed[] | .policy + " " + .subject_id] | length')" "5" "every eligible result is unclaimed"
run "$LZ" match "$T/db" --year 2022 --unclaimed --department 市人才工作局 --dir "$POL"
expect_eq "$(jqx '[.unclaimed[] | .policy + " " + .subject_id]')" '["talent.executive_iit H2"]' "one department's policies only"
"$LZ" awards "$T/db" --year 2022 --policy miit.tech_upgrade --record --dir "$POL" > /dev/null 2>&1 || fail "record one policy"
run "$LZ" match "$T/db" --year 2022 --unclaimed --dir "$POL"
expect_eq "$(jqx '[.unclaimed[] | .policy + " " + .subject_id]')" \
  '["miit.above_scale 914407816639575679","miit.above_scale 914407814033488967","talent.executive_iit H2"]' \
  "recorded awards are claimed"

expect_exit 0 "overview" "$LZ" overview "$T/db" --year 2022 --date 2022-06-30 --dir "$POL"
expect_eq "$(jqx '[.awards[] | [.policy, .department, .decided, .decided_amount, .paid, .paid_amount]]')" \
  '[["miit.tech_upgrade","市工信局",2,"4234567.89",0,"0.00"]]' "the overview sums the recorded awards per policy"
expect_eq "$(jqx '[.departments[] | [.department, .decided, .decided_amount]]')" '[["市工信局",2,"4234567.89"]]' \
  "and per department"
expect_eq "$(jqx '[.awards[].name]')" '["中小企业技术改造事后奖补"]' "each policy by its name in the language asked"
expect_eq "$(jqx '[.date, .projects.green + .projects.yellow + .projects.red + .projects.cannot_tell]')" \
  "[\"2022-06-30\",$(db_sql "$T/db" 'SELECT count(*) FROM projects')]" "every project has one light"
finish
