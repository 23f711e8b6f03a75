/* Unit tests of the schema: a new SQLite database has exactly the schema of
 * tests/unit/fixtures/sqlite-schema.txt, byte for byte (every CREATE statement SQLite keeps, in the
 * order the migrations made them), so that a change to how the DDL is made cannot change the files
 * it creates unnoticed. A new migration updates the fixture; its diff is the change to review.
 * The fixture's format is what `sqlite3 DB "SELECT type || ' ' || name || char(10) || sql || ';'
 * FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"` prints.
 * The PostgreSQL rendering is checked here as text; tests/pg/ applies it to a real server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "store/schema.h"
#include "store/store_impl.h"
#include "testdb.h"

static void fixture(const char *name, strbuf *out)
{
    char path[4096];
    const char *root = getenv("LZ_ROOT"); /* the test runner's repository root; else run from it */
    snprintf(path, sizeof path, "%s/tests/unit/fixtures/%s", root ? root : ".", name);
    lz_err err = {0};
    if (strbuf_read_file(out, path, &err) != 0)
        fail_msg("%s", err.msg);
}

/* The schema as SQLite keeps it, in the fixture's format. */
static void dump_schema(store *st, strbuf *out)
{
    lz_err err = {0};
    sql_stmt *s = store_prepare(st, "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid", &err);
    assert_non_null(s);
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW)
        strbuf_printf(out, "%s %s\n%s;\n", sql_column_text(s, 0), sql_column_text(s, 1), sql_column_text(s, 2));
    assert_int_equal(rc, SQL_DONE);
    sql_reset(s);
}

/* The first line where a and b differ, for the failure message. */
static void report_difference(const char *a, const char *b)
{
    int line = 1;
    const char *la = a, *lb = b;
    for (; *a && *a == *b; a++, b++)
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
    fail_msg("line %d differs:\n  expected: %.*s\n  actual:   %.*s", line, (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
}

static void a_new_sqlite_database_has_the_schema_of_the_fixture(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = testdb_create(path);
    strbuf want, got;
    strbuf_init(&want);
    strbuf_init(&got);
    fixture("sqlite-schema.txt", &want);
    dump_schema(st, &got);
    if (strcmp(want.data, got.data) != 0)
        report_difference(want.data, got.data);
    assert_int_equal(store_schema_version(st), store_schema_version_latest());
    strbuf_free(&want);
    strbuf_free(&got);
    store_close(st);
    testdb_remove(path);
}

static bool contains(const strbuf *b, const char *s)
{
    return b->data && strstr(b->data, s) != NULL;
}

static void postgres_rendering_types_and_checks_columns_as_the_contract_says(void **state)
{
    (void)state;
    strbuf pg;
    strbuf_init(&pg);
    lz_err err = {0};
    assert_int_equal(store_schema_render_upto(STORE_DIALECT_POSTGRES, store_schema_version_latest(), &pg, &err), 0);
    assert_true(contains(&pg, "\"kind\" text COLLATE \"C\" NOT NULL CHECK (\"kind\" IN ('emerging', 'traditional')),\n"));
    assert_true(contains(&pg, "\"target_output_2025\" bigint,\n"));
    assert_true(contains(&pg, "\"founded\" date,\n"));
    assert_true(contains(&pg, "\"local\" smallint CHECK (\"local\" IN (0, 1)),\n"));
    assert_true(contains(&pg, "\"year\" bigint NOT NULL,\n"));
    assert_true(contains(&pg, "ALTER TABLE \"events\" ADD COLUMN \"chain\" text COLLATE \"C\" REFERENCES \"chains\" (\"code\") "
                              "DEFERRABLE INITIALLY DEFERRED;"));
    /* no SQLite type names, and none of the hand-written SQLite tables */
    assert_false(contains(&pg, "INTEGER") || contains(&pg, "TEXT"));
    assert_false(contains(&pg, "audit_log") || contains(&pg, "accounts"));
    strbuf_free(&pg);
}

static void only_declared_migrations_render_and_versions_are_bounded(void **state)
{
    (void)state;
    assert_true(store_schema_declared(1));
    assert_false(store_schema_declared(2)); /* the audit log: hand-written SQLite */
    assert_false(store_schema_declared(0));
    assert_false(store_schema_declared(store_schema_version_latest() + 1));
    strbuf b;
    strbuf_init(&b);
    lz_err err = {0};
    assert_int_equal(store_schema_render(STORE_DIALECT_POSTGRES, 2, &b, &err), 0);
    assert_int_equal(b.len, 0);
    assert_int_equal(store_schema_render(STORE_DIALECT_SQLITE, 1, &b, &err), 0);
    assert_true(contains(&b, "CREATE TABLE \"divisions\" (\n  \"code\" TEXT NOT NULL,\n"));
    assert_int_equal(store_schema_render(STORE_DIALECT_SQLITE, 0, &b, &err), LZ_EINPUT);
    assert_int_equal(store_schema_render_upto(STORE_DIALECT_SQLITE, store_schema_version_latest() + 1, &b, &err), LZ_EINPUT);
    strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_sqlite_database_has_the_schema_of_the_fixture),
        cmocka_unit_test(postgres_rendering_types_and_checks_columns_as_the_contract_says),
        cmocka_unit_test(only_declared_migrations_render_and_versions_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
