/*
 * store_sqlite — store.h on SQLite, and its front for PostgreSQL: a store opened on a URL
 * (pg_copy_is_postgres) keeps this file's statement cache, transactions' bookkeeping and generated
 * SQL, and hands its connection's work to store_pg.h.
 *
 * SQL for the data tables is generated from the contract (model/tables.h) once per table and
 * cached with its prepared statement; only column names from the descriptors ever reach SQL text,
 * values are always bound. Connection setup: WAL, foreign keys on (deferred, checked at commit),
 * synchronous=NORMAL (a crash loses at most the last commits, never consistency), busy timeout.
 */
#include "store/store_impl.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "core/strmap.h"
#include "store/indicator_packs.h"
#include "store/pg_conn.h"
#include "store/pg_copy.h"
#include "store/schema.h"
#include "store/store_pg.h"

#define STMT_CACHE 96

/* Every enterprise's name, read once inside one PostgreSQL snapshot (store_enterprise_name). */
typedef struct name_cache {
    bool loaded;
    int lookups; /* one by one so far in this snapshot */
    arena text;
    strmap index; /* uscc -> position in names */
    const char **names;
} name_cache;

#define NAME_LOOKUPS_BEFORE_LOAD 256

typedef struct cached_stmt {
    const char *key; /* the caller's pointer: a hit on it skips the string compare */
    char *sql;
    sql_stmt stmt;
    uint64_t handed; /* when it was last handed out (st->handed): the least recent is evicted first */
} cached_stmt;

struct store {
    sqlite3 *db;
    pg_db *pg;      /* instead of db, on PostgreSQL */
    char *conninfo; /* and the name it was opened with, for its twin (path names it without a password) */
    name_cache names;
    char *path;
    int flags; /* as opened */
    bool readonly, in_tx, in_read, fk_off;
    store *twin;                    /* inside store_read_begin_twin's snapshot, when it could be pinned */
    indicator_packs_due *packs_due; /* the rows of indicators this transaction wrote: their packs are rebuilt at its commit */
    bool packs_suspended;           /* store_packs_suspend */
    cached_stmt cache[STMT_CACHE];
    size_t ncache;
    uint64_t handed;
};

sqlite3 *store_db(store *st)
{
    return st->db;
}

pg_db *store_pg(store *st)
{
    return st->pg;
}

bool store_is_postgres(const store *st)
{
    return st->pg != NULL;
}

const char *store_path(const store *st)
{
    return st->path;
}

