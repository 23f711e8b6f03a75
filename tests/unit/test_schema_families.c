/* Unit tests of the table families' declarations (store/schema.h): the tables whose SQLite
 * migrations are hand-written (audit log, award ledger, accounts, workflow logs, calendar,
 * designations) are declared once, and PostgreSQL's DDL is rendered from those declarations. These
 * tests prove that the declarations say what a new SQLite file has, read back from SQLite itself
 * (PRAGMA table_info, foreign_key_list, index_list, index_info): the same tables, columns in the
 * same order, SQLite types, NOT NULL, defaults, primary keys, foreign keys and indexes. A migration
 * that changes a family's table without its declaration, or the reverse, fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "model/tables.h"
#include "store/designations_sql.h"
#include "store/schema.h"
#include "store/store_impl.h"
#include "testdb.h"
#include "workflow/designations.h"

static store *st;
static char path[TESTDB_PATH_MAX];

static int setup(void **state)
{
    (void)state;
    st = testdb_create(path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    testdb_remove(path);
    return 0;
}

/* The rows of a one-column query with one text parameter (NULL: none), each followed by "\n". */
static void rows(const char *sql, const char *param, strbuf *out)
{
    lz_err err = {0};
    sql_stmt *s = store_prepare(st, sql, &err);
    if (!s)
        fail_msg("%s: %s", sql, err.msg);
    if (param)
        sql_bind_text(s, 1, param, -1);
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW)
        strbuf_printf(out, "%s\n", sql_column_text(s, 0) ? (const char *)sql_column_text(s, 0) : "(null)");
    assert_int_equal(rc, SQL_DONE);
    sql_reset(s);
}

static const store_table *family(const char *name)
{
    for (size_t i = 0; i < store_family_tables_count; i++)
        if (strcmp(store_family_tables[i]->name, name) == 0)
            return store_family_tables[i];
    return NULL;
}

static void every_table_of_a_new_file_is_declared_once(void **state)
{
    (void)state;
    strbuf names;
    strbuf_init(&names);
    rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", NULL, &names);
    size_t n = 0;
    for (char *line = names.data, *end; line && *line; line = end + 1, n++) {
        end = strchr(line, '\n');
        *end = '\0';
        bool contract = tables_find(line) != NULL, declared = family(line) != NULL;
        if (contract == declared)
            fail_msg("table %s: %s", line, contract ? "declared twice (data contract and a family)" : "declared nowhere");
    }
    assert_int_equal(n, tables_count + store_family_tables_count);
    strbuf_free(&names);
}

/* What SQLite reports for a declared column: "name TYPE notnull default pk" as the query in
 * columns_match_the_declarations prints it. */
static void expected_column(const store_table *t, size_t i, strbuf *out)
{
    const store_column *c = &t->cols[i];
    bool integer = c->type == STORE_ID || c->type == STORE_INT || c->type == STORE_BOOL;
    int pk = 0;
    for (size_t k = 0, pos = 0; k < t->ncols; k++) {
        if (t->cols[k].type == STORE_ID || (t->cols[k].flags & STORE_KEY))
            pos++;
        if (k == i && (c->type == STORE_ID || (c->flags & STORE_KEY)))
            pk = (int)pos;
    }
    strbuf_printf(out, "%s %s %d %s %d\n", c->name,
                  integer                 ? "INTEGER"
                  : c->type == STORE_BLOB ? "BLOB"
                                          : "TEXT",
                  (c->flags & STORE_REQUIRED) ? 1 : 0, c->default_sql ? c->default_sql : "(none)", pk);
}

static void columns_match_the_declarations(void **state)
{
    (void)state;
    size_t ids = 0, timestamps = 0, enums = 0;
    for (size_t i = 0; i < store_family_tables_count; i++) {
        const store_table *t = store_family_tables[i];
        strbuf want, got;
        strbuf_init(&want);
        strbuf_init(&got);
        for (size_t k = 0; k < t->ncols; k++) {
            expected_column(t, k, &want);
            ids += t->cols[k].type == STORE_ID;
            timestamps += t->cols[k].type == STORE_TIMESTAMP;
            enums += t->cols[k].type == STORE_ENUM;
        }
        rows("SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || coalesce(dflt_value, '(none)') || ' ' || pk"
             " FROM pragma_table_info(?1) ORDER BY cid",
             t->name, &got);
        if (strcmp(want.data, got.data) != 0)
            fail_msg("%s: SQLite has\n%sthe declaration says\n%s", t->name, got.data, want.data);
        strbuf_free(&want);
        strbuf_free(&got);
    }
    assert_int_equal(ids, 4); /* audit_log.seq, award_runs.id, awards.id, master_decisions.id */
    assert_true(timestamps >= 7 && enums >= 10);
}

