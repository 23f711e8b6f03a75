/*
 * store_pg — the PostgreSQL connection behind a store opened on a URL: private to src/store/.
 * store_sqlite.c keeps the store's front (its statement cache, its transactions' bookkeeping, the
 * generated SQL) and hands what differs to these calls; the statements are sql.h's pg_stmt.
 *
 * A statement is prepared on the server at its first step, with its ?N parameters renumbered $N,
 * and run with its bound values as text (PostgreSQL infers their types from the SQL). Its rows are
 * fetched whole at that first step, so that a row callback may run other statements on the same
 * connection, as it may on SQLite. Values come back as SQLite gives them: integers (smallint to
 * bigint, a whole numeric, a boolean as 0 or 1) as integers, dates as YYYY-MM-DD, timestamps as
 * YYYY-MM-DDTHH:MM:SS[.mmm]Z, the rest as text.
 *
 * Sessions run in UTC with ISO dates. Writes serialise on one advisory lock (pg_begin_write), as
 * SQLite's writers do on its file lock, so that the audit chain grows one entry at a time whatever
 * the number of servers; a writer waits for it at most the store's wait, then gets LZ_EBUSY.
 *
 * Ownership: pg_db_open's result is freed by pg_db_close; a pg_stmt by pg_stmt_free.
 */
#ifndef LZ_STORE_PG_H
#define LZ_STORE_PG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "store/sql.h"

typedef struct pg_db pg_db;

/* Connects to the database named by conninfo (see pg_conn.h), with the store's open flags
 * (STORE_READONLY, STORE_SHORT_WAIT; the others mean nothing here). */
int pg_db_open(pg_db **out, const char *conninfo, int flags, lz_err *err);
void pg_db_close(pg_db *db);
/* The database as messages name it: "PostgreSQL database D on H:P (user U)". */
const char *pg_db_name(const pg_db *db);

pg_stmt *pg_db_prepare(pg_db *db, const char *sql);
void pg_stmt_free(pg_stmt *s);
/* Between its first step and its reset or last row. */
bool pg_stmt_busy(const pg_stmt *s);
/* Whether the statement's rows, when it runs inside a transaction, come through a cursor a batch
 * at a time (a read of a whole table) rather than all at its first step. The next batch is asked
 * for as soon as one arrives and streams in while the caller reads (another statement on the
 * connection first takes it off and keeps it); after the first batch, a cursor whose columns are
 * all integers, booleans or text comes in binary, decoded to the same values. */
void pg_stmt_batched(pg_stmt *s, bool batched);
/* Every parameter back to NULL. */
void pg_stmt_clear(pg_stmt *s);
int pg_stmt_parameter_count(const pg_stmt *s);

/* A read snapshot (REPEATABLE READ), begun at the next statement that is not the data version's
 * read, and its end (COMMIT, or nothing when it never began). */
void pg_begin_read(pg_db *db);
void pg_end_read(pg_db *db);
/* Runs SQL whose results are not read. */
int pg_db_exec(pg_db *db, const char *sql, lz_err *err);
/* Runs copy_sql (COPY ... FROM STDIN, text format) with rows (text rows, emptied) as its data. */
int pg_db_copy_in(pg_db *db, const char *copy_sql, strbuf *rows, const char *context, lz_err *err);
/* A write transaction: BEGIN, then the writers' lock. */
int pg_begin_write(pg_db *db, lz_err *err);
/* Fills err from the last failed statement, with context (LZ_ECONFLICT for a constraint,
 * LZ_EBUSY for a lock not granted in time). */
int pg_db_error(pg_db *db, lz_err *err, const char *context);
/* The rows the last INSERT, UPDATE or DELETE changed. */
int64_t pg_db_changes(const pg_db *db);
bool pg_db_constraint_failed(const pg_db *db);
/* The schema version recorded in the database; 0 when it has no Lianzhang schema, -1 with err
 * set when it cannot be read. */
int pg_db_schema_version(pg_db *db, lz_err *err);
/* What store_version_get gives: others moves after every commit that changed rows, through any
 * connection of any server (the sequence STORE_DATA_VERSION_SEQUENCE); own counts this
 * connection's. */
int pg_db_data_version(pg_db *db, int64_t *others, int64_t *own, lz_err *err);

#endif