static bool is_busy(store *st)
{
    if (st->pg)
        return false; /* pg_db_error tells */
    int code = sqlite3_extended_errcode(st->db) & 0xff;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

int store_read_finish(store *st, sql_stmt *s, int rc, lz_err *err, const char *context)
{
    sql_reset(s);
    return rc == SQL_ROW || rc == SQL_DONE ? 0 : store_sql_error(st, err, context);
}

int store_sql_error(store *st, lz_err *err, const char *context)
{
    if (st->pg)
        return pg_db_error(st->pg, err, context);
    int code = sqlite3_extended_errcode(st->db);
    int kind = (code & 0xff) == SQLITE_CONSTRAINT ? LZ_ECONFLICT : LZ_EINTERNAL;
    if (is_busy(st))
        return err_set(err, LZ_EBUSY, "%s: the database is busy (another writer holds it); try again", context);
    return err_set(err, kind, "%s: %s", context, sqlite3_errmsg(st->db));
}

/* A statement between its first step and its reset (or its last row) is in use: some caller is
 * reading its rows, perhaps from a row callback that prepares more statements. Such a statement
 * is never handed out again nor finalized; the same SQL asked for meanwhile gets a second one. */
static bool in_use(const cached_stmt *c)
{
    return c->stmt.lite ? sqlite3_stmt_busy(c->stmt.lite) != 0 : pg_stmt_busy(c->stmt.pg);
}

static void finalize(sql_stmt *s)
{
    sqlite3_finalize(s->lite);
    pg_stmt_free(s->pg);
}

int64_t store_changes(store *st)
{
    return st->pg ? pg_db_changes(st->pg) : sqlite3_changes64(st->db);
}

bool store_constraint_failed(store *st)
{
    return st->pg ? pg_db_constraint_failed(st->pg) : (sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_CONSTRAINT;
}

int sql_bind_parameter_count(sql_stmt *s)
{
    return s->lite ? sqlite3_bind_parameter_count(s->lite) : pg_stmt_parameter_count(s->pg);
}

static cached_stmt *cache_find(store *st, const char *sql)
{
    /* Pointer first (the hot, generated statements), then text: a freed buffer's address can come
     * back holding other SQL, so a pointer hit is confirmed by the text too. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < st->ncache; i++)
            if ((pass == 1 || st->cache[i].key == sql) && !in_use(&st->cache[i]) && strcmp(st->cache[i].sql, sql) == 0)
                return &st->cache[i];
    return NULL;
}

/* A free slot, or the one least recently handed out among those not in use (finalized); NULL when
 * every cached statement is in use. */
static cached_stmt *cache_slot(store *st)
{
    if (st->ncache < STMT_CACHE)
        return &st->cache[st->ncache++];
    cached_stmt *victim = NULL;
    for (size_t i = 0; i < st->ncache; i++)
        if (!in_use(&st->cache[i]) && (!victim || st->cache[i].handed < victim->handed))
            victim = &st->cache[i];
    if (victim) {
        finalize(&victim->stmt);
        free(victim->sql);
    }
    return victim;
}

static void make_ready(sql_stmt *s)
{
    if (s->lite) {
        sqlite3_reset(s->lite);
        sqlite3_clear_bindings(s->lite);
    } else {
        pg_stmt_reset(s->pg);
        pg_stmt_clear(s->pg);
    }
}

/* PostgreSQL's statements are prepared on the server at their first step (store_pg.h). */
static int prepare(store *st, const char *sql, sql_stmt *out, lz_err *err)
{
    *out = (sql_stmt){0};
    if (st->pg) {
        out->pg = pg_db_prepare(st->pg, sql);
        return 0;
    }
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &out->lite, NULL) != SQLITE_OK)
        return store_sql_error(st, err, "preparing a statement");
    return 0;
}

static sql_stmt *prepare_cached(store *st, const char *sql, bool batched, lz_err *err);

sql_stmt *store_prepare(store *st, const char *sql, lz_err *err)
{
    return prepare_cached(st, sql, false, err);
}

sql_stmt *store_prepare_scan(store *st, const char *sql, lz_err *err)
{
    return prepare_cached(st, sql, true, err);
}

static sql_stmt *prepare_cached(store *st, const char *sql, bool batched, lz_err *err)
{
    sql_stmt *s = NULL;
    cached_stmt *c = cache_find(st, sql);
    if (c) {
        make_ready(&c->stmt);
        c->handed = ++st->handed;
        s = &c->stmt;
    }
    sql_stmt stmt;
    if (!s && prepare(st, sql, &stmt, err) < 0)
        return NULL;
    if (!s && !(c = cache_slot(st))) {
        finalize(&stmt);
        err_set(err, LZ_EINTERNAL, "preparing a statement: all %d cached statements are in use (queries nested too deep)",
                STMT_CACHE);
        return NULL;
    }
    if (!s) {
        *c = (cached_stmt){.key = sql, .sql = xstrdup(sql), .stmt = stmt, .handed = ++st->handed};
        s = &c->stmt;
    }
    if (s->pg)
        pg_stmt_batched(s->pg, batched);
    return s;
}

int store_cache_kib(store *st, int kib, lz_err *err)
{
    if (st->pg)
        return 0;
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kib);
    return store_exec(st, sql, err);
}

