/*
 * store_pg — the PostgreSQL connection and statements behind a store (see store_pg.h).
 */
#include "store/store_pg.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "store/pg_conn.h"
#include "store/schema.h"
#include "store/store.h"

/* PostgreSQL's type OIDs (catalog/pg_type.h, stable across versions). */
enum {
    OID_BOOL = 16,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_OID = 26,
    OID_BPCHAR = 1042,
    OID_VARCHAR = 1043,
    OID_TIMESTAMP = 1114,
    OID_TIMESTAMPTZ = 1184,
    OID_NUMERIC = 1700
};

#define STMT_MAX_PARAMS 256 /* beyond it a parameter's type is always inferred */
#define BATCH_ROWS 10000    /* rows a batched statement fetches at a time */

#define STAMP_TEXT 32 /* "YYYY-MM-DDTHH:MM:SS.mmmZ" and its NUL, with room to spare */

/* The writers' lock: one key for every Lianzhang server on the database (tests/api/lib.mjs holds
 * it to play a writer of another process). */
#define WRITERS_LOCK "SELECT pg_advisory_xact_lock(7235134087130447872)"

struct pg_db {
    PGconn *conn;
    char name[256];
    PGresult *failed; /* the last failed statement's result, for its message and SQLSTATE */
    int64_t changes;
    unsigned next_name;
    bool dirty;         /* a row changed since the last commit */
    bool to_begin;      /* a read snapshot asked for, begun at its first statement */
    int64_t writes;     /* commits of this connection that changed rows */
    char settings[160]; /* the store's own session settings, made again with the connection */
    unsigned session;   /* counts the connections made again (revive) */
    pg_stmt *fetching;  /* the statement whose next batch is on its way: its FETCH sent, its rows not yet read */
};

/* A column of a result, looked up once per batch rather than at every value (millions of them). */
typedef struct pg_column {
    Oid type;
    bool binary_number; /* an integer or boolean sent in binary (binary_safe) */
} pg_column;

struct pg_stmt {
    pg_db *db;
    char *sql; /* with $N parameters */
    char name[24];
    bool prepared; /* on the server, in session `session` of the connection */
    unsigned session;
    int nparams;
    Oid *types;    /* per parameter: 0 (inferred) or text */
    char **values; /* owned copies; NULL for a NULL parameter */
    PGresult *res; /* the rows (a batch of them), from the first step to the reset */
    int row, nrows;
    bool batched;               /* inside a transaction its rows come through a cursor, a batch at a time */
    bool cursor;                /* that cursor is open */
    PGresult *next;             /* its next batch, taken off the connection before another statement ran */
    int format;                 /* of the batches after the first: 1 (binary) when every column is binary_safe */
    char (*stamps)[STAMP_TEXT]; /* per column: the current row's timestamp or binary number as SQLite's text */
    pg_column *cols;            /* per column of the rows in hand: what the accessors ask of each value */
};

static void forget_failure(pg_db *db)
{
    PQclear(db->failed);
    db->failed = NULL;
}

static void remember_failure(pg_db *db, PGresult *r)
{
    PQclear(db->failed);
    db->failed = r;
}

/* The batch on its way, read whole off the connection. */
static PGresult *fetched(pg_db *db)
{
    PGresult *r = PQgetResult(db->conn), *rest;
    while ((rest = PQgetResult(db->conn)))
        PQclear(rest);
    db->fetching = NULL;
    return r ? r : PQmakeEmptyPGresult(db->conn, PGRES_FATAL_ERROR);
}

/* The connection, ready for a command: a batch still on its way is first taken off it and kept
 * for its statement (libpq runs one command at a time on a connection). Every use of the
 * connection goes through here, but the batch's own reading. */
static PGconn *idle_conn(pg_db *db)
{
    if (db->fetching)
        db->fetching->next = fetched(db);
    return db->conn;
}

int pg_db_open(pg_db **out, const char *conninfo, int flags, lz_err *err)
{
    *out = NULL;
    pg_db *db = xcalloc(1, sizeof *db);
    db->conn = pg_conn_connect(conninfo, db->name, sizeof db->name, err);
    if (!db->conn) {
        free(db);
        return LZ_EINPUT;
    }
    snprintf(db->settings, sizeof db->settings, "SET lock_timeout = %d; SET default_transaction_read_only = %s",
             (flags & STORE_SHORT_WAIT) ? STORE_SHORT_WAIT_MS : STORE_WAIT_MS, (flags & STORE_READONLY) ? "on" : "off");
    if (pg_conn_exec(db->conn, db->settings, db->name, err) < 0) {
        pg_db_close(db);
        return LZ_EINPUT;
    }
    *out = db;
    return 0;
}

