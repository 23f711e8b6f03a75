/*
 * pg_copy — `lianzhang migrate`: every table copied between a SQLite file and a PostgreSQL
 * database with COPY (see pg_copy.h for the contract).
 *
 * Both directions walk one list of tables, built from the declarations (the data contract's
 * descriptors, then the families' store_table), in the order the latest schema creates them.
 * Into PostgreSQL the foreign keys and plain indexes are set aside during the copy and put back
 * after it, each checking or indexing every row at once (set_aside). Each column carries a kind that says how its text
 * travels and what it must look like; a value that would come back different is refused with
 * the table, the row's key and the column, and the whole copy with it.
 *
 * COPY's text format: fields separated by tabs, rows by newlines, NULL as \N, and a backslash,
 * tab, newline or carriage return inside a value escaped as \\, \t, \n, \r. PostgreSQL writes
 * \b, \f and \v too, and octal or hex escapes are decoded for completeness.
 */
#include "store/pg_copy.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "core/text.h"
#include "store/indicator_packs.h"
#include "store/pg_conn.h"
#include "store/schema.h"
#include "store/store_impl.h"

#define PATH_MAX_LEN 4096
#define COPY_CHUNK (64 * 1024) /* bytes handed to PQputCopyData at a time */

/* ---- the tables, and how each column's values travel ------------------------------------------ */

typedef enum kind {
    K_INT,      /* integers, money, decimals, booleans: bigint or smallint */
    K_TEXT,     /* text, codes, lists, enumerations */
    K_DATE,     /* YYYY-MM-DD */
    K_STAMP,    /* YYYY-MM-DDTHH:MM:SSZ */
    K_STAMP_MS, /* YYYY-MM-DDTHH:MM:SS.mmmZ */
} kind;

typedef struct copy_col {
    const char *name;
    kind k;
    bool key; /* part of the row's key: named in errors */
} copy_col;

typedef struct copy_table {
    const char *name;
    copy_col *cols;
    size_t ncols;
    const char *identity; /* the auto-numbered id column, or NULL */
    bool derived;         /* not copied: SQLite's is rebuilt from the rows copied, PostgreSQL's stays empty */
} copy_table;

typedef struct copy_list {
    copy_table *t;
    size_t n;
} copy_list;

static kind contract_kind(const column *c)
{
    switch (c->type) {
    case COL_INT:
    case COL_MONEY:
    case COL_DECIMAL:
    case COL_BOOL:
        return K_INT;
    case COL_DATE:
        return K_DATE;
    default:
        return K_TEXT;
    }
}

static kind family_kind(const store_column *c)
{
    switch (c->type) {
    case STORE_ID:
    case STORE_INT:
    case STORE_BOOL:
        return K_INT;
    case STORE_DATE:
        return K_DATE;
    case STORE_TIMESTAMP:
        return (c->flags & STORE_MILLIS) ? K_STAMP_MS : K_STAMP;
    default:
        return K_TEXT;
    }
}

static void list_free(copy_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->t[i].cols);
    free(l->t);
}

/* Appends a table of ncols columns to l; the caller fills them. */
static copy_table *list_add(copy_list *l, const char *name, size_t ncols)
{
    copy_table *t = &l->t[l->n++];
    *t = (copy_table){.name = name, .ncols = ncols, .cols = xcalloc(ncols, sizeof *t->cols)};
    return t;
}

/* Every table of the latest schema: the data contract's, then the families'. */
static void list_build(copy_list *l)
{
    *l = (copy_list){.t = xcalloc(tables_count + store_family_tables_count, sizeof *l->t)};
    for (size_t i = 0; i < tables_count; i++) {
        const table *src = tables_all[i];
        copy_table *t = list_add(l, src->name, src->ncols);
        for (size_t k = 0; k < src->ncols; k++)
            t->cols[k] = (copy_col){src->cols[k].name, contract_kind(&src->cols[k]), (src->cols[k].flags & COLF_KEY) != 0};
    }
    for (size_t i = 0; i < store_family_tables_count; i++) {
        const store_table *src = store_family_tables[i];
        copy_table *t = list_add(l, src->name, src->ncols);
        t->derived = src->derived;
        for (size_t k = 0; k < src->ncols; k++) {
            const store_column *c = &src->cols[k];
            t->cols[k] = (copy_col){c->name, family_kind(c), c->type == STORE_ID || (c->flags & STORE_KEY)};
            if (c->type == STORE_ID)
                t->identity = c->name;
        }
    }
}

static const copy_table *list_find(const copy_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->t[i].name, name) == 0)
            return &l->t[i];
    return NULL;
}

