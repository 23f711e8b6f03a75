/*
 * pg_conn — connecting to PostgreSQL and reading its errors: private to src/store/, shared by the
 * PostgreSQL backend of store.h (store_pg.c) and `lianzhang migrate` (pg_copy.c).
 *
 * A database is named by a URL (postgres://user@host:port/dbname or postgresql://...) or a libpq
 * connection string (anything with '=' in it); what it leaves out comes from the PG* environment
 * variables, as libpq does it. Messages name the database without its password.
 */
#ifndef LZ_PG_CONN_H
#define LZ_PG_CONN_H

#include <libpq-fe.h>
#include <stddef.h>

#include "core/err.h"
#include "core/strbuf.h"

/* Connects, with the session settings the text of values depends on (UTF-8, UTC, ISO dates).
 * described (may be NULL) gets "PostgreSQL database D on H:P (user U)". NULL with err set
 * (LZ_EINPUT) for a malformed name or a server that cannot be reached. */
PGconn *pg_conn_connect(const char *conninfo, char *described, size_t len, lz_err *err);

/* The session settings the text of values depends on, as pg_conn_connect makes them: again after
 * a connection is made anew (PQreset). */
int pg_conn_session(PGconn *conn, lz_err *err);

/* Fills err from a failed result: the server's message, its detail and where (COPY's table, line
 * and column). A value the data refuses (SQLSTATE classes 22 and 23: a bad value, a check, a
 * reference) is bad input whatever code the caller expected; a lock not granted in time or a
 * serialization failure is LZ_EBUSY. Returns the code. */
int pg_conn_fail(lz_err *err, int code, PGconn *conn, const PGresult *r, const char *context);

/* Runs SQL (one statement or several) whose results are not read. */
int pg_conn_exec(PGconn *conn, const char *sql, const char *context, lz_err *err);

/* conninfo's options but the password, "dbname=x host=y", as messages and logs may show it. */
void pg_conn_redacted(const char *conninfo, char *out, size_t len);

/* libpq's multi-line message as one line: each line break and the indentation after it become
 * one space, and the last one goes. */
void pg_conn_one_line(char *s);

/* COPY ... FROM STDIN in text format: appends a value (n bytes of UTF-8 without NUL) with its
 * backslashes, tabs and line breaks escaped; a NULL is "\\N". */
void pg_conn_copy_text(strbuf *b, const char *text, size_t n);
/* Sends b's rows, if any, and empties b; context names the table in an error. */
int pg_conn_put_copy(PGconn *conn, strbuf *b, const char *context, lz_err *err);
/* Reads the rest of a COPY's results; the first that is not COMMAND_OK fills err (LZ_EINPUT:
 * the server refused a value). */
int pg_conn_copy_result(PGconn *conn, const char *context, lz_err *err);

#endif
