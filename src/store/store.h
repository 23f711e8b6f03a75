/*
 * store — the database behind Lianzhang, and the only layer that speaks SQL.
 *
 * The interface is backend-neutral: callers see tables, cells and queries, never SQL or driver
 * types, so a PostgreSQL backend can stand beside the SQLite one without touching the layers above.
 * The SQL itself is portable (row values, ON CONFLICT upserts, no SQLite-only functions) except
 * where a file says otherwise.
 *
 * SQLite: WAL journal, foreign keys on, one connection per thread (a `store` is not shared between
 * threads; open one per thread on the same file). Writes happen inside store_begin/store_commit;
 * a crash at any point leaves the database as of the last commit.
 *
 * Ownership: a `store` owns its prepared statements, and never finalizes one a caller is still
 * stepping; cells handed to callbacks point into the driver's memory and are valid only during
 * the callback.
 */
#ifndef LZ_STORE_H
#define LZ_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/tables.h"

typedef struct store store;

enum store_open_flags {
    STORE_CREATE = 1 << 0,     /* create the file (and schema) if missing; without it a missing file is an error */
    STORE_READONLY = 1 << 1,   /* reader connection: no schema upgrade, no writes */
    STORE_SHORT_WAIT = 1 << 2, /* wait only STORE_SHORT_WAIT_MS for another writer's lock, then fail with LZ_EBUSY
                                  (the server answers 503 rather than hold a worker); otherwise STORE_WAIT_MS */
    STORE_MAPPED = 1 << 3,     /* with STORE_READONLY: read the file through a memory map, for a run that reads large
                                  parts of it once (the analyses of every chain); mapped pages count as resident */
};

#define STORE_WAIT_MS 5000
#define STORE_SHORT_WAIT_MS 300

/* The schema version this binary writes. Opening an older file upgrades it in place (in one
 * transaction); a newer file is refused with a message naming both versions. */
int store_schema_version_latest(void);

/* A database is a SQLite file's path, or a PostgreSQL database's URL (postgres://...,
 * postgresql://...) or libpq connection string (anything with '=' in it), see pg_copy.h. On
 * PostgreSQL, STORE_CREATE makes the schema in a database that must hold none yet (`init`, `demo`);
 * STORE_MAPPED means nothing; a snapshot's twin is a second connection that adopts its exported
 * snapshot. store_path then names the database without its password. */
int store_open(store **out, const char *path, int flags, lz_err *err);
/* name as messages and the audit log may show it: a PostgreSQL URL or connection string without
 * its password, a path as it is. */
void store_shown_name(const char *name, char *out, size_t len);
void store_close(store *st);

/* Copies the database to the new file dest as one consistent moment, while other connections go
 * on reading and writing (SQLite's online backup); refuses a dest that exists, and a PostgreSQL
 * database (LZ_EINPUT: pg_dump is its tool). The copy appears under dest only once complete and on
 * disk. */
int store_backup(store *st, const char *dest, lz_err *err);
/* Removes a database file and the files SQLite keeps beside it (-wal, -shm, -journal). */
void store_remove_files(const char *path);
int store_schema_version(store *st);
const char *store_path(const store *st);

/* A snapshot for a run of reads (one API request): the statements between store_read_begin and
 * store_read_end share one read transaction instead of taking the database's read lock one by
 * one. store_begin ends a snapshot that is still open before it starts its write. */
int store_read_begin(store *st, lz_err *err);
void store_read_end(store *st);

/* A snapshot with a twin: store_read_begin, and a second read-only connection that sees exactly
 * the same moment, for one large read split over two threads. Both snapshots start while the write
 * lock is held for an instant, so that no commit lands between them. When the lock is not free at
 * once (another connection is writing) or the file cannot be written, or inside a snapshot or a
 * write that has begun already, there is no twin and the reads stay on st. On PostgreSQL the twin
 * adopts the snapshot st exports (pg_export_snapshot): no lock, and no writer in the way. */
int store_read_begin_twin(store *st, lz_err *err);
/* The twin of st's snapshot, or NULL. Owned by st and closed when the snapshot ends (store_read_end,
 * store_begin, store_close); one thread at a time may use it. */
store *store_twin(store *st);

/* What a connection knows of the database's changes: `others` moves when another connection (of
 * this process or any other) has committed since this one last looked, `own` when this connection
 * changed rows. Read inside a snapshot (after store_read_begin): two equal versions on the same
 * connection mean the two snapshots hold the same data. */
typedef struct store_version {
    int64_t others, own;
} store_version;
int store_version_get(store *st, store_version *v, lz_err *err);
bool store_version_equal(const store_version *x, const store_version *y);

/* Write transactions. store_begin takes the write lock at once (no upgrade deadlocks). */
int store_begin(store *st, lz_err *err);
/* A write whose references the caller checks itself, row by row with messages (an import): the
 * database's own foreign-key enforcement, which would look every reference up a second time, is
 * off until the commit or rollback. */
int store_begin_unchecked(store *st, lz_err *err);
int store_commit(store *st, lz_err *err);
void store_rollback(store *st);
bool store_in_transaction(const store *st);

/* Inserts row (t->ncols cells, in column order) or, when a row with the same natural key exists,
 * replaces its non-key columns. *inserted (may be NULL) tells which happened. */
int store_upsert(store *st, const table *t, const cell *row, bool *inserted, lz_err *err);

/* Whether the row a reference column points to exists: c->ref_table.c->ref_column = value, and
 * for scoped references (a segment of a chain) c->ref_scope = scope_value too. */
