/* Unit tests of the policy engine: every parser and checker message with its place, the
 * constructs of the language evaluated on hand-built facts, rounding, and the property that a
 * subject evaluated alone gets exactly what it gets inside the whole batch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "policy/run.h"

#define HEADER(subject)                                                                                                            \
    "policy t.x\nname zh-CN \"甲\"\nname zh-TW \"甲\"\nname en \"x\"\ndepartment \"d\"\nsubject " subject "\nclause \"c\"\n"

/* ---- helpers ---- */

static policy_set *compile_ok(const char *text)
{
    errlist errors;
    errlist_init(&errors, 20);
    policy_set *set = NULL;
    lz_err err = {0};
    int rc = policy_set_load_text("t.policy", text, strlen(text), &set, &errors, &err);
    for (size_t i = 0; i < errors.count; i++)
        fprintf(stderr, "%s\n", errors.items[i]);
    errlist_free(&errors);
    assert_int_equal(rc, 0);
    return set;
}

/* The first error of compiling text; fails the test when there is none. */
static char *first_error(const char *text)
{
    errlist errors;
    errlist_init(&errors, 20);
    policy_set *set = NULL;
    lz_err err = {0};
    int rc = policy_set_load_text("t.policy", text, strlen(text), &set, &errors, &err);
    assert_int_equal(rc, LZ_EINPUT);
    assert_true(errors.count > 0);
    char *msg = xstrdup(errors.items[0]);
    errlist_free(&errors);
    return msg;
}

static void expect_error(const char *text, const char *want)
{
    char *got = first_error(text);
    if (strcmp(got, want) != 0)
        fail_msg("got      %s\nexpected %s", got, want);
    free(got);
}

/* ---- parser and checker messages ---- */

static void parser_reports_place_and_what_was_expected(void **state)
{
    (void)state;
    expect_error("policy\n", "t.policy:1:7: expected a policy id like miit.tech_upgrade, found end of line");
    expect_error(
        HEADER("project") "frobnicate 3\n",
        "t.policy:8:1: expected a statement (policy, name, subject, param, let, applies, require, amount, cap, test, ...), "
        "found 'frobnicate'");
    expect_error(HEADER("project") "amount 5 yuan +\n", "t.policy:8:16: expected a value, a name or '(', found end of line");
    expect_error(HEADER("project") "require 1 < 2 < 3\n", "t.policy:8:15: comparisons do not chain: write 'a <= b and b <= c'");
    expect_error(HEADER("project") "clause \"open\n", "t.policy:8:8: string not closed before the end of the line");
    expect_error(HEADER("project") "amount 5 yuan @\n", "t.policy:8:15: unexpected character '@'");
    expect_error(HEADER("project") "cap monthly 5 yuan\n", "t.policy:8:5: expected award, yearly or cumulative, found 'monthly'");
    expect_error(HEADER("project") "when true: 5 yuan\n", "t.policy:8:6: 'when' and 'otherwise' lines follow 'amount tiers'");
    expect_error(HEADER("project") "amount min(5 yuan)\n", "t.policy:8:8: takes 2 to 16 arguments, found 1");
    expect_error(HEADER("project") "amount foo(5 yuan)\n",
                 "t.policy:8:8: unknown function 'foo' (functions: min, max, known, first_year)");
    expect_error(HEADER("project") "param r = 10% maybe\n",
                 "t.policy:8:15: expected the source: article, assumed or confirmed \"DOC\" DATE, found 'maybe'");
    expect_error(HEADER("project") "valid from 2021\n",
                 "t.policy:8:16: expected the source: article, assumed or confirmed \"DOC\" DATE, found end of line");
    expect_error(HEADER("project") "param r = 10% confirmed 2021-06-01\n",
                 "t.policy:8:25: expected the confirming document's number in quotes (文號), found '2021-06-01'");
    expect_error(HEADER("project") "param r = 10% confirmed \"江工信〔2021〕1號\"\n",
                 "t.policy:8:38: expected the confirming document's date (2021-06-01), found end of line");
    expect_error(HEADER("project") "name fr \"x\"\n", "t.policy:8:9: expected a language: zh-CN, zh-TW or en, found '\"x\"'");
    expect_error(HEADER("project") "reading fr \"x\"\n",
                 "t.policy:8:12: expected the reading in quotes, or a language (zh-CN, zh-TW, en) and the reading, found '\"x\"'");
    expect_error(HEADER("project") "amount 1 yuan\ntest \"t\"\n  year 2022\n", "t.policy:9:1: test \"t\" has no 'end'");
}

