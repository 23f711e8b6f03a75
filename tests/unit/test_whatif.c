/* Unit tests of what-if documents (src/policy/whatif.c) and of the instructions of the policy VM
 * that the reference rules do not reach, each run on one enterprise's facts given as JSON:
 * arithmetic and comparisons whose operands are at different decimal scales (rescaled as 128-bit
 * values), `not`, unary minus (and its one overflow, -(-2^63)), and `!=`. Then every way a
 * what-if document can be wrong, each refused with a message that names the JSON field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

#define RULE_HEAD                                                                                                                  \
    "policy t.vm\nname zh-CN \"甲\"\nname zh-TW \"甲\"\nname en \"vm\"\ndepartment \"d\"\nsubject enterprise\nclause \"c\"\n"
#define USCC "91440703MA4UB00018"
enum { YEAR = 2022 }; /* the award year: the facts are those of 2021 */

/* Compiles RULE_HEAD followed by body (its first line is line 8 of t.policy). */
static policy_set *rule(const char *body)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", RULE_HEAD, body);
    errlist errors;
    errlist_init(&errors, 5);
    policy_set *set = NULL;
    lz_err err = {0};
    if (policy_set_load_text("t.policy", text, strlen(text), &set, &errors, &err) != 0)
        fail_msg("%s: %s", err.msg, errors.count ? errors.items[0] : "");
    errlist_free(&errors);
    return set;
}

typedef struct outcome {
    policy_status status;
    int64_t amount_fen;
    char why[2048]; /* the English explanation */
} outcome;

/* The result for one enterprise whose 2021 indicators are the JSON members `facts_2021`. */
static outcome judge(const policy_set *set, const char *facts_2021)
{
    char doc[1024];
    snprintf(doc, sizeof doc, "{\"enterprise\": {\"uscc\": \"" USCC "\", \"indicators\": {\"2021\": {%s}}}}", facts_2021);
    policy_run *run = NULL;
    lz_err err = {0};
    if (policy_run_whatif(set, doc, strlen(doc), YEAR, NULL, &run, &err) != 0)
        fail_msg("%s: %s", doc, err.msg);
    assert_int_equal(policy_run_count(run), 1);
    outcome o = {.status = policy_run_at(run, 0)->status, .amount_fen = policy_run_at(run, 0)->amount_fen};
    strbuf b;
    strbuf_init(&b);
    assert_int_equal(policy_explain(run, 0, POLICY_EN, &b, &err), 0);
    snprintf(o.why, sizeof o.why, "%s", b.data);
    strbuf_free(&b);
    policy_run_free(run);
    return o;
}

static void expect(const outcome *o, policy_status status, int64_t amount_fen)
{
    if (o->status != status || o->amount_fen != amount_fen)
        fail_msg("got %s %lld, expected %s %lld\n%s", policy_status_name(o->status), (long long)o->amount_fen,
                 policy_status_name(status), (long long)amount_fen, o->why);
}

static void expect_overflow_at(const outcome *o, const char *place)
{
    expect(o, POLICY_UNDETERMINED, 0);
    if (!strstr(o->why, "arithmetic overflow") || !strstr(o->why, place))
        fail_msg("the explanation lacks the overflow at %s:\n%s", place, o->why);
}

/* ---- the VM ---- */

/* A product has the scale of its factors together (money 2 + percent 2 = 4 decimals); adding money
 * at 2 decimals rescales it by 100 first. Without the rescaling 1 yuan would count as 0.01. */
static void sums_of_different_scales_are_rescaled_exactly(void **state)
{
    (void)state;
    policy_set *set = rule("amount revenue[year - 1] * 10% - 1 yuan + tax_paid[year - 1]\n");
    outcome o = judge(set, "\"revenue\": \"1000.00\", \"tax_paid\": \"0.05\"");
    expect(&o, POLICY_ELIGIBLE, 9905); /* 100.0000 - 1.00 + 0.05 */
    o = judge(set, "\"revenue\": \"1000.05\", \"tax_paid\": \"0.00\"");
    expect(&o, POLICY_ELIGIBLE, 9901); /* 100.0050 - 1.00 = 99.005, rounded half up once */
    o = judge(set, "\"revenue\": \"1000.00\"");
    expect(&o, POLICY_UNDETERMINED, 0); /* a sum with an unknown term is unknown */
    /* Rescaled, the tax no longer fits in 64 bits: that subject's overflow, on the amount's line. */
    o = judge(set, "\"revenue\": \"1000.00\", \"tax_paid\": \"92233720368547758.07\"");
    expect_overflow_at(&o, "t.policy:8");
    policy_set_free(set);
}