static void append_column_names(strbuf *b, const copy_table *t)
{
    for (size_t k = 0; k < t->ncols; k++)
        strbuf_printf(b, "%s\"%s\"", k ? ", " : "", t->cols[k].name);
}

/* ---- the text a value must have -------------------------------------------------------------- */

/* SELECT of t's columns from its SQLite table, in the list's order. */
static void append_select(strbuf *b, const copy_table *t)
{
    strbuf_puts(b, "SELECT ");
    append_column_names(b, t);
    strbuf_printf(b, " FROM \"%s\"", t->name);
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int number(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* "YYYY-MM-DD", a day that exists, year 1 to 9999: PostgreSQL's date writes it back the same. */
static bool date_text_ok(const char *s, size_t n)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) || !digits(s + 8, 2))
        return false;
    int y = number(s, 4), m = number(s + 5, 2), d = number(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* "YYYY-MM-DDTHH:MM:SSZ", or "...SS.mmmZ" with millis: the text Lianzhang writes (date_now_utc,
 * the audit log's stamp). No leap second: timestamptz would write 60 back as the next minute. */
static bool stamp_text_ok(const char *s, size_t n, bool millis)
{
    if (n != (millis ? 24u : 20u) || !date_text_ok(s, 10) || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[n - 1] != 'Z')
        return false;
    if (!digits(s + 11, 2) || !digits(s + 14, 2) || !digits(s + 17, 2))
        return false;
    if (millis && (s[19] != '.' || !digits(s + 20, 3)))
        return false;
    return number(s + 11, 2) < 24 && number(s + 14, 2) < 60 && number(s + 17, 2) < 60;
}

static const char *stamp_format(kind k)
{
    return k == K_STAMP_MS ? "YYYY-MM-DDTHH:MM:SS.mmmZ" : "YYYY-MM-DDTHH:MM:SSZ";
}

bool pg_copy_is_postgres(const char *name)
{
    return strncmp(name, "postgres://", 11) == 0 || strncmp(name, "postgresql://", 13) == 0 || strchr(name, '=') != NULL;
}

/* ---- SQLite -> PostgreSQL -------------------------------------------------------------------- */

/* Every table and column of the SQLite file is one that is copied: nothing is left behind. */
static int source_is_covered(store *src, const copy_list *l, lz_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(store_db(src),
                                "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
                                " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, p.cid",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store_sql_error(src, err, "reading the tables of the SQLite file");
    int out = 0;
    while (out == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *tname = (const char *)sqlite3_column_text(s, 0), *cname = (const char *)sqlite3_column_text(s, 1);
        const copy_table *t = list_find(l, tname);
        bool found = false;
        for (size_t k = 0; t && k < t->ncols; k++)
            found = found || strcmp(t->cols[k].name, cname) == 0;
        if (!t)
            out = err_set(err, LZ_EINPUT, "%s: table %s is not one of Lianzhang's: it would not be copied", store_path(src), tname);
        else if (!found)
            out = err_set(err, LZ_EINPUT, "%s: column %s.%s is not one of Lianzhang's: it would not be copied", store_path(src),
                          tname, cname);
    }
    if (out == 0 && rc != SQLITE_DONE)
        out = store_sql_error(src, err, "reading the tables of the SQLite file");
    sqlite3_finalize(s);
    return out;
}

/* Refuses a database that holds any of the tables (or the version table) already. */
/* The names of the tables, and the version table's, as a PostgreSQL text[] literal. */
static void table_names(const copy_list *l, strbuf *names)
{
    strbuf_init(names);
    strbuf_puts(names, "{" STORE_SCHEMA_VERSION_TABLE);
    for (size_t i = 0; i < l->n; i++)
        strbuf_printf(names, ",%s", l->t[i].name);
    strbuf_putc(names, '}');
}

static int target_is_empty(PGconn *conn, const copy_list *l, const char *database, lz_err *err)
{
    strbuf names;
    table_names(l, &names);
    const char *params[] = {names.data};
    PGresult *r = PQexecParams(conn,
                               "SELECT current_schema(), string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c"
                               " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
                               " WHERE c.relname = ANY ($1::text[])",
                               1, NULL, params, NULL, NULL, 0);
    strbuf_free(&names);
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        rc = pg_conn_fail(err, LZ_EINTERNAL, conn, r, "reading which tables the database has");
    else if (PQgetisnull(r, 0, 0))
        rc = err_set(err, LZ_EINPUT, "%s: no schema to create the tables in (its search_path names none that exists)", database);
    else if (!PQgetisnull(r, 0, 1))
        rc = err_set(err, LZ_EINPUT, "%s already has Lianzhang tables in schema %s: %s; migrate copies into an empty database only",
                     database, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
    PQclear(r);
    return rc;
}

/* "id 42", "uscc=9144..., year=2023", or "row 7" for a row of t in SQLite. */
static void sqlite_row_name(sqlite3_stmt *s, const copy_table *t, int64_t ordinal, char *out, size_t len)
{
    strbuf b;
    strbuf_init(&b);
    for (size_t k = 0; k < t->ncols; k++)
        if (t->cols[k].key) {
            const char *v = (const char *)sqlite3_column_text(s, (int)k);
            strbuf_printf(&b, "%s%s=%s", b.len ? ", " : "", t->cols[k].name, v ? v : "NULL");
        }
    if (!b.len)
        strbuf_printf(&b, "row %lld", (long long)ordinal);
    snprintf(out, len, "%s", b.data);
    strbuf_free(&b);
}

/* Appends column i of the current row as COPY text, or says in why what is wrong with it. */
static bool append_sqlite_value(strbuf *b, sqlite3_stmt *s, int i, kind k, char *why, size_t whylen)
{
    int type = sqlite3_column_type(s, i);
    if (type == SQLITE_NULL) {
        strbuf_puts(b, "\\N");
        return true;
    }
    const char *text = (const char *)sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    if (k == K_INT) {
        if (type == SQLITE_INTEGER) {
            strbuf_printf(b, "%lld", (long long)sqlite3_column_int64(s, i));
            return true;
        }
        snprintf(why, whylen, "'%.40s' is not an integer", type == SQLITE_BLOB ? "(binary data)" : text);
        return false;
    }
    static const char *const types[] = {"", "an integer", "a real number", "text", "binary data"};
    if (type != SQLITE_TEXT) {
        snprintf(why, whylen, "%s ('%.40s') where text is expected", types[type], type == SQLITE_BLOB ? "" : text);
        return false;
    }
    if (memchr(text, 0, n)) {
        snprintf(why, whylen, "the text holds a NUL byte, which PostgreSQL's text cannot");
        return false;
    }
    size_t bad = utf8_invalid_at(text, n);
    if (bad != n) {
        snprintf(why, whylen, "the text is not valid UTF-8 (byte %zu)", bad + 1);
        return false;
    }
    if (k == K_DATE && !date_text_ok(text, n)) {
        snprintf(why, whylen, "'%.40s' is not a date as Lianzhang writes it (YYYY-MM-DD)", text);
        return false;
    }
    if ((k == K_STAMP || k == K_STAMP_MS) && !stamp_text_ok(text, n, k == K_STAMP_MS)) {
        snprintf(why, whylen, "'%.40s' is not a timestamp as Lianzhang writes it here (%s): it would not come back the same", text,
                 stamp_format(k));
        return false;
    }
    pg_conn_copy_text(b, text, n);
    return true;
}

/* One table: its rows read from src's snapshot, streamed into COPY. */
static int copy_table_out(store *src, PGconn *conn, const copy_table *t, pg_copy_report *report, lz_err *err)
{
    strbuf sql;
    strbuf_init(&sql);
    append_select(&sql, t);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(store_db(src), sql.data, -1, &s, NULL);
    if (rc != SQLITE_OK) {
        strbuf_free(&sql);
        return store_sql_error(src, err, t->name);
    }
    strbuf_reset(&sql);
    strbuf_printf(&sql, "COPY \"%s\" (", t->name);
    append_column_names(&sql, t);
    strbuf_puts(&sql, ") FROM STDIN");
    PGresult *r = PQexec(conn, sql.data);
    int out = 0;
    if (PQresultStatus(r) != PGRES_COPY_IN)
        out = pg_conn_fail(err, LZ_EINTERNAL, conn, r, t->name);
    PQclear(r);
    strbuf_reset(&sql);
    int64_t rows = 0;
    while (out == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        rows++;
        for (size_t k = 0; k < t->ncols && out == 0; k++) {
            char why[256], row[256];
            if (k)
                strbuf_putc(&sql, '\t');
            if (!append_sqlite_value(&sql, s, (int)k, t->cols[k].k, why, sizeof why)) {
                sqlite_row_name(s, t, rows, row, sizeof row);
                out = err_set(err, LZ_EINPUT, "%s (%s), column %s: %s", t->name, row, t->cols[k].name, why);
            }
        }
        strbuf_putc(&sql, '\n');
        if (out == 0 && sql.len >= COPY_CHUNK)
            out = pg_conn_put_copy(conn, &sql, t->name, err);
    }
    if (out == 0 && rc != SQLITE_DONE)
        out = store_sql_error(src, err, t->name);
    sqlite3_finalize(s);
    if (out == 0)
        out = pg_conn_put_copy(conn, &sql, t->name, err);
    strbuf_free(&sql);
    if (PQputCopyEnd(conn, out == 0 ? NULL : "the copy was stopped") != 1 && out == 0)
        out = err_set(err, LZ_EINTERNAL, "copying %s: %s", t->name, PQerrorMessage(conn));
    char context[128];
    snprintf(context, sizeof context, "copying %s", t->name);
    lz_err ignored;
    int end = pg_conn_copy_result(conn, context, out == 0 ? err : &ignored);
    if (out == 0 && end < 0)
        out = end;
    report->rows += rows;
    return out;
}

static int move_identity(PGconn *conn, const copy_table *t, lz_err *err)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'), COALESCE(max(\"%s\"), 0) + 1, false) FROM \"%s\"", t->name,
             t->identity, t->identity, t->name);
    return pg_conn_exec(conn, sql, t->name, err);
}

/* What the copy sets aside from the new tables and puts back after it, with the same names and
 * definitions, each checking or building from the whole table at once:
 *   - the foreign keys: adding one checks every row in one join, where a key in place checks each
 *     row as it arrives (a deferred one queues every row's check to the commit, which took more
 *     than half of a large city's copy);
 *   - the plain indexes (not those behind a key or a unique constraint, which the keys need):
 *     building one sorts the table once, where keeping it up to date inserts into a B-tree per row.
 * Each query gives a statement that takes one off and the one that puts it back. */
static const char foreign_keys_sql[] =
    "SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', c.relname, k.conname),"
    " format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.relname, k.conname, pg_get_constraintdef(k.oid))"
    " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
    " WHERE k.contype = 'f' AND c.relname = ANY ($1::text[]) ORDER BY k.oid";
static const char plain_indexes_sql[] =
    "SELECT format('DROP INDEX %I', i.relname), pg_get_indexdef(i.oid)"
    " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
    " WHERE c.relname = ANY ($1::text[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)"
    " ORDER BY i.oid";

/* Takes off what query finds on l's tables (what: for errors) and appends to putback the
 * statements that put it back. */
static int set_aside(PGconn *conn, const copy_list *l, const char *query, const char *what, strbuf *putback, lz_err *err)
{
    strbuf names;
    table_names(l, &names);
    const char *params[] = {names.data};
    PGresult *r = PQexecParams(conn, query, 1, NULL, params, NULL, NULL, 0);
    strbuf_free(&names);
    char context[128];
    snprintf(context, sizeof context, "reading the %s", what);
    int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : pg_conn_fail(err, LZ_EINTERNAL, conn, r, context);
    strbuf drop;
    strbuf_init(&drop);
    for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
        strbuf_printf(&drop, "%s;\n", PQgetvalue(r, i, 0));
        strbuf_printf(putback, "%s;\n", PQgetvalue(r, i, 1));
    }
    PQclear(r);
    snprintf(context, sizeof context, "setting the %s aside for the copy", what);
    if (rc == 0 && drop.len)
        rc = pg_conn_exec(conn, drop.data, context, err);
    strbuf_free(&drop);
    return rc;
}

static int fill_postgres(store *src, PGconn *conn, const copy_list *l, pg_copy_report *report, lz_err *err)
{
    if (pg_conn_exec(conn, "BEGIN", "starting the transaction", err) < 0 || target_is_empty(conn, l, report->database, err) < 0)
        return -1;
    strbuf ddl;
    strbuf_init(&ddl);
    int rc = store_schema_render_latest(STORE_DIALECT_POSTGRES, &ddl, err);
    if (rc == 0)
        rc = pg_conn_exec(conn, ddl.data, "creating the schema", err);
    strbuf_free(&ddl);
    strbuf rebuild, readd;
    strbuf_init(&rebuild);
    strbuf_init(&readd);
    if (rc == 0)
        rc = set_aside(conn, l, foreign_keys_sql, "foreign keys", &readd, err);
    if (rc == 0)
        rc = set_aside(conn, l, plain_indexes_sql, "indexes", &rebuild, err);
    if (rc == 0)
        rc = store_read_begin(src, err);
    for (size_t i = 0; rc == 0 && i < l->n; i++)
        if (!l->t[i].derived) {
            rc = copy_table_out(src, conn, &l->t[i], report, err);
            report->tables++;
        }
    store_read_end(src);
    if (rc == 0 && rebuild.len)
        rc = pg_conn_exec(conn, rebuild.data, "building the indexes", err);
    if (rc == 0 && readd.len)
        rc = pg_conn_exec(conn, readd.data, "checking every reference", err);
    strbuf_free(&rebuild);
    strbuf_free(&readd);
    for (size_t i = 0; rc == 0 && i < l->n; i++)
        if (l->t[i].identity)
            rc = move_identity(conn, &l->t[i], err);
    if (rc == 0)
        rc = pg_conn_exec(conn, "COMMIT", "committing", err);
    return rc;
}

int pg_copy_to_postgres(store *src, const char *conninfo, pg_copy_report *report, lz_err *err)
{
    memset(report, 0, sizeof *report);
    int v = store_schema_version(src), latest = store_schema_version_latest();
    if (v != latest)
        return err_set(err, LZ_EINPUT,
                       "%s: schema version %d, this binary's is %d: `lianzhang check` upgrades it (back it up first)",
                       store_path(src), v, latest);
    copy_list l;
    list_build(&l);
    int rc = source_is_covered(src, &l, err);
    PGconn *conn = rc == 0 ? pg_conn_connect(conninfo, report->database, sizeof report->database, err) : NULL;
    if (rc == 0 && !conn)
        rc = LZ_EINPUT;
    if (rc == 0 && (rc = fill_postgres(src, conn, &l, report, err)) < 0) {
        PQclear(PQexec(conn, "ROLLBACK"));
        err_wrap(err, "nothing was written to %s", report->database);
    }
    PQfinish(conn);
    list_free(&l);
    return rc < 0 ? (err && err->code ? err->code : LZ_EINTERNAL) : 0;
}

/* ---- PostgreSQL -> SQLite -------------------------------------------------------------------- */

/* The recorded schema version is this binary's. */
static int source_version_ok(PGconn *conn, const char *database, lz_err *err)
{
    PGresult *r = PQexec(conn, "SELECT to_regclass(quote_ident(current_schema()) || '." STORE_SCHEMA_VERSION_TABLE "') IS NOT NULL,"
                               " current_schema()");
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        rc = pg_conn_fail(err, LZ_EINTERNAL, conn, r, "looking for the schema version");
    else if (strcmp(PQgetvalue(r, 0, 0), "t") != 0)
        rc = err_set(err, LZ_EINPUT, "%s is not a Lianzhang database: schema %s has no table " STORE_SCHEMA_VERSION_TABLE, database,
                     PQgetisnull(r, 0, 1) ? "(none)" : PQgetvalue(r, 0, 1));
    PQclear(r);
    if (rc < 0)
        return rc;
    r = PQexec(conn, "SELECT version FROM \"" STORE_SCHEMA_VERSION_TABLE "\"");
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_conn_fail(err, LZ_EINTERNAL, conn, r, "reading the schema version");
    else if (PQntuples(r) != 1)
        rc = err_set(err, LZ_EINPUT, "%s: " STORE_SCHEMA_VERSION_TABLE " has %d rows, expected one", database, PQntuples(r));
    else if (atoi(PQgetvalue(r, 0, 0)) != store_schema_version_latest())
        rc = err_set(err, LZ_EINPUT, "%s is at schema version %s, this binary's is %d: use the lianzhang that made it", database,
                     PQgetvalue(r, 0, 0), store_schema_version_latest());
    PQclear(r);
    return rc;
}

/* One row of COPY text decoded: each field's value in vals (NUL-terminated) at off[k], or NULL. */
typedef struct copy_row {
    strbuf vals;
    size_t *off, *len;
    bool *null;
} copy_row;

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The byte an escape stands for: line[*j] is the character after the backslash, end the field's
 * end; *j moves to the escape's last character. */
static char unescape(const char *line, size_t end, size_t *j)
{
    char c = line[*j];
    int v = 0;
    if (c >= '0' && c <= '7') {
        v = c - '0';
        for (int d = 0; d < 2 && *j + 1 < end && line[*j + 1] >= '0' && line[*j + 1] <= '7'; d++)
            v = v * 8 + (line[++*j] - '0');
        return (char)v;
    }
    if (c == 'x' && *j + 1 < end && is_hex(line[*j + 1])) {
        for (int d = 0; d < 2 && *j + 1 < end && is_hex(line[*j + 1]); d++) {
            char h = line[++*j];
            v = v * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        return (char)v;
    }
    static const char from[] = "bfnrtv", to[] = "\b\f\n\r\t\v";
    const char *p = c ? strchr(from, c) : NULL;
    return p ? to[p - from] : c; /* \\ and any other escaped character stand for themselves */
}

static int decode_row(const char *line, size_t n, const copy_table *t, copy_row *row)
{
    strbuf_reset(&row->vals);
    size_t k = 0, i = 0;
    if (n && line[n - 1] == '\n')
        n--;
    for (;;) {
        if (k >= t->ncols)
            return -1;
        size_t start = i;
        while (i < n && line[i] != '\t')
            i++;
        row->null[k] = i - start == 2 && line[start] == '\\' && line[start + 1] == 'N';
        row->off[k] = row->vals.len;
        for (size_t j = start; j < i && !row->null[k]; j++) {
            char c = line[j];
            if (c == '\\' && j + 1 < i) {
                j++;
                c = unescape(line, i, &j);
            }
            strbuf_putc(&row->vals, c);
        }
        row->len[k] = row->vals.len - row->off[k];
        strbuf_putc(&row->vals, '\0');
        k++;
        if (i >= n)
            break;
        i++; /* the tab */
    }
    return k == t->ncols ? 0 : -1;
}

static const char *row_value(const copy_row *row, size_t k)
{
    return row->vals.data + row->off[k];
}

static void pg_row_name(const copy_row *row, const copy_table *t, int64_t ordinal, char *out, size_t len)
{
    strbuf b;
    strbuf_init(&b);
    for (size_t k = 0; k < t->ncols; k++)
        if (t->cols[k].key)
            strbuf_printf(&b, "%s%s=%s", b.len ? ", " : "", t->cols[k].name, row->null[k] ? "NULL" : row_value(row, k));
    if (!b.len)
        strbuf_printf(&b, "row %lld", (long long)ordinal);
    snprintf(out, len, "%s", b.data);
    strbuf_free(&b);
}

/* Binds field k of row as column k's kind wants it, or says in why what is wrong with it. A
 * timestamp arrives with microseconds (".uuuuuuZ"); those the column does not write must be 0. */
static bool bind_pg_value(sqlite3_stmt *s, copy_row *row, size_t k, kind kd, char *why, size_t whylen)
{
    int i = (int)k + 1;
    if (row->null[k])
        return sqlite3_bind_null(s, i) == SQLITE_OK;
    char *v = row->vals.data + row->off[k];
    size_t n = row->len[k];
    if (kd == K_INT) {
        char *end;
        long long x = strtoll(v, &end, 10);
        if (n == 0 || *end || end != v + n) {
            snprintf(why, whylen, "'%.40s' is not an integer", v);
            return false;
        }
        return sqlite3_bind_int64(s, i, x) == SQLITE_OK;
    }
    if (kd == K_STAMP || kd == K_STAMP_MS) {
        size_t z = kd == K_STAMP_MS ? 23 : 19; /* where the written text's 'Z' goes */
        bool ok = n == 27 && v[19] == '.' && v[26] == 'Z' && digits(v + 20, 6);
        for (size_t j = kd == K_STAMP_MS ? 23 : 20; ok && j < 26; j++)
            ok = v[j] == '0';
        if (ok) {
            v[z] = 'Z';
            v[n = z + 1] = '\0';
        }
        if (!ok || !stamp_text_ok(v, n, kd == K_STAMP_MS)) {
            snprintf(why, whylen, "%.40s cannot be written as Lianzhang writes this timestamp (%s) without changing it", v,
                     stamp_format(kd));
            return false;
        }
    } else if (kd == K_DATE && !date_text_ok(v, n)) {
        snprintf(why, whylen, "%.40s is not a date Lianzhang can hold (YYYY-MM-DD)", v);
        return false;
    }
    return sqlite3_bind_text(s, i, v, (int)n, SQLITE_STATIC) == SQLITE_OK;
}

static void append_select_expr(strbuf *b, const copy_col *c)
{
    if (c->k == K_STAMP || c->k == K_STAMP_MS)
        strbuf_printf(b, "to_char(\"%s\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", c->name);
    else if (c->k == K_DATE)
        strbuf_printf(b, "\"%s\"::text", c->name); /* DateStyle ISO: YYYY-MM-DD, " BC" for what SQLite cannot hold */
    else
        strbuf_printf(b, "\"%s\"", c->name);
}

/* Inserts the rows of one COPY TO STDOUT into dst. */
static int insert_copied_rows(PGconn *conn, store *dst, sqlite3_stmt *ins, const copy_table *t, copy_row *row, int64_t *rows,
                              lz_err *err)
{
    int out = 0;
    char *line = NULL;
    int n;
    while ((n = PQgetCopyData(conn, &line, 0)) > 0) {
        (*rows)++;
        if (out == 0 && decode_row(line, (size_t)n, t, row) < 0)
            out = err_set(err, LZ_EINTERNAL, "%s: row %lld of the copy does not have %zu fields", t->name, (long long)*rows,
                          t->ncols);
        for (size_t k = 0; out == 0 && k < t->ncols; k++) {
            char why[256], name[256];
            if (!bind_pg_value(ins, row, k, t->cols[k].k, why, sizeof why)) {
                pg_row_name(row, t, *rows, name, sizeof name);
                out = err_set(err, LZ_EINPUT, "%s (%s), column %s: %s", t->name, name, t->cols[k].name, why);
            }
        }
        if (out == 0 && sqlite3_step(ins) != SQLITE_DONE) {
            char name[256];
            pg_row_name(row, t, *rows, name, sizeof name);
            out = err_set(err, LZ_EINTERNAL, "%s (%s): %s", t->name, name, sqlite3_errmsg(store_db(dst)));
        }
        sqlite3_reset(ins);
        sqlite3_clear_bindings(ins);
        PQfreemem(line);
        line = NULL;
    }
    if (n == -2 && out == 0)
        out = err_set(err, LZ_EINTERNAL, "copying %s: %s", t->name, PQerrorMessage(conn));
    return out;
}

static int copy_table_in(PGconn *conn, store *dst, const copy_table *t, pg_copy_report *report, lz_err *err)
{
    strbuf sql;
    strbuf_init(&sql);
    strbuf_printf(&sql, "INSERT INTO \"%s\" (", t->name);
    append_column_names(&sql, t);
    strbuf_puts(&sql, ") VALUES (");
    for (size_t k = 0; k < t->ncols; k++)
        strbuf_printf(&sql, "%s?%zu", k ? ", " : "", k + 1);
    strbuf_puts(&sql, ")");
    sqlite3_stmt *ins = NULL;
    if (sqlite3_prepare_v2(store_db(dst), sql.data, -1, &ins, NULL) != SQLITE_OK) {
        strbuf_free(&sql);
        return store_sql_error(dst, err, t->name);
    }
    strbuf_reset(&sql);
    strbuf_puts(&sql, "COPY (SELECT ");
    for (size_t k = 0; k < t->ncols; k++) {
        strbuf_puts(&sql, k ? ", " : "");
        append_select_expr(&sql, &t->cols[k]);
    }
    strbuf_printf(&sql, " FROM \"%s\") TO STDOUT", t->name);
    PGresult *r = PQexec(conn, sql.data);
    strbuf_free(&sql);
    int out = 0;
    if (PQresultStatus(r) != PGRES_COPY_OUT)
        out = pg_conn_fail(err, LZ_EINTERNAL, conn, r, t->name);
    PQclear(r);
    if (out == 0) {
        copy_row row = {.off = xcalloc(t->ncols, sizeof(size_t)),
                        .len = xcalloc(t->ncols, sizeof(size_t)),
                        .null = xcalloc(t->ncols, sizeof(bool))};
        strbuf_init(&row.vals);
        int64_t rows = 0;
        out = insert_copied_rows(conn, dst, ins, t, &row, &rows, err);
        char context[128];
        snprintf(context, sizeof context, "copying %s", t->name);
        lz_err ignored;
        int end = pg_conn_copy_result(conn, context, out == 0 ? err : &ignored);
        if (out == 0 && end < 0)
            out = end;
        report->rows += rows;
        strbuf_free(&row.vals);
        free(row.off);
        free(row.len);
        free(row.null);
    }
    sqlite3_finalize(ins);
    return out;
}

/* The key of the new file's row `rowid` of t ("uscc=..., year=..."), for an error. */
static void sqlite_key_of(store *dst, const copy_table *t, int64_t rowid, char *out, size_t len)
{
    strbuf sql;
    strbuf_init(&sql);
    append_select(&sql, t);
    strbuf_puts(&sql, " WHERE rowid = ?1");
    sqlite3_stmt *s = NULL;
    snprintf(out, len, "row %lld", (long long)rowid);
    if (sqlite3_prepare_v2(store_db(dst), sql.data, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, rowid);
        if (sqlite3_step(s) == SQLITE_ROW)
            sqlite_row_name(s, t, rowid, out, len);
    }
    sqlite3_finalize(s);
    strbuf_free(&sql);
}

/* The first row of the new file whose reference points nowhere, as an error naming it by its
 * key; 0 when there is none. PostgreSQL's keys hold the same references, so this is the copy's own
 * check, one pass over each table after the rows are in. */
static int references_hold(store *dst, const copy_list *l, lz_err *err)
{
    sql_stmt *s = store_prepare(dst, "PRAGMA foreign_key_check", err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sql_step(s);
    if (rc == SQL_ROW) {
        const char *tname = (const char *)sql_column_text(s, 0);
        const copy_table *t = list_find(l, tname);
        char key[256];
        if (t)
            sqlite_key_of(dst, t, sql_column_int64(s, 1), key, sizeof key);
        else
            snprintf(key, sizeof key, "row %lld", (long long)sql_column_int64(s, 1));
        rc = err_set(err, LZ_EINPUT, "%s (%s): its reference to %s points to no row", tname, key, sql_column_text(s, 2));
    } else
        rc = rc == SQL_DONE ? 0 : store_sql_error(dst, err, "checking the references");
    sql_reset(s);
    return rc;
}

/* Drops the new file's plain indexes (those the schema creates, not a key's) and appends to
 * rebuild the statements that create them again. */
static int sqlite_indexes_aside(store *dst, strbuf *rebuild, lz_err *err)
{
    sql_stmt *s =
        store_prepare(dst, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid", err);
    if (!s)
        return LZ_EINTERNAL;
    strbuf drop;
    strbuf_init(&drop);
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        strbuf_printf(&drop, "DROP INDEX \"%s\";\n", sql_column_text(s, 0));
        strbuf_printf(rebuild, "%s;\n", sql_column_text(s, 1));
    }
    rc = store_read_finish(dst, s, rc, err, "reading the indexes");
    if (rc == 0 && drop.len)
        rc = store_exec(dst, drop.data, err);
    strbuf_free(&drop);
    return rc;
}

/* The new file partial filled from conn's snapshot, in one SQLite transaction. As into PostgreSQL,
 * the plain indexes are built and the references checked once the rows are in (store_begin_unchecked,
 * sqlite_indexes_aside, references_hold), and the page cache holds a large city's keys, which would
 * otherwise be spilled to the log and read back row after row. */
static int fill_sqlite(PGconn *conn, const char *partial, const copy_list *l, pg_copy_report *report, lz_err *err)
{
    store *dst;
    if (store_open(&dst, partial, STORE_CREATE, err) < 0)
        return -1;
    int rc = store_cache_kib(dst, 262144, err); /* 256 MiB */
    if (rc == 0)
        rc = store_begin_unchecked(dst, err);
    strbuf rebuild;
    strbuf_init(&rebuild);
    if (rc == 0)
        rc = sqlite_indexes_aside(dst, &rebuild, err);
    for (size_t i = 0; rc == 0 && i < l->n; i++)
        if (!l->t[i].derived) {
            rc = copy_table_in(conn, dst, &l->t[i], report, err);
            report->tables++;
        }
    if (rc == 0 && rebuild.len)
        rc = store_exec(dst, rebuild.data, err);
    strbuf_free(&rebuild);
    if (rc == 0)
        rc = references_hold(dst, l, err);
    if (rc == 0)
        rc = indicator_packs_rebuild_all(dst, err);
    if (rc == 0)
        rc = store_commit(dst, err);
    else
        store_rollback(dst);
    store_close(dst);
    return rc;
}

int pg_copy_from_postgres(const char *conninfo, const char *dest, pg_copy_report *report, lz_err *err)
{
    memset(report, 0, sizeof *report);
    char partial[PATH_MAX_LEN];
    if (snprintf(partial, sizeof partial, "%s.partial", dest) >= (int)sizeof partial - 16)
        return err_set(err, LZ_EINPUT, "%s: path too long", dest);
    if (access(dest, F_OK) == 0)
        return err_set(err, LZ_EINPUT, "%s: already exists (migrate never overwrites a file)", dest);
    copy_list l;
    list_build(&l);
    PGconn *conn = pg_conn_connect(conninfo, report->database, sizeof report->database, err);
    int rc = conn ? 0 : LZ_EINPUT;
    if (rc == 0)
        rc = pg_conn_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting the snapshot", err);
    if (rc == 0)
        rc = source_version_ok(conn, report->database, err);
    if (rc == 0) {
        store_remove_files(partial); /* what an interrupted earlier copy left */
        rc = fill_sqlite(conn, partial, &l, report, err);
        if (rc == 0)
            rc = store_file_publish(partial, dest, err);
        if (rc < 0) {
            store_remove_files(partial);
            err_wrap(err, "%s to %s (no file was left)", report->database, dest);
        }
    }
    if (conn)
        PQclear(PQexec(conn, "ROLLBACK")); /* a read-only snapshot: nothing to commit */
    PQfinish(conn);
    list_free(&l);
    return rc < 0 ? (err && err->code ? err->code : LZ_EINTERNAL) : 0;
}