static void foreign_keys_match_the_declarations(void **state)
{
    (void)state;
    size_t refs = 0;
    for (size_t i = 0; i < store_family_tables_count; i++) {
        const store_table *t = store_family_tables[i];
        strbuf want, got, sql;
        strbuf_init(&want);
        strbuf_init(&got);
        strbuf_init(&sql);
        bool deferred = false;
        for (size_t k = 0; k < t->ncols; k++) {
            const store_column *c = &t->cols[k];
            if (!c->ref_table)
                continue;
            strbuf_printf(&want, "%s -> %s(%s)\n", c->name, c->ref_table, c->ref_column);
            deferred = deferred || (c->flags & STORE_DEFERRED);
            refs++;
        }
        rows("SELECT \"from\" || ' -> ' || \"table\" || '(' || \"to\" || ')' FROM pragma_foreign_key_list(?1) ORDER BY \"from\"",
             t->name, &got);
        assert_string_equal(got.len ? got.data : "", want.len ? want.data : "");
        /* SQLite's pragma does not say whether a key is deferred; the table's SQL does */
        rows("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1", t->name, &sql);
        if ((strstr(sql.data, "DEFERRABLE INITIALLY DEFERRED") != NULL) != deferred)
            fail_msg("%s: deferred references in SQLite and in the declaration differ", t->name);
        strbuf_free(&want);
        strbuf_free(&got);
        strbuf_free(&sql);
    }
    assert_int_equal(refs, 5);
}

static void indexes_match_the_declarations(void **state)
{
    (void)state;
    for (size_t i = 0; i < store_family_tables_count; i++) {
        const store_table *t = store_family_tables[i];
        strbuf want, got;
        strbuf_init(&want);
        strbuf_init(&got);
        /* the declared indexes in name order, then the table's UNIQUE constraint */
        for (size_t pass = 0; pass < t->nindexes; pass++) {
            const store_index *next = NULL;
            for (size_t k = 0; k < t->nindexes; k++) {
                const store_index *x = &t->indexes[k];
                bool listed = want.data && strstr(want.data, x->name);
                if (!listed && (!next || strcmp(x->name, next->name) < 0))
                    next = x;
            }
            strbuf_printf(&want, "c %s(%s) unique=%d partial=%d\n", next->name, next->columns, next->unique, next->where != NULL);
        }
        if (t->unique)
            strbuf_printf(&want, "u (%s) unique=1 partial=0\n", t->unique);
        rows("SELECT l.origin || ' ' || CASE l.origin WHEN 'c' THEN l.name ELSE '' END || '('"
             " || (SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)) || ')'"
             " || ' unique=' || l.\"unique\" || ' partial=' || l.partial"
             " FROM pragma_index_list(?1) l WHERE l.origin <> 'pk' ORDER BY l.origin, l.name",
             t->name, &got);
        assert_string_equal(got.len ? got.data : "", want.len ? want.data : "");
        strbuf_free(&want);
        strbuf_free(&got);
    }
}