void pg_db_close(pg_db *db)
{
    if (!db)
        return;
    PQclear(db->failed);
    PQfinish(db->conn);
    free(db);
}

const char *pg_db_name(const pg_db *db)
{
    return db->name;
}

/* After a statement: when it committed rows (on its own, or as a transaction's COMMIT), every
 * server learns it from the data version, moved after the commit so that a reader never caches the
 * rows before it under the version after it. A rolled-back change moves nothing. */
static void after_statement(pg_db *db, const PGresult *r)
{
    const char *cmd = PQcmdStatus((PGresult *)r);
    if (strcmp(cmd, "ROLLBACK") == 0)
        db->dirty = false;
    else if ((strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 || strncmp(cmd, "DELETE", 6) == 0) &&
             strtoll(PQcmdTuples((PGresult *)r), NULL, 10) > 0)
        db->dirty = true;
    if (!db->dirty || PQtransactionStatus(idle_conn(db)) != PQTRANS_IDLE)
        return;
    db->dirty = false;
    db->writes++;
    /* should this fail, the servers' caches learn of the change at the next write */
    PQclear(PQexec(idle_conn(db), "SELECT nextval('\"" STORE_DATA_VERSION_SEQUENCE "\"')"));
}

/* A connection the server dropped (a restart, a failover, a terminated backend) is made again
 * where nothing is lost by it: before the first statement of a transaction or a statement on its
 * own, never inside a transaction, whose work went with the old connection. The statements
 * prepared on the old one are prepared again at their next step (pg_stmt.session). */
static bool revive(pg_db *db)
{
    if (PQstatus(idle_conn(db)) != CONNECTION_BAD)
        return false;
    PQreset(db->conn);
    if (PQstatus(db->conn) != CONNECTION_OK || pg_conn_session(db->conn, NULL) < 0 ||
        pg_conn_exec(db->conn, db->settings, db->name, NULL) < 0)
        return false;
    db->session++;
    db->dirty = false;
    return true;
}

/* Runs a transaction's first statement, or one on its own: on a connection made again when the
 * server has dropped it, noticed before or by the statement itself. */
static PGresult *exec_first(pg_db *db, const char *sql)
{
    revive(db);
    PGresult *r = PQexec(idle_conn(db), sql);
    if (PQresultStatus(r) == PGRES_FATAL_ERROR && revive(db)) {
        PQclear(r);
        r = PQexec(db->conn, sql);
    }
    return r;
}

/* A read snapshot is begun at its first statement, not when it is asked for: a request answered
 * from the server's cache then costs the data version's read alone. REPEATABLE READ: PostgreSQL's
 * default READ COMMITTED would take a snapshot per statement. */
void pg_begin_read(pg_db *db)
{
    db->to_begin = true;
}

static void begin_if_asked(pg_db *db)
{
    if (!db->to_begin)
        return;
    db->to_begin = false;
    PQclear(exec_first(db, "BEGIN ISOLATION LEVEL REPEATABLE READ")); /* a failure shows in the statement that follows */
}

void pg_end_read(pg_db *db)
{
    if (db->to_begin)
        db->to_begin = false;
    else
        PQclear(PQexec(idle_conn(db), "COMMIT"));
}

/* The result of a statement run without rows to read: 0, or err filled and the failure kept. */
static int exec_result(pg_db *db, PGresult *r, lz_err *err)
{
    ExecStatusType s = PQresultStatus(r);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        after_statement(db, r);
        PQclear(r);
        return 0;
    }
    int rc = pg_conn_fail(err, LZ_EINTERNAL, db->conn, r, db->name);
    remember_failure(db, r);
    return rc;
}

int pg_db_exec(pg_db *db, const char *sql, lz_err *err)
{
    begin_if_asked(db);
    forget_failure(db);
    return exec_result(db, PQexec(idle_conn(db), sql), err);
}

