/*
 * store_query — list queries over the data tables (store_scan, store_count): conditions, search,
 * order and keyset cursors turned into one parameterised SELECT. Column and table names come only
 * from the contract's descriptors; every value is bound.
 */
#include "store/store_impl.h"

#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"

static bool known_column(const char *table_name, const char *col)
{
    const table *t = tables_find(table_name);
    return t && table_column_index(t, col) >= 0;
}

static int check_query(const store_query *q, lz_err *err)
{
    for (size_t i = 0; i < q->nconds; i++) {
        const store_cond *c = &q->conds[i];
        if (!known_column(q->t->name, c->column))
            return err_set(err, LZ_EINPUT, "%s has no column '%s'", q->t->name, c->column);
        if (c->op != STORE_IN && (c->via_table || c->nvalues != 1))
            return err_set(err, LZ_EINTERNAL, "a range on %s takes one value", c->column);
        if (c->via_table && (!known_column(c->via_table, c->via_column) || !known_column(c->via_table, c->via_match) ||
                             (c->via_only && !known_column(c->via_table, c->via_only))))
            return err_set(err, LZ_EINTERNAL, "bad scoping condition on %s", c->via_table);
    }
    if (q->order_by && table_column_index(q->t, q->order_by) < 0)
        return err_set(err, LZ_EINPUT, "%s has no column '%s' to sort by", q->t->name, q->order_by);
    return 0;
}

/* SQL text is built for every list request, so these avoid printf. */
static void put_ident(strbuf *b, const char *name)
{
    strbuf_putc(b, '"');
    strbuf_puts(b, name);
    strbuf_putc(b, '"');
}

