/* The PostgreSQL schema against a real server (`make test-pg`, which starts a throwaway cluster
 * with scripts/pg-cluster.sh and passes its connection string in LZ_PG_CONNINFO; without it the
 * program fails, it does not skip). The group setup applies the whole latest schema
 * (store_schema_render_latest) in one transaction, into a schema of its own that the teardown
 * drops; the tests then read the server's catalogs and check them:
 *  - every table of a new SQLite file exists, with the same columns in the same order, and its
 *    foreign keys exist where SQLite has them;
 *  - the data contract's tables against the descriptors of model/tables.h: types, nullability,
 *    primary keys, deferred foreign keys, the indexes of a new SQLite database;
 *  - the table families' (audit log, ledger, accounts, workflow logs, calendar, designations)
 *    against types, defaults, identities and keys written out here, not taken from the renderer;
 *  - that the checks and types refuse what the contract and the families refuse.
 *
 * Only the schema is tested here; test_pg_store.c tests the store on it, upgrades included. */
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
    if (store_schema_render_latest(STORE_DIALECT_POSTGRES, &sql, &err) != 0) {
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

/* Every text column of every table (the contract's and the families') sorts and compares byte by
 * byte, as SQLite's do, whatever the database's own collation: the same keys in the same order on
 * both backends. */
static void text_compares_byte_by_byte(void **state)
{
    (void)state;
    char got[256], texts[32];
    scalar("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" TEST_SCHEMA "' AND data_type = 'text'", 0, NULL,
           texts, sizeof texts);
    assert_true(atoi(texts) > 50); /* the contract's codes, names and lists, and the families' */
    scalar(
        "SELECT coalesce(string_agg(table_name || '.' || column_name || ' ' || coalesce(collation_name, 'default'), ', '), 'none')"
        " FROM information_schema.columns WHERE table_schema = '" TEST_SCHEMA "' AND data_type = 'text'"
        " AND collation_name IS DISTINCT FROM 'C'",
        0, NULL, got, sizeof got);
    assert_string_equal(got, "none");
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
    sql_stmt *s = store_prepare(st,
                                "SELECT m.name || '(' || (SELECT group_concat(name, ',') FROM"
                                " (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno)) || ')'"
                                " FROM sqlite_master m WHERE m.type = 'index' AND m.sql IS NOT NULL AND m.tbl_name = ?"
                                " ORDER BY m.name",
                                &err);
    assert_non_null(s);
    for (size_t i = 0; i < tables_count; i++) {
        sql_bind_text(s, 1, tables_all[i]->name, -1);
        while (sql_step(s) == SQL_ROW)
            strbuf_printf(out, "%s: %s\n", tables_all[i]->name, sql_column_text(s, 0));
        sql_reset(s);
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

/* ---- every table of a new SQLite file ------------------------------------------------------- */

/* One line per table of a new SQLite file, "table: col,col,..." in column order, in name order;
 * and "table: from->parent(to)" per foreign key into fks. */
static void sqlite_tables(strbuf *cols, strbuf *fks)
{
    char path[TESTDB_PATH_MAX];
    store *st = testdb_create(path);
    lz_err err = {0};
    sql_stmt *s = store_prepare(st,
                                "SELECT m.name || ': ' || (SELECT group_concat(name, ',') FROM"
                                " (SELECT name FROM pragma_table_info(m.name) ORDER BY cid))"
                                " FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name",
                                &err);
    assert_non_null(s);
    while (sql_step(s) == SQL_ROW)
        strbuf_printf(cols, "%s\n", sql_column_text(s, 0));
    sql_reset(s);
    s = store_prepare(
        st,
        "SELECT m.name || ': ' || group_concat(f.\"from\", ',') || '->' || f.\"table\" || '(' || group_concat(f.\"to\", ',')"
        " || ')' FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
        " GROUP BY m.name, f.id ORDER BY 1",
        &err);
    assert_non_null(s);
    while (sql_step(s) == SQL_ROW)
        strbuf_printf(fks, "%s\n", sql_column_text(s, 0));
    sql_reset(s);
    store_close(st);
    testdb_remove(path);
}

static void every_table_of_a_new_sqlite_file_exists_with_its_columns_and_foreign_keys(void **state)
{
    (void)state;
    strbuf want_cols, want_fks, got_cols, got_fks;
    strbuf_init(&want_cols);
    strbuf_init(&want_fks);
    strbuf_init(&got_cols);
    strbuf_init(&got_fks);
    sqlite_tables(&want_cols, &want_fks);
    PGresult *r = query(PGRES_TUPLES_OK,
                        "SELECT c.relname || ': ' || string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_class c"
                        " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = '" TEST_SCHEMA "'"
                        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                        " WHERE c.relkind = 'r' AND c.relname <> '" STORE_SCHEMA_VERSION_TABLE "'"
                        " GROUP BY c.relname ORDER BY c.relname COLLATE \"C\"",
                        0, NULL);
    for (int k = 0; k < PQntuples(r); k++)
        strbuf_printf(&got_cols, "%s\n", PQgetvalue(r, k, 0));
    PQclear(r);
    r = query(PGRES_TUPLES_OK,
              "SELECT x.line FROM (SELECT c.relname || ': ' || " ATTNAMES(
                  "f.conrelid",
                  "f.conkey") " || '->' || p.relname || '('"
                              " || " ATTNAMES(
                                  "f.confrelid",
                                  "f.confkey") " || ')' AS line FROM pg_constraint f"
                                               " JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class p ON p.oid = f.confrelid"
                                               " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = '" TEST_SCHEMA "'"
                                               " WHERE f.contype = 'f') x ORDER BY x.line COLLATE \"C\"",
              0, NULL);
    for (int k = 0; k < PQntuples(r); k++)
        strbuf_printf(&got_fks, "%s\n", PQgetvalue(r, k, 0));
    PQclear(r);
    assert_non_null(strstr(want_cols.data, "audit_log: seq,at,"));               /* the families are there */
    assert_non_null(strstr(want_fks.data, "sessions: account->accounts(name)")); /* and their references */
    assert_string_equal(got_cols.data, want_cols.data);
    assert_string_equal(got_fks.data, want_fks.data);
    strbuf_free(&want_cols);
    strbuf_free(&want_fks);
    strbuf_free(&got_cols);
    strbuf_free(&got_fks);
}

/* ---- the table families --------------------------------------------------------------------- */

/* Each family table as PostgreSQL must have it: "column type[ identity][ not null][ default x]",
 * its primary key, and the foreign keys that are deferred. Written out, not rendered: a wrong
 * mapping in the declarations or the renderer fails here. Timestamps (ISO-8601 UTC text in SQLite)
 * are timestamptz; Unix seconds (sessions, throttle) and every integer are bigint. */
static const struct family_expectation {
    const char *table, *columns, *key;
} families[] = {
    {"audit_log",
     "seq bigint identity not null, at timestamptz not null, actor text not null, via text not null, target text not null,"
     " before text, after text, prev_hash text not null, hash text not null",
     "seq"},
    {"award_runs",
     "id bigint identity not null, year bigint not null, run_at timestamptz not null, actor text not null, policies text not null",
     "id"},
    {"awards",
     "id bigint identity not null, year bigint not null, policy text not null, policy_hash text not null, subject text not null,"
     " subject_id text not null, uscc text not null, result text not null, amount bigint not null, grant_text text,"
     " run_id bigint not null, status text not null default 'computed'::text, reason text, updated_at timestamptz not null,"
     " updated_by text not null",
     "id"},
    {"accounts",
     "name text not null, role text not null, scope text not null default ''::text, password_hash text not null,"
     " disabled smallint not null default 0, lang text",
     "name"},
    {"sessions",
     "token_hash text not null, account text not null, csrf text not null, created bigint not null, expires bigint not null",
     "token_hash"},
    {"login_throttle", "key text not null, failures bigint not null, first_failure bigint not null", "key"},
    {"appeal_deadlines", "category text not null, working_days bigint not null", "category"},
    {"appeal_log",
     "appeal text not null, seq bigint not null, at timestamptz not null, actor text not null, from_status text,"
     " to_status text not null, note text",
     "appeal,seq"},
    {"appeal_ratings", "appeal text not null, rating bigint not null, comment text, actor text not null, at timestamptz not null",
     "appeal"},
    {"target_contacts",
     "target text not null, seq bigint not null, date date not null, actor text not null, from_stage text, to_stage text not null,"
     " note text",
     "target,seq"},
    {"award_signoffs", "award text not null, computed_by text not null, reviewed_by text not null", "award"},
    {"calendar_years", "year bigint not null", "year"},
    {"calendar_days", "day date not null, kind text not null, name text, year bigint not null", "day"},
    {"master_decisions",
     "id bigint identity not null, chain text not null, uscc text not null, kind text not null, batch text not null,"
     " date date not null, year bigint not null, score text, rank bigint, proposed_by text not null,"
     " proposed_at timestamptz not null, reason text, status text not null default 'proposed'::text, decided_by text,"
     " decided_at timestamptz, decision_reason text",
     "id"},
    {"indicator_packs", "year bigint not null, first text not null, rows bigint not null, data bytea not null", "year,first"},
};

static void family_tables_have_their_types_identities_defaults_and_keys(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
        char rel[128], got[1024];
        snprintf(rel, sizeof rel, TEST_SCHEMA ".%s", families[i].table);
        const char *p[1] = {rel};
        scalar("SELECT string_agg(a.attname || ' ' || replace(format_type(a.atttypid, a.atttypmod), 'timestamp with time zone',"
               " 'timestamptz') || CASE a.attidentity WHEN 'd' THEN ' identity' WHEN 'a' THEN ' identity always' ELSE '' END"
               " || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
               " || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum)"
               " FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
               " WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped",
               1, p, got, sizeof got);
        if (strcmp(got, families[i].columns) != 0)
            fail_msg("%s:\n  got      %s\n  expected %s", families[i].table, got, families[i].columns);
        scalar("SELECT " ATTNAMES("c.conrelid",
                                  "c.conkey") " FROM pg_constraint c WHERE c.contype = 'p' AND c.conrelid = $1::regclass",
               1, p, got, sizeof got);
        if (strcmp(got, families[i].key) != 0)
            fail_msg("%s: primary key (%s), expected (%s)", families[i].table, got, families[i].key);
    }
    /* every family table is listed above */
    char got[16], n[16];
    scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" TEST_SCHEMA "'", 0, NULL, got, sizeof got);
    snprintf(n, sizeof n, "%zu", tables_count + sizeof families / sizeof families[0] + 1); /* + the version table */
    assert_string_equal(got, n);
    /* which holds the one version this binary writes */
    scalar("SELECT string_agg(version::text, ',') FROM " TEST_SCHEMA "." STORE_SCHEMA_VERSION_TABLE, 0, NULL, got, sizeof got);
    snprintf(n, sizeof n, "%d", store_schema_version_latest());
    assert_string_equal(got, n);
    /* the designations' references are checked at commit, as in SQLite; the others at once */
    char deferred[256];
    scalar("SELECT string_agg(r.relname || ':' || c.condeferred, ' ' ORDER BY r.relname, c.conname) FROM pg_constraint c"
           " JOIN pg_class r ON r.oid = c.conrelid WHERE c.contype = 'f' AND c.conrelid IN ('" TEST_SCHEMA
           ".master_decisions'::regclass, '" TEST_SCHEMA ".sessions'::regclass, '" TEST_SCHEMA ".awards'::regclass, '" TEST_SCHEMA
           ".calendar_days'::regclass)",
           0, NULL, deferred, sizeof deferred);
    assert_string_equal(deferred, "awards:false calendar_days:false master_decisions:true master_decisions:true sessions:false");
}

/* Runs sql, which must fail with SQLSTATE state (outside a transaction, or as its COMMIT). */
static void refused(const char *state, const char *sql)
{
    const char *got = failing(sql);
    if (strcmp(got, state) != 0)
        fail_msg("%s: SQLSTATE %s, expected %s", sql, got, state);
}

static void identities_take_a_given_id_and_number_the_others(void **state)
{
    (void)state;
    exec_ok("SET search_path = " TEST_SCHEMA);
    exec_ok("INSERT INTO award_runs (id, year, run_at, actor, policies) VALUES (41, 2024, '2024-05-20T08:30:00Z', 'a', 'p')");
    char got[64];
    scalar("INSERT INTO award_runs (year, run_at, actor, policies) VALUES (2024, '2024-05-20T08:30:00Z', 'a', 'p') RETURNING id", 0,
           NULL, got, sizeof got);
    assert_string_equal(got, "1");
    exec_ok("DELETE FROM award_runs");
}

static void audit_log_refuses_a_bad_entry(void **state)
{
    (void)state;
    exec_ok("SET search_path = " TEST_SCHEMA);
    exec_ok("SET TimeZone = 'Asia/Shanghai'");
#define HASH "'0000000000000000000000000000000000000000000000000000000000000000'"
    exec_ok("INSERT INTO audit_log (seq, at, actor, via, target, prev_hash, hash)"
            " VALUES (1, '2024-05-20T08:30:00.123Z', 'admin', 'cli', 't/1', " HASH ", " HASH ")");
    /* the stamp the program writes comes back, in UTC, to the millisecond */
    char got[64];
    scalar("SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM audit_log WHERE seq = 1", 0, NULL, got,
           sizeof got);
    assert_string_equal(got, "2024-05-20T08:30:00.123Z");
    /* 22007: invalid_datetime_format; 23514: check_violation; 23502: not_null_violation */
    refused("22007", "INSERT INTO audit_log (seq, at, actor, via, target, prev_hash, hash)"
                     " VALUES (2, 'yesterday noon', 'admin', 'cli', 't/1', " HASH ", " HASH ")");
    refused("23514", "INSERT INTO audit_log (seq, at, actor, via, target, prev_hash, hash)"
                     " VALUES (2, '2024-05-20T08:30:01Z', 'admin', 'cli', 't/1', " HASH ", 'abc')");
    refused("23514", "INSERT INTO audit_log (seq, at, actor, via, target, prev_hash, hash)"
                     " VALUES (0, '2024-05-20T08:30:01Z', 'admin', 'cli', 't/1', " HASH ", " HASH ")");
    refused("23502", "INSERT INTO audit_log (seq, at, via, target, prev_hash, hash)"
                     " VALUES (2, '2024-05-20T08:30:01Z', 'cli', 't/1', " HASH ", " HASH ")");
#undef HASH
    exec_ok("RESET TimeZone");
}

static void ledger_refuses_a_bad_award(void **state)
{
    (void)state;
    exec_ok("SET search_path = " TEST_SCHEMA);
    exec_ok("INSERT INTO award_runs (id, year, run_at, actor, policies) VALUES (7, 2024, '2024-05-20T08:30:00Z', 'a', 'p')");
#define AWARD(subject, result, status, run)                                                                                        \
    "INSERT INTO awards (year, policy, policy_hash, subject, subject_id, uscc, result, amount, run_id, status, updated_at,"        \
    " updated_by) VALUES (2024, 'p', 'h', 'enterprise', " subject ", '91440703MA0000000X', " result ", 100, " run ", " status      \
    ", '2024-05-20T08:30:00Z', 'a')"
    exec_ok(AWARD("'e1'", "'eligible'", "DEFAULT", "7"));
    char got[64];
    scalar("SELECT status FROM awards", 0, NULL, got, sizeof got);
    assert_string_equal(got, "computed");
    refused("23514", AWARD("'e2'", "'maybe'", "'computed'", "7"));
    refused("23514", AWARD("'e2'", "'pending'", "'lost'", "7"));
    refused("23505", AWARD("'e1'", "'pending'", "'computed'", "7")); /* the same year, policy and subject twice */
    refused("23503", AWARD("'e2'", "'pending'", "'computed'", "8")); /* no such run: refused at once, as in SQLite */
#undef AWARD
}

static void designations_refuse_a_bad_decision(void **state)
{
    (void)state;
    exec_ok("SET search_path = " TEST_SCHEMA);
    exec_ok("BEGIN");
    exec_ok("INSERT INTO clusters (code, name, kind) VALUES ('cm', 'c', 'emerging')");
    exec_ok("INSERT INTO chains (code, cluster, name, lead_divisions) VALUES ('chm', 'cm', 'n', '440703')");
    exec_ok("INSERT INTO enterprises (uscc, name) VALUES ('91440703MA0000009X', 'e')");
    exec_ok("COMMIT");
#define DECISION(kind, rank, status)                                                                                               \
    "INSERT INTO master_decisions (chain, uscc, kind, batch, date, year, rank, proposed_by, proposed_at, status)"                  \
    " VALUES ('chm', '91440703MA0000009X', " kind ", 'b', '2024-06-01', 2023, " rank ", 'u', '2024-06-01T02:00:00Z', " status ")"
    exec_ok(DECISION("'master'", "1", "DEFAULT"));
    refused("23505", DECISION("'reserve'", "2", "'proposed'")); /* one pending decision per chain and enterprise */
    exec_ok(DECISION("'reserve'", "2", "'withdrawn'"));
    refused("23514", DECISION("'overlord'", "1", "'withdrawn'"));
    refused("23514", DECISION("'master'", "1", "'maybe'"));
    refused("23514", DECISION("'master'", "0", "'rejected'"));
    refused("22008", "INSERT INTO master_decisions (chain, uscc, kind, batch, date, year, proposed_by, proposed_at)"
                     " VALUES ('chm', '91440703MA0000009X', 'master', 'b', '2024-02-30', 2023, 'u', '2024-06-01T02:00:00Z')");
    /* the references are deferred: a decision on an unknown chain goes in, its commit is refused */
    exec_ok("BEGIN");
    exec_ok("INSERT INTO master_decisions (chain, uscc, kind, batch, date, year, proposed_by, proposed_at)"
            " VALUES ('nochain', '91440703MA0000009X', 'master', 'b', '2024-06-01', 2023, 'u', '2024-06-01T02:00:00Z')");
    refused("23503", "COMMIT");
#undef DECISION
}

static void accounts_and_calendar_refuse_values_outside_their_lists(void **state)
{
    (void)state;
    exec_ok("SET search_path = " TEST_SCHEMA);
    exec_ok("INSERT INTO accounts (name, role, password_hash) VALUES ('ok', 'admin', 'h')");
    refused("23514", "INSERT INTO accounts (name, role, password_hash) VALUES ('r', 'root', 'h')");
    refused("23514", "INSERT INTO accounts (name, role, password_hash, disabled) VALUES ('d', 'chain', 'h', 2)");
    refused("23514", "INSERT INTO accounts (name, role, password_hash, lang) VALUES ('l', 'chain', 'h', 'fr')");
    refused("23503", "INSERT INTO sessions (token_hash, account, csrf, created, expires) VALUES ('t', 'ghost', 'c', 1, 2)");
    exec_ok("INSERT INTO calendar_years (year) VALUES (2024)");
    exec_ok("INSERT INTO calendar_days (day, kind, name, year) VALUES ('2024-10-01', 'holiday', 'National Day', 2024)");
    refused("23514", "INSERT INTO calendar_days (day, kind, year) VALUES ('2024-10-02', 'weekend', 2024)");
    refused("22008", "INSERT INTO calendar_days (day, kind, year) VALUES ('2024-02-30', 'holiday', 2024)");
    refused("23503", "INSERT INTO calendar_days (day, kind, year) VALUES ('2025-01-01', 'holiday', 2025)");
}

/* A log's statuses and stages are the data contract's appeal statuses and target stages. */
static void workflow_logs_refuse_a_status_or_stage_outside_the_contract(void **state)
{
    (void)state;
    exec_ok("SET search_path = " TEST_SCHEMA);
    exec_ok("INSERT INTO appeal_log (appeal, seq, at, actor, from_status, to_status)"
            " VALUES ('a1', 1, '2024-05-20T08:30:00Z', 'u', NULL, 'open')");
    exec_ok("INSERT INTO appeal_log (appeal, seq, at, actor, from_status, to_status)"
            " VALUES ('a1', 2, '2024-05-21T08:30:00Z', 'u', 'open', 'escalated')");
    refused("23514", "INSERT INTO appeal_log (appeal, seq, at, actor, from_status, to_status)"
                     " VALUES ('a1', 3, '2024-05-22T08:30:00Z', 'u', 'escalated', 'forgotten')");
    refused("23505",
            "INSERT INTO appeal_log (appeal, seq, at, actor, to_status) VALUES ('a1', 2, '2024-05-22T08:30:00Z', 'u', 'open')");
    exec_ok("INSERT INTO target_contacts (target, seq, date, actor, from_stage, to_stage) VALUES ('t1', 1, '2024-05-20', 'u', "
            "'lead', 'contacted')");
    refused("23514", "INSERT INTO target_contacts (target, seq, date, actor, from_stage, to_stage)"
                     " VALUES ('t1', 2, '2024-05-21', 'u', 'contacted', 'married')");
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
        cmocka_unit_test(text_compares_byte_by_byte),
        cmocka_unit_test(primary_keys_are_the_natural_keys),
        cmocka_unit_test(foreign_keys_are_the_references_and_deferred),
        cmocka_unit_test(indexes_are_those_of_a_new_sqlite_database),
        cmocka_unit_test(checks_and_types_refuse_what_the_contract_refuses),
        cmocka_unit_test(every_table_of_a_new_sqlite_file_exists_with_its_columns_and_foreign_keys),
        cmocka_unit_test(family_tables_have_their_types_identities_defaults_and_keys),
        cmocka_unit_test(identities_take_a_given_id_and_number_the_others),
        cmocka_unit_test(audit_log_refuses_a_bad_entry),
        cmocka_unit_test(ledger_refuses_a_bad_award),
        cmocka_unit_test(designations_refuse_a_bad_decision),
        cmocka_unit_test(accounts_and_calendar_refuse_values_outside_their_lists),
        cmocka_unit_test(workflow_logs_refuse_a_status_or_stage_outside_the_contract),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