/* A comparison of a product (4 decimals) with money (2 decimals), exactly at and next to the line. */
static void comparisons_of_different_scales_are_rescaled_exactly(void **state)
{
    (void)state;
    policy_set *set = rule("require revenue[year - 1] * 10% >= 50 yuan\n"
                           "require revenue[year - 1] * 10% != 60 yuan\n"
                           "amount 1 yuan\n");
    outcome o = judge(set, "\"revenue\": \"500.00\""); /* 50.0000: at the line */
    expect(&o, POLICY_ELIGIBLE, 100);
    o = judge(set, "\"revenue\": \"499.99\""); /* 49.9990 */
    expect(&o, POLICY_NOT_ELIGIBLE, 0);
    o = judge(set, "\"revenue\": \"600.00\""); /* 60.0000 is excluded */
    expect(&o, POLICY_NOT_ELIGIBLE, 0);
    o = judge(set, "\"revenue\": \"600.01\"");
    expect(&o, POLICY_ELIGIBLE, 100);
    policy_set_free(set);
}

static void not_equal_at_one_scale(void **state)
{
    (void)state;
    policy_set *set = rule("require employees[year - 1] != 3\namount 1 yuan\n");
    outcome o = judge(set, "\"employees\": 3");
    expect(&o, POLICY_NOT_ELIGIBLE, 0);
    o = judge(set, "\"employees\": 4");
    expect(&o, POLICY_ELIGIBLE, 100);
    o = judge(set, "\"employees\": null"); /* unknown is neither equal nor different */
    expect(&o, POLICY_UNDETERMINED, 0);
    policy_set_free(set);
}

/* `not` turns a known value over and leaves an unknown one unknown. */
static void not_negates_a_known_condition_only(void **state)
{
    (void)state;
    policy_set *set = rule("require not above_scale[year - 1]\namount 1 yuan\n");
    outcome o = judge(set, "\"above_scale\": false");
    expect(&o, POLICY_ELIGIBLE, 100);
    o = judge(set, "\"above_scale\": true");
    expect(&o, POLICY_NOT_ELIGIBLE, 0);
    o = judge(set, "\"employees\": 1");
    expect(&o, POLICY_UNDETERMINED, 0);
    policy_set_free(set);
}

/* Unary minus, and the one value whose negation does not fit: -2^63 (value added, which may be
 * negative, at -(2^63 - 1) fen, less one fen). */
static void unary_minus_and_its_overflow(void **state)
{
    (void)state;
    policy_set *set = rule("require -value_added[year - 1] >= 1 yuan\n"
                           "amount -(value_added[year - 1] - 0.01 yuan)\n");
    outcome o = judge(set, "\"value_added\": \"-1000.00\"");
    expect(&o, POLICY_ELIGIBLE, 100001);
    o = judge(set, "\"value_added\": \"-0.99\""); /* a loss of less than 1 yuan */
    expect(&o, POLICY_NOT_ELIGIBLE, 0);
    o = judge(set, "\"value_added\": \"5.00\"");
    expect(&o, POLICY_NOT_ELIGIBLE, 0);
    o = judge(set, "\"value_added\": \"-92233720368547758.07\"");
    expect_overflow_at(&o, "t.policy:9");
    policy_set_free(set);
}

/* min() compares its arguments at one scale: money at 2 decimals is rescaled to the product's 4,
 * and one that no longer fits 64 bits there makes the minimum unknown, as an overflow. */