static void put_param(strbuf *b, int n)
{
    char digits[12];
    int i = (int)sizeof digits;
    do {
        digits[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    strbuf_putc(b, '?');
    strbuf_append(b, digits + i, sizeof digits - (size_t)i);
}

/* Whether the sort column may hold empty values, which a row-value comparison cannot order. */
static bool sort_nullable(const store_query *q)
{
    return q->order_by && !(q->t->cols[table_column_index(q->t, q->order_by)].flags & COLF_REQUIRED);
}

/* Whether the cursor's sort value is bound: not when the last row seen had an empty one. */
static bool after_binds_sort_value(const store_query *q)
{
    return q->order_by && q->after[0].kind != CELL_NULL;
}

/* (sort?, key columns) > (?, ?...) — or < descending — one row value, an index range. */
static void append_after_row(strbuf *b, const store_query *q, bool with_sort, int *param)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(q->t, idx);
    strbuf_putc(b, '(');
    if (with_sort) {
        put_ident(b, q->order_by);
        strbuf_puts(b, ", ");
    }
    for (size_t k = 0; k < nk; k++) {
        if (k)
            strbuf_puts(b, ", ");
        put_ident(b, q->t->cols[idx[k]].name);
    }
    strbuf_printf(b, ") %s (", q->descending ? "<" : ">");
    for (size_t k = 0; k < nk + (with_sort ? 1 : 0); k++) {
        if (k)
            strbuf_puts(b, ", ");
        put_param(b, ++*param);
    }
    strbuf_putc(b, ')');
}

/* The keyset cursor: rows after q->after in the list's order. A required sort column compares as
 * one row value with the key; a nullable one spells out where empty values sit (first ascending,
 * last descending, as append_order puts them), since a comparison with NULL is never true. */
static void append_after(strbuf *b, const store_query *q, int *param)
{
    if (!sort_nullable(q)) {
        append_after_row(b, q, q->order_by != NULL, param);
        return;
    }
    strbuf_putc(b, '(');
    put_ident(b, q->order_by);
    if (!after_binds_sort_value(q)) {
        strbuf_puts(b, q->descending ? " IS NULL AND " : " IS NOT NULL OR (");
        if (!q->descending) {
            put_ident(b, q->order_by);
            strbuf_puts(b, " IS NULL AND ");
        }
        append_after_row(b, q, false, param);
        strbuf_puts(b, q->descending ? ")" : "))");
        return;
    }
    int v = ++*param;
    strbuf_puts(b, q->descending ? " < " : " > ");
    put_param(b, v);
    strbuf_puts(b, " OR (");
    put_ident(b, q->order_by);
    strbuf_puts(b, " = ");
    put_param(b, v);
    strbuf_puts(b, " AND ");
    append_after_row(b, q, false, param);
    strbuf_putc(b, ')');
    if (q->descending) {
        strbuf_puts(b, " OR ");
        put_ident(b, q->order_by);
        strbuf_puts(b, " IS NULL");
    }
    strbuf_putc(b, ')');
}

/* Appends WHERE ... for conditions, search and cursor; *param counts bound parameters. */
static void append_where(strbuf *b, const store_query *q, int *param)
{
    const char *glue = " WHERE ";
    for (size_t i = 0; i < q->nconds; i++) {
        const store_cond *c = &q->conds[i];
        strbuf_puts(b, glue);
        glue = " AND ";
        put_ident(b, c->column);
        if (c->op != STORE_IN) {
            static const char *const ops[] = {[STORE_GE] = " >= ", [STORE_LE] = " <= ", [STORE_GT] = " > ", [STORE_LT] = " < "};
            strbuf_puts(b, ops[c->op]);
            put_param(b, ++*param);
            continue;
        }
        strbuf_puts(b, " IN (");
        if (c->via_table) {
            strbuf_puts(b, "SELECT ");
            put_ident(b, c->via_column);
            strbuf_puts(b, " FROM ");
            put_ident(b, c->via_table);
            strbuf_puts(b, " WHERE ");
            put_ident(b, c->via_match);
            strbuf_puts(b, " IN (");
        }
        if (c->nvalues == 0)
            strbuf_puts(b, "NULL");
        for (size_t v = 0; v < c->nvalues; v++) {
            if (v)
                strbuf_puts(b, ", ");
            put_param(b, ++*param);
        }
        strbuf_puts(b, ")");
        if (c->via_table && c->via_only) {
            strbuf_puts(b, " AND ");
            put_ident(b, c->via_only);
            strbuf_puts(b, " = ");
            put_param(b, ++*param);
        }
        if (c->via_table)
            strbuf_puts(b, ")");
    }
    if (q->search && *q->search) {
        ++*param;
        strbuf_printf(b, "%s(", glue);
        bool first = true;
        for (size_t i = 0; i < q->t->ncols; i++) {
            if (!(q->t->cols[i].flags & COLF_NAME))
                continue;
            /* lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not */
            strbuf_printf(b, "%slower(\"%s\") LIKE lower(?%d) ESCAPE '\\'", first ? "" : " OR ", q->t->cols[i].name, *param);
            first = false;
        }
        strbuf_puts(b, ")");
        glue = " AND ";
    }
    if (q->after) {
        strbuf_puts(b, glue);
        append_after(b, q, param);
    }
}

static void append_order(strbuf *b, const store_query *q)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(q->t, idx);
    const char *dir = q->descending ? " DESC" : "";
    strbuf_puts(b, " ORDER BY ");
    if (q->order_by) {
        put_ident(b, q->order_by);
        strbuf_puts(b, dir);
        if (sort_nullable(q)) /* SQLite's default, PostgreSQL's opposite: said for both */
            strbuf_puts(b, q->descending ? " NULLS LAST" : " NULLS FIRST");
        strbuf_puts(b, ", ");
    }
    for (size_t k = 0; k < nk; k++) {
        if (k)
            strbuf_puts(b, ", ");
        put_ident(b, q->t->cols[idx[k]].name);
        strbuf_puts(b, dir);
    }
}

/* LIKE pattern for a substring search, with %, _ and \ escaped. */
static void like_pattern(strbuf *b, const char *s)
{
    strbuf_putc(b, '%');
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            strbuf_putc(b, '\\');
        strbuf_putc(b, *s);
    }
    strbuf_putc(b, '%');
}