int store_exec(store *st, const char *sql, lz_err *err)
{
    if (st->pg)
        return pg_db_exec(st->pg, sql, err);
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = is_busy(st) ? store_sql_error(st, err, "waiting for the write lock")
                             : err_set(err, LZ_EINTERNAL, "%s", msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

void store_bind_cell(sql_stmt *s, int i, const cell *c)
{
    switch (c->kind) {
    case CELL_INT:
        sql_bind_int64(s, i, c->i);
        break;
    case CELL_TEXT:
        sql_bind_text(s, i, c->s, (int)c->n);
        break;
    default:
        sql_bind_null(s, i);
    }
}

cell store_column_cell(sql_stmt *s, int i)
{
    switch (sql_column_type(s, i)) {
    case SQL_INTEGER:
        return cell_int(sql_column_int64(s, i));
    case SQL_NULL:
        return cell_null();
    default: {
        const char *t = (const char *)sql_column_text(s, i);
        return cell_text(t, (size_t)sql_column_bytes(s, i));
    }
    }
}

/* ---- open / close -------------------------------------------------------------------------- */

/* SQLite's memory statistics take a global mutex on every allocation, which serialises the
 * server's worker threads; nothing here reads them. Must run before SQLite initialises: when
 * something else has initialised it already, the call fails harmlessly. */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#define STORE_MMAP_BYTES "4294967296" /* bytes of the file a STORE_MAPPED connection maps */

static pthread_once_t configure_once = PTHREAD_ONCE_INIT;

/* A writer's journal and cache; a reader's query_only and, when asked for, the map (SQLite caps
 * it at its build's limit, 2 GiB here: on the analyses of a million-enterprise file a page copied
 * per pread cost more system time than their own work). Sorts and GROUP BY stay in memory: a
 * temporary file cost the masters' read of a large chain a write per page. */
static int configure(store *st, int flags, lz_err *err)
{
    if (!st->readonly)
        return store_exec(
            st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;", err);
    if ((flags & STORE_MAPPED) && store_exec(st, "PRAGMA mmap_size=" STORE_MMAP_BYTES, err) < 0)
        return LZ_EINTERNAL;
    return store_exec(st, "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA query_only=ON;", err);
}

static int open_sqlite(store *st, const char *path, int flags, lz_err *err)
{
    pthread_once(&configure_once, configure_sqlite);
    int oflags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return err_set(err, LZ_EINPUT, "%s: cannot open: %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, (flags & STORE_SHORT_WAIT) ? STORE_SHORT_WAIT_MS : STORE_WAIT_MS);
    /* The file's triggers are for other programs (indicator_packs.h): the store keeps the packs. */
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    return configure(st, flags, err) < 0 ? err_wrap(err, "%s", path) : 0;
}

/* The store's name in messages is the database's without its password. */
static int open_postgres(store *st, const char *conninfo, int flags, lz_err *err)
{
    int rc = pg_db_open(&st->pg, conninfo, flags, err);
    if (rc == 0) {
        free(st->path);
        st->path = xstrdup(pg_db_name(st->pg));
        st->conninfo = xstrdup(conninfo);
    }
    return rc;
}

void store_shown_name(const char *name, char *out, size_t len)
{
    if (pg_copy_is_postgres(name))
        pg_conn_redacted(name, out, len);
    else
        snprintf(out, len, "%s", name);
}

int store_open(store **out, const char *path, int flags, lz_err *err)
{
    *out = NULL;
    bool postgres = pg_copy_is_postgres(path);
    bool exists = postgres || access(path, F_OK) == 0;
    if (!exists && !(flags & STORE_CREATE))
        return err_set(err, LZ_ENOTFOUND, "%s: no such database (create one with 'lianzhang init %s')", path, path);
    store *st = xcalloc(1, sizeof *st);
    st->path = xstrdup(path);
    st->flags = flags;
    st->readonly = flags & STORE_READONLY;
    int rc = postgres ? open_postgres(st, path, flags, err) : open_sqlite(st, path, flags, err);
    /* A new SQLite file gets its schema; a PostgreSQL database only from `init` (STORE_CREATE). */
    bool create = postgres ? (flags & STORE_CREATE) != 0 : !exists;
    if (rc == 0 && !st->readonly && store_schema_upgrade(st, create, err) < 0)
        rc = err_wrap(err, "%s", st->path);
    if (rc == 0 && !st->readonly && !create && (rc = indicator_packs_restore(st, err)) < 0)
        rc = rc == LZ_EBUSY ? 0 : err_wrap(err, "%s", st->path); /* another writer: those years read from their rows meanwhile */
    int version = rc == 0 && st->readonly ? store_schema_version(st) : store_schema_version_latest();
    if (version != store_schema_version_latest())
        rc = err_set(err, LZ_EINPUT, "%s: schema version %d, this binary needs %d (open it once read-write to upgrade)", st->path,
                     version, store_schema_version_latest());
    if (rc < 0) {
        store_close(st);
        return rc;
    }
    *out = st;
    return 0;
}

static void names_drop(store *st);

void store_close(store *st)
{
    if (!st)
        return;
    if (st->in_read)
        store_read_end(st);
    names_drop(st);
    store_close(st->twin);
    for (size_t i = 0; i < st->ncache; i++) {
        finalize(&st->cache[i].stmt);
        free(st->cache[i].sql);
    }
    if (st->in_tx)
        store_exec(st, "ROLLBACK", NULL);
    sqlite3_close(st->db);
    pg_db_close(st->pg);
    indicator_packs_due_free(st->packs_due);
    free(st->path);
    free(st->conninfo);
    free(st);
}

int store_schema_version(store *st)
{
    if (st->pg)
        return pg_db_schema_version(st->pg, NULL);
    sql_stmt *s = store_prepare(st, "PRAGMA user_version", NULL);
    int v = (s && sql_step(s) == SQL_ROW) ? sql_column_int(s, 0) : -1;
    if (s)
        sql_reset(s);
    return v;
}

/* ---- transactions ---------------------------------------------------------------------------- */

/* Runs a cached statement without results: BEGIN and COMMIT of every API read, parsed once. */
static int step_cached(store *st, const char *sql, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sql_step(s);
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, sql);
}

int store_read_begin(store *st, lz_err *err)
{
    if (st->in_tx || st->in_read)
        return 0;
    st->in_read = true;
    if (st->pg) { /* at its first statement: a read answered from the cache needs none */
        pg_begin_read(st->pg);
        return 0;
    }
    if (step_cached(st, "BEGIN", err) < 0) {
        st->in_read = false;
        return err_wrap(err, "starting a read");
    }
    return 0;
}

static void names_drop(store *st)
{
    if (st->names.loaded) {
        arena_free(&st->names.text);
        strmap_free(&st->names.index);
        free(st->names.names);
    }
    st->names = (name_cache){0};
}

void store_read_end(store *st)
{
    names_drop(st);
    store_close(st->twin);
    st->twin = NULL;
    if (st->in_read && st->pg)
        pg_end_read(st->pg);
    else if (st->in_read)
        step_cached(st, "COMMIT", NULL);
    st->in_read = false;
}

/* SQLite takes a snapshot at a transaction's first read, not at BEGIN: read the schema's page. */
static int take_snapshot(store *st, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "SELECT count(*) FROM \"sqlite_master\"", err);
    if (!s)
        return LZ_EINTERNAL;
    return store_read_finish(st, s, sql_step(s), err, "starting a read");
}

/* A connection that holds the write lock, so that no commit lands between two snapshots taken
 * meanwhile; NULL when another writer holds it (no waiting: the reads then stay on one connection)
 * or the file cannot be written. */
static sqlite3 *hold_write_lock(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK)
        return db;
    sqlite3_close(db);
    return NULL;
}

static void release_write_lock(sqlite3 *db)
{
    if (db)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
}

/* Opens the twin and takes its snapshot; NULL when it cannot (the reads stay on one connection). */
static store *open_twin(const store *st)
{
    store *twin = NULL;
    lz_err ignored = {0};
    if (store_open(&twin, st->path, STORE_READONLY | (st->flags & STORE_MAPPED), &ignored) != 0)
        return NULL;
    if (store_read_begin(twin, &ignored) == 0 && take_snapshot(twin, &ignored) == 0)
        return twin;
    store_close(twin);
    return NULL;
}

/* PostgreSQL's twin adopts the snapshot st exports: no lock is needed to pin the moment. */
static store *postgres_twin(store *st)
{
    sql_stmt *s = store_prepare(st, "SELECT pg_export_snapshot()", NULL);
    char sql[160] = "";
    if (s && sql_step(s) == SQL_ROW)
        snprintf(sql, sizeof sql, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '%s'",
                 sql_column_text(s, 0));
    if (s)
        sql_reset(s);
    store *twin = NULL;
    lz_err ignored = {0};
    if (!*sql || store_open(&twin, st->conninfo, STORE_READONLY, &ignored) != 0)
        return NULL;
    if (store_exec(twin, sql, &ignored) == 0) {
        twin->in_read = true;
        return twin;
    }
    store_close(twin);
    return NULL;
}

int store_read_begin_twin(store *st, lz_err *err)
{
    if (st->in_tx || st->in_read)
        return store_read_begin(st, err);
    if (st->pg) {
        int rc = store_read_begin(st, err);
        if (rc == 0)
            st->twin = postgres_twin(st);
        return rc;
    }
    sqlite3 *lock = hold_write_lock(st->path);
    int rc = store_read_begin(st, err);
    if (rc == 0)
        rc = take_snapshot(st, err);
    if (rc == 0 && lock)
        st->twin = open_twin(st);
    release_write_lock(lock);
    if (rc < 0)
        store_read_end(st);
    return rc;
}

store *store_twin(store *st)
{
    return st->twin;
}

int store_version_get(store *st, store_version *v, lz_err *err)
{
    if (st->pg)
        return pg_db_data_version(st->pg, &v->others, &v->own, err);
    sql_stmt *s = store_prepare(st, "PRAGMA data_version", err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sql_step(s);
    v->others = rc == SQL_ROW ? sql_column_int64(s, 0) : 0;
    sql_reset(s);
    if (rc != SQL_ROW)
        return store_sql_error(st, err, "reading the data version");
    v->own = sqlite3_total_changes64(st->db);
    return 0;
}

bool store_version_equal(const store_version *x, const store_version *y)
{
    return x->others == y->others && x->own == y->own;
}

int store_begin(store *st, lz_err *err)
{
    store_read_end(st);
    if (st->in_tx)
        return err_set(err, LZ_EINTERNAL, "a transaction is already open");
    if ((st->pg ? pg_begin_write(st->pg, err) : store_exec(st, "BEGIN IMMEDIATE", err)) < 0)
        return err_wrap(err, "starting a write");
    st->in_tx = true;
    return 0;
}

int store_begin_unchecked(store *st, lz_err *err)
{
    if (st->pg)
        return store_begin(st, err); /* references are checked at the commit, once per row */
    /* The pragma is a no-op inside a transaction, so it goes first. */
    if (store_exec(st, "PRAGMA foreign_keys=OFF", err) < 0)
        return LZ_EINTERNAL;
    st->fk_off = true;
    int rc = store_begin(st, err);
    if (rc < 0)
        store_rollback(st);
    return rc;
}

static void restore_foreign_keys(store *st)
{
    if (st->fk_off)
        sqlite3_exec(st->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    st->fk_off = false;
}

/* Before COMMIT: the packs of the indicators this transaction wrote, rebuilt in it. */
static int rebuild_due_packs(store *st, lz_err *err)
{
    return st->packs_due && indicator_packs_due_any(st->packs_due) ? indicator_packs_due_rebuild(st, st->packs_due, err) : 0;
}

int store_commit(store *st, lz_err *err)
{
    if (rebuild_due_packs(st, err) < 0) {
        store_rollback(st);
        return err_wrap(err, "committing");
    }
    if (store_exec(st, "COMMIT", err) < 0) {
        store_rollback(st);
        return err_wrap(err, "committing");
    }
    st->in_tx = false;
    restore_foreign_keys(st);
    return 0;
}

void store_rollback(store *st)
{
    if (st->packs_due)
        indicator_packs_due_forget(st->packs_due);
    if (st->in_tx)
        store_exec(st, "ROLLBACK", NULL);
    st->in_tx = false;
    restore_foreign_keys(st);
}

bool store_in_transaction(const store *st)
{
    return st->in_tx;
}

/* ---- generated SQL per table ----------------------------------------------------------------- */

enum { SQL_INSERT, SQL_UPDATE, SQL_GET, SQL_DELETE, SQL_GET_MANY, SQL_OPS };
static const char *sql_for(const table *t, int op);

void store_append_columns(strbuf *b, const table *t, const char *prefix)
{
    for (size_t i = 0; i < t->ncols; i++)
        strbuf_printf(b, "%s%s\"%s\"", i ? ", " : "", prefix, t->cols[i].name);
}

void store_append_key_columns(strbuf *b, const table *t)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(t, idx);
    for (size_t k = 0; k < nk; k++)
        strbuf_printf(b, "%s\"%s\"", k ? ", " : "", t->cols[idx[k]].name);
}

static void append_key_match(strbuf *b, const table *t, int first_param)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(t, idx);
    for (size_t k = 0; k < nk; k++)
        strbuf_printf(b, "%s\"%s\" = ?%d", k ? " AND " : "", t->cols[idx[k]].name, first_param + (int)k);
}

static char *sql_insert(const table *t)
{
    strbuf b;
    strbuf_init(&b);
    strbuf_printf(&b, "INSERT INTO \"%s\" (", t->name);
    store_append_columns(&b, t, "");
    strbuf_puts(&b, ") VALUES (");
    for (size_t i = 0; i < t->ncols; i++)
        strbuf_printf(&b, "%s?%zu", i ? ", " : "", i + 1);
    strbuf_puts(&b, ") ON CONFLICT DO NOTHING");
    return strbuf_detach(&b);
}

/* UPDATE binds the row in column order (?1..?n), and the key parameters are those same numbers. */
static char *sql_update(const table *t)
{
    strbuf b;
    strbuf_init(&b);
    strbuf_printf(&b, "UPDATE \"%s\" SET ", t->name);
    bool first = true;
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].flags & COLF_KEY)
            continue;
        strbuf_printf(&b, "%s\"%s\" = ?%zu", first ? "" : ", ", t->cols[i].name, i + 1);
        first = false;
    }
    strbuf_puts(&b, " WHERE ");
    for (size_t i = 0, k = 0; i < t->ncols; i++)
        if (t->cols[i].flags & COLF_KEY)
            strbuf_printf(&b, "%s\"%s\" = ?%zu", k++ ? " AND " : "", t->cols[i].name, i + 1);
    return strbuf_detach(&b);
}