static void checker_rejects_unit_errors(void **state)
{
    (void)state;
    expect_error(HEADER("project") "param rate = 10% article\namount equipment_investment + rate\n",
                 "t.policy:9:29: cannot add percent to money");
    expect_error(HEADER("project") "amount equipment_investment * equipment_investment\n",
                 "t.policy:8:29: cannot multiply money by money");
    expect_error(HEADER("project") "require fixed_asset_investment >= 2021\namount 1 yuan\n",
                 "t.policy:8:32: cannot compare money with number");
    expect_error(HEADER("project") "amount 2021\n", "t.policy:8:8: the amount must be money, found number");
    expect_error(HEADER("project") "require stage < \"land\"\namount 1 yuan\n",
                 "t.policy:8:15: text values have no order: use == or !=");
    expect_error(HEADER("project") "require equipment_investment and true\namount 1 yuan\n",
                 "t.policy:8:9: 'and' needs a condition on each side, found money");
    expect_error(HEADER("project") "bonus \"b\" when true: 2021\namount 1 yuan\n",
                 "t.policy:8:22: a bonus is money or a percentage of the amount, found number");
}

static void checker_resolves_names_and_years(void **state)
{
    (void)state;
    expect_error(HEADER("project") "amount value\n",
                 "t.policy:8:8: unknown name 'value' (not a fact of a project, a param or a let above)");
    expect_error(HEADER("enterprise") "require revenue > 1 yuan\namount 1 yuan\n",
                 "t.policy:8:9: 'revenue' has a value per year: write revenue[year - 1] (or another year)");
    expect_error(HEADER("project") "require equipment_investment[2021] > 1 yuan\namount 1 yuan\n",
                 "t.policy:8:9: 'equipment_investment' is not a yearly fact and takes no [year]");
    expect_error(HEADER("enterprise") "require y > 2020\namount 1 yuan\n",
                 "t.policy:8:9: 'y' is the year being tried and exists only inside first_year(...)");
    expect_error(HEADER("project") "require employer.revenue[year - 1] > 1 yuan\namount 1 yuan\n",
                 "t.policy:8:9: 'employer.' does not apply to this policy's subject (write owner.FACT)");
    expect_error(HEADER("enterprise") "let a = 1\nlet a = 2\namount 1 yuan\n", "t.policy:9:5: 'a' is already defined on line 8");
    expect_error(HEADER("event") "amount 1 yuan\ncap yearly 1 yuan per enterprise and colour\n",
                 "t.policy:9:5: 'per enterprise and colour': colour is not a text fact of the subject with one value");
    expect_error(HEADER("event") "amount 1 yuan\ncap yearly 1 yuan per enterprise and amount\n",
                 "t.policy:9:5: 'per enterprise and amount': amount is not a text fact of the subject with one value");
    expect_error(HEADER("event") "amount 1 yuan\ncap cumulative 1 yuan per enterprise and detail\n",
                 "t.policy:9:5: 'per enterprise and detail' groups a yearly cap only");
    expect_error(HEADER("project") "amount tiers\n", "t.policy:1:1: 'amount tiers' needs 'when CONDITION: AMOUNT' lines");
    expect_error("policy t.x\nname zh-CN \"a\"\nname zh-TW \"a\"\ndepartment \"d\"\nsubject event\nclause \"c\"\namount 1 yuan\n",
                 "t.policy:1:1: missing 'name en \"...\"'");
    expect_error(HEADER("project") "amount 1 yuan\ntest \"t\"\n  expect eligible 1.00 yuan\nend\n",
                 "t.policy:9:1: test \"t\" needs 'year' (the award year)");
    expect_error(HEADER("project") "amount 1 yuan\ntest \"t\"\n  year 2022\n  color = \"red\"\n  expect none\nend\n",
                 "t.policy:11:3: a project has no fact 'color'");
}

/* ---- evaluating hand-built facts ---- */

