/* Unit tests of near misses and missing facts (src/policy/nearmiss.c), each on one enterprise's
 * facts given as a what-if document: the deciding comparison of an `and`, a ceiling (<=) overshot,
 * the exact 10% bound, comparisons at different scales, a year comparison (never a near miss), and
 * the facts an undetermined result lacks, each named once. */
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
    "policy t.nm\nname zh-CN \"甲\"\nname zh-TW \"甲\"\nname en \"nm\"\ndepartment \"d\"\nsubject enterprise\nclause \"c\"\n"
#define USCC "91440703MA4UB00018"
enum { YEAR = 2022 }; /* the award year: the facts are those of 2021 */

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

static policy_run *judge(const policy_set *set, const char *facts_2021)
{
    char doc[1024];
    snprintf(doc, sizeof doc, "{\"enterprise\": {\"uscc\": \"" USCC "\", \"indicators\": {\"2021\": {%s}}}}", facts_2021);
    policy_run *run = NULL;
    lz_err err = {0};
    if (policy_run_whatif(set, doc, strlen(doc), YEAR, NULL, &run, &err) != 0)
        fail_msg("%s: %s", doc, err.msg);
    assert_int_equal(policy_run_count(run), 1);
    return run;
}

/* "LABEL value required shortfall scale" of the near miss, or "none". */
static void near(const policy_set *set, const char *facts, const char *expected)
{
    policy_run *run = judge(set, facts);
    strbuf label;
    strbuf_init(&label);
    policy_gap g;
    char got[256] = "none";
    if (policy_near_miss(run, 0, 1000, POLICY_EN, &label, &g))
        snprintf(got, sizeof got, "%s %lld %lld %lld %d", label.data, (long long)g.value, (long long)g.required,
                 (long long)g.shortfall, g.scale);
    assert_string_equal(got, expected);
    strbuf_free(&label);
    policy_run_free(run);
}

static void the_failed_part_of_an_and_decides(void **state)
{
    (void)state;
    policy_set *set = rule("require \"big | big | big\" employees[year - 1] >= 100 and revenue[year - 1] >= 1000 yuan\n"
                           "amount 1 yuan\n");
    near(set, "\"employees\": 100, \"revenue\": \"950.00\"", "big 95000 100000 5000 2");
    near(set, "\"employees\": 95, \"revenue\": \"950.00\"", "big 95 100 5 0");
    near(set, "\"employees\": 100, \"revenue\": \"900.00\"", "none"); /* exactly 10% short */
    near(set, "\"employees\": 100, \"revenue\": \"900.01\"", "big 90001 100000 9999 2");
    near(set, "\"employees\": 100, \"revenue\": \"1000.00\"", "none"); /* eligible */
    policy_set_free(set);
}

static void a_ceiling_overshot_by_a_little(void **state)
{
    (void)state;
    policy_set *set = rule("require \"small\" employees[year - 1] <= 200\namount 1 yuan\n");
    near(set, "\"employees\": 210", "small 210 200 10 0");
    near(set, "\"employees\": 220", "none");
    policy_set_free(set);
}

static void scales_are_made_one_and_a_strict_bound_counts_its_unit(void **state)
{
    (void)state;
    policy_set *set = rule("require \"ten percent\" revenue[year - 1] * 10% > 50 yuan\namount 1 yuan\n");
    /* 480.00 * 10% = 48.0000 at four decimals; money above 50 needs 50.01 (one fen): 2.01 short */
    near(set, "\"revenue\": \"480.00\"", "ten percent 480000 500000 20100 4");
    policy_set_free(set);
}

static void a_year_is_never_a_near_miss(void **state)
{
    (void)state;
    policy_set *set = rule("require \"recent\" above_scale_entry_year >= 2020\namount 1 yuan\n");
    policy_run *run = NULL;
    lz_err err = {0};
    const char *doc = "{\"enterprise\": {\"uscc\": \"" USCC "\", \"above_scale_entry_year\": 2019}}";
    assert_int_equal(policy_run_whatif(set, doc, strlen(doc), YEAR, NULL, &run, &err), 0);
    assert_int_equal(policy_run_at(run, 0)->status, POLICY_NOT_ELIGIBLE); /* 2019 is 0.05% short of 2020 */
    strbuf label;
    strbuf_init(&label);
    policy_gap g;
    assert_int_equal(policy_near_miss(run, 0, 1000, POLICY_EN, &label, &g), 0);
    strbuf_free(&label);
    policy_run_free(run);
    policy_set_free(set);
}

static void missing_facts_are_named_once(void **state)
{
    (void)state;
    policy_set *set =
        rule("require revenue[year - 1] >= 1 yuan\nrequire revenue[year - 1] <= 9 yuan\nrequire employees[year - 1] >= 1\n"
             "amount 1 yuan\n");
    policy_run *run = judge(set, "\"revenue\": null, \"employees\": null");
    const char *labels[4];
    assert_int_equal(policy_run_at(run, 0)->status, POLICY_UNDETERMINED);
    assert_int_equal(policy_missing_facts(run, 0, POLICY_EN, labels, 4), 2);
    assert_int_equal(policy_missing_facts(run, 0, POLICY_EN, labels, 1), 1);
    policy_run_free(run);
    run = judge(set, "\"revenue\": \"5.00\", \"employees\": 3");
    assert_int_equal(policy_missing_facts(run, 0, POLICY_EN, labels, 4), 0); /* eligible: nothing is missing */
    policy_run_free(run);
    policy_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_failed_part_of_an_and_decides),
        cmocka_unit_test(a_ceiling_overshot_by_a_little),
        cmocka_unit_test(scales_are_made_one_and_a_strict_bound_counts_its_unit),
        cmocka_unit_test(a_year_is_never_a_near_miss),
        cmocka_unit_test(missing_facts_are_named_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