static int step_done(store *st, sql_stmt *s, lz_err *err, const char *what)
{
    int rc = sql_step(s);
    sql_reset(s);
    if (rc != SQL_DONE)
        return store_sql_error(st, err, what);
    return 0;
}

static int run_with_row(store *st, const char *sql, const table *t, const cell *row, lz_err *err, const char *what)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    for (size_t i = 0; i < t->ncols; i++)
        store_bind_cell(s, (int)i + 1, &row[i]);
    return step_done(st, s, err, what);
}

/* Generated once per process (the descriptors are static) and shared by every connection. */
static char *table_sql[32][SQL_OPS];
static pthread_once_t table_sql_once = PTHREAD_ONCE_INIT;

static char *sql_by_key(const table *t, const char *verb)
{
    strbuf b;
    strbuf_init(&b);
    if (strcmp(verb, "SELECT") == 0) {
        strbuf_puts(&b, "SELECT ");
        store_append_columns(&b, t, "");
        strbuf_printf(&b, " FROM \"%s\" WHERE ", t->name);
    } else {
        strbuf_printf(&b, "DELETE FROM \"%s\" WHERE ", t->name);
    }
    append_key_match(&b, t, 1);
    return strbuf_detach(&b);
}

/* SELECT the columns WHERE (keys) IN (VALUES (CAST(?1 AS type), ...), ...): STORE_GET_MANY_MAX
 * keys, the unused ones NULL (which match nothing), so that one statement serves every batch. The
 * casts give PostgreSQL the parameters' types, which a VALUES list would otherwise take for text. */