static bool same_list(const char *const *a, const char *const *b)
{
    size_t i = 0;
    for (; a[i] && b[i]; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return !a[i] && !b[i];
}

/* The store repeats the workflow's lists for the table's declaration (the store may not include
 * the workflow); they must stay the same lists. */
static void designation_kinds_and_statuses_are_the_workflows(void **state)
{
    (void)state;
    assert_true(same_list(designations_sql_kinds, designations_kinds));
    assert_true(same_list(designations_sql_statuses, designations_statuses));
    const store_table *t = family("master_decisions");
    assert_non_null(t);
    size_t found = 0;
    for (size_t k = 0; k < t->ncols; k++)
        found += t->cols[k].values == designations_sql_kinds || t->cols[k].values == designations_sql_statuses;
    assert_int_equal(found, 2);
}

/* Every enumeration has its values: its own list, or a data-contract enumeration that exists. */
static void every_enumeration_has_values(void **state)
{
    (void)state;
    size_t borrowed = 0;
    for (size_t i = 0; i < store_family_tables_count; i++)
        for (size_t k = 0; k < store_family_tables[i]->ncols; k++) {
            const store_column *c = &store_family_tables[i]->cols[k];
            if (c->type != STORE_ENUM)
                continue;
            const char *const *values = store_column_values(c);
            if (!values || !values[0])
                fail_msg("%s.%s: no values (values_of %s)", store_family_tables[i]->name, c->name,
                         c->values_of ? c->values_of : "-");
            borrowed += c->values_of != NULL;
        }
    assert_int_equal(borrowed, 4);
    store_column wrong = {.name = "x", .type = STORE_ENUM, .values_of = "appeals.nothing"};
    assert_null(store_column_values(&wrong));
    wrong.values_of = "appeals.uscc"; /* a column, but not an enumeration */
    assert_null(store_column_values(&wrong));
}

static void postgres_renders_every_family_table_from_its_declaration(void **state)
{
    (void)state;
    strbuf pg;
    strbuf_init(&pg);
    lz_err err = {0};
    assert_int_equal(store_schema_render_latest(STORE_DIALECT_POSTGRES, &pg, &err), 0);
    for (size_t i = 0; i < store_family_tables_count; i++) {
        char create[96];
        snprintf(create, sizeof create, "CREATE TABLE \"%s\" (\n", store_family_tables[i]->name);
        assert_non_null(strstr(pg.data, create));
    }
    assert_non_null(strstr(pg.data, "  \"seq\" bigint GENERATED BY DEFAULT AS IDENTITY,\n"));
    assert_non_null(strstr(pg.data, "  \"at\" timestamptz NOT NULL,\n"));
    /* a column a later migration added to its family's table is added there, as an upgrade adds it */
    assert_non_null(strstr(pg.data, "ALTER TABLE \"accounts\" ADD COLUMN \"lang\" text COLLATE \"C\" CHECK (\"lang\" IN ('zh-CN', "
                                    "'zh-TW', 'en'));\n"));
    assert_null(strstr(pg.data, "INTEGER"));
    assert_null(strstr(pg.data, "awards_v6"));
    assert_non_null(strstr(pg.data, "CREATE SEQUENCE \"" STORE_DATA_VERSION_SEQUENCE "\";\n"));
    /* the script records the version it creates, last, after every table */
    char version[128];
    snprintf(version, sizeof version, "INSERT INTO \"" STORE_SCHEMA_VERSION_TABLE "\" (\"version\") VALUES (%d);\n",
             store_schema_version_latest());
    assert_non_null(strstr(pg.data, version));
    assert_int_equal(strlen(strstr(pg.data, version)), strlen(version));
    /* a SQLite file is made by its migrations, never from this rendering */
    strbuf_free(&pg);
    strbuf_init(&pg);
    assert_int_equal(store_schema_render_latest(STORE_DIALECT_SQLITE, &pg, &err), LZ_EINPUT);
    assert_int_equal(pg.len, 0);
    strbuf_free(&pg);
}

/* An upgrade's script holds what the versions above the database's do, and records the last. */
static void postgres_upgrades_render_the_versions_above_the_database(void **state)
{
    (void)state;
    strbuf pg;
    strbuf_init(&pg);
    lz_err err = {0};
    int latest = store_schema_version_latest();
    assert_int_equal(store_schema_render_postgres(12, 13, &pg, &err), 0);
    assert_string_equal(pg.data, "ALTER TABLE \"accounts\" ADD COLUMN \"lang\" text COLLATE \"C\" CHECK (\"lang\" IN ('zh-CN', "
                                 "'zh-TW', 'en'));\n"
                                 "UPDATE \"lianzhang_schema\" SET \"version\" = 13;\n");
    strbuf_reset(&pg);
    assert_int_equal(store_schema_render_postgres(10, 12, &pg, &err), 0);
    assert_non_null(strstr(pg.data, "CREATE TABLE \"calendar_days\" (\n"));
    assert_non_null(strstr(pg.data, "CREATE TABLE \"master_decisions\" (\n"));
    assert_null(strstr(pg.data, "lang"));
    assert_null(strstr(pg.data, "CREATE TABLE \"accounts\""));
    strbuf_reset(&pg);
    assert_int_equal(store_schema_render_postgres(latest, latest, &pg, &err), LZ_EINPUT);
    assert_int_equal(store_schema_render_postgres(1, latest + 1, &pg, &err), LZ_EINPUT);
    assert_int_equal(pg.len, 0);
    strbuf_free(&pg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_table_of_a_new_file_is_declared_once),
        cmocka_unit_test(columns_match_the_declarations),
        cmocka_unit_test(foreign_keys_match_the_declarations),
        cmocka_unit_test(indexes_match_the_declarations),
        cmocka_unit_test(designation_kinds_and_statuses_are_the_workflows),
        cmocka_unit_test(every_enumeration_has_values),
        cmocka_unit_test(postgres_renders_every_family_table_from_its_declaration),
        cmocka_unit_test(postgres_upgrades_render_the_versions_above_the_database),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
