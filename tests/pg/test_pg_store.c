/* Unit tests of the store's PostgreSQL backend (store_pg.c behind sql.h) against a real server:
 * tests/pg/run.sh starts a throwaway cluster and passes its connection string in LZ_PG_CONNINFO;
 * each test gets a database of its own. Values come back as SQLite gives them; a statement's
 * columns are known before its first step; a batched read lets a row callback query again, and its
 * binary batches read as text ones; the
 * data version moves after a commit that changed rows, never before it nor for a rollback; the
 * facts of a run read in halves on a twin that adopts the snapshot are the world one serial read
 * gives; a password never shows in the store's name; a database of any older version is upgraded
 * in place to the schema a new one has, and one of a newer version is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "refdata/load.h"
#include "store/schema.h"
#include "store/store_impl.h"
#include "facts_compare.h"

static PGconn *admin; /* on the cluster's own database, to create and drop the tests' */
static int databases;

/* A new empty database, its connection string in conninfo. */
static void empty_database(char conninfo[512])
{
    char name[64], sql[96];
    snprintf(name, sizeof name, "lz_store_%d_%d", (int)getpid(), ++databases);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    PGresult *r = PQexec(admin, sql);
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    snprintf(conninfo, 512, "%s dbname=%s", getenv("LZ_PG_CONNINFO"), name);
}

/* A new database with the latest schema, opened as the program opens one. */
static store *new_database(char conninfo[512])
{
    empty_database(conninfo);
    store *st = NULL;
    lz_err err = {0};
    if (store_open(&st, conninfo, STORE_CREATE, &err) != 0)
        fail_msg("%s", err.msg);
    return st;
}