static char *sql_get_many(const table *t)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(t, idx);
    strbuf b;
    strbuf_init(&b);
    strbuf_puts(&b, "SELECT ");
    store_append_columns(&b, t, "");
    strbuf_printf(&b, " FROM \"%s\" WHERE (", t->name);
    store_append_key_columns(&b, t);
    strbuf_puts(&b, ") IN (VALUES ");
    for (size_t r = 0, p = 1; r < STORE_GET_MANY_MAX; r++) {
        strbuf_puts(&b, r ? ", (" : "(");
        for (size_t k = 0; k < nk; k++, p++)
            strbuf_printf(&b, "%sCAST(?%zu AS %s)", k ? ", " : "", p, store_pg_value_type(&t->cols[idx[k]]));
        strbuf_putc(&b, ')');
    }
    strbuf_putc(&b, ')');
    return strbuf_detach(&b);
}

static char *sql_ref(const column *c, bool scoped);
static char *ref_sql[TABLES_MAX][TABLES_MAX_COLS][2];

static void build_table_sql(void)
{
    for (size_t i = 0; i < tables_count; i++) {
        for (size_t c = 0; c < tables_all[i]->ncols; c++) {
            const column *col = &tables_all[i]->cols[c];
            if (col->ref_table) {
                ref_sql[i][c][0] = sql_ref(col, false);
                ref_sql[i][c][1] = col->ref_scope ? sql_ref(col, true) : NULL;
            }
        }
        table_sql[i][SQL_INSERT] = sql_insert(tables_all[i]);
        table_sql[i][SQL_UPDATE] = sql_update(tables_all[i]);
        table_sql[i][SQL_GET] = sql_by_key(tables_all[i], "SELECT");
        table_sql[i][SQL_DELETE] = sql_by_key(tables_all[i], "DELETE");
    }
}

