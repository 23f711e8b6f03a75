/* The PostgreSQL schema against a real server (`make test-pg`, which starts a throwaway cluster
 * with scripts/pg-cluster.sh and passes its connection string in LZ_PG_CONNINFO; without it the
 * program fails, it does not skip). The group setup applies the rendered schema of the latest
 * version (store/schema.h) in one transaction, into a schema of its own that the teardown drops;
 * the tests then read the server's catalogs and check them against the descriptors of
 * model/tables.h: every table and column with its type and nullability, the primary keys, the
 * foreign keys (deferred), the indexes (the same as a new SQLite database's), and that the checks
 * and types refuse what the contract refuses.
 *
 * Only the schema is tested: there is no PostgreSQL driver yet, and no command runs on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "store/schema.h"
#include "store/store_impl.h"
#include "testdb.h"

#define TEST_SCHEMA "lianzhang_schema_test"

static PGconn *conn;

/* Runs sql with text parameters; fails the test unless the result has status want. The caller
 * PQclear()s the result. */
static PGresult *query(ExecStatusType want, const char *sql, int n, const char *const *params)
{
    PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != want)
        fail_msg("%s\n  -> %s", sql, PQresultErrorMessage(r));
    return r;
}

static void exec_ok(const char *sql)
{
    PQclear(query(PGRES_COMMAND_OK, sql, 0, NULL));
}

/* The one-value answer of sql with parameters, copied into out. */
static void scalar(const char *sql, int n, const char *const *params, char *out, size_t outlen)
{
    PGresult *r = query(PGRES_TUPLES_OK, sql, n, params);
    if (PQntuples(r) != 1)
        fail_msg("%s: %d rows, expected 1 (params: %s %s)", sql, PQntuples(r), n > 0 ? params[0] : "", n > 1 ? params[1] : "");
    snprintf(out, outlen, "%s", PQgetisnull(r, 0, 0) ? "(null)" : PQgetvalue(r, 0, 0));
    PQclear(r);
}

/* Runs sql, which must fail, and returns its SQLSTATE (static storage). */
static const char *failing(const char *sql)
{
    static char state[8];
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK)
        fail_msg("%s: succeeded, expected an error", sql);
    const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    snprintf(state, sizeof state, "%s", s ? s : "?");
    PQclear(r);
    return state;
}

static int setup(void **state)
{
    (void)state;
    const char *conninfo = getenv("LZ_PG_CONNINFO");
    conn = PQconnectdb(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "connecting to %s: %s", conninfo, PQerrorMessage(conn));
        return -1;
    }
    strbuf sql;
    strbuf_init(&sql);
    lz_err err = {0};
    strbuf_puts(&sql, "SET client_min_messages = warning;\n"
                      "BEGIN;\n"
                      "DROP SCHEMA IF EXISTS " TEST_SCHEMA " CASCADE;\n"
                      "CREATE SCHEMA " TEST_SCHEMA ";\n"
                      "SET search_path = " TEST_SCHEMA ";\n");
    if (store_schema_render_upto(STORE_DIALECT_POSTGRES, store_schema_version_latest(), &sql, &err) != 0) {
        fprintf(stderr, "rendering the schema: %s\n", err.msg);
        return -1;
    }
    strbuf_puts(&sql, "COMMIT;\n");
    PGresult *r = PQexec(conn, sql.data);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc)
        fprintf(stderr, "applying the PostgreSQL schema: %s", PQresultErrorMessage(r));
    PQclear(r);
    strbuf_free(&sql);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    if (PQtransactionStatus(conn) != PQTRANS_IDLE) /* a test failed inside a transaction */
        PQclear(PQexec(conn, "ROLLBACK"));
    PQclear(PQexec(conn, "DROP SCHEMA IF EXISTS " TEST_SCHEMA " CASCADE"));
    PQfinish(conn);
    return 0;
}

/* The type PostgreSQL must report (information_schema.columns.data_type) for a column of the
 * contract: what the data contract's cells are, written out here rather than taken from the
 * renderer, so that a wrong mapping there fails here. */
static const char *expected_type(const column *c)
{
    switch (c->type) {
    case COL_MONEY:   /* integer fen */
    case COL_INT:     /* years, counts */
    case COL_DECIMAL: /* scaled by 10^scale */
        return "bigint";
    case COL_BOOL: /* the integers 0 and 1, as the store binds and compares them */
        return "smallint";
    case COL_DATE:
        return "date";
    default:
        return "text";
    }
}