int store_ref_exists(store *st, const column *c, const char *value, const char *scope_value, bool *exists, lz_err *err);

/* A load of indicators in many transactions into a new file (the reference data's chunks): from
 * store_packs_suspend to store_packs_resume no commit keeps the indicators' packs
 * (store/indicator_packs.h), which would rebuild whole years at each. Suspending drops them all,
 * so that the rows are read meanwhile; resuming builds them, in a transaction of its own. Nothing
 * to do on PostgreSQL. */
int store_packs_suspend(store *st, lz_err *err);
int store_packs_resume(store *st, lz_err *err);

/* ---- many rows of one table at once: an import's reads and writes ---- */

/* At most this many keys per store_get_many call. */
#define STORE_GET_MANY_MAX 500

/* Hands fn (see store_row_fn) the stored row of each key of keys that has one: nkeys keys (at most
 * STORE_GET_MANY_MAX), each the table_key_columns(t) cells of a key one after the other, in no
 * particular order. On PostgreSQL one query for them all; on SQLite a lookup per key. */
int store_get_many(store *st, const table *t, const cell *keys, size_t nkeys, int (*fn)(void *ctx, const cell *row), void *ctx,
                   lz_err *err);

/* Rows of one table written as a batch, each inserted or, when its key is stored, put over the
 * stored row (as store_upsert). On PostgreSQL they gather and go by COPY into a temporary table,
 * which store_bulk_finish merges into t in one statement; on SQLite each is written as it comes.
 * Until store_bulk_finish, reads on st may not see the rows added; their keys must differ.
 * Ownership: store_bulk_new's result is freed by store_bulk_free, which drops unfinished rows. */
typedef struct store_bulk store_bulk;
store_bulk *store_bulk_new(store *st, const table *t);
int store_bulk_add(store_bulk *b, const cell *row, lz_err *err);
int store_bulk_finish(store_bulk *b, lz_err *err);
void store_bulk_free(store_bulk *b);

/* ---- queries ---- */

/* How a condition compares: IN its values (the default), or a range against values[0] (one value;
 * NULL cells never match a range). */
typedef enum store_op { STORE_IN = 0, STORE_GE, STORE_LE, STORE_GT, STORE_LT } store_op;

/* One condition: column IN (values) or column OP values[0] (op), or, when via_table is set,
 * column IN (SELECT via_column FROM via_table WHERE via_match IN (values)), narrowed by
 * AND via_only = via_only_value when via_only is set (only confirmed memberships, say).
 * An empty values list matches nothing. Conditions of a query are ANDed. */
typedef struct store_cond {
    const char *column;
    store_op op; /* a range only without via_table */
    const cell *values;
    size_t nvalues;
    const char *via_table, *via_column, *via_match;
    const char *via_only, *via_only_value;
} store_cond;

typedef struct store_query {
    const table *t;
    const store_cond *conds;
    size_t nconds;
    const char *search;   /* substring of any COLF_NAME column (case-insensitive for ASCII), or NULL */
    const char *order_by; /* any column, or NULL for the natural key; the key breaks ties; empty values
                             come first ascending and last descending */
    bool descending;
    const cell *after; /* keyset cursor: [order_by value if set (may be NULL), key cells...] of the last row seen */
    size_t limit;      /* 0: no limit */
} store_query;

/* Called per row with t->ncols cells; return non-zero to stop early (not an error). The cells and
 * their text are borrowed from the driver and die when the callback returns: copy what you keep.
 * The callback may run other reads on the same store (store_get, store_count, store_scan, the
 * ledger's lists), the same query included; it must not write to the table being scanned. */
typedef int (*store_row_fn)(void *ctx, const cell *row);

int store_scan(store *st, const store_query *q, store_row_fn fn, void *ctx, lz_err *err);
/* The rows matching q's conditions (its order and cursor aside), at most q->limit when that is
 * set: counting stops there, so a capped count costs no more than reading that many index entries. */
int store_count(store *st, const store_query *q, int64_t *count, lz_err *err);
/* Fetches the row with the given key cells (in key-column order) into row (t->ncols cells, text
 * copied into a). *found says whether it exists. */
int store_get(store *st, const table *t, const cell *key, arena *a, cell *row, bool *found, lz_err *err);
/* The name of the row that reference column c's value v points to (see column_ref_name), text in
 * a; *name is NULL when c names no row, v is empty or the row does not exist. */
int store_ref_name(store *st, const column *c, const cell *v, arena *a, const char **name, lz_err *err);
/* The name of the enterprise with this USCC, text in a; *name is NULL when there is none. One
 * column through a cached statement: cheap enough to call once per row of a long list (the
 * awards of a year) where store_ref_name would read the whole row. On PostgreSQL, inside a
 * snapshot, the many lookups of such a list read every name once and go on from memory. */
int store_enterprise_name(store *st, const char *uscc, arena *a, const char **name, lz_err *err);
/* Deletes the row with that key. Refused (LZ_ECONFLICT, message naming the referencing table) when
 * other rows still reference it. */
int store_delete(store *st, const table *t, const cell *key, bool *deleted, lz_err *err);

/* Consistency report for `lianzhang check`: appends one line per problem to problems
 * (dangling references, impossible values). Returns 0 when the check could run. */
typedef void (*store_problem_fn)(void *ctx, const char *table, const char *what);
int store_check(store *st, store_problem_fn fn, void *ctx, lz_err *err);

#endif
