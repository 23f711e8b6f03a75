/* Unit tests of how the store reports what SQLite refuses (store_sql_error): a row that breaks
 * the database's own rules is a conflict naming the table, a write that cannot get the lock says
 * the database is busy and to try again, and neither leaves the connection unusable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "store/store_impl.h"
#include "testdb.h"

#define USCC "91440703MA4UB00018"

/* A row of table_name with the first two columns given and every other column empty. */
static void two_cell_row(const char *table_name, cell first, cell second, cell *row)
{
    const table *t = tables_find(table_name);
    assert_true(t->ncols <= 64);
    for (size_t i = 0; i < t->ncols; i++)
        row[i] = cell_null();
    row[0] = first;
    row[1] = second;
}

static int upsert(store *st, const char *table_name, cell first, cell second, lz_err *err)
{
    cell row[TABLES_MAX_COLS];
    two_cell_row(table_name, first, second, row);
    return store_upsert(st, tables_find(table_name), row, NULL, err);
}

static void a_row_breaking_a_reference_is_a_conflict_naming_the_table(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = testdb_create(path);
    lz_err err = {0};
    /* indicators.uscc references an enterprise that is not there: the foreign key refuses it. */
    int rc = upsert(st, "indicators", cell_text(USCC, strlen(USCC)), cell_int(2023), &err);
    assert_int_equal(rc, LZ_ECONFLICT);
    assert_int_equal(err.code, LZ_ECONFLICT);
    if (strncmp(err.msg, "indicators: ", 12) != 0 || !strstr(err.msg, "FOREIGN KEY"))
        fail_msg("got %s", err.msg);
    /* A required column left empty is refused the same way. */
    rc = upsert(st, "divisions", cell_text("440703", 6), cell_null(), &err);
    assert_int_equal(rc, LZ_ECONFLICT);
    assert_non_null(strstr(err.msg, "NOT NULL"));
    /* The connection goes on: a good row is written after the refusals. */
    assert_int_equal(upsert(st, "divisions", cell_text("440703", 6), cell_text("蓬江区", strlen("蓬江区")), &err), 0);
    store_close(st);
    testdb_remove(path);
}

static void a_write_that_cannot_get_the_lock_says_the_database_is_busy(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *holder = testdb_create(path), *other;
    lz_err err = {0};
    assert_int_equal(store_open(&other, path, 0, &err), 0);
    sqlite3_busy_timeout(store_db(other), 0); /* give up at once instead of after the usual wait */
    assert_int_equal(store_begin(holder, &err), 0);
    assert_int_equal(upsert(holder, "divisions", cell_text("440703", 6), cell_text("蓬江区", strlen("蓬江区")), &err), 0);

    int rc = upsert(other, "divisions", cell_text("440704", 6), cell_text("江海区", strlen("江海区")), &err);
    assert_true(rc < 0);
    assert_int_equal(err.code, rc);
    assert_int_not_equal(rc, LZ_ECONFLICT); /* nothing the user wrote is wrong */
    if (strncmp(err.msg, "divisions: ", 11) != 0 || !strstr(err.msg, "the database is busy") || !strstr(err.msg, "try again"))
        fail_msg("got %s", err.msg);

    /* Reads are not blocked by the writer, and once it commits the same write goes through. */
    int64_t n = -1;
    store_query q = {.t = tables_find("divisions")};
    assert_int_equal(store_count(other, &q, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_commit(holder, &err), 0);
    assert_int_equal(upsert(other, "divisions", cell_text("440704", 6), cell_text("江海区", strlen("江海区")), &err), 0);
    assert_int_equal(store_count(other, &q, &n, &err), 0);
    assert_int_equal(n, 2);
    store_close(other);
    store_close(holder);
    testdb_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_row_breaking_a_reference_is_a_conflict_naming_the_table),
        cmocka_unit_test(a_write_that_cannot_get_the_lock_says_the_database_is_busy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
