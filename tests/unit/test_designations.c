/* Unit tests of the chain-master designation decision (workflow/designations.h): its state
 * machine (who proposes, who decides, which moves exist), the gates of the evaluation, and the
 * one transaction of an approval: a failure injected in its last write leaves nothing written,
 * neither the decision's status, nor the role, the event or an audit entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "exchange/import.h"
#include "store/audit.h"
#include "store/store_impl.h"
#include "testdb.h"
#include "workflow/designations.h"

#define A "91440703MA4UC00010" /* local, first by revenue */
#define B "91440703MA4UC00023" /* local */
#define E "91310000MA4UC0005R" /* not local */

static const import_options plain_import = {.actor = "t", .via = "u"};

static const struct {
    const char *table, *csv;
} seed[] = {
    {"divisions", "code,name\n440703,蓬江区\n"},
    {"clusters", "code,name,kind\nmat,新材料,emerging\n"},
    {"chains", "code,cluster,name,lead_department,lead_divisions\nbat,mat,新能源电池,市工信局,440703\n"
               "pet,mat,石化新材料,商务局,440703\n"},
    {"segments", "chain,code,name,stage\nbat,mat,正极材料,upstream\n"},
    {"enterprises", "uscc,name,division,local\n" A ",甲,440703,true\n" B ",乙,440703,true\n" E ",戊,,false\n"},
    {"memberships", "uscc,chain,segment,role\n" A ",bat,mat,member\n" B ",bat,mat,member\n" E ",bat,mat,backbone\n"},
    {"indicators", "uscc,year,revenue\n" A ",2023,1000.00\n" B ",2023,600.00\n" E ",2023,900.00\n"},
};

static const account chief = {"chief", ROLE_CHAIN, "bat", false, ""}, other = {"other", ROLE_CHAIN, "pet", false, ""},
                     lead = {"lead", ROLE_BUREAU, "市工信局", false, ""}, trade = {"trade", ROLE_BUREAU, "商务局", false, ""},
                     root = {"root", ROLE_ADMIN, "", false, ""}, firm = {"firm", ROLE_ENTERPRISE, A, false, ""},
                     district = {"district", ROLE_DIVISION, "440703", false, ""};

static store *seeded(char path[TESTDB_PATH_MAX])
{
    store *st = testdb_create(path);
    lz_err err = {0};
    errlist errs;
    errlist_init(&errs, 10);
    import_stats stats;
    for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++)
        if (import_buffer(st, tables_find(seed[i].table), SHEET_CSV, "seed.csv", seed[i].csv, strlen(seed[i].csv), &plain_import,
                          &errs, &stats, &err) != 0)
            fail_msg("seeding %s: %s", seed[i].table, err.msg);
    errlist_free(&errs);
    return st;
}

static int propose(store *st, const account *who, const char *uscc, const char *kind, int64_t *id, lz_err *err)
{
    masters_criteria mc;
    masters_criteria_defaults(&mc);
    designations_proposal p = {"bat", uscc, kind, "第二批链主企业", "2024-05-20", 2023, NULL};
    return designations_propose(st, who, &p, &mc, "test", id, err);
}

/* The role of uscc's membership in bat/mat. */
static void expect_role(store *st, const char *uscc, const char *role)
{
    const table *t = tables_find("memberships");
    cell key[3] = {cell_text(uscc, strlen(uscc)), cell_text("bat", 3), cell_text("mat", 3)}, row[TABLES_MAX_COLS];
    arena a;
    arena_init(&a, 256);
    bool found = false;
    lz_err err = {0};
    assert_int_equal(store_get(st, t, key, &a, row, &found, &err), 0);
    assert_true(found);
    assert_string_equal(row[table_column_index(t, "role")].s, role);
    arena_free(&a);
}

static bool row_exists(store *st, const char *table_name, const char *key0, const char *key1)
{
    const table *t = tables_find(table_name);
    cell key[2] = {cell_text(key0, strlen(key0)), cell_text(key1 ? key1 : "", key1 ? strlen(key1) : 0)}, row[TABLES_MAX_COLS];
    arena a;
    arena_init(&a, 256);
    bool found = false;
    lz_err err = {0};
    assert_int_equal(store_get(st, t, key, &a, row, &found, &err), 0);
    arena_free(&a);
    return found;
}

static const char *status_of(store *st, int64_t id)
{
    static char status[16];
    arena a;
    arena_init(&a, 256);
    designation d;
    bool found = false;
    lz_err err = {0};
    assert_int_equal(designations_sql_get(st, id, &a, &d, &found, &err), 0);
    assert_true(found);
    snprintf(status, sizeof status, "%s", d.status);
    arena_free(&a);
    return status;
}