static const char *sql_for(const table *t, int op)
{
    pthread_once(&table_sql_once, build_table_sql);
    for (size_t i = 0; i < tables_count; i++)
        if (tables_all[i] == t)
            return table_sql[i][op];
    abort(); /* a table outside the contract: a programming error */
}

/* Apart: 500 keys a query make tens of kilobytes of SQL a table, which only PostgreSQL's imports
 * use; every SQLite command would pay milliseconds for them. */
static pthread_once_t get_many_once = PTHREAD_ONCE_INIT;

static void build_get_many_sql(void)
{
    for (size_t i = 0; i < tables_count; i++)
        table_sql[i][SQL_GET_MANY] = sql_get_many(tables_all[i]);
}

const char *store_get_many_sql(const table *t)
{
    pthread_once(&get_many_once, build_get_many_sql);
    return sql_for(t, SQL_GET_MANY);
}

/* Whether writing t's rows must keep the indicators' packs (indicator_packs.h): on SQLite, for
 * indicators. */
static bool keeps_packs(const store *st, const table *t)
{
    return !st->pg && indicator_packs_cover(t);
}

/* A row of indicators (its cells, or its key's when `key`) written: its packs are due at the
 * commit. */
static void note_packed_row(store *st, const table *t, const cell *row, bool key)
{
    if (st->packs_suspended)
        return;
    if (!st->packs_due)
        st->packs_due = indicator_packs_due_new();
    indicator_packs_due_note(st->packs_due, t, row, key);
}

/* Runs fn in a transaction of its own. */
static int in_transaction(store *st, int (*fn)(store *st, lz_err *err), lz_err *err)
{
    int rc = store_begin(st, err);
    if (rc == 0 && (rc = fn(st, err)) == 0)
        return store_commit(st, err);
    store_rollback(st);
    return rc;
}

static int drop_packs(store *st, lz_err *err)
{
    return store_exec(st, "DELETE FROM \"indicator_packs\"", err);
}

int store_packs_suspend(store *st, lz_err *err)
{
    if (st->pg)
        return 0;
    st->packs_suspended = true;
    return in_transaction(st, drop_packs, err);
}

