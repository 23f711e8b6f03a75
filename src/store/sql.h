/*
 * sql — one prepared statement, whichever database runs it: private to src/store/.
 *
 * The store's families (audit, ledger, accounts, the analyses' reads, ...) write their SQL once
 * and run it through these calls; a statement is SQLite's own (sqlite3_stmt) or PostgreSQL's
 * (store_pg.h: the statement's rows fetched at its first step), and each call goes to the one it
 * is. The calls mirror SQLite's: bind 1-based parameters, step to SQL_ROW until SQL_DONE, read
 * 0-based columns, reset.
 *
 * The SQL is written for both: parameters as ?1, ?2, ... (or a bare ?, numbered in order), which
 * PostgreSQL's statements get as $1, $2, ...; group_concat(x, sep), which PostgreSQL runs as
 * string_agg; a parameter that may be NULL tested after its use ("x = ?1 OR ?1 IS NULL", as
 * PostgreSQL infers its type from the first). Bound text is not copied by SQLite: it must stay valid until
 * the statement is reset (sql_bind_text_copy copies it). Column text is borrowed from the
 * statement until its next step or reset.
 */
#ifndef LZ_SQL_H
#define LZ_SQL_H

#include <sqlite3.h>
#include <stdint.h>

typedef struct pg_stmt pg_stmt;

/* Exactly one of the two is set. */
typedef struct sql_stmt {
    sqlite3_stmt *lite;
    pg_stmt *pg;
} sql_stmt;

/* What sql_step returns besides an error (any other value: the store's error tells which). */
enum { SQL_ROW = SQLITE_ROW, SQL_DONE = SQLITE_DONE };
/* A column's value, as sql_column_type tells it: an integer, text (dates and timestamps
 * included), or NULL. */
enum { SQL_INTEGER = SQLITE_INTEGER, SQL_TEXT = SQLITE_TEXT, SQL_NULL = SQLITE_NULL };

int pg_stmt_step(pg_stmt *s);
void pg_stmt_reset(pg_stmt *s);
void pg_stmt_bind_text(pg_stmt *s, int i, const char *v, int n);
void pg_stmt_bind_int64(pg_stmt *s, int i, int64_t v);
void pg_stmt_bind_null(pg_stmt *s, int i);
int pg_stmt_column_type(pg_stmt *s, int i);
int64_t pg_stmt_column_int64(pg_stmt *s, int i);
const char *pg_stmt_column_text(pg_stmt *s, int i);
int pg_stmt_column_bytes(pg_stmt *s, int i);
int pg_stmt_column_count(pg_stmt *s);

static inline int sql_step(sql_stmt *s)
{
    return s->lite ? sqlite3_step(s->lite) : pg_stmt_step(s->pg);
}

static inline void sql_reset(sql_stmt *s)
{
    if (s->lite)
        sqlite3_reset(s->lite);
    else
        pg_stmt_reset(s->pg);
}

/* n < 0: up to the NUL. A NULL v binds NULL. */
static inline void sql_bind_text(sql_stmt *s, int i, const char *v, int n)
{
    if (s->lite)
        sqlite3_bind_text(s->lite, i, v, n, SQLITE_STATIC);
    else
        pg_stmt_bind_text(s->pg, i, v, n);
}

/* For text that dies before the statement is reset. */
static inline void sql_bind_text_copy(sql_stmt *s, int i, const char *v, int n)
{
    if (s->lite)
        sqlite3_bind_text(s->lite, i, v, n, SQLITE_TRANSIENT);
    else
        pg_stmt_bind_text(s->pg, i, v, n);
}

static inline void sql_bind_int64(sql_stmt *s, int i, int64_t v)
{
    if (s->lite)
        sqlite3_bind_int64(s->lite, i, v);
    else
        pg_stmt_bind_int64(s->pg, i, v);
}

static inline void sql_bind_int(sql_stmt *s, int i, int v)
{
    sql_bind_int64(s, i, v);
}

static inline void sql_bind_null(sql_stmt *s, int i)
{
    if (s->lite)
        sqlite3_bind_null(s->lite, i);
    else
        pg_stmt_bind_null(s->pg, i);
}

static inline int sql_column_type(sql_stmt *s, int i)
{
    if (!s->lite)
        return pg_stmt_column_type(s->pg, i);
    int t = sqlite3_column_type(s->lite, i);
    return t == SQLITE_FLOAT || t == SQLITE_BLOB ? SQL_TEXT : t;
}

static inline int64_t sql_column_int64(sql_stmt *s, int i)
{
    return s->lite ? sqlite3_column_int64(s->lite, i) : pg_stmt_column_int64(s->pg, i);
}

static inline int sql_column_int(sql_stmt *s, int i)
{
    return (int)sql_column_int64(s, i);
}

/* NULL for a NULL value. */
static inline const char *sql_column_text(sql_stmt *s, int i)
{
    return s->lite ? (const char *)sqlite3_column_text(s->lite, i) : pg_stmt_column_text(s->pg, i);
}

static inline int sql_column_bytes(sql_stmt *s, int i)
{
    return s->lite ? sqlite3_column_bytes(s->lite, i) : pg_stmt_column_bytes(s->pg, i);
}

static inline int sql_column_count(sql_stmt *s)
{
    return s->lite ? sqlite3_column_count(s->lite) : pg_stmt_column_count(s->pg);
}

#endif
