/*
 * bulk — many rows of one table at once (store.h: store_get_many, store_bulk): what an import of
 * thousands of rows needs from the database in a few statements rather than one per row. On
 * SQLite, in the same process, a statement per row costs microseconds and these are loops over
 * store_get and store_upsert; on PostgreSQL every statement is a round trip to the server, so
 * keys are looked up a batch per query and rows travel by COPY.
 */
#include "store/store_impl.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "store/pg_conn.h"

/* COPY data gathered before it is sent: large enough that the round trips do not count. */
#define BULK_SEND_BYTES (4u << 20)

/* ---- store_get_many ----------------------------------------------------------------------------- */

static int get_each(store *st, const table *t, const cell *keys, size_t nkeys, size_t nk, store_row_fn fn, void *ctx, lz_err *err)
{
    arena a;
    arena_init(&a, 4096);
    cell row[TABLES_MAX_COLS];
    int rc = 0;
    for (size_t i = 0; i < nkeys && rc == 0; i++) {
        bool found;
        arena_reset(&a);
        rc = store_get(st, t, keys + i * nk, &a, row, &found, err);
        if (rc == 0 && found)
            fn(ctx, row);
    }
    arena_free(&a);
    return rc;
}

int store_get_many(store *st, const table *t, const cell *keys, size_t nkeys, store_row_fn fn, void *ctx, lz_err *err)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(t, idx);
    if (nkeys > STORE_GET_MANY_MAX)
        return err_set(err, LZ_EINTERNAL, "store_get_many: %zu keys, at most %d", nkeys, STORE_GET_MANY_MAX);
    if (!store_is_postgres(st))
        return get_each(st, t, keys, nkeys, nk, fn, ctx, err);
    sql_stmt *s = store_prepare(st, store_get_many_sql(t), err);
    if (!s)
        return LZ_EINTERNAL;
    for (size_t i = 0; i < nkeys * nk; i++)
        store_bind_cell(s, (int)i + 1, &keys[i]);
    for (size_t i = nkeys * nk; i < STORE_GET_MANY_MAX * nk; i++)
        sql_bind_null(s, (int)i + 1);
    cell row[TABLES_MAX_COLS];
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        for (size_t i = 0; i < t->ncols; i++)
            row[i] = store_column_cell(s, (int)i);
        fn(ctx, row);
    }
    return store_read_finish(st, s, rc, err, t->name);
}

/* ---- store_bulk ----------------------------------------------------------------------------------- */

struct store_bulk {
    store *st;
    const table *t;
    strbuf rows;     /* COPY text not yet sent (PostgreSQL) */
    bool staged;     /* the temporary table exists */
    char stage[128]; /* its name, quoted */
};

store_bulk *store_bulk_new(store *st, const table *t)
{
    store_bulk *b = xcalloc(1, sizeof *b);
    b->st = st;
    b->t = t;
    strbuf_init(&b->rows);
    snprintf(b->stage, sizeof b->stage, "\"lianzhang_bulk_%s\"", t->name);
    return b;
}

void store_bulk_free(store_bulk *b)
{
    if (!b)
        return;
    strbuf_free(&b->rows);
    free(b);
}

static void put_copy_cell(strbuf *out, const cell *c)
{
    if (c->kind == CELL_INT)
        strbuf_printf(out, "%lld", (long long)c->i);
    else if (c->kind == CELL_TEXT)
        pg_conn_copy_text(out, c->s, c->n);
    else
        strbuf_puts(out, "\\N");
}

/* The rows gathered so far into the temporary table, made at the first batch: a copy of t's
 * columns, gone with the transaction should it roll back. */
static int send_rows(store_bulk *b, lz_err *err)
{
    pg_db *pg = store_pg(b->st);
    strbuf sql;
    strbuf_init(&sql);
    int rc = 0;
    if (!b->staged) {
        strbuf_printf(&sql, "CREATE TEMPORARY TABLE %s (LIKE \"%s\")", b->stage, b->t->name);
        rc = pg_db_exec(pg, sql.data, err);
        b->staged = rc == 0;
        strbuf_reset(&sql);
    }
    if (rc == 0) {
        strbuf_printf(&sql, "COPY %s (", b->stage);
        store_append_columns(&sql, b->t, "");
        strbuf_puts(&sql, ") FROM STDIN");
        rc = pg_db_copy_in(pg, sql.data, &b->rows, b->t->name, err);
    }
    strbuf_free(&sql);
    return rc;
}

int store_bulk_add(store_bulk *b, const cell *row, lz_err *err)
{
    if (!store_is_postgres(b->st))
        return store_upsert(b->st, b->t, row, NULL, err);
    for (size_t i = 0; i < b->t->ncols; i++) {
        if (i)
            strbuf_putc(&b->rows, '\t');
        put_copy_cell(&b->rows, &row[i]);
    }
    strbuf_putc(&b->rows, '\n');
    return b->rows.len >= BULK_SEND_BYTES ? send_rows(b, err) : 0;
}

/* INSERT INTO t SELECT * FROM the stage ON CONFLICT (key) DO UPDATE SET each other column. */
static void merge_sql(strbuf *sql, const store_bulk *b)
{
    const table *t = b->t;
    strbuf_printf(sql, "INSERT INTO \"%s\" (", t->name);
    store_append_columns(sql, t, "");
    strbuf_puts(sql, ") SELECT ");
    store_append_columns(sql, t, "");
    strbuf_printf(sql, " FROM %s ON CONFLICT (", b->stage);
    store_append_key_columns(sql, t);
    strbuf_puts(sql, ") DO ");
    const char *glue = "UPDATE SET ";
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].flags & COLF_KEY)
            continue;
        strbuf_printf(sql, "%s\"%s\" = EXCLUDED.\"%s\"", glue, t->cols[i].name, t->cols[i].name);
        glue = ", ";
    }
    if (*glue == 'U') /* every column is the key */
        strbuf_puts(sql, "NOTHING");
}

int store_bulk_finish(store_bulk *b, lz_err *err)
{
    if (!store_is_postgres(b->st) || (!b->staged && b->rows.len == 0))
        return 0;
    int rc = b->rows.len ? send_rows(b, err) : 0;
    strbuf sql;
    strbuf_init(&sql);
    if (rc == 0) {
        merge_sql(&sql, b);
        rc = pg_db_exec(store_pg(b->st), sql.data, err);
    }
    if (rc == 0) {
        strbuf_reset(&sql);
        strbuf_printf(&sql, "DROP TABLE %s", b->stage);
        rc = pg_db_exec(store_pg(b->st), sql.data, err);
        b->staged = rc != 0;
    }
    strbuf_free(&sql);
    return rc < 0 ? err_wrap(err, "writing %s", b->t->name) : 0;
}