static void every_table_and_column_exists_with_its_type_and_nullability(void **state)
{
    (void)state;
    char got[64], n[16];
    scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" TEST_SCHEMA "'", 0, NULL, got, sizeof got);
    snprintf(n, sizeof n, "%zu", tables_count);
    assert_string_equal(got, n);
    size_t money = 0, dates = 0;
    for (size_t i = 0; i < tables_count; i++) {
        const table *t = tables_all[i];
        const char *p[2] = {t->name, NULL};
        scalar("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" TEST_SCHEMA "' AND table_name = $1", 1, p,
               got, sizeof got);
        snprintf(n, sizeof n, "%zu", t->ncols);
        if (strcmp(got, n) != 0)
            fail_msg("%s: %s columns, the descriptors declare %s", t->name, got, n);
        for (size_t k = 0; k < t->ncols; k++) {
            const column *c = &t->cols[k];
            p[1] = c->name;
            scalar("SELECT data_type || ' ' || is_nullable FROM information_schema.columns"
                   " WHERE table_schema = '" TEST_SCHEMA "' AND table_name = $1 AND column_name = $2",
                   2, p, got, sizeof got);
            char want[64];
            snprintf(want, sizeof want, "%s %s", expected_type(c), (c->flags & COLF_REQUIRED) ? "NO" : "YES");
            if (strcmp(got, want) != 0)
                fail_msg("%s.%s is \"%s\", expected \"%s\"", t->name, c->name, got, want);
            money += c->type == COL_MONEY;
            dates += c->type == COL_DATE;
        }
    }
    assert_true(money >= 10 && dates >= 5); /* the loop did meet the columns it is about */
}

/* The names of columns, in order, comma-joined, from an int2[] of attribute numbers of relation
 * rel: a catalog expression for the queries below. */
#define ATTNAMES(rel, keys)                                                                                                        \
    "(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(" keys ") WITH ORDINALITY k(n, ord)"                            \
    " JOIN pg_attribute a ON a.attrelid = " rel " AND a.attnum = k.n)"

static void table_oid_param(const table *t, char *buf, size_t len)
{
    snprintf(buf, len, TEST_SCHEMA ".%s", t->name);
}

static void primary_keys_are_the_natural_keys(void **state)
{
    (void)state;
    for (size_t i = 0; i < tables_count; i++) {
        const table *t = tables_all[i];
        char rel[128], got[256];
        strbuf want;
        strbuf_init(&want);
        int idx[TABLES_MAX_KEY];
        size_t nk = table_key_columns(t, idx);
        for (size_t k = 0; k < nk; k++)
            strbuf_printf(&want, "%s%s", k ? "," : "", t->cols[idx[k]].name);
        table_oid_param(t, rel, sizeof rel);
        const char *p[1] = {rel};
        scalar("SELECT " ATTNAMES("c.conrelid",
                                  "c.conkey") " FROM pg_constraint c WHERE c.contype = 'p' AND c.conrelid = $1::regclass",
               1, p, got, sizeof got);
        if (strcmp(got, want.data) != 0)
            fail_msg("%s: primary key (%s), expected (%s)", t->name, got, want.data);
        strbuf_free(&want);
    }
}

static void foreign_keys_are_the_references_and_deferred(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < tables_count; i++) {
        const table *t = tables_all[i];
        char rel[128], ref[128], got[32], cols[128], refcols[128];
        size_t expected = 0;
        table_oid_param(t, rel, sizeof rel);
        for (size_t k = 0; k < t->ncols; k++) {
            const column *c = &t->cols[k];
            if (!c->ref_table || c->type == COL_LIST) /* lists are checked by import and `check` */
                continue;
            expected++;
            snprintf(ref, sizeof ref, TEST_SCHEMA ".%s", c->ref_table);
            if (c->ref_scope) {
                snprintf(cols, sizeof cols, "%s,%s", c->scope_column, c->name);
                snprintf(refcols, sizeof refcols, "%s,%s", c->ref_scope, c->ref_column);
            } else {
                snprintf(cols, sizeof cols, "%s", c->name);
                snprintf(refcols, sizeof refcols, "%s", c->ref_column);
            }
            const char *p[4] = {rel, ref, cols, refcols};
            scalar("SELECT count(*) FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = $1::regclass"
                   " AND c.confrelid = $2::regclass AND c.condeferrable AND c.condeferred"
                   " AND " ATTNAMES("c.conrelid", "c.conkey") " = $3 AND " ATTNAMES("c.confrelid", "c.confkey") " = $4",
                   4, p, got, sizeof got);
            if (strcmp(got, "1") != 0)
                fail_msg("%s (%s) -> %s (%s): %s deferred foreign keys, expected 1", t->name, cols, c->ref_table, refcols, got);
            checked++;
        }
        const char *p[1] = {rel};
        char n[16];
        scalar("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = $1::regclass", 1, p, got, sizeof got);
        snprintf(n, sizeof n, "%zu", expected);
        if (strcmp(got, n) != 0)
            fail_msg("%s: %s foreign keys, the descriptors declare %s", t->name, got, n);
    }
    assert_true(checked >= 15);
}

/* Every index on a declared table, "name(col,col)" one a line in name order: from a new SQLite
 * database, and from the server. */