static void checker_caps_the_decimals_of_a_product(void **state)
{
    (void)state;
    policy_set_free(compile_ok(HEADER("enterprise") "amount revenue[year - 1] * 10.5% * 10.5%\n")); /* 2 + 3 + 3 decimals */
    char *msg = first_error(HEADER("enterprise") "amount revenue[year - 1] * 10.5% * 10.5% * 10.5%\n");
    if (!strstr(msg, "t.policy:8:") || !strstr(msg, "too many decimals in this product (11)"))
        fail_msg("got %s", msg);
    free(msg);
}

static policy_run *new_run(const policy_set *set, int year)
{
    policy_run *run = run_new(set, year);
    facts_world_init(&run->w, year, year - 5, 5);
    return run;
}

static size_t add_enterprise(policy_run *run, const char *uscc)
{
    return facts_set_add(&run->w, FACTS_ENTERPRISE, uscc, uscc);
}

static void put(policy_run *run, facts_kind k, size_t i, const char *fact, int year, int64_t v)
{
    lz_err err;
    assert_int_equal(facts_put_int(&run->w, k, i, facts_find(k, fact), year, v, &err), 0);
}

static void evaluate(policy_run *run)
{
    lz_err err = {0};
    facts_world_link(&run->w);
    assert_int_equal(run_evaluate(run, NULL, &err), 0);
}

static const policy_result *result_of(const policy_run *run, const char *id)
{
    for (size_t i = 0; i < policy_run_count(run); i++)
        if (strcmp(policy_run_at(run, i)->subject_id, id) == 0)
            return policy_run_at(run, i);
    fail_msg("no result for %s", id);
    return NULL;
}

static void three_valued_logic_lets_a_decisive_fact_decide(void **state)
{
    (void)state;
    policy_set *set = compile_ok(HEADER("enterprise") "require revenue[year - 1] >= 10 yuan and employees[year - 1] > 5\n"
                                                      "amount 1 yuan\n");
    policy_run *run = new_run(set, 2022);
    size_t a = add_enterprise(run, "A"), b = add_enterprise(run, "B"), c = add_enterprise(run, "C");
    put(run, FACTS_ENTERPRISE, a, "employees", 2021, 3); /* false and unknown: false */
    put(run, FACTS_ENTERPRISE, b, "employees", 2021, 9); /* true and unknown: unknown */
    put(run, FACTS_ENTERPRISE, c, "employees", 2021, 9);
    put(run, FACTS_ENTERPRISE, c, "revenue", 2021, 1000);
    evaluate(run);
    assert_int_equal(result_of(run, "A")->status, POLICY_NOT_ELIGIBLE);
    assert_int_equal(result_of(run, "B")->status, POLICY_UNDETERMINED);
    assert_int_equal(result_of(run, "C")->status, POLICY_ELIGIBLE);
    assert_int_equal(result_of(run, "C")->amount_fen, 100);
    policy_run_free(run);
    policy_set_free(set);
}

static void min_of_an_unknown_value_is_unknown(void **state)
{
    (void)state;
    policy_set *set = compile_ok(HEADER("enterprise") "amount min(revenue[year - 1] * 10%, tax_paid[year - 1], 50.00 yuan)\n");
    policy_run *run = new_run(set, 2022);
    size_t a = add_enterprise(run, "A"), b = add_enterprise(run, "B");
    put(run, FACTS_ENTERPRISE, a, "revenue", 2021, 10000); /* 100.00 yuan: 10% is 10.00 */
    put(run, FACTS_ENTERPRISE, a, "tax_paid", 2021, 2000);
    put(run, FACTS_ENTERPRISE, b, "revenue", 2021, 100000); /* tax unknown */
    evaluate(run);
    assert_int_equal(result_of(run, "A")->status, POLICY_ELIGIBLE);
    assert_int_equal(result_of(run, "A")->amount_fen, 1000);
    assert_int_equal(result_of(run, "B")->status, POLICY_UNDETERMINED);
    policy_run_free(run);
    policy_set_free(set);
}

static void expect_overflow_explained(const policy_run *run, const char *id, const char *place)
{
    for (size_t i = 0; i < policy_run_count(run); i++) {
        if (strcmp(policy_run_at(run, i)->subject_id, id) != 0)
            continue;
        assert_int_equal(policy_run_at(run, i)->status, POLICY_UNDETERMINED);
        assert_int_equal(policy_run_at(run, i)->amount_fen, 0);
        strbuf b;
        strbuf_init(&b);
        lz_err err = {0};
        assert_int_equal(policy_explain(run, i, POLICY_EN, &b, &err), 0);
        if (!strstr(b.data, "arithmetic overflow") || !strstr(b.data, place))
            fail_msg("%s: explanation lacks the overflow at %s:\n%s", id, place, b.data);
        strbuf_free(&b);
        return;
    }
    fail_msg("no result for %s", id);
}