static void exec_ok(store *st, const char *sql)
{
    lz_err err = {0};
    if (store_exec(st, sql, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
}

static void values_come_back_as_sqlite_gives_them(void **state)
{
    (void)state;
    char conninfo[512];
    store *st = new_database(conninfo);
    exec_ok(st, "INSERT INTO audit_log (seq, at, actor, via, target, before, after, prev_hash, hash) VALUES"
                " (1, '2026-01-02T03:04:05.000Z', 'a', 'v', 't', NULL, '', repeat('0', 64), repeat('1', 64)),"
                " (2, '2026-01-02T03:04:05.120Z', 'a', 'v', 't', NULL, '', repeat('1', 64), repeat('2', 64))");
    sql_stmt *s = store_prepare(st, "SELECT at, before, after, seq = 1, sum(seq) OVER (), ?1 FROM audit_log ORDER BY seq", NULL);
    assert_non_null(s);
    assert_int_equal(sql_column_count(s), 6); /* before the first step, as SQLite knows it */
    sql_bind_text(s, 1, NULL, 0);             /* a NULL pointer binds NULL */
    assert_int_equal(sql_step(s), SQL_ROW);
    assert_string_equal(sql_column_text(s, 0), "2026-01-02T03:04:05Z"); /* no fraction shown for .000 */
    assert_int_equal(sql_column_type(s, 1), SQL_NULL);
    assert_null(sql_column_text(s, 1));
    assert_int_equal(sql_column_type(s, 2), SQL_TEXT); /* '' is not NULL */
    assert_string_equal(sql_column_text(s, 2), "");
    assert_int_equal(sql_column_type(s, 3), SQL_INTEGER); /* a boolean is 0 or 1 */
    assert_int_equal(sql_column_int64(s, 3), 1);
    assert_int_equal(sql_column_type(s, 4), SQL_INTEGER); /* a whole numeric is an integer */
    assert_int_equal(sql_column_int64(s, 4), 3);
    assert_int_equal(sql_column_type(s, 5), SQL_NULL);
    assert_int_equal(sql_step(s), SQL_ROW);
    assert_string_equal(sql_column_text(s, 0), "2026-01-02T03:04:05.120Z"); /* milliseconds, padded */
    assert_int_equal(sql_column_bytes(s, 0), 24);
    assert_int_equal(sql_column_int64(s, 3), 0);
    assert_int_equal(sql_step(s), SQL_DONE);
    sql_reset(s);
    store_close(st);
}

/* Rows of a batched read (a cursor inside the snapshot) while the callback's own query runs. */
static void a_batched_read_lets_each_row_query_again(void **state)
{
    (void)state;
    char conninfo[512];
    store *st = new_database(conninfo);
    exec_ok(st, "INSERT INTO divisions (code, name) SELECT (440000 + g)::text, 'd' || g FROM generate_series(1, 25000) g");
    lz_err err = {0};
    assert_int_equal(store_read_begin(st, &err), 0);
    sql_stmt *all = store_prepare_scan(st, "SELECT code FROM divisions ORDER BY code", &err);
    assert_non_null(all);
    int64_t rows = 0, found = 0;
    while (sql_step(all) == SQL_ROW) {
        rows++;
        sql_stmt *one = store_prepare(st, "SELECT name FROM divisions WHERE code = ?1", &err);
        assert_non_null(one);
        sql_bind_text(one, 1, sql_column_text(all, 0), -1);
        found += sql_step(one) == SQL_ROW;
        sql_reset(one);
    }
    sql_reset(all);
    store_read_end(st);
    assert_int_equal(rows, 25000); /* three batches */
    assert_int_equal(found, 25000);
    store_close(st);
}

/* Every column's type, text, length and integer, one line: what a caller can read of a row. */
static void describe_row(sql_stmt *s, strbuf *out)
{
    for (int i = 0; i < sql_column_count(s); i++) {
        const char *t = sql_column_text(s, i);
        strbuf_printf(out, "%d:%s:%d:%lld ", sql_column_type(s, i), t ? t : "NULL", sql_column_bytes(s, i),
                      (long long)sql_column_int64(s, i));
    }
    strbuf_putc(out, '\n');
}

/* A batched read's later batches come in binary when every column is an integer, a boolean or
 * text, in text otherwise; either way each value reads as the whole result read at once gives it:
 * negative and 64-bit integers, smallints, booleans, NULLs, text, dates. */
static void binary_batches_read_as_text_ones(void **state)
{
    (void)state;
    char conninfo[512];
    store *st = new_database(conninfo);
    const char *queries[] = {
        "SELECT g::bigint * -3037000499, (g % 30000 - 15000)::smallint, g::int, g % 2 = 0, 'u' || g::text,"
        " CASE WHEN g % 7 = 0 THEN NULL ELSE g END, ''::text FROM generate_series(1, 25000) g ORDER BY 1 DESC",
        "SELECT g, DATE '2024-01-01' + g, g::numeric / 4 FROM generate_series(1, 25000) g ORDER BY 1",
    };
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        strbuf whole, batched;
        strbuf_init(&whole);
        strbuf_init(&batched);
        sql_stmt *s = store_prepare(st, queries[q], NULL); /* outside a snapshot: the whole result, in text */
        while (sql_step(s) == SQL_ROW)
            describe_row(s, &whole);
        sql_reset(s);
        lz_err err = {0};
        assert_int_equal(store_read_begin(st, &err), 0);
        s = store_prepare_scan(st, queries[q], &err);
        while (sql_step(s) == SQL_ROW)
            describe_row(s, &batched);
        sql_reset(s);
        store_read_end(st);
        assert_true(whole.len > 25000 * 10);
        assert_string_equal(batched.data, whole.data);
        strbuf_free(&whole);
        strbuf_free(&batched);
    }
    store_close(st);
}

static store_version version_of(store *st)
{
    store_version v;
    lz_err err = {0};
    if (store_version_get(st, &v, &err) != 0)
        fail_msg("%s", err.msg);
    return v;
}

/* What another server's cache sees: no move for a read or a rollback, a move once a write that
 * changed rows has committed, alone or in a transaction. */
static void the_data_version_moves_after_a_commit_that_changed_rows(void **state)
{
    (void)state;
    char conninfo[512];
    store *writer = new_database(conninfo), *reader = NULL;
    lz_err err = {0};
    assert_int_equal(store_open(&reader, conninfo, STORE_READONLY, &err), 0);
    store_version v0 = version_of(reader);
    exec_ok(writer, "SELECT count(*) FROM divisions");
    assert_int_equal(version_of(reader).others, v0.others);
    assert_int_equal(store_begin(writer, &err), 0);
    exec_ok(writer, "INSERT INTO divisions (code, name) VALUES ('440701', 'x')");
    store_version during = version_of(reader);
    assert_int_equal(during.others, v0.others); /* not before the commit */
    store_rollback(writer);
    assert_int_equal(version_of(reader).others, v0.others);
    exec_ok(writer, "INSERT INTO divisions (code, name) VALUES ('440701', 'x')"); /* on its own */
    store_version v1 = version_of(reader);
    assert_true(v1.others > v0.others);
    exec_ok(writer, "UPDATE divisions SET name = 'y' WHERE code = 'none'"); /* changed nothing */
    assert_int_equal(version_of(reader).others, v1.others);
    assert_int_equal(store_begin(writer, &err), 0);
    exec_ok(writer, "UPDATE divisions SET name = 'y'");
    assert_int_equal(store_commit(writer, &err), 0);
    assert_true(version_of(reader).others > v1.others);
    store_close(reader);
    store_close(writer);
}

/* The reference city's yearly facts read in two halves by pages, the second on a twin that adopted
 * the snapshot, are the world one serial read gives. */
static void halves_on_a_twin_load_what_one_serial_read_loads(void **state)
{
    (void)state;
    char conninfo[512];
    store *st = new_database(conninfo);
    synth_params p = {.seed = 7, .enterprises = 300};
    errlist errs;
    errlist_init(&errs, 5);
    refdata_counts counts = {{0}};
    lz_err err = {0};
    if (refdata_load(st, &p, "test", "test", NULL, NULL, &errs, &counts, &err) != 0)
        fail_msg("%s", err.msg);
    errlist_free(&errs);
    facts_need need = numeric_need();
    facts_world serial, halves;
    load(st, INT64_MAX, &need, &serial);
    assert_int_equal(store_read_begin_twin(st, &err), 0);
    assert_non_null(store_twin(st));
    load(st, 0, &need, &halves);
    store_read_end(st);
    assert_true(serial.sets[FACTS_ENTERPRISE].n == 300 && serial.sets[FACTS_PERSON].n > 0);
    expect_same_world(&serial, &halves, &need);
    facts_world_free(&serial);
    facts_world_free(&halves);
    store_close(st);
}

static void the_store_names_its_database_without_the_password(void **state)
{
    (void)state;
    char conninfo[512], with_password[600];
    store *st = new_database(conninfo);
    store_close(st);
    snprintf(with_password, sizeof with_password, "%s password=Secret-Passw0rd", conninfo);
    lz_err err = {0};
    assert_int_equal(store_open(&st, with_password, 0, &err), 0); /* trust authentication ignores it */
    assert_null(strstr(store_path(st), "Secret"));
    assert_non_null(strstr(store_path(st), "PostgreSQL database lz_store_"));
    char shown[512];
    store_shown_name(with_password, shown, sizeof shown);
    assert_null(strstr(shown, "Secret"));
    assert_non_null(strstr(shown, "dbname=lz_store_"));
    store_close(st);
}

/* Runs sql on the database of conninfo, outside any store. */
static void run_on(const char *conninfo, const char *sql)
{
    PGconn *c = PQconnectdb(conninfo);
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

/* The server's description of a database's schema: one sorted line per column (with its position,
 * type, nullability, default and identity), constraint, index and sequence. Two databases with the
 * same lines have the same schema. */
static void catalog_of(const char *conninfo, strbuf *out)
{
    PGconn *c = PQconnectdb(conninfo);
    PGresult *r = PQexec(
        c, "SELECT line FROM ("
           " SELECT 'column ' || table_name || '.' || column_name || ' #' || ordinal_position || ' ' || data_type || ' '"
           "  || is_nullable || ' ' || coalesce(column_default, '-') || ' ' || is_identity AS line"
           "  FROM information_schema.columns WHERE table_schema = 'public'"
           " UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
           "  || CASE WHEN condeferrable THEN ' deferrable' ELSE '' END || CASE WHEN condeferred THEN ' deferred' ELSE '' END"
           "  FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
           " UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'"
           " UNION ALL SELECT 'sequence ' || sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'"
           ") AS catalog ORDER BY line COLLATE \"C\"");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    for (int i = 0; i < PQntuples(r); i++)
        strbuf_printf(out, "%s\n", PQgetvalue(r, i, 0));
    PQclear(r);
    PQfinish(c);
}

/* A database made at every older version (the DDL of migrations 1..v and its version) is opened as
 * the program opens one: it is upgraded in place to the schema a new database has, line for line
 * in the server's catalogs, and the rows it held are still there. */
static void an_older_database_is_upgraded_to_the_new_schema(void **state)
{
    (void)state;
    char conninfo[512];
    store_close(new_database(conninfo));
    strbuf want;
    strbuf_init(&want);
    catalog_of(conninfo, &want);
    assert_non_null(strstr(want.data, "column accounts.lang")); /* a family's column added by a later version */
    assert_non_null(strstr(want.data, "index CREATE UNIQUE INDEX master_decisions_pending"));
    int latest = store_schema_version_latest();
    for (int v = 1; v < latest; v++) {
        strbuf ddl, got;
        strbuf_init(&ddl);
        strbuf_init(&got);
        lz_err err = {0};
        assert_int_equal(store_schema_render_postgres(0, v, &ddl, &err), 0);
        if (v >= 2) /* the audit log is version 2's */
            strbuf_puts(&ddl, "INSERT INTO audit_log (seq, at, actor, via, target, before, after, prev_hash, hash) VALUES"
                              " (1, '2026-01-02T03:04:05.000Z', 'a', 'v', 't', NULL, '', repeat('0', 64), repeat('1', 64));");
        empty_database(conninfo);
        run_on(conninfo, ddl.data);
        store *st = NULL;
        if (store_open(&st, conninfo, 0, &err) != 0)
            fail_msg("opening a database at version %d: %s", v, err.msg);
        assert_int_equal(store_schema_version(st), latest);
        if (v >= 2) {
            sql_stmt *s = store_prepare(st, "SELECT count(*) FROM audit_log", NULL);
            assert_int_equal(sql_step(s), SQL_ROW);
            assert_int_equal(sql_column_int(s, 0), 1);
            sql_reset(s);
        }
        store_close(st);
        catalog_of(conninfo, &got);
        if (strcmp(got.data, want.data) != 0)
            fail_msg("upgraded from version %d, the schema differs from a new database's:\n%s\n---- new:\n%s", v, got.data,
                     want.data);
        strbuf_free(&ddl);
        strbuf_free(&got);
    }
    strbuf_free(&want);
}

/* A database of a newer binary is refused, and left as it was. */
static void a_newer_database_is_refused(void **state)
{
    (void)state;
    char conninfo[512], sql[96];
    store_close(new_database(conninfo));
    snprintf(sql, sizeof sql, "UPDATE lianzhang_schema SET version = %d", store_schema_version_latest() + 1);
    run_on(conninfo, sql);
    store *st = NULL;
    lz_err err = {0};
    assert_int_equal(store_open(&st, conninfo, 0, &err), LZ_EINPUT);
    assert_non_null(strstr(err.msg, "is newer than this binary's"));
}

static int setup(void **state)
{
    (void)state;
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "%s dbname=postgres", getenv("LZ_PG_CONNINFO"));
    admin = PQconnectdb(conninfo);
    return PQstatus(admin) == CONNECTION_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 1; i <= databases; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS lz_store_%d_%d WITH (FORCE)", (int)getpid(), i);
        PQclear(PQexec(admin, sql));
    }
    PQfinish(admin);
    return 0;
}

int main(void)
{
    if (!getenv("LZ_PG_CONNINFO") || !*getenv("LZ_PG_CONNINFO")) {
        fprintf(stderr, "test_pg_store: LZ_PG_CONNINFO is not set; run `make test-pg`, which starts a throwaway PostgreSQL\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_come_back_as_sqlite_gives_them),
        cmocka_unit_test(a_batched_read_lets_each_row_query_again),
        cmocka_unit_test(binary_batches_read_as_text_ones),
        cmocka_unit_test(the_data_version_moves_after_a_commit_that_changed_rows),
        cmocka_unit_test(halves_on_a_twin_load_what_one_serial_read_loads),
        cmocka_unit_test(the_store_names_its_database_without_the_password),
        cmocka_unit_test(an_older_database_is_upgraded_to_the_new_schema),
        cmocka_unit_test(a_newer_database_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