static void min_rescales_its_arguments_and_reports_an_overflow(void **state)
{
    (void)state;
    policy_set *set = rule("amount min(revenue[year - 1] * 10%, tax_paid[year - 1])\n");
    outcome o = judge(set, "\"revenue\": \"1000.00\", \"tax_paid\": \"99.99\"");
    expect(&o, POLICY_ELIGIBLE, 9999);
    o = judge(set, "\"revenue\": \"999.90\", \"tax_paid\": \"99.99\""); /* 99.9900 against 99.99: equal */
    expect(&o, POLICY_ELIGIBLE, 9999);
    o = judge(set, "\"revenue\": \"1000.00\", \"tax_paid\": \"92233720368547758.07\"");
    expect_overflow_at(&o, "t.policy:8");
    policy_set_free(set);
}

/* A literal may have up to 24 digits; one beyond 64 bits is an overflow of every subject, on the
 * line that wrote it, and never a wrapped number. */
static void a_literal_beyond_64_bits_is_an_overflow(void **state)
{
    (void)state;
    policy_set *set = rule("require revenue[year - 1] < 100000000000000000 yuan\namount 1 yuan\n");
    outcome o = judge(set, "\"revenue\": \"1.00\"");
    expect_overflow_at(&o, "t.policy:8");
    policy_set_free(set);
}

/* ---- what-if documents ---- */

static void expect_refused(const policy_set *set, const char *doc, const char *message)
{
    policy_run *run = NULL;
    lz_err err = {0};
    int rc = policy_run_whatif(set, doc, strlen(doc), YEAR, NULL, &run, &err);
    if (rc != LZ_EINPUT || strstr(err.msg, message) != err.msg)
        fail_msg("%s\ngot      %d %s\nexpected %d %s", doc, rc, err.msg, LZ_EINPUT, message);
    assert_null(run);
}

#define ENT(members) "{\"enterprise\": {\"uscc\": \"" USCC "\"" members "}}"
#define Y2021(members) ENT(", \"indicators\": {\"2021\": {" members "}}")

static void whatif_names_the_field_of_every_error(void **state)
{
    (void)state;
    policy_set *set = rule("amount 1 yuan\n");
    expect_refused(set, "{\"enterprise\": ", "line 1, column 15: ");
    expect_refused(set, "{\"enterprise\": {\"uscc\": \"a\", \"uscc\": \"b\"}}", "line 1, column");
    expect_refused(set, "[]", "enterprise.uscc: the document needs {\"enterprise\": {\"uscc\": ...}}");
    expect_refused(set, "{\"enterprise\": {\"name\": \"x\"}}", "enterprise.uscc: ");
    /* The enterprise's own facts */
    expect_refused(set, ENT(", \"colour\": \"red\""), "enterprise.colour: not a fact of this subject");
    expect_refused(set, ENT(", \"revenue\": \"1.00\""), "enterprise.revenue: a yearly fact: put it under the year");
    expect_refused(set, ENT(", \"founded\": \"2021-02-30\""), "enterprise.founded: expected a date YYYY-MM-DD");
    expect_refused(set, ENT(", \"industry_code\": 3985"), "enterprise.industry_code: expected text");
    expect_refused(set, ENT(", \"local\": 1"), "enterprise.local: expected true or false");
    /* Its years */
    expect_refused(set, ENT(", \"indicators\": []"), "enterprise.indicators: expected an object keyed by year");
    expect_refused(set, ENT(", \"indicators\": {\"2022\": {}}"),
                   "enterprise.indicators.2022: a year before the award year 2022 (back to 2012), holding an object");
    expect_refused(set, ENT(", \"indicators\": {\"2011\": {}}"), "enterprise.indicators.2011: a year before the award year");
    expect_refused(set, ENT(", \"indicators\": {\"2021\": 5}"), "enterprise.indicators.2021: a year before the award year");
    expect_refused(set, Y2021("\"industry_code\": \"3985\""),
                   "enterprise.indicators.2021.industry_code: not a yearly fact of this subject");
    expect_refused(set, Y2021("\"revenue\": 1.5"),
                   "enterprise.indicators.2021.revenue: expected a decimal in a string, like \"1234.50\"");
    expect_refused(set, Y2021("\"revenue\": \"1.234\""), "enterprise.indicators.2021.revenue: more than 2 decimals in '1.234'");
    expect_refused(set, Y2021("\"revenue\": 92233720368547759"), "enterprise.indicators.2021.revenue: too large");
    expect_refused(set, Y2021("\"employees\": \"12\""), "enterprise.indicators.2021.employees: expected a whole number");
    expect_refused(set, Y2021("\"above_scale\": \"yes\""), "enterprise.indicators.2021.above_scale: expected true or false");
    /* Projects, persons, events */
    expect_refused(set, ENT("}, \"projects\": {\"id\": \"P1\"}, \"x\": {"), "projects: expected an array");
    expect_refused(set, ENT("}, \"projects\": [{\"kind\": \"tech_upgrade\"}], \"x\": {"), "projects[0]: an object with an \"id\"");
    expect_refused(set, ENT("}, \"projects\": [{\"id\": \"P1\"}, {\"id\": \"P2\", \"plot_ratio\": \"1.605\"}], \"x\": {"),
                   "projects[1].plot_ratio: more than 2 decimals in '1.605'");
    expect_refused(set, ENT("}, \"persons\": [{\"id\": \"H1\", \"years\": {\"2021\": {\"revenue\": \"1.00\"}}}], \"x\": {"),
                   "persons[0].2021.revenue: not a yearly fact of this subject");
    expect_refused(set, ENT("}, \"events\": [{\"id\": \"E1\", \"date\": \"May 1\"}], \"x\": {"),
                   "events[0].date: expected a date YYYY-MM-DD");
    /* Earlier payments */
    expect_refused(set, ENT("}, \"paid\": [{\"policy\": \"t.vm\", \"subject_id\": \"" USCC "\", \"amount\": \"1.00\"}], \"x\": {"),
                   "paid[0]: needs \"policy\", \"subject_id\", \"year\" and \"amount\"");
    expect_refused(
        set, ENT("}, \"paid\": [{\"policy\": \"t.vm\", \"subject_id\": \"" USCC "\", \"year\": 2021, \"amount\": 1.5}], \"x\": {"),
        "paid[0].amount: expected a decimal in a string");
    policy_set_free(set);
}