static void bind_query(sql_stmt *s, const store_query *q, strbuf *pattern)
{
    int p = 0;
    for (size_t i = 0; i < q->nconds; i++) {
        for (size_t v = 0; v < q->conds[i].nvalues; v++)
            store_bind_cell(s, ++p, &q->conds[i].values[v]);
        if (q->conds[i].via_table && q->conds[i].via_only)
            sql_bind_text(s, ++p, q->conds[i].via_only_value, -1);
    }
    if (q->search && *q->search) {
        like_pattern(pattern, q->search);
        sql_bind_text(s, ++p, pattern->data, (int)pattern->len);
    }
    if (q->after) {
        int idx[TABLES_MAX_KEY];
        size_t first = q->order_by && !after_binds_sort_value(q) ? 1 : 0;
        size_t n = table_key_columns(q->t, idx) + (q->order_by ? 1 : 0);
        for (size_t k = first; k < n; k++)
            store_bind_cell(s, ++p, &q->after[k]);
    }
}

static sql_stmt *prepare_query(store *st, const store_query *q, bool count, strbuf *pattern, lz_err *err)
{
    if (check_query(q, err) < 0)
        return NULL;
    strbuf sql;
    strbuf_init(&sql);
    int param = 0;
    if (count) {
        /* a limit caps the count: the scan stops there (an existence check, a page's total) */
        strbuf_printf(&sql, q->limit ? "SELECT count(*) FROM (SELECT 1 FROM \"%s\"" : "SELECT count(*) FROM \"%s\"", q->t->name);
    } else {
        strbuf_puts(&sql, "SELECT ");
        for (size_t i = 0; i < q->t->ncols; i++) {
            if (i)
                strbuf_puts(&sql, ", ");
            put_ident(&sql, q->t->cols[i].name);
        }
        strbuf_puts(&sql, " FROM ");
        put_ident(&sql, q->t->name);
    }
    append_where(&sql, q, &param);
    if (!count)
        append_order(&sql, q);
    if (q->limit)
        strbuf_printf(&sql, count ? " LIMIT %zu) AS capped" : " LIMIT %zu", q->limit);
    /* a whole table (an export) comes in batches on PostgreSQL; a page or a count at once */
    sql_stmt *s = count || q->limit ? store_prepare(st, sql.data, err) : store_prepare_scan(st, sql.data, err);
    strbuf_free(&sql);
    if (s)
        bind_query(s, q, pattern);
    return s;
}

int store_scan(store *st, const store_query *q, store_row_fn fn, void *ctx, lz_err *err)
{
    strbuf pattern;
    strbuf_init(&pattern);
    sql_stmt *s = prepare_query(st, q, false, &pattern, err);
    if (!s) {
        strbuf_free(&pattern);
        return err && err->code ? err->code : LZ_EINTERNAL;
    }
    size_t n = q->t->ncols;
    cell row[TABLES_MAX_COLS];
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        for (size_t i = 0; i < n; i++)
            row[i] = store_column_cell(s, (int)i);
        if (fn(ctx, row) != 0) {
            rc = SQL_DONE;
            break;
        }
    }
    sql_reset(s);
    strbuf_free(&pattern);
    if (rc != SQL_DONE)
        return store_sql_error(st, err, q->t->name);
    return 0;
}

int store_count(store *st, const store_query *q, int64_t *count, lz_err *err)
{
    strbuf pattern;
    strbuf_init(&pattern);
    sql_stmt *s = prepare_query(st, q, true, &pattern, err);
    if (!s) {
        strbuf_free(&pattern);
        return err && err->code ? err->code : LZ_EINTERNAL;
    }
    int rc = sql_step(s);
    *count = rc == SQL_ROW ? sql_column_int64(s, 0) : 0;
    sql_reset(s);
    strbuf_free(&pattern);
    if (rc != SQL_ROW)
        return store_sql_error(st, err, q->t->name);
    return 0;
}