int store_packs_resume(store *st, lz_err *err)
{
    if (st->pg || !st->packs_suspended)
        return 0;
    st->packs_suspended = false;
    return in_transaction(st, indicator_packs_rebuild_all, err);
}

static int upsert_row(store *st, const table *t, const cell *row, bool *inserted, lz_err *err)
{
    int rc = run_with_row(st, sql_for(t, SQL_INSERT), t, row, err, t->name);
    if (rc < 0)
        return rc;
    bool was_new = store_changes(st) > 0;
    if (!was_new && (rc = run_with_row(st, sql_for(t, SQL_UPDATE), t, row, err, t->name)) < 0)
        return rc;
    if (inserted)
        *inserted = was_new;
    return 0;
}

/* Before a write of t's row (its cells, or its key's when `key`): a row of indicators is noted
 * for its packs, in a transaction of its own (*own) when none is open, so that its packs are
 * rebuilt with it. */
static int before_write(store *st, const table *t, const cell *row, bool key, bool *own, lz_err *err)
{
    *own = keeps_packs(st, t) && !st->in_tx;
    int rc = *own ? store_begin(st, err) : 0;
    if (rc == 0 && keeps_packs(st, t))
        note_packed_row(st, t, row, key);
    return rc;
}

/* Ends a transaction before_write began as the write alone would have ended: a reference
 * checked at the commit (they are deferred) fails as the row's conflict, named by its table. */
static int end_own_transaction(store *st, const table *t, bool own, int rc, lz_err *err)
{
    if (!own)
        return rc;
    if (rc == 0)
        rc = rebuild_due_packs(st, err);
    if (rc == 0 && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = store_sql_error(st, err, t->name);
    if (rc < 0) {
        store_rollback(st);
        return rc;
    }
    st->in_tx = false;
    return 0;
}

int store_upsert(store *st, const table *t, const cell *row, bool *inserted, lz_err *err)
{
    bool own;
    int rc = before_write(st, t, row, false, &own, err);
    return rc < 0 ? rc : end_own_transaction(st, t, own, upsert_row(st, t, row, inserted, err), err);
}

/* The lookup for a reference column: unscoped, or scoped by the referenced row's ref_scope too. */

static char *sql_ref(const column *c, bool scoped)
{
    strbuf b;
    strbuf_init(&b);
    strbuf_printf(&b, "SELECT 1 FROM \"%s\" WHERE \"%s\" = ?1", c->ref_table, c->ref_column);
    if (scoped)
        strbuf_printf(&b, " AND \"%s\" = ?2", c->ref_scope);
    return strbuf_detach(&b);
}

static const char *ref_sql_for(const column *c, bool scoped)
{
    pthread_once(&table_sql_once, build_table_sql);
    for (size_t i = 0; i < tables_count; i++) {
        const table *t = tables_all[i];
        if (c >= t->cols && c < t->cols + t->ncols)
            return ref_sql[i][c - t->cols][scoped];
    }
    abort(); /* a column outside the contract: a programming error */
}

int store_ref_exists(store *st, const column *c, const char *value, const char *scope_value, bool *exists, lz_err *err)
{
    bool scoped = c->ref_scope && scope_value;
    sql_stmt *s = store_prepare(st, ref_sql_for(c, scoped), err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, value, -1);
    if (scoped)
        sql_bind_text(s, 2, scope_value, -1);
    int rc = sql_step(s);
    int finished = store_read_finish(st, s, rc, err, "checking a reference");
    if (finished < 0)
        return finished;
    *exists = rc == SQL_ROW;
    return 0;
}

static void bind_key(sql_stmt *s, const table *t, const cell *key)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(t, idx);
    for (size_t k = 0; k < nk; k++)
        store_bind_cell(s, (int)k + 1, &key[k]);
}

int store_get(store *st, const table *t, const cell *key, arena *a, cell *row, bool *found, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql_for(t, SQL_GET), err);
    if (!s)
        return LZ_EINTERNAL;
    bind_key(s, t, key);
    int rc = sql_step(s);
    *found = rc == SQL_ROW;
    if (*found) {
        for (size_t i = 0; i < t->ncols; i++) {
            row[i] = store_column_cell(s, (int)i);
            if (row[i].kind == CELL_TEXT)
                row[i].s = arena_strndup(a, row[i].s, row[i].n);
        }
    }
    return store_read_finish(st, s, rc, err, t->name);
}

