/*
 * store_impl — private to src/store/: the statement cache that the table families (audit, ledger,
 * facts, accounts, ...) use to run their own SQL through sql.h, whichever the database, and the
 * SQLite handle for what only SQLite does (its online backup, `migrate`'s SQLite side). Nothing
 * outside src/store/ includes this file but the store's unit tests, which reach the connection
 * itself (to count rows in SQL, to give up waiting for a lock at once).
 */
#ifndef LZ_STORE_IMPL_H
#define LZ_STORE_IMPL_H

#include <sqlite3.h>

#include "store/sql.h"
#include "store/store_pg.h"

#include "store/store.h"

/* The id a new row of an auto-numbered table (an id column of type STORE_ID) gets, as SQL: one
 * more than the largest, which is what SQLite gives a row inserted without one. Written out in
 * every such INSERT so that PostgreSQL numbers rows alike: its identity would spend a number on
 * every insert that fails or meets ON CONFLICT, and the ids, shown and exported, would differ
 * between the backends. Writers are serialised (store_begin), so no two rows take the same. */
#define STORE_NEXT_ID(table) "(SELECT COALESCE(max(id), 0) + 1 FROM " table ")"

/* The SQLite connection; NULL on PostgreSQL. */
sqlite3 *store_db(store *st);
/* The PostgreSQL connection; NULL on SQLite. */
pg_db *store_pg(store *st);
/* Whether st is a PostgreSQL database. */
bool store_is_postgres(const store *st);
/* A prepared statement for sql, cached on the store by the sql pointer and text, reset and with
 * its bindings cleared, ready to bind. Owned by the store: never finalize it.
 *
 * The caller uses it until it resets it (or steps it to its end): bind and step it at once, then
 * sql_reset it, on errors too. From its first step to that reset it is in use, and the cache
 * neither finalizes it nor hands it out again, so code run between two steps (a row callback)
 * may prepare and run any statement, the same SQL included (it gets a statement of its own).
 * Before its first step it is only the most recently handed out, evicted last: do not prepare a
 * hundred others in between. NULL with err set when it cannot be prepared, or when every cached
 * statement is in use. */
sql_stmt *store_prepare(store *st, const char *sql, lz_err *err);
/* The rows the last INSERT, UPDATE or DELETE changed. */
int64_t store_changes(store *st);
/* Whether the last statement failed on a constraint (a unique key, a check). */
bool store_constraint_failed(store *st);
/* The number of the statement's highest parameter. */
int sql_bind_parameter_count(sql_stmt *s);
/* SQLite's page cache for this connection, in KiB (PostgreSQL's is the server's: nothing to do). */
int store_cache_kib(store *st, int kib, lz_err *err);
/* store_prepare for a read of many rows (a whole table): on PostgreSQL, inside a snapshot or a
 * write, its rows come through a cursor a batch at a time rather than all at its first step. */
sql_stmt *store_prepare_scan(store *st, const char *sql, lz_err *err);
/* Runs SQL with no results (DDL, pragmas). */
int store_exec(store *st, const char *sql, lz_err *err);
/* Fills err from the connection's last error, with context, and returns LZ_EINTERNAL
 * (or LZ_ECONFLICT for constraint violations). */
int store_sql_error(store *st, lz_err *err, const char *context);
/* Resets a read's statement after its last step returned rc: 0 when that was a row (stopped
 * early) or the end, else the connection's error as store_sql_error gives it. */
int store_read_finish(store *st, sql_stmt *s, int rc, lz_err *err, const char *context);
/* A large table read in parts, each on a connection of its own: a part is the rows in [lo, hi] of
 * the table's storage order, SQLite's rowids or PostgreSQL's pages (rows by their ctid's page).
 * A statement reading a part adds the condition of its database, its bounds parameters
 * STORE_PART_PARAM and the one after, bound by store_bind_part. */
#define STORE_PART_PARAM 4
#define STORE_PART_SQLITE " AND rowid BETWEEN ?4 AND ?5"
#define STORE_PART_POSTGRES " AND ctid >= ?4 AND ctid < ?5"
/* Where the table's storage order ends: its highest rowid (0 when empty), or its last page. */
int store_table_extent(store *st, const char *table_name, int64_t *last, lz_err *err);
void store_bind_part(store *st, sql_stmt *s, int64_t lo, int64_t hi);
/* Appends t's column names, quoted, each after prefix, separated by ", ". */
void store_append_columns(strbuf *b, const table *t, const char *prefix);
/* Appends t's key column names (table_key_columns), quoted, separated by ", ". */
void store_append_key_columns(strbuf *b, const table *t);
/* The query store_get_many runs on PostgreSQL for t: SELECT every column WHERE (key) IN (VALUES
 * ...) of STORE_GET_MANY_MAX keys, ?1 onwards, the key's cells one key after the other. Generated
 * at its first use, beside the store's other per-table SQL. */
const char *store_get_many_sql(const table *t);
/* Binds a cell to parameter i (1-based). */
void store_bind_cell(sql_stmt *s, int i, const cell *c);
/* Reads column i of the current row as a cell (text borrowed from the statement). */
cell store_column_cell(sql_stmt *s, int i);

/* Gives a finished copy its name: flushes the closed file partial to disk, then renames it to
 * dest (backup, pg_copy). On error partial stays; the caller removes it. */
int store_file_publish(const char *partial, const char *dest, lz_err *err);

/* Schema migrations. Each family of tables adds one entry to the list in schema.c; a migration
 * runs once, in order, inside the upgrade transaction. */
typedef struct store_migration {
    int version;
    const char *what;
    int (*apply)(store *st, lz_err *err);
    bool declared; /* generated from the descriptors (schema.h renders it for every dialect) */
} store_migration;

int store_schema_upgrade(store *st, bool create, lz_err *err);

#endif