int pg_db_copy_in(pg_db *db, const char *copy_sql, strbuf *rows, const char *context, lz_err *err)
{
    begin_if_asked(db);
    forget_failure(db);
    PGresult *r = PQexec(idle_conn(db), copy_sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        int rc = pg_conn_fail(err, LZ_EINTERNAL, db->conn, r, context);
        remember_failure(db, r);
        return rc;
    }
    PQclear(r);
    int rc = pg_conn_put_copy(db->conn, rows, context, err);
    if (PQputCopyEnd(db->conn, rc == 0 ? NULL : "the copy was stopped") != 1 && rc == 0)
        rc = err_set(err, LZ_EINTERNAL, "copying %s: %s", context, PQerrorMessage(db->conn));
    lz_err ignored;
    int end = pg_conn_copy_result(db->conn, context, rc == 0 ? err : &ignored);
    return rc < 0 ? rc : end;
}

int pg_begin_write(pg_db *db, lz_err *err)
{
    forget_failure(db);
    if (exec_result(db, exec_first(db, "BEGIN"), err) < 0)
        return LZ_EINTERNAL;
    int rc = pg_db_exec(db, WRITERS_LOCK, err);
    if (rc < 0)
        pg_db_exec(db, "ROLLBACK", NULL);
    return rc;
}

int pg_db_error(pg_db *db, lz_err *err, const char *context)
{
    if (pg_db_constraint_failed(db)) { /* as SQLite's SQLITE_CONSTRAINT: a conflict, not bad input */
        const char *primary = PQresultErrorField(db->failed, PG_DIAG_MESSAGE_PRIMARY);
        return err_set(err, LZ_ECONFLICT, "%s: %s", context, primary ? primary : "a constraint failed");
    }
    return pg_conn_fail(err, LZ_EINTERNAL, db->conn, db->failed, context);
}

int64_t pg_db_changes(const pg_db *db)
{
    return db->changes;
}

bool pg_db_constraint_failed(const pg_db *db)
{
    const char *state = db->failed ? PQresultErrorField(db->failed, PG_DIAG_SQLSTATE) : NULL;
    return state && strncmp(state, "23", 2) == 0;
}

/* One value of a one-row query, or NULL (then err is set, unless the row is missing). */
static int query_int64(pg_db *db, const char *sql, int64_t *v, bool *found, lz_err *err)
{
    PGresult *r = PQtransactionStatus(idle_conn(db)) == PQTRANS_INTRANS ? PQexec(db->conn, sql) : exec_first(db, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = pg_conn_fail(err, LZ_EINTERNAL, db->conn, r, db->name);
        PQclear(r);
        return rc;
    }
    *found = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0);
    *v = *found ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    return 0;
}

int pg_db_schema_version(pg_db *db, lz_err *err)
{
    int64_t v;
    bool found;
    if (query_int64(db,
                    "SELECT CASE WHEN to_regclass(quote_ident(current_schema()) || '." STORE_SCHEMA_VERSION_TABLE
                    "') IS NULL THEN 0 END",
                    &v, &found, err) < 0)
        return -1;
    if (found)
        return 0; /* no version table */
    if (query_int64(db, "SELECT max(version) FROM \"" STORE_SCHEMA_VERSION_TABLE "\"", &v, &found, err) < 0)
        return -1;
    return found ? (int)v : 0;
}

int pg_db_data_version(pg_db *db, int64_t *others, int64_t *own, lz_err *err)
{
    bool found;
    *own = db->writes;
    return query_int64(db, "SELECT last_value FROM \"" STORE_DATA_VERSION_SEQUENCE "\"", others, &found, err);
}

/* ---- statements ---------------------------------------------------------------------------- */

/* ?N as $N, a bare ? numbered after the highest so far, and group_concat as string_agg; quoted
 * text and identifiers untouched.
 * A parameter the SQL never names (a query that ignores one its caller binds) is declared text,
 * which PostgreSQL cannot infer for it; the others' types it infers from their use. */
static char *renumber(const char *sql, int *nparams, Oid **types)
{
    bool named[STMT_MAX_PARAMS + 1] = {0};
    strbuf b;
    strbuf_init(&b);
    int highest = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'' || *p == '"') {
            const char *end = strchr(p + 1, *p);
            end = end ? end : p + strlen(p) - 1;
            strbuf_append(&b, p, (size_t)(end - p + 1));
            p = end;
            continue;
        }
        if (strncmp(p, "group_concat(", 13) == 0) { /* SQLite's group_concat(x, sep) is PostgreSQL's string_agg */
            strbuf_puts(&b, "string_agg(");
            p += 12;
            continue;
        }
        if (*p != '?') {
            strbuf_append(&b, p, 1);
            continue;
        }
        int n = 0;
        while (isdigit((unsigned char)p[1]))
            n = n * 10 + (*++p - '0');
        if (n == 0)
            n = highest + 1;
        highest = n > highest ? n : highest;
        if (n <= STMT_MAX_PARAMS)
            named[n] = true;
        strbuf_printf(&b, "$%d", n);
    }
    *nparams = highest;
    *types = xcalloc((size_t)highest + 1, sizeof **types);
    for (int i = 1; i <= highest; i++)
        (*types)[i - 1] = i <= STMT_MAX_PARAMS && named[i] ? 0 : OID_TEXT;
    return strbuf_detach(&b);
}