static int64_t audit_count(store *st)
{
    char hash[AUDIT_HASH_HEX];
    int64_t n = -1;
    lz_err err = {0};
    assert_int_equal(audit_head(st, hash, &n, &err), 0);
    return n;
}

static void the_proposer_never_decides_a_second_official_approves(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = seeded(path);
    lz_err err = {0};
    int64_t id = 0;
    assert_int_equal(propose(st, &chief, B, "master", &id, &err), 0);
    assert_string_equal(status_of(st, id), "proposed");
    expect_role(st, B, "member"); /* a proposal writes no data row */
    assert_int_equal(designations_decide(st, &chief, id, "approved", NULL, "test", &err), LZ_EDENIED);
    assert_non_null(strstr(err.msg, "four eyes"));
    assert_int_equal(designations_decide(st, &chief, id, "rejected", "no", "test", &err), LZ_EDENIED);
    assert_int_equal(designations_decide(st, &other, id, "approved", NULL, "test", &err), LZ_EDENIED);
    assert_int_equal(designations_decide(st, &trade, id, "approved", NULL, "test", &err), LZ_EDENIED);
    assert_int_equal(designations_decide(st, &firm, id, "approved", NULL, "test", &err), LZ_EDENIED);
    assert_int_equal(designations_decide(st, &district, id, "approved", NULL, "test", &err), LZ_EDENIED);
    assert_string_equal(status_of(st, id), "proposed");

    assert_int_equal(designations_decide(st, &lead, id, "approved", NULL, "test", &err), 0);
    assert_string_equal(status_of(st, id), "approved");
    expect_role(st, B, "chain_master");
    assert_true(row_exists(st, "key_enterprises", B, "bat"));
    char event[32];
    snprintf(event, sizeof event, "designation-%lld", (long long)id);
    assert_true(row_exists(st, "events", event, NULL));
    /* decided once: no further move, by anyone */
    assert_int_equal(designations_decide(st, &root, id, "rejected", "late", "test", &err), LZ_ECONFLICT);
    assert_int_equal(designations_decide(st, &chief, id, "withdrawn", NULL, "test", &err), LZ_ECONFLICT);
    store_close(st);
    testdb_remove(path);
}

static void the_moves_of_a_pending_decision(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = seeded(path);
    lz_err err = {0};
    int64_t id = 0, again = 0;
    assert_int_equal(propose(st, &lead, B, "reserve", &id, &err), 0);
    assert_int_equal(propose(st, &chief, B, "master", &again, &err), LZ_ECONFLICT); /* one pending per enterprise */
    assert_int_equal(designations_decide(st, &root, id, "paid", NULL, "test", &err), LZ_EINPUT);
    assert_int_equal(designations_decide(st, &root, id, "rejected", NULL, "test", &err), LZ_EINPUT);
    assert_non_null(strstr(err.msg, "reason"));
    assert_int_equal(designations_decide(st, &root, id, "withdrawn", NULL, "test", &err), LZ_EDENIED);
    assert_int_equal(designations_decide(st, &lead, id, "withdrawn", NULL, "test", &err), 0);
    assert_string_equal(status_of(st, id), "withdrawn");
    assert_int_equal(designations_decide(st, &root, 999, "approved", NULL, "test", &err), LZ_ENOTFOUND);

    assert_int_equal(propose(st, &chief, B, "master", &again, &err), 0); /* free again once withdrawn */
    assert_int_equal(designations_decide(st, &root, again, "rejected", "not yet", "test", &err), 0);
    assert_string_equal(status_of(st, again), "rejected");
    expect_role(st, B, "member");
    store_close(st);
    testdb_remove(path);
}

static void gates_and_roles_refuse_a_proposal(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = seeded(path);
    lz_err err = {0};
    int64_t id = 0;
    assert_int_equal(propose(st, &chief, E, "master", &id, &err), LZ_EINPUT);
    if (!strstr(err.msg, "gate 'local'") || strncmp(err.msg, "enterprise: ", 12) != 0)
        fail_msg("got %s", err.msg);
    assert_int_equal(propose(st, &chief, A, "leave-reserve", &id, &err), LZ_ECONFLICT); /* A is no reserve master */
    assert_int_equal(propose(st, &chief, A, "revoke", &id, &err), LZ_ECONFLICT);
    assert_int_equal(propose(st, &firm, A, "master", &id, &err), LZ_EDENIED);
    assert_int_equal(propose(st, &other, A, "master", &id, &err), LZ_EDENIED);
    assert_int_equal(propose(st, &chief, "91440703MA4UC00036", "master", &id, &err), LZ_EINPUT); /* no member */
    json_t *list = NULL;
    assert_int_equal(designations_list_json(st, NULL, NULL, &list, &err), 0);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);

    /* B passes the gates: the proposal keeps its rank in the evaluation */
    assert_int_equal(propose(st, &chief, B, "master", &id, &err), 0);
    assert_int_equal(designations_list_json(st, "bat", "proposed", &list, &err), 0);
    json_t *d = json_array_get(list, 0);
    assert_int_equal(json_integer_value(json_object_get(d, "rank")), 2);
    assert_string_equal(json_string_value(json_object_get(d, "proposed_by")), "chief");
    json_decref(list);
    store_close(st);
    testdb_remove(path);
}

