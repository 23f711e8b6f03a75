/*
 * pg_copy — a whole Lianzhang database copied between SQLite and PostgreSQL, in either direction,
 * value for value (`lianzhang migrate`), by COPY in both directions; its connections come from
 * pg_conn.h, as the store's own PostgreSQL backend's do (store_pg.h).
 *
 * The tables copied are every table of the latest schema (the data contract of model/tables.h and
 * the families declared in src/store/, schema.h), with every column, ids included. Each column's
 * kind says how its text travels:
 *   integers, money, decimals, booleans  SQLite INTEGER       <-> bigint / smallint, the same integer
 *   text, codes, lists, enumerations     SQLite TEXT          <-> text, byte for byte (NULL stays NULL,
 *                                                                 '' stays ''); no NUL byte, valid UTF-8
 *   dates                                "YYYY-MM-DD"         <-> date
 *   timestamps                           "YYYY-MM-DDTHH:MM:SSZ", or with ".mmm" milliseconds where the
 *                                        declaration says STORE_MILLIS (the audit log's `at`, which its
 *                                        hash chain covers)  <-> timestamptz, written back in that text
 * A value that would not come back as the same text (a timestamp in another format, an impossible
 * date, text in an integer column, a NUL byte, invalid UTF-8, a fraction of a second where the
 * column has none) is refused, with the table, the row's key and the column, never changed.
 *
 * A PostgreSQL database is named by a URL (postgres://user@host:port/dbname or postgresql://...)
 * or a libpq connection string (anything with '=' in it: "host=/run/pg dbname=lianzhang"); what
 * it leaves out comes from the PG* environment variables, as libpq does it. Anything else is the
 * path of a SQLite file. The tables go into (and come from) the connection's current schema
 * (the first of its search_path, normally "public").
 *
 * Ownership: the functions borrow their arguments; nothing they return needs freeing.
 */
#ifndef LZ_PG_COPY_H
#define LZ_PG_COPY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* Whether name names a PostgreSQL database (a postgres:// or postgresql:// URL, or a connection
 * string with '=') rather than a SQLite file. */
bool pg_copy_is_postgres(const char *name);

/* What a copy did. database names the PostgreSQL side without its password. */
typedef struct pg_copy_report {
    char database[256];
    int tables;
    int64_t rows;
} pg_copy_report;

/* Copies every table of src (a SQLite store at this binary's schema version) into the PostgreSQL
 * database named by conninfo, which must hold none of Lianzhang's tables (refused, naming those it
 * has). The reads are one snapshot of src (store_read_begin); the writes one PostgreSQL
 * transaction: the latest schema with its version (store_schema_render_latest), its foreign keys set
 * aside, every table by COPY, the foreign keys put back (which checks every reference), each
 * identity moved past the highest id, then commit. On any error the transaction rolls
 * back and the database is as it was. Errors: LZ_EINPUT for a bad name, a database that cannot be
 * reached or is not empty, a value that would not survive; LZ_EINTERNAL otherwise. */
int pg_copy_to_postgres(store *src, const char *conninfo, pg_copy_report *report, lz_err *err);

/* Copies every table of the PostgreSQL database named by conninfo, whose recorded schema version
 * must be this binary's, into the new SQLite file dest (refused when it exists). The file is made
 * by store_open(STORE_CREATE) under dest.partial, filled in one SQLite transaction from one
 * PostgreSQL snapshot (REPEATABLE READ), flushed to disk and only then renamed to dest: a failed
 * or interrupted copy leaves no dest. Errors as pg_copy_to_postgres. */
int pg_copy_from_postgres(const char *conninfo, const char *dest, pg_copy_report *report, lz_err *err);

#endif