int store_ref_name(store *st, const column *c, const cell *v, arena *a, const char **name, lz_err *err)
{
    const table *rt;
    int ni = v->kind == CELL_NULL ? -1 : column_ref_name(c, &rt);
    *name = NULL;
    if (ni < 0)
        return 0;
    cell row[TABLES_MAX_COLS];
    bool found = false;
    if (store_get(st, rt, v, a, row, &found, err) < 0)
        return LZ_EINTERNAL;
    if (found && row[ni].kind == CELL_TEXT)
        *name = row[ni].s;
    return 0;
}

static int names_load(store *st, lz_err *err)
{
    sql_stmt *s = store_prepare_scan(st, "SELECT \"uscc\", \"name\" FROM \"enterprises\"", err);
    if (!s)
        return LZ_EINTERNAL;
    name_cache *c = &st->names;
    arena_init(&c->text, 1 << 20);
    c->loaded = true;
    size_t cap = 0, n = 0;
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            c->names = xrealloc(c->names, cap * sizeof *c->names);
        }
        const char *uscc = arena_strndup(&c->text, sql_column_text(s, 0), (size_t)sql_column_bytes(s, 0));
        c->names[n] = arena_strndup(&c->text, sql_column_text(s, 1), (size_t)sql_column_bytes(s, 1));
        strmap_put(&c->index, uscc, strlen(uscc), (int32_t)n);
        n++;
    }
    return store_read_finish(st, s, rc, err, "reading the enterprises' names");
}

/* On PostgreSQL a lookup is a round trip: a snapshot that asks for many names (a year's awards as
 * CSV) reads them all at once instead, and answers the rest from memory. */
static int cached_name(store *st, const char *uscc, arena *a, const char **name, bool *answered, lz_err *err)
{
    *answered = false;
    if (!st->pg || !st->in_read)
        return 0;
    if (!st->names.loaded && ++st->names.lookups > NAME_LOOKUPS_BEFORE_LOAD && names_load(st, err) < 0)
        return LZ_EINTERNAL;
    if (!st->names.loaded)
        return 0;
    int32_t i = strmap_get(&st->names.index, uscc, strlen(uscc));
    *name = i >= 0 ? arena_strndup(a, st->names.names[i], strlen(st->names.names[i])) : NULL;
    *answered = true;
    return 0;
}

int store_enterprise_name(store *st, const char *uscc, arena *a, const char **name, lz_err *err)
{
    *name = NULL;
    bool answered;
    if (cached_name(st, uscc, a, name, &answered, err) < 0 || answered)
        return answered ? 0 : LZ_EINTERNAL;
    sql_stmt *s = store_prepare(st, "SELECT \"name\" FROM \"enterprises\" WHERE \"uscc\" = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, uscc, -1);
    int rc = sql_step(s);
    const char *t = rc == SQL_ROW ? (const char *)sql_column_text(s, 0) : NULL;
    if (t)
        *name = arena_strndup(a, t, (size_t)sql_column_bytes(s, 0));
    sql_reset(s);
    return rc == SQL_ROW || rc == SQL_DONE ? 0 : store_sql_error(st, err, "reading an enterprise's name");
}

/* The first table with a row whose reference points at this key, for a refusal message. */
static const char *referenced_by(store *st, const table *t, const cell *key)
{
    int idx[TABLES_MAX_KEY];
    if (table_key_columns(t, idx) != 1)
        return NULL;
    const char *keycol = t->cols[idx[0]].name;
    for (size_t i = 0; i < tables_count; i++) {
        const table *other = tables_all[i];
        for (size_t c = 0; c < other->ncols; c++) {
            const column *col = &other->cols[c];
            if (!col->ref_table || strcmp(col->ref_table, t->name) != 0 || strcmp(col->ref_column, keycol) != 0 ||
                col->type == COL_LIST)
                continue;
            char sql[256];
            snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" WHERE \"%s\" = ?1 LIMIT 1", other->name, col->name);
            sql_stmt *s = store_prepare(st, sql, NULL);
            if (!s)
                continue;
            store_bind_cell(s, 1, &key[0]);
            int rc = sql_step(s);
            sql_reset(s);
            if (rc == SQL_ROW)
                return other->name;
        }
    }
    return NULL;
}

int store_delete(store *st, const table *t, const cell *key, bool *deleted, lz_err *err)
{
    const char *user = referenced_by(st, t, key);
    if (user)
        return err_set(err, LZ_ECONFLICT, "%s: still referenced by rows of %s; remove those first", t->name, user);
    bool own;
    int rc = before_write(st, t, key, true, &own, err);
    if (rc < 0)
        return rc;
    sql_stmt *s = store_prepare(st, sql_for(t, SQL_DELETE), err);
    if (s)
        bind_key(s, t, key);
    rc = s ? step_done(st, s, err, t->name) : LZ_EINTERNAL;
    if (s && rc == 0)
        *deleted = store_changes(st) > 0;
    return end_own_transaction(st, t, own, rc, err);
}
