/* Unit tests of the schema: a new SQLite database has exactly the schema of
 * tests/unit/fixtures/sqlite-schema.txt, byte for byte (every CREATE statement SQLite keeps, in the
 * order the migrations made them), so that a change to how the DDL is made cannot change the files
 * it creates unnoticed. A new migration updates the fixture; its diff is the change to review.
 * The fixture's format is what `sqlite3 DB "SELECT type || ' ' || name || char(10) || sql || ';'
 * FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"` prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
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
    sqlite3_stmt *s = store_prepare(st, "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid", &err);
    assert_non_null(s);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        strbuf_printf(out, "%s %s\n%s;\n", sqlite3_column_text(s, 0), sqlite3_column_text(s, 1), sqlite3_column_text(s, 2));
    assert_int_equal(rc, SQLITE_DONE);
    sqlite3_reset(s);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_sqlite_database_has_the_schema_of_the_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