pg_stmt *pg_db_prepare(pg_db *db, const char *sql)
{
    pg_stmt *s = xcalloc(1, sizeof *s);
    s->db = db;
    s->sql = renumber(sql, &s->nparams, &s->types);
    snprintf(s->name, sizeof s->name, "lz%u", ++db->next_name);
    s->values = xcalloc((size_t)s->nparams + 1, sizeof *s->values);
    s->row = -1;
    return s;
}

void pg_stmt_clear(pg_stmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
    }
}

static void close_cursor(pg_stmt *s)
{
    if (!s->cursor)
        return;
    char sql[48];
    snprintf(sql, sizeof sql, "CLOSE %s_c", s->name);
    PQclear(PQexec(idle_conn(s->db), sql)); /* refused inside a failed transaction, which ends it anyway */
    s->cursor = false;
}

/* Whether the statement is prepared in the connection's present session. */
static bool prepared(const pg_stmt *s)
{
    return s->prepared && s->session == s->db->session;
}

void pg_stmt_reset(pg_stmt *s)
{
    close_cursor(s);
    PQclear(s->next);
    s->next = NULL;
    s->format = 0;
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->nrows = 0;
}

void pg_stmt_free(pg_stmt *s)
{
    if (!s)
        return;
    pg_stmt_reset(s);
    pg_stmt_clear(s);
    if (prepared(s)) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
        PQclear(PQexec(idle_conn(s->db), sql)); /* refused inside a failed transaction: the name then lives on with the session */
    }
    free(s->values);
    free(s->types);
    free(s->stamps);
    free(s->cols);
    free(s->sql);
    free(s);
}

void pg_stmt_batched(pg_stmt *s, bool batched)
{
    s->batched = batched;
}

bool pg_stmt_busy(const pg_stmt *s)
{
    return s->res && s->row < s->nrows;
}

int pg_stmt_parameter_count(const pg_stmt *s)
{
    return s->nparams;
}

static void bind(pg_stmt *s, int i, char *v)
{
    if (i < 1 || i > s->nparams) {
        free(v);
        return;
    }
    free(s->values[i - 1]);
    s->values[i - 1] = v;
}

void pg_stmt_bind_text(pg_stmt *s, int i, const char *v, int n)
{
    if (!v) { /* as SQLite does it */
        bind(s, i, NULL);
        return;
    }
    size_t len = n < 0 ? strlen(v) : (size_t)n;
    char *copy = xmalloc(len + 1);
    memcpy(copy, v, len);
    copy[len] = 0;
    bind(s, i, copy);
}

void pg_stmt_bind_int64(pg_stmt *s, int i, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    bind(s, i, xstrdup(buf));
}

void pg_stmt_bind_null(pg_stmt *s, int i)
{
    bind(s, i, NULL);
}

static int fail(pg_stmt *s, PGresult *r)
{
    remember_failure(s->db, r);
    return 1; /* SQLite's SQLITE_ERROR: the store's error says what */
}

static int prepare_on_server(pg_stmt *s)
{
    PGresult *r = PQprepare(idle_conn(s->db), s->name, s->sql, s->nparams, s->types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return fail(s, r);
    PQclear(r);
    s->prepared = true;
    s->session = s->db->session;
    return 0;
}

static bool is_text(Oid type)
{
    return type == OID_TEXT || type == OID_BPCHAR || type == OID_VARCHAR;
}

/* The result of a query: its rows, ready for the first step. */
static void take_rows(pg_stmt *s, PGresult *r)
{
    PQclear(s->res);
    s->res = r;
    int n = PQnfields(r);
    s->stamps = xrealloc(s->stamps, (size_t)(n + 1) * sizeof *s->stamps);
    s->cols = xrealloc(s->cols, (size_t)(n + 1) * sizeof *s->cols);
    for (int i = 0; i < n; i++) {
        s->cols[i].type = PQftype(r, i);
        s->cols[i].binary_number = PQfformat(r, i) == 1 && !is_text(s->cols[i].type);
    }
    s->nrows = PQntuples(r);
    s->row = -1;
}

/* A column whose binary form the accessors below decode: an integer, a boolean or text. The
 * binary form spares the server formatting numbers and the client parsing them (millions of them
 * in the facts of a run); dates, timestamps and numerics keep their text. */
static bool binary_safe(Oid type)
{
    switch (type) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
        return true;
    default:
        return is_text(type);
    }
}

