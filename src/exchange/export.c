/*
 * export — CSV, JSON and XLSX writers over store_scan (see export.h). XLSX goes through
 * libxlsxwriter, which writes only to files: a private temporary file, read back and removed.
 */
#include "exchange/export.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/csv.h"
#include "core/money.h"
#include "model/cellfmt.h"

/* ---- CSV ---------------------------------------------------------------------------------------- */

typedef struct csv_ctx {
    const table *t;
    strbuf *out;
    strbuf field;
} csv_ctx;

static int csv_row(void *ctx, const cell *row)
{
    csv_ctx *c = ctx;
    for (size_t i = 0; i < c->t->ncols; i++) {
        if (i)
            strbuf_putc(c->out, ',');
        strbuf_reset(&c->field);
        cell_format(&c->t->cols[i], &row[i], &c->field);
        if (column_holds_text(&c->t->cols[i]))
            csv_write_text(c->out, c->field.data ? c->field.data : "", c->field.len);
        else
            csv_write_field(c->out, c->field.data ? c->field.data : "", c->field.len); /* -5 stays a number */
    }
    strbuf_puts(c->out, "\r\n");
    return 0;
}

static int export_csv(store *st, const store_query *q, strbuf *out, lz_err *err)
{
    for (size_t i = 0; i < q->t->ncols; i++) {
        if (i)
            strbuf_putc(out, ',');
        strbuf_puts(out, q->t->cols[i].name);
    }
    strbuf_puts(out, "\r\n");
    csv_ctx c = {.t = q->t, .out = out};
    strbuf_init(&c.field);
    int rc = store_scan(st, q, csv_row, &c, err);
    strbuf_free(&c.field);
    return rc;
}

/* ---- JSON --------------------------------------------------------------------------------------- */

json_t *export_cell_json(const column *c, const cell *v)
{
    if (v->kind == CELL_NULL)
        return json_null();
    if (c->type == COL_LIST) {
        json_t *a = json_array();
        const char *p = v->s, *end = v->s + v->n;
        while (p < end) {
            const char *q = memchr(p, ';', (size_t)(end - p));
            if (!q)
                q = end;
            json_array_append_new(a, json_stringn(p, (size_t)(q - p)));
            p = q + 1;
        }
        return a;
    }
    if (c->type == COL_BOOL)
        return json_boolean(v->i);
    if (c->type == COL_INT)
        return json_integer(v->i);
    strbuf text;
    strbuf_init(&text);
    cell_format(c, v, &text); /* money and decimals as exact decimal strings */
    json_t *j = json_stringn(text.data ? text.data : "", text.len);
    strbuf_free(&text);
    return j;
}

json_t *export_row_json(const table *t, const cell *row)
{
    json_t *o = json_object();
    for (size_t i = 0; i < t->ncols; i++)
        json_object_set_new(o, t->cols[i].name, export_cell_json(&t->cols[i], &row[i]));
    return o;
}

typedef struct json_ctx {
    const table *t;
    strbuf *out;
    size_t n;
} json_ctx;

static int json_dump_cb(const char *buffer, size_t size, void *data)
{
    strbuf_append(data, buffer, size);
    return 0;
}

static int json_row_cb(void *ctx, const cell *row)
{
    json_ctx *c = ctx;
    json_t *o = export_row_json(c->t, row);
    strbuf_puts(c->out, c->n++ ? ",\n  " : "\n  ");
    json_dump_callback(o, json_dump_cb, c->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return 0;
}

static int export_json(store *st, const store_query *q, strbuf *out, lz_err *err)
{
    json_ctx c = {.t = q->t, .out = out};
    strbuf_putc(out, '[');
    int rc = store_scan(st, q, json_row_cb, &c, err);
    strbuf_puts(out, c.n ? "\n]\n" : "]\n");
    return rc;
}

/* ---- XLSX --------------------------------------------------------------------------------------- */

typedef struct xlsx_ctx {
    const table *t;
    lxw_worksheet *ws;
    lxw_format *money;
    lxw_row_t row;
    bool too_many;
    strbuf text;
} xlsx_ctx;

static void xlsx_cell(xlsx_ctx *x, lxw_col_t col, const column *c, const cell *v)
{
    if (v->kind == CELL_NULL)
        return;
    if (v->kind == CELL_INT && c->type == COL_BOOL) {
        worksheet_write_boolean(x->ws, x->row, col, (int)v->i, NULL);
    } else if (v->kind == CELL_INT && c->type == COL_MONEY) {
        worksheet_write_number(x->ws, x->row, col, (double)v->i / 100.0, x->money);
    } else if (v->kind == CELL_INT && c->type == COL_INT) {
        worksheet_write_number(x->ws, x->row, col, (double)v->i, NULL);
    } else {
        strbuf_reset(&x->text);
        cell_format(c, v, &x->text);
        worksheet_write_string(x->ws, x->row, col, x->text.data ? x->text.data : "", NULL);
    }
}

static int xlsx_row_cb(void *ctx, const cell *row)
{
    xlsx_ctx *x = ctx;
    if (x->row + 1 >= LXW_ROW_MAX) {
        x->too_many = true; /* a worksheet ends here; a silently cut export would lose rows */
        return 1;
    }
    x->row++;
    for (size_t i = 0; i < x->t->ncols; i++)
        xlsx_cell(x, (lxw_col_t)i, &x->t->cols[i], &row[i]);
    return 0;
}

static int export_xlsx(store *st, const store_query *q, strbuf *out, lz_err *err)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[512];
    snprintf(path, sizeof path, "%s/lianzhang-export-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0)
        return err_set(err, LZ_EINTERNAL, "creating a temporary file in %s: %s", dir, strerror(errno));
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)dir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    xlsx_ctx x = {.t = q->t, .ws = workbook_add_worksheet(wb, q->t->name)};
    strbuf_init(&x.text);
    x.money = workbook_add_format(wb);
    format_set_num_format(x.money, "0.00");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (size_t i = 0; i < q->t->ncols; i++)
        worksheet_write_string(x.ws, 0, (lxw_col_t)i, q->t->cols[i].name, bold);
    int rc = store_scan(st, q, xlsx_row_cb, &x, err);
    if (rc == 0 && x.too_many)
        rc = err_set(err, LZ_EINPUT, "%s has more rows than a worksheet holds (%u); export it as CSV", q->t->name,
                     (unsigned)LXW_ROW_MAX - 1);
    lxw_error werr = workbook_close(wb);
    if (rc == 0 && werr != LXW_NO_ERROR)
        rc = err_set(err, LZ_EINTERNAL, "writing the workbook: %s", lxw_strerror(werr));
    if (rc == 0)
        rc = strbuf_read_file(out, path, err);
    unlink(path);
    strbuf_free(&x.text);
    return rc;
}

int export_query(store *st, const store_query *q, sheet_format format, strbuf *out, lz_err *err)
{
    switch (format) {
    case SHEET_CSV:
        return export_csv(st, q, out, err);
    case SHEET_JSON:
        return export_json(st, q, out, err);
    case SHEET_XLSX:
        return export_xlsx(st, q, out, err);
    }
    return err_set(err, LZ_EINTERNAL, "unknown format");
}