static void a_failure_in_the_last_write_of_an_approval_writes_nothing(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = seeded(path);
    lz_err err = {0};
    int64_t id = 0;
    assert_int_equal(propose(st, &chief, B, "master", &id, &err), 0);
    int64_t entries = audit_count(st);
    /* the key-enterprise directory entry comes after the status, the role, the event and their audit entries */
    assert_int_equal(store_exec(st,
                                "CREATE TEMP TRIGGER injected BEFORE INSERT ON key_enterprises"
                                " BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
                                &err),
                     0);
    int rc = designations_decide(st, &lead, id, "approved", NULL, "test", &err);
    assert_true(rc < 0);
    assert_non_null(strstr(err.msg, "injected failure"));
    assert_false(store_in_transaction(st));
    assert_string_equal(status_of(st, id), "proposed");
    expect_role(st, B, "member");
    char event[32];
    snprintf(event, sizeof event, "designation-%lld", (long long)id);
    assert_false(row_exists(st, "events", event, NULL));
    assert_false(row_exists(st, "key_enterprises", B, "bat"));
    assert_int_equal(audit_count(st), entries);

    /* once the fault is gone the same approval goes through whole */
    assert_int_equal(store_exec(st, "DROP TRIGGER injected", &err), 0);
    assert_int_equal(designations_decide(st, &lead, id, "approved", NULL, "test", &err), 0);
    expect_role(st, B, "chain_master");
    assert_true(row_exists(st, "events", event, NULL));
    assert_int_equal(audit_count(st), entries + 4); /* role, event, directory, decision */
    store_close(st);
    testdb_remove(path);
}

static void approval_checks_the_role_again(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = seeded(path);
    lz_err err = {0};
    int64_t id = 0;
    assert_int_equal(propose(st, &chief, B, "reserve", &id, &err), 0);
    /* meanwhile an import makes B a master: the reserve designation has lost its point */
    const table *t = tables_find("memberships");
    cell row[TABLES_MAX_COLS] = {cell_text(B, strlen(B)), cell_text("bat", 3), cell_text("mat", 3), cell_text("chain_master", 12),
                                 cell_text("confirmed", 9)};
    assert_int_equal(store_upsert(st, t, row, NULL, &err), 0);
    int64_t entries = audit_count(st);
    assert_int_equal(designations_decide(st, &lead, id, "approved", NULL, "test", &err), LZ_ECONFLICT);
    assert_non_null(strstr(err.msg, "chain_master"));
    assert_string_equal(status_of(st, id), "proposed");
    assert_int_equal(audit_count(st), entries);
    /* it can still be rejected */
    assert_int_equal(designations_decide(st, &lead, id, "rejected", "B became a master", "test", &err), 0);
    store_close(st);
    testdb_remove(path);
}

static void a_bad_field_is_named(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = seeded(path);
    lz_err err = {0};
    int64_t id = 0;
    masters_criteria mc;
    masters_criteria_defaults(&mc);
    designations_proposal p = {"bat", B, "master", "第二批链主企业", "2024-13-01", 2023, NULL};
    assert_int_equal(designations_propose(st, &chief, &p, &mc, "test", &id, &err), LZ_EINPUT);
    assert_int_equal(strncmp(err.msg, "date: ", 6), 0);
    p.date = "2024-05-20";
    p.batch = "";
    assert_int_equal(designations_propose(st, &chief, &p, &mc, "test", &id, &err), LZ_EINPUT);
    assert_int_equal(strncmp(err.msg, "batch: ", 7), 0);
    p.batch = "第二批链主企业";
    p.chain = "nope";
    assert_int_equal(designations_propose(st, &root, &p, &mc, "test", &id, &err), LZ_ENOTFOUND);
    assert_int_equal(strncmp(err.msg, "chain: ", 7), 0);
    store_close(st);
    testdb_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_proposer_never_decides_a_second_official_approves),
        cmocka_unit_test(the_moves_of_a_pending_decision),
        cmocka_unit_test(gates_and_roles_refuse_a_proposal),
        cmocka_unit_test(a_failure_in_the_last_write_of_an_approval_writes_nothing),
        cmocka_unit_test(approval_checks_the_role_again),
        cmocka_unit_test(a_bad_field_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