/* The format of the batches after the first, from the first's columns. */
static int batch_format(const PGresult *r)
{
    for (int i = 0; i < PQnfields(r); i++)
        if (!binary_safe(PQftype(r, i)))
            return 0;
    return 1;
}

static void fetch_sql(const pg_stmt *s, char sql[64])
{
    snprintf(sql, 64, "FETCH %d FROM %s_c", BATCH_ROWS, s->name);
}

/* The next batch asked for ahead, while the rows of this one are read: the server produces it
 * as the caller works (pg_stmt_step lets it stream in). Not after a short batch, the last. Sent by
 * the extended protocol, whose Bind names the result's format. */
static void fetch_ahead(pg_stmt *s)
{
    if (s->nrows < BATCH_ROWS)
        return;
    char sql[64];
    fetch_sql(s, sql);
    if (PQsendQueryParams(idle_conn(s->db), sql, 0, NULL, NULL, NULL, NULL, s->format) == 1)
        s->db->fetching = s;
}

static int fetch_batch(pg_stmt *s)
{
    PGresult *r = s->next;
    s->next = NULL;
    if (!r && s->db->fetching == s)
        r = fetched(s->db);
    if (!r) { /* nothing asked ahead: the first batch, or the connection refused the FETCH */
        char sql[64];
        fetch_sql(s, sql);
        r = PQexecParams(idle_conn(s->db), sql, 0, NULL, NULL, NULL, NULL, s->format);
    }
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return fail(s, r);
    take_rows(s, r);
    s->format = batch_format(r);
    fetch_ahead(s);
    return 0;
}

/* A cursor over the query, with the statement's parameters, and its first batch. */
static int open_cursor(pg_stmt *s)
{
    strbuf declare;
    strbuf_init(&declare);
    strbuf_printf(&declare, "DECLARE %s_c NO SCROLL CURSOR FOR %s", s->name, s->sql);
    PGresult *r = PQexecParams(idle_conn(s->db), declare.data, s->nparams, s->types, (const char *const *)s->values, NULL, NULL, 0);
    strbuf_free(&declare);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return fail(s, r);
    PQclear(r);
    s->cursor = true;
    return fetch_batch(s);
}

static int execute(pg_stmt *s)
{
    pg_db *db = s->db;
    begin_if_asked(db);
    forget_failure(db);
    if (s->batched && PQtransactionStatus(idle_conn(db)) == PQTRANS_INTRANS)
        return open_cursor(s);
    if (!prepared(s) && prepare_on_server(s) != 0)
        return 1;
    PGresult *r = PQexecPrepared(idle_conn(db), s->name, s->nparams, (const char *const *)s->values, NULL, NULL, 0);
    ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        return fail(s, r);
    const char *changed = PQcmdTuples(r);
    if (*changed)
        db->changes = strtoll(changed, NULL, 10);
    after_statement(db, r);
    take_rows(s, r);
    return 0;
}

int pg_stmt_step(pg_stmt *s)
{
    if (!s->res) {
        int rc = execute(s);
        if (rc)
            return rc;
    }
    if (s->row < s->nrows)
        s->row++;
    /* the batch on its way streams into libpq's buffer, so the server never waits on a full socket */
    if (s->db->fetching == s && (s->row & 1023) == 0)
        PQconsumeInput(s->db->conn);
    if (s->row == s->nrows && s->cursor && s->nrows > 0) { /* a batch read: the next one */
        int rc = fetch_batch(s);
        if (rc)
            return rc;
        s->row = 0;
    }
    if (s->row < s->nrows)
        return SQL_ROW;
    close_cursor(s);
    return SQL_DONE;
}

static bool whole_number(const char *v)
{
    if (*v == '-')
        v++;
    if (!*v)
        return false;
    for (; *v; v++)
        if (!isdigit((unsigned char)*v))
            return false;
    return true;
}