/* One subject's figure out of range is that subject's result, never the run's (a whole year
 * once failed for everyone), and never a wrapped amount. */
static void overflow_is_the_subjects_result_naming_the_line(void **state)
{
    (void)state;
    policy_set *set = compile_ok(HEADER("enterprise") "applies value_added[year - 1] * 300% >= 0 yuan\n"
                                                      "require revenue[year - 1] * 300% >= 1 yuan\n"
                                                      "amount revenue[year - 1] * 300%\n");
    policy_run *run = new_run(set, 2022);
    size_t a = add_enterprise(run, "A"), b = add_enterprise(run, "B"), c = add_enterprise(run, "C");
    size_t d = add_enterprise(run, "D");
    put(run, FACTS_ENTERPRISE, a, "value_added", 2021, 0);
    put(run, FACTS_ENTERPRISE, a, "revenue", 2021, INT64_MAX / 2); /* the require and the amount overflow */
    put(run, FACTS_ENTERPRISE, b, "value_added", 2021, 0);
    put(run, FACTS_ENTERPRISE, b, "revenue", 2021, 1000);
    put(run, FACTS_ENTERPRISE, c, "value_added", 2021, INT64_MAX / 2); /* the scope overflows */
    put(run, FACTS_ENTERPRISE, c, "revenue", 2021, 1000);
    put(run, FACTS_ENTERPRISE, d, "value_added", 2021, -1); /* out of scope: no result */
    evaluate(run);
    assert_int_equal(policy_run_count(run), 3);
    assert_int_equal(result_of(run, "B")->status, POLICY_ELIGIBLE);
    assert_int_equal(result_of(run, "B")->amount_fen, 3000);
    expect_overflow_explained(run, "A", "t.policy:9");
    expect_overflow_explained(run, "C", "t.policy:8");
    policy_run_free(run);
    policy_set_free(set);
}

/* An overflow in a branch the result does not rest on (a decided `or`) changes nothing. */
static void overflow_the_result_does_not_rest_on_changes_nothing(void **state)
{
    (void)state;
    policy_set *set = compile_ok(HEADER("enterprise") "require employees[year - 1] >= 1 or revenue[year - 1] * 300% >= 1 yuan\n"
                                                      "amount 1 yuan\n");
    policy_run *run = new_run(set, 2022);
    size_t a = add_enterprise(run, "A"), b = add_enterprise(run, "B");
    put(run, FACTS_ENTERPRISE, a, "employees", 2021, 3);
    put(run, FACTS_ENTERPRISE, a, "revenue", 2021, INT64_MAX / 2);
    put(run, FACTS_ENTERPRISE, b, "employees", 2021, 0);
    put(run, FACTS_ENTERPRISE, b, "revenue", 2021, INT64_MAX / 2);
    evaluate(run);
    assert_int_equal(result_of(run, "A")->status, POLICY_ELIGIBLE);
    assert_int_equal(result_of(run, "A")->amount_fen, 100);
    expect_overflow_explained(run, "B", "t.policy:8");
    policy_run_free(run);
    policy_set_free(set);
}

/* A product of parameters out of range is computed once for every subject: each of them, in
 * every chunk, is undetermined with that line. */
static void overflow_of_a_constant_counts_for_every_subject(void **state)
{
    (void)state;
    policy_set *set = compile_ok(HEADER("enterprise") "require employees[year - 1] >= 1\n"
                                                      "amount 90000000000000000 yuan * 300%\n");
    policy_run *run = new_run(set, 2022);
    char id[24];
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "E%03d", i);
        put(run, FACTS_ENTERPRISE, add_enterprise(run, id), "employees", 2021, 3);
    }
    evaluate(run);
    assert_int_equal(policy_run_count(run), 300);
    expect_overflow_explained(run, "E000", "t.policy:9");
    expect_overflow_explained(run, "E299", "t.policy:9");
    policy_run_free(run);
    policy_set_free(set);
}

