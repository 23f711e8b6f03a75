#!/usr/bin/env bash
# The rule checker's messages through `lianzhang policy check FILE`: each mistake a policy officer
# can make in a rule file is refused (exit 1) with its FILE:LINE:COL and what was expected. The
# unit tests (tests/unit/test_policy.c) cover the parser and the commonest unit errors; these are
# the rest of the checker: operators on the wrong kind of value, lists, first_year, dates, test
# cases, and the header.
. "$(dirname "$0")/lib.bash"

# header SUBJECT: the seven lines every rule file opens with; the body starts on line 8.
header() {
  printf 'policy t.x\nname zh-CN "甲"\nname zh-TW "甲"\nname en "x"\ndepartment "d"\nsubject %s\nclause "c"\n' "$1"
}

# refused TEXT MESSAGE: t.policy holding TEXT (printf %b: \n is a newline) is refused with MESSAGE,
# which starts with the place LINE:COL.
refused() {
  printf '%b' "$1" > "$T/t.policy"
  run "$LZ" policy check "$T/t.policy"
  if [ "$RC" -eq 1 ] && printf '%s' "$ERR" | grep -qF -- "t.policy:$2"; then
    pass "t.policy:$2"
  else
    fail "t.policy:$2" "exit $RC, expected 1" "stderr: $ERR"
  fi
}

E=$(header enterprise) P=$(header project) V=$(header event)
E="$E\n" P="$P\n" V="$V\n"

# ---- operators on the wrong kind of value ----
refused "${E}require not revenue[year - 1]\namount 1 yuan\n" "8:9: 'not' needs a condition, found money"
refused "${E}amount -founded\n" "8:8: cannot negate date"
refused "${E}require revenue[founded] > 1 yuan\namount 1 yuan\n" "8:17: the index of 'revenue' must be a year, found date"
refused "${E}require revenue[year - 1].year == 2020\namount 1 yuan\n" "8:26: '.year' takes the year of a date, found money"
refused "${E}amount min(revenue[year - 1], employees[year - 1])\n" \
  "8:31: min() needs values of one kind (money, percent, number, year or date); found money and number"
refused "${E}let f = first_year(revenue[y])\namount 1 yuan\n" "8:20: first_year(...) needs a condition on y, found money"

# ---- related subjects ----
refused "${E}require employer.revenue[year - 1] > 1 yuan\namount 1 yuan\n" \
  "8:9: 'employer.' does not apply to this policy's subject (an enterprise has no related subject)"
refused "${P}require owner.colour > 1 yuan\namount 1 yuan\n" "8:9: an enterprise has no fact 'colour'"

# ---- texts and lists ----
refused "${V}require flags == flags\namount 1 yuan\n" "8:15: compare a list with 'in': \"flag\" in flags"
refused "${V}require kind in flags\namount 1 yuan\n" "8:9: write the flag in quotes: \"overseas_chinese_capital\" in flags"
refused "${V}require amount in (\"a\")\namount 1 yuan\n" "8:16: 'in' tests text against a list of texts, found money"
refused "${V}require kind in (\"a\", kind)\namount 1 yuan\n" "8:23: 'in (...)' lists texts in quotes"

# ---- parameters ----
refused "${E}param p = 1.00 yuan article from 2021 to 2022\nparam p = 10% article from 2023\namount p\n" \
  "9:11: every value of 'p' must be money, found percent"

# ---- test cases ----
T1='test "t"\n  year 2022\n'
refused "${E}amount 1 yuan\n${T1}  revenue = 1.00 yuan\n  expect eligible 1.00 yuan\nend\n" \
  "11:3: 'revenue' has a value per year: write revenue[2021] = ..."
refused "${E}amount 1 yuan\n${T1}  industry_code[2021] = \"3985\"\n  expect eligible 1.00 yuan\nend\n" \
  "11:3: 'industry_code' is not a yearly fact and takes no [year]"
refused "${E}amount 1 yuan\n${T1}  employees[2021] = 1.00 yuan\n  expect eligible 1.00 yuan\nend\n" \
  "11:21: 'employees' takes number, found money"
refused "${E}amount 1 yuan\n${T1}end\n" "9:1: test \"t\" sets no facts and expects nothing"
refused "${E}amount 1 yuan\n${T1}  subject \"A\"\n  employees[2021] = 3\nend\n" "11:1: test \"t\": subject A has no 'expect'"
refused "${P}amount 1 yuan\n${T1}  uscc = 5\n  expect eligible 1.00 yuan\nend\n" "11:10: uscc takes the enterprise's code in quotes"
refused "${P}amount 1 yuan\n${T1}  employer.revenue[2021] = 1.00 yuan\n  expect eligible 1.00 yuan\nend\n" \
  "11:3: 'employer.' does not apply to this policy's subject"

# ---- the header ----
refused 'name zh-CN "甲"\nname zh-TW "甲"\nname en "x"\namount 1 yuan\n' "1:1: missing 'policy ID' line"
expect_in "$ERR" "t.policy:1:1: missing 'department \"...\"'" "a missing department is named too"
expect_in "$ERR" "t.policy:1:1: missing 'clause \"...\"' (quote the source)" "a missing clause is named too"
expect_in "$ERR" "t.policy:1:1: missing 'subject' (enterprise, project, person or event)" "a missing subject is named too"
refused "${E}valid 2024 to 2022 assumed\namount 1 yuan\n" "1:1: 'valid 2024 to 2022' ends before it starts"
refused "${E}require employees[year - 1] > 3\n" "1:1: missing 'amount' or 'grant' (or 'described_only' for a measure without an amount)"
refused "${E}grant \"land first\"\ntopup\n" "1:1: 'topup' applies to money, not to a grant"
refused "${E}grant \"land first\"\ncap award 1 yuan\n" "1:1: a grant has no bonus, cap or pool"
refused "${V}amount approved amount\npool 100.00 yuan from 2024 to 2022\n" "9:1: the pool ends before it starts"

# The same header and body without the mistake is accepted: the refusals above are the mistakes'.
printf '%b' "${E}require not above_scale[year - 1]\namount -value_added[year - 1]\n" > "$T/t.policy"
expect_exit 0 "a rule with 'not' and unary minus used rightly is accepted" "$LZ" policy check "$T/t.policy"
finish