static void sqlite_indexes(strbuf *out)
{
    char path[TESTDB_PATH_MAX];
    store *st = testdb_create(path);
    lz_err err = {0};
    sqlite3_stmt *s = store_prepare(st,
                                    "SELECT m.name || '(' || (SELECT group_concat(name, ',') FROM"
                                    " (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno)) || ')'"
                                    " FROM sqlite_master m WHERE m.type = 'index' AND m.sql IS NOT NULL AND m.tbl_name = ?"
                                    " ORDER BY m.name",
                                    &err);
    assert_non_null(s);
    for (size_t i = 0; i < tables_count; i++) {
        sqlite3_bind_text(s, 1, tables_all[i]->name, -1, SQLITE_STATIC);
        while (sqlite3_step(s) == SQLITE_ROW)
            strbuf_printf(out, "%s: %s\n", tables_all[i]->name, sqlite3_column_text(s, 0));
        sqlite3_reset(s);
    }
    store_close(st);
    testdb_remove(path);
}

static void indexes_are_those_of_a_new_sqlite_database(void **state)
{
    (void)state;
    strbuf want, got;
    strbuf_init(&want);
    strbuf_init(&got);
    sqlite_indexes(&want);
    for (size_t i = 0; i < tables_count; i++) {
        char rel[128];
        table_oid_param(tables_all[i], rel, sizeof rel);
        const char *p[1] = {rel};
        PGresult *r = query(
            PGRES_TUPLES_OK,
            "SELECT c.relname || '(' || " ATTNAMES(
                "i.indrelid",
                "i.indkey::int2[]") " || ')'"
                                    " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                                    " WHERE i.indrelid = $1::regclass AND NOT i.indisprimary ORDER BY c.relname COLLATE \"C\"",
            1, p);
        for (int k = 0; k < PQntuples(r); k++)
            strbuf_printf(&got, "%s: %s\n", tables_all[i]->name, PQgetvalue(r, k, 0));
        PQclear(r);
    }
    assert_true(want.len > 0);
    assert_string_equal(got.data, want.data);
    strbuf_free(&want);
    strbuf_free(&got);
}

static void checks_and_types_refuse_what_the_contract_refuses(void **state)
{
    (void)state;
    exec_ok("SET search_path = " TEST_SCHEMA);
    exec_ok("INSERT INTO clusters (code, name, kind, target_output_2025) VALUES ('c1', 'ok', 'emerging', 9007199254740993)");
    /* bigint, not a float: 2^53 + 1 fen comes back exactly */
    char got[64];
    scalar("SELECT target_output_2025 FROM clusters WHERE code = 'c1'", 0, NULL, got, sizeof got);
    assert_string_equal(got, "9007199254740993");
    /* 23514: check_violation (an enumeration's values, a boolean's 0/1) */
    assert_string_equal(failing("INSERT INTO clusters (code, name, kind) VALUES ('c2', 'bad', 'declining')"), "23514");
    assert_string_equal(failing("INSERT INTO clusters (code, name, kind, source) VALUES ('c3', 'bad', 'emerging', 'rumour')"),
                        "23514");
    exec_ok("INSERT INTO divisions (code, name) VALUES ('440703', 'Pengjiang')");
    assert_string_equal(failing("INSERT INTO enterprises (uscc, name, local) VALUES ('91440703MA0000000X', 'e', 2)"), "23514");
    /* 22008: datetime_field_overflow; a date column takes dates only */
    assert_string_equal(failing("INSERT INTO enterprises (uscc, name, founded) VALUES ('91440703MA0000001X', 'e', '2023-02-30')"),
                        "22008");
    /* 23502: not_null_violation for a required column */
    assert_string_equal(failing("INSERT INTO clusters (code, name) VALUES ('c4', 'no kind')"), "23502");
    /* a deferred foreign key: the row goes in, the commit is refused (23503) */
    exec_ok("BEGIN");
    exec_ok("INSERT INTO chains (code, cluster, name, lead_divisions) VALUES ('ch', 'missing', 'n', '440703')");
    assert_string_equal(failing("COMMIT"), "23503");
    scalar("SELECT count(*) FROM chains", 0, NULL, got, sizeof got);
    assert_string_equal(got, "0");
}

int main(void)
{
    if (!getenv("LZ_PG_CONNINFO") || !*getenv("LZ_PG_CONNINFO")) {
        fprintf(stderr, "test_pg_schema: LZ_PG_CONNINFO is not set; run `make test-pg`, which starts a throwaway PostgreSQL\n"
                        "cluster and sets it (or set it to a libpq connection string yourself)\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_table_and_column_exists_with_its_type_and_nullability),
        cmocka_unit_test(primary_keys_are_the_natural_keys),
        cmocka_unit_test(foreign_keys_are_the_references_and_deferred),
        cmocka_unit_test(indexes_are_those_of_a_new_sqlite_database),
        cmocka_unit_test(checks_and_types_refuse_what_the_contract_refuses),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