static void yearly_cap_per_enterprise_accumulates_in_subject_order(void **state)
{
    (void)state;
    policy_set *set = compile_ok(HEADER("event") "amount approved amount\ncap yearly 100.00 yuan per enterprise\n");
    policy_run *run = new_run(set, 2022);
    add_enterprise(run, "E");
    const char *ids[] = {"a", "b", "c"};
    int64_t amounts[] = {6000, 6000, 6000};
    for (int i = 0; i < 3; i++) {
        size_t k = facts_set_add(&run->w, FACTS_EVENT, ids[i], "E");
        put(run, FACTS_EVENT, k, "amount", 0, amounts[i]);
    }
    evaluate(run);
    assert_int_equal(result_of(run, "a")->amount_fen, 6000);
    assert_int_equal(result_of(run, "b")->amount_fen, 4000);
    assert_int_equal(result_of(run, "c")->status, POLICY_NOT_ELIGIBLE);
    policy_run_free(run);
    policy_set_free(set);
}

static void pool_gives_the_rounding_fen_to_the_largest_remainders(void **state)
{
    (void)state;
    policy_set *set = compile_ok(HEADER("event") "amount approved amount\npool 100.00 yuan from 2022 to 2024\n");
    policy_run *run = new_run(set, 2022);
    add_enterprise(run, "E");
    /* 100.00 over claims 50.00, 30.00, 20.00, 10.00 (total 110.00): exact shares 45.4545..,
     * 27.2727.., 18.1818.., 9.0909.. -> floors 45.45 + 27.27 + 18.18 + 9.09 = 99.99; the last fen
     * goes to the largest remainder (.45 of a fen, the first claim). */
    const char *ids[] = {"a", "b", "c", "d"};
    int64_t claims[] = {5000, 3000, 2000, 1000};
    for (int i = 0; i < 4; i++)
        put(run, FACTS_EVENT, facts_set_add(&run->w, FACTS_EVENT, ids[i], "E"), "amount", 0, claims[i]);
    evaluate(run);
    assert_int_equal(result_of(run, "a")->amount_fen, 4546);
    assert_int_equal(result_of(run, "b")->amount_fen, 2727);
    assert_int_equal(result_of(run, "c")->amount_fen, 1818);
    assert_int_equal(result_of(run, "d")->amount_fen, 909);
    policy_run_free(run);
    policy_set_free(set);
}

static void rounding_is_half_up_once(void **state)
{
    (void)state;
    int64_t fen;
    assert_true(run_round_fen(12345, 3, &fen)); /* 12.345 yuan */
    assert_int_equal(fen, 1235);
    assert_true(run_round_fen(12344999, 6, &fen));
    assert_int_equal(fen, 1234);
    assert_true(run_round_fen(-12345, 3, &fen)); /* half away from zero */
    assert_int_equal(fen, -1235);
    assert_true(run_round_fen(7, 0, &fen));
    assert_int_equal(fen, 700);
    assert_false(run_round_fen((pval)INT64_MAX * 10, 2, &fen));
    assert_true(run_round_fen(-12344, 3, &fen)); /* below the half: toward zero */
    assert_int_equal(fen, -1234);
    assert_true(run_round_fen(INT64_MIN, 3, &fen)); /* the 64-bit path at its edge */
    assert_int_equal(fen, INT64_MIN / 10 - 1);
    assert_true(run_round_fen((pval)INT64_MAX * 100 + 49, 4, &fen)); /* the 128-bit path */
    assert_int_equal(fen, INT64_MAX);
    assert_false(run_round_fen((pval)INT64_MAX * 100 + 50, 4, &fen)); /* rounds past int64 */
    /* 3 x 33.333..% of 100.00 stays exact until the end: 99.999999 -> 100.00 */
    policy_set *set = compile_ok(HEADER("enterprise") "amount 100.00 yuan * 33.3333% * 3\n");
    policy_run *run = new_run(set, 2022);
    add_enterprise(run, "A");
    evaluate(run);
    assert_int_equal(result_of(run, "A")->amount_fen, 10000);
    policy_run_free(run);
    policy_set_free(set);
}

/* The amount of `amount revenue[year - 1] * 10%` for a revenue in fen, under a `round` line;
 * the zh-CN explanation goes into why (may be NULL). */
