/* Unit tests of the workflow rules (store/workflow.h): who sets which field of an appeal or a
 * membership in which status, and which appeal moves exist and whose they are. The table is
 * the one the server and the command line both apply, so each case here is a promise of both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "store/workflow.h"

static bool may(const char *table_name, const char *field, account_role role, const char *status, const char *value)
{
    char why[256] = "";
    bool ok = workflow_may_set(table_name, field, role, status, value, why, sizeof why);
    assert_true(ok || why[0] != '\0'); /* a refusal always says why */
    return ok;
}

static void the_enterprise_words_its_appeal_while_it_is_open(void **state)
{
    (void)state;
    assert_true(may("appeals", "summary", ROLE_ENTERPRISE, NULL, "s"));
    assert_true(may("appeals", "summary", ROLE_ENTERPRISE, "open", "s"));
    assert_false(may("appeals", "summary", ROLE_ENTERPRISE, "in_progress", "s"));
    assert_false(may("appeals", "summary", ROLE_ENTERPRISE, "resolved", "s"));
    assert_false(may("appeals", "summary", ROLE_CHAIN, "open", "s"));
    assert_false(may("appeals", "summary", ROLE_BUREAU, "open", "s"));
}

static void officials_route_and_answer_the_enterprise_does_not(void **state)
{
    (void)state;
    assert_false(may("appeals", "department", ROLE_ENTERPRISE, NULL, "市工信局"));
    assert_false(may("appeals", "department", ROLE_ENTERPRISE, "open", "市工信局"));
    assert_true(may("appeals", "department", ROLE_CHAIN, "open", "市工信局"));
    assert_false(may("appeals", "department", ROLE_CHAIN, "resolved", "市工信局"));
    assert_false(may("appeals", "outcome", ROLE_ENTERPRISE, "resolved", "x"));
    assert_false(may("appeals", "outcome", ROLE_BUREAU, "resolved", "x"));
    assert_true(may("appeals", "outcome", ROLE_ADMIN, "resolved", "x"));
}

static void only_the_enterprise_raises_its_appeal(void **state)
{
    (void)state;
    assert_true(may("appeals", "uscc", ROLE_ENTERPRISE, NULL, "u"));
    assert_false(may("appeals", "uscc", ROLE_CHAIN, NULL, "u"));
    assert_false(may("appeals", "uscc", ROLE_BUREAU, NULL, "u"));
    assert_false(may("appeals", "uscc", ROLE_ENTERPRISE, "open", "u"));
}

static void server_fields_are_nobodys(void **state)
{
    (void)state;
    for (int r = ROLE_ADMIN; r < ROLE_COUNT; r++) {
        assert_false(may("appeals", "opened", (account_role)r, NULL, "2020-01-01"));
        assert_false(may("appeals", "resolved", (account_role)r, "in_progress", "2020-01-01"));
        assert_false(may("appeals", "status", (account_role)r, "open", "closed"));
        assert_false(may("appeals", "due", (account_role)r, "open", "2099-01-01"));
        assert_true(may("appeals", "status", (account_role)r, NULL, "open"));
    }
    assert_true(may("appeals", "due", ROLE_ADMIN, NULL, "2099-01-01"));
    assert_false(may("appeals", "due", ROLE_ENTERPRISE, NULL, "2099-01-01"));
    char why[256];
    assert_false(workflow_may_set("appeals", "opened", ROLE_ENTERPRISE, NULL, "2020-01-01", why, sizeof why));
    assert_non_null(strstr(why, "server"));
}

static void a_chain_proposes_the_enterprise_side_confirms(void **state)
{
    (void)state;
    assert_true(may("memberships", "status", ROLE_CHAIN, NULL, "proposed"));
    assert_false(may("memberships", "status", ROLE_CHAIN, NULL, "confirmed"));
    assert_false(may("memberships", "status", ROLE_CHAIN, "proposed", "confirmed"));
    for (account_role r = ROLE_BUREAU; r <= ROLE_ENTERPRISE; r++)
        if (r != ROLE_CHAIN)
            assert_true(may("memberships", "status", r, "proposed", "confirmed"));
    assert_false(may("memberships", "status", ROLE_ENTERPRISE, "confirmed", "proposed"));
    assert_false(may("memberships", "uscc", ROLE_ENTERPRISE, NULL, "u"));
    assert_false(may("memberships", "role", ROLE_DIVISION, "proposed", "chain_master"));
    assert_true(may("memberships", "role", ROLE_CHAIN, "confirmed", "backbone"));
}

static void tables_without_rules_are_free(void **state)
{
    (void)state;
    assert_true(may("indicators", "revenue", ROLE_ENTERPRISE, NULL, "1.00"));
    assert_true(may("projects", "uscc", ROLE_CHAIN, "x", "u"));
}

static void appeal_moves_and_whose_they_are(void **state)
{
    (void)state;
    lz_err err = {0};
    assert_int_equal(workflow_appeal_move("open", "accepted", ROLE_BUREAU, &err), 0);
    assert_int_equal(workflow_appeal_move("open", "accepted", ROLE_ENTERPRISE, &err), LZ_EDENIED);
    assert_int_equal(workflow_appeal_move("resolved", "closed", ROLE_ENTERPRISE, &err), 0);
    assert_int_equal(workflow_appeal_move("resolved", "closed", ROLE_CHAIN, &err), LZ_EDENIED);
    assert_int_equal(workflow_appeal_move("open", "resolved", ROLE_ADMIN, &err), LZ_ECONFLICT);
    assert_non_null(strstr(err.msg, "open to resolved"));
    assert_int_equal(workflow_appeal_move("closed", "in_progress", ROLE_ADMIN, &err), LZ_ECONFLICT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_enterprise_words_its_appeal_while_it_is_open),
        cmocka_unit_test(officials_route_and_answer_the_enterprise_does_not),
        cmocka_unit_test(only_the_enterprise_raises_its_appeal),
        cmocka_unit_test(server_fields_are_nobodys),
        cmocka_unit_test(a_chain_proposes_the_enterprise_side_confirms),
        cmocka_unit_test(tables_without_rules_are_free),
        cmocka_unit_test(appeal_moves_and_whose_they_are),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