int pg_stmt_column_type(pg_stmt *s, int i)
{
    if (PQgetisnull(s->res, s->row, i))
        return SQL_NULL;
    switch (s->cols[i].type) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
        return SQL_INTEGER;
    case OID_NUMERIC:
        return whole_number(PQgetvalue(s->res, s->row, i)) ? SQL_INTEGER : SQL_TEXT;
    default:
        return SQL_TEXT;
    }
}

/* An integer or boolean column's value in binary: network byte order, two's complement. */
static int64_t binary_integer(const char *v, Oid type)
{
    const unsigned char *u = (const unsigned char *)v;
    size_t n = type == OID_INT8 ? 8 : type == OID_INT4 || type == OID_OID ? 4 : type == OID_INT2 ? 2 : 1;
    uint64_t x = 0;
    for (size_t k = 0; k < n; k++)
        x = x << 8 | u[k];
    if (type == OID_INT4)
        return (int32_t)(uint32_t)x;
    if (type == OID_INT2)
        return (int16_t)(uint16_t)x;
    return (int64_t)x;
}

int64_t pg_stmt_column_int64(pg_stmt *s, int i)
{
    const char *v = PQgetvalue(s->res, s->row, i); /* "" for a NULL, which reads as 0 as on SQLite */
    if (s->cols[i].binary_number)                  /* a binary NULL has no bytes to decode */
        return PQgetisnull(s->res, s->row, i) ? 0 : binary_integer(v, s->cols[i].type);
    if (s->cols[i].type == OID_BOOL)
        return *v == 't';
    return strtoll(v, NULL, 10);
}

/* "2024-05-20 08:30:00.12+00" (UTC session, ISO style) as "2024-05-20T08:30:00.120Z" in out: the
 * fraction to milliseconds, none when PostgreSQL shows none. */
static const char *stamp_text(const char *v, char *out)
{
    size_t n = strlen(v) < 19 ? strlen(v) : 19; /* "YYYY-MM-DD HH:MM:SS" */
    memcpy(out, v, n);
    if (n > 10)
        out[10] = 'T';
    char *w = out + n;
    if (v[n] == '.') {
        *w++ = '.';
        const char *f = v + n + 1;
        for (int k = 0; k < 3; k++)
            *w++ = isdigit((unsigned char)*f) ? *f++ : '0';
    }
    *w++ = 'Z';
    *w = 0;
    return out;
}

const char *pg_stmt_column_text(pg_stmt *s, int i)
{
    if (PQgetisnull(s->res, s->row, i))
        return NULL;
    const char *v = PQgetvalue(s->res, s->row, i);
    if (s->cols[i].binary_number) {
        snprintf(s->stamps[i], STAMP_TEXT, "%lld", (long long)binary_integer(v, s->cols[i].type));
        return s->stamps[i];
    }
    switch (s->cols[i].type) {
    case OID_BOOL:
        return *v == 't' ? "1" : "0";
    case OID_TIMESTAMPTZ:
    case OID_TIMESTAMP:
        return stamp_text(v, s->stamps[i]);
    default:
        return v;
    }
}

/* The server's length, but for the values shown otherwise than the server sends them. */
int pg_stmt_column_bytes(pg_stmt *s, int i)
{
    if (PQgetisnull(s->res, s->row, i)) /* also outside the row or the columns: no bytes */
        return 0;
    if (s->cols[i].binary_number) {
        const char *t = pg_stmt_column_text(s, i);
        return t ? (int)strlen(t) : 0;
    }
    switch (s->cols[i].type) {
    case OID_BOOL:
    case OID_TIMESTAMPTZ:
    case OID_TIMESTAMP: {
        const char *t = pg_stmt_column_text(s, i);
        return t ? (int)strlen(t) : 0;
    }
    default:
        return PQgetlength(s->res, s->row, i);
    }
}

/* Before its first step a statement's columns are known from the server's description of it, as
 * SQLite knows them from its own. */
int pg_stmt_column_count(pg_stmt *s)
{
    if (s->res)
        return PQnfields(s->res);
    if (!prepared(s) && prepare_on_server(s) != 0)
        return 0;
    PGresult *r = PQdescribePrepared(idle_conn(s->db), s->name);
    int n = PQresultStatus(r) == PGRES_COMMAND_OK ? PQnfields(r) : 0;
    PQclear(r);
    return n;
}