static int64_t rounded(const char *round_line, int64_t revenue_fen, strbuf *why)
{
    char text[512];
    snprintf(text, sizeof text, HEADER("enterprise") "%s\namount revenue[year - 1] * 10%%\n", round_line);
    policy_set *set = compile_ok(text);
    policy_run *run = new_run(set, 2022);
    put(run, FACTS_ENTERPRISE, add_enterprise(run, "A"), "revenue", 2021, revenue_fen);
    evaluate(run);
    int64_t fen = result_of(run, "A")->amount_fen;
    lz_err err;
    if (why)
        assert_int_equal(policy_explain(run, 0, POLICY_ZH_CN, why, &err), 0);
    policy_run_free(run);
    policy_set_free(set);
    return fen;
}

static void a_round_line_rounds_once_to_its_unit(void **state)
{
    (void)state;
    /* revenue x 10%: an amount with a tenth of a fen, rounded once by the rule's `round` line */
    assert_int_equal(rounded("", 12345678949, NULL), 1234567895); /* 12,345,678.949 -> to the fen */
    assert_int_equal(rounded("round 0.01 yuan half_up", 12345678940, NULL), 1234567894);
    assert_int_equal(rounded("round 1 yuan half_up", 12345678950, NULL), 1234567900);   /* 12,345,678.95 -> 679 */
    assert_int_equal(rounded("round 1 yuan half_up", 12345674490, NULL), 1234567400);   /* 12,345,674.49 -> 674 */
    assert_int_equal(rounded("round 1 yuan down", 12345679999, NULL), 1234567900);      /* 12,345,679.999 -> 679 */
    assert_int_equal(rounded("round 100 yuan half_up", 12345650000, NULL), 1234570000); /* 12,345,650 -> 700 */
    assert_int_equal(rounded("round 100 yuan half_up", 12345649990, NULL), 1234560000); /* 12,345,649.99 -> 600 */
    strbuf why;
    strbuf_init(&why);
    assert_int_equal(rounded("round 1万元 down", 12349999990, &why), 1234000000); /* 12,349,999.999 -> 12,340,000 */
    assert_non_null(strstr(why.data, "计至万元，不足万元部分不计"));
    strbuf_free(&why);
    expect_error(HEADER("enterprise") "round 5 yuan down\n",
                 "t.policy:8:7: expected the unit to round to: 0.01 yuan, 1 yuan, 100 yuan or 1万元, found '5 yuan'");
    expect_error(HEADER("enterprise") "round 1 yuan up\n", "t.policy:8:14: expected half_up or down, found 'up'");
}

static void related_facts_and_first_year(void **state)
{
    (void)state;
    policy_set *set = compile_ok(HEADER("person") "let first = first_year(employer.above_scale[y])\n"
                                                  "require \"employer above size since 2019\" first == 2019\n"
                                                  "amount iit_paid[year - 1] * 50%\n");
    policy_run *run = new_run(set, 2022);
    size_t e = add_enterprise(run, "E"), f = add_enterprise(run, "F");
    put(run, FACTS_ENTERPRISE, e, "above_scale", 2019, 1);
    put(run, FACTS_ENTERPRISE, f, "above_scale", 2019, 0);
    put(run, FACTS_ENTERPRISE, f, "above_scale", 2020, 1);
    size_t p = facts_set_add(&run->w, FACTS_PERSON, "p", "E"), q = facts_set_add(&run->w, FACTS_PERSON, "q", "F");
    put(run, FACTS_PERSON, p, "iit_paid", 2021, 1001);
    put(run, FACTS_PERSON, q, "iit_paid", 2021, 1001);
    evaluate(run);
    assert_int_equal(result_of(run, "p")->amount_fen, 501); /* 5.005 rounds up */
    assert_int_equal(result_of(run, "q")->status, POLICY_NOT_ELIGIBLE);
    strbuf b;
    strbuf_init(&b);
    lz_err err;
    for (size_t i = 0; i < policy_run_count(run); i++)
        if (strcmp(policy_run_at(run, i)->subject_id, "q") == 0)
            assert_int_equal(policy_explain(run, i, POLICY_EN, &b, &err), 0);
    assert_non_null(strstr(b.data, "is not the required 2019"));
    strbuf_free(&b);
    policy_run_free(run);
    policy_set_free(set);
}

