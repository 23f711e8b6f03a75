/* Unit tests of the facts catalogue against the data contract (model/tables.c), and of the facts
 * loader on a real database (the synthetic reference data of 300
 * enterprises): the parallel read of a large yearly table, two halves on a snapshot and its twin,
 * gives exactly the world one serial read gives, and every stored value arrives in it. The parallel read
 * starts at 100,000 rows; the test lowers that line (facts_parallel_rows) to read a small table
 * both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "store/facts_load.h"
#include "store/store_impl.h"
#include "facts_compare.h"
#include "testdb.h"

/* The world holds every value of yearly fact `name` the database holds for the years loaded (for
 * persons: of those with a row in the statistics year, the only persons loaded). */
static void expect_every_value_loaded(store *st, const facts_world *w, facts_kind kind, const char *name)
{
    int f = facts_find(kind, name);
    assert_true(f >= 0);
    const facts_set *s = &w->sets[kind];
    int64_t in_world = 0;
    for (size_t j = 0; j < s->n * (size_t)s->nyears; j++)
        in_world += s->cols[f].known[j];
    /* The split is at half the largest rowid: the second half must hold values too. */
    char only[96] = "";
    if (kind == FACTS_PERSON)
        snprintf(only, sizeof only, " AND \"id\" IN (SELECT \"id\" FROM \"persons\" WHERE \"year\" = %d)", AWARD_YEAR - 1);
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(\"%s\"), count(CASE WHEN rowid > (SELECT max(rowid) FROM \"%s\") / 2 THEN \"%s\" END)"
             " FROM \"%s\" WHERE \"year\" BETWEEN %d AND %d%s",
             facts_get(f)->column, facts_get(f)->table, facts_get(f)->column, facts_get(f)->table, s->year0, AWARD_YEAR - 1, only);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t in_db = sqlite3_column_int64(q, 0), in_second_half = sqlite3_column_int64(q, 1);
    sqlite3_finalize(q);
    assert_true(in_second_half > 0 && in_second_half < in_db);
    assert_int_equal(in_world, in_db);
}

static void parallel_halves_load_what_one_serial_read_loads(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = testdb_synthetic(path, 300);
    facts_need need = numeric_need();
    facts_world serial, halves;
    load(st, INT64_MAX, &need, &serial);
    lz_err err = {0};
    assert_int_equal(store_read_begin_twin(st, &err), 0);
    assert_non_null(store_twin(st));
    load(st, 0, &need, &halves);
    store_read_end(st);
    assert_int_equal(serial.sets[FACTS_ENTERPRISE].nyears, SYNTH_LAST_YEAR - SYNTH_FIRST_YEAR + 1);
    expect_same_world(&serial, &halves, &need);
    expect_every_value_loaded(st, &halves, FACTS_ENTERPRISE, "revenue");
    expect_every_value_loaded(st, &halves, FACTS_PERSON, "wage_income");
    facts_world_free(&serial);
    facts_world_free(&halves);
    store_close(st);
    testdb_remove(path);
}

/* Without a twin (here: its file is gone, so no connection could hold the write lock or read the
 * same moment) the large table is read whole on the one connection, never half of it. */
static void without_a_twin_the_load_is_serial_and_whole(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = testdb_synthetic(path, 300);
    facts_need need = numeric_need();
    facts_world serial, untwinned;
    load(st, INT64_MAX, &need, &serial);
    testdb_remove(path); /* the open connection keeps reading; a new one finds no file */
    lz_err err = {0};
    assert_int_equal(store_read_begin_twin(st, &err), 0);
    assert_null(store_twin(st));
    load(st, 0, &need, &untwinned);
    store_read_end(st);
    expect_same_world(&serial, &untwinned, &need);
    facts_world_free(&serial);
    facts_world_free(&untwinned);
    store_close(st);
}

/* Every catalogue row names a table and column the contract declares and takes its type from it
 * (or states one the column cannot give); what is derived is what the rules were written against. */
static void the_catalogue_fits_the_data_contract(void **state)
{
    (void)state;
    lz_err err = {0};
    if (facts_catalog_check(&err) != 0)
        fail_msg("%s", err.msg);
    const facts_def *local = facts_get(facts_find(FACTS_ENTERPRISE, "local"));
    assert_true(local->has_default && local->default_value == 1); /* enterprises.local defaults to true */
    assert_int_equal(facts_get(facts_find(FACTS_ENTERPRISE, "above_scale_entry_year"))->type, FT_YEAR);
    assert_int_equal(facts_get(facts_find(FACTS_ENTERPRISE, "employees"))->type, FT_COUNT);
    assert_int_equal(facts_get(facts_find(FACTS_PROJECT, "plot_ratio"))->type, FT_DECIMAL2);
    assert_int_equal(facts_get(facts_find(FACTS_EVENT, "flags"))->type, FT_LIST);
    assert_true(facts_get(facts_find(FACTS_PERSON, "role"))->yearly);
    assert_false(facts_get(facts_find(FACTS_PROJECT, "key"))->has_default); /* projects.key's default is the importer's */
}

/* A membership fact is read from a query of the loader's; every one has its query. */
static void every_membership_fact_has_its_query(void **state)
{
    (void)state;
    size_t memberships = 0;
    for (size_t f = 0; f < facts_catalog_count; f++) {
        const facts_def *d = facts_get((int)f);
        assert_true(d->membership == (facts_members_sql((int)f) != NULL));
        memberships += d->membership;
        assert_true(!d->membership || (d->has_default && d->default_value == 0 && d->type == FT_BOOL));
    }
    assert_int_equal(memberships, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_catalogue_fits_the_data_contract),
        cmocka_unit_test(every_membership_fact_has_its_query),
        cmocka_unit_test(parallel_halves_load_what_one_serial_read_loads),
        cmocka_unit_test(without_a_twin_the_load_is_serial_and_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