/* What a document may leave out or set to null is unknown, not zero; and a payment recorded in
 * it counts against a cumulative cap as one in the ledger would. */
static void whatif_reads_null_as_unknown_and_counts_earlier_payments(void **state)
{
    (void)state;
    policy_set *set = rule("amount revenue[year - 1] * 10%\ncap cumulative 150.00 yuan\n");
    outcome o = judge(set, "\"revenue\": null");
    expect(&o, POLICY_UNDETERMINED, 0);
    o = judge(set, "\"revenue\": \"1000.00\"");
    expect(&o, POLICY_ELIGIBLE, 10000);
    const char *doc = "{\"enterprise\": {\"uscc\": \"" USCC "\", \"indicators\": {\"2021\": {\"revenue\": \"1000.00\"}}},"
                      " \"paid\": [{\"policy\": \"t.vm\", \"subject_id\": \"" USCC "\", \"year\": 2021, \"amount\": \"120.00\"}]}";
    policy_run *run = NULL;
    lz_err err = {0};
    assert_int_equal(policy_run_whatif(set, doc, strlen(doc), YEAR, NULL, &run, &err), 0);
    assert_int_equal(policy_run_count(run), 1);
    assert_int_equal(policy_run_at(run, 0)->amount_fen, 3000); /* 150.00 cap - 120.00 paid */
    policy_run_free(run);
    policy_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sums_of_different_scales_are_rescaled_exactly),
        cmocka_unit_test(comparisons_of_different_scales_are_rescaled_exactly),
        cmocka_unit_test(not_equal_at_one_scale),
        cmocka_unit_test(not_negates_a_known_condition_only),
        cmocka_unit_test(unary_minus_and_its_overflow),
        cmocka_unit_test(min_rescales_its_arguments_and_reports_an_overflow),
        cmocka_unit_test(a_literal_beyond_64_bits_is_an_overflow),
        cmocka_unit_test(whatif_names_the_field_of_every_error),
        cmocka_unit_test(whatif_reads_null_as_unknown_and_counts_earlier_payments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