/* ---- property: alone and in the batch ---- */

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Facts of enterprise i, reproducible: the same whether built into a big world or a small one. */
static void put_random_enterprise(policy_run *run, size_t at, uint64_t seed)
{
    uint64_t saved = rng;
    rng = seed;
    for (int y = 2017; y <= 2021; y++) {
        if (next_rand() % 5)
            put(run, FACTS_ENTERPRISE, at, "above_scale", y, (int64_t)(next_rand() % 3 == 0));
        if (next_rand() % 7)
            put(run, FACTS_ENTERPRISE, at, "value_added", y, (int64_t)(next_rand() % 2000000));
        if (next_rand() % 4)
            put(run, FACTS_ENTERPRISE, at, "revenue", y, (int64_t)(next_rand() % 200000000000LL));
    }
    rng = saved;
}

static void alone_and_in_the_batch_agree(void **state)
{
    (void)state;
    errlist errors;
    errlist_init(&errors, 20);
    policy_set *set = NULL;
    lz_err err = {0};
    char dir[4096];
    const char *root = getenv("LZ_ROOT"); /* the test runner's repository root; else run from it */
    snprintf(dir, sizeof dir, "%s/policies/jiangmen", root ? root : ".");
    assert_int_equal(policy_set_load(dir, &set, &errors, &err), 0);
    errlist_free(&errors);
    enum { N = 3000 };
    policy_run *batch = new_run(set, 2022);
    char id[N][20];
    for (size_t i = 0; i < N; i++) {
        snprintf(id[i], sizeof id[i], "E%05zu", i);
        put_random_enterprise(batch, add_enterprise(batch, id[i]), 1000 + i);
    }
    evaluate(batch);
    size_t compared = 0;
    for (size_t i = 0; i < N; i += 7) {
        policy_run *alone = new_run(set, 2022);
        put_random_enterprise(alone, add_enterprise(alone, id[i]), 1000 + i);
        evaluate(alone);
        for (size_t k = 0; k < policy_run_count(alone); k++) {
            const policy_result *a = policy_run_at(alone, k), *b = NULL;
            for (size_t j = 0; j < policy_run_count(batch) && !b; j++) {
                const policy_result *c = policy_run_at(batch, j);
                if (c->policy == a->policy && strcmp(c->subject_id, a->subject_id) == 0)
                    b = c;
            }
            assert_non_null(b);
            assert_int_equal(a->status, b->status);
            assert_int_equal(a->amount_fen, b->amount_fen);
            compared++;
        }
        policy_run_free(alone);
    }
    assert_true(compared > 100);
    policy_run_free(batch);
    policy_set_free(set);
}

static void industry_section_follows_gbt4754_division_bounds(void **state)
{
    (void)state;
    static const struct {
        const char *code, *section;
    } cases[] = {{"0511", "A"}, {"0610", "B"}, {"1200", "B"}, {"1311", "C"}, {"4390", "C"}, {"4411", "D"},
                 {"4690", "D"}, {"4710", "E"}, {"6513", "I"}, {"9700", "T"}, {"0190", "A"}, {"C", "C"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = facts_industry_section(cases[i].code);
        assert_non_null(got);
        assert_string_equal(got, cases[i].section);
    }
    assert_null(facts_industry_section("9800"));
    assert_null(facts_industry_section("0011"));
    assert_null(facts_industry_section("x1"));
    assert_null(facts_industry_section("Z"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parser_reports_place_and_what_was_expected),
        cmocka_unit_test(checker_rejects_unit_errors),
        cmocka_unit_test(checker_resolves_names_and_years),
        cmocka_unit_test(checker_caps_the_decimals_of_a_product),
        cmocka_unit_test(overflow_is_the_subjects_result_naming_the_line),
        cmocka_unit_test(overflow_the_result_does_not_rest_on_changes_nothing),
        cmocka_unit_test(overflow_of_a_constant_counts_for_every_subject),
        cmocka_unit_test(three_valued_logic_lets_a_decisive_fact_decide),
        cmocka_unit_test(min_of_an_unknown_value_is_unknown),
        cmocka_unit_test(yearly_cap_per_enterprise_accumulates_in_subject_order),
        cmocka_unit_test(pool_gives_the_rounding_fen_to_the_largest_remainders),
        cmocka_unit_test(rounding_is_half_up_once),
        cmocka_unit_test(related_facts_and_first_year),
        cmocka_unit_test(alone_and_in_the_batch_agree),
        cmocka_unit_test(industry_section_follows_gbt4754_division_bounds),
        cmocka_unit_test(a_round_line_rounds_once_to_its_unit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
