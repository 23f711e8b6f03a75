/*
 * export — CSV, JSON and XLSX writers over store_scan (see export.h). CSV and XLSX share the
 * layout of a row (the table's columns, each code followed by its name column when asked) and the
 * name lookups, cached per column because rows come grouped by their key. XLSX goes through
 * libxlsxwriter, which writes only to files: a private temporary file, read back and removed.
 * Grids (rows that are no table's, such as the awards ledger) share the CSV quoting, the workbook's
 * formats and widths and that temporary file.
 */
#include "exchange/export.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/money.h"
#include "exchange/xlsx_write.h"
#include "model/cellfmt.h"

/* ---- the row as people read it ------------------------------------------------------------------- */

/* One column of the output: a table column, or the name column beside one. */
typedef struct out_col {
    const column *c;
    size_t src; /* index of c in the table's row */
    bool name;
} out_col;

_Static_assert(XLSX_MAX_COLS >= 2 * TABLES_MAX_COLS, "room for every column and a name beside each");

typedef struct export_ctx {
    const table *t;
    export_options opt;
    out_col cols[XLSX_MAX_COLS];
    size_t ncols;
    store *st;
    arena lookups;                                       /* store_ref_name's rows, reset per lookup */
    strbuf code[TABLES_MAX_COLS], name[TABLES_MAX_COLS]; /* per column: the last code looked up and its name */
    strbuf field;
    lz_err *err;
    int rc;
    strbuf *out; /* CSV */
    lxw_worksheet *ws;
    xlsx_formats fmt;
    lxw_format *money;
    xlsx_widths widths;
    lxw_row_t row;
    bool too_many;
} export_ctx;

static void ctx_init(export_ctx *x, store *st, const table *t, const export_options *opt, lz_err *err)
{
    *x = (export_ctx){.t = t, .opt = opt ? *opt : (export_options){0}, .st = st, .err = err};
    arena_init(&x->lookups, 4096);
    strbuf_init(&x->field);
    for (size_t i = 0; i < t->ncols; i++) {
        strbuf_init(&x->code[i]);
        strbuf_init(&x->name[i]);
        const table *rt;
        x->cols[x->ncols++] = (out_col){&t->cols[i], i, false};
        if (x->opt.names && column_ref_name(&t->cols[i], &rt) >= 0)
            x->cols[x->ncols++] = (out_col){&t->cols[i], i, true};
    }
}

static void ctx_free(export_ctx *x)
{
    for (size_t i = 0; i < x->t->ncols; i++) {
        strbuf_free(&x->code[i]);
        strbuf_free(&x->name[i]);
    }
    strbuf_free(&x->field);
    arena_free(&x->lookups);
}

/* The name of the row that the code in column src points to ("" when none). */
static const char *name_of(export_ctx *x, size_t src, const cell *v)
{
    strbuf *code = &x->code[src], *name = &x->name[src];
    if (v->kind != CELL_TEXT || (code->data && code->len == v->n && memcmp(code->data, v->s, v->n) == 0))
        return v->kind == CELL_TEXT && name->data ? name->data : "";
    const char *found = NULL;
    arena_reset(&x->lookups);
    if (store_ref_name(x->st, &x->t->cols[src], v, &x->lookups, &found, x->err) < 0)
        x->rc = LZ_EINTERNAL;
    strbuf_reset(code);
    strbuf_append(code, v->s, v->n);
    strbuf_reset(name);
    strbuf_puts(name, found ? found : "");
    return name->data;
}

/* The text of output column k of row, in x->field: the name, the choice's label (zh), or the
 * canonical text. */
static void field_text(export_ctx *x, size_t k, const cell *row, bool labels)
{
    const out_col *o = &x->cols[k];
    const cell *v = &row[o->src];
    strbuf_reset(&x->field);
    if (o->name) {
        strbuf_puts(&x->field, name_of(x, o->src, v));
    } else if (labels && o->c->type == COL_ENUM && v->kind == CELL_TEXT) {
        for (size_t i = 0; o->c->values[i]; i++)
            if (strcmp(o->c->values[i], v->s) == 0)
                strbuf_puts(&x->field, o->c->labels_zh[i]);
    } else {
        cell_format(o->c, v, &x->field);
    }
}

/* The header of output column k: contract name or label, a money column's unit, or the name
 * column's header. */
static void header_text(const export_ctx *x, size_t k, bool zh, strbuf *out)
{
    const out_col *o = &x->cols[k];
    strbuf_reset(out);
    if (o->name) {
        column_ref_name_header(o->c, zh, out);
        return;
    }
    strbuf_puts(out, zh ? o->c->label_zh : o->c->name);
    if (o->c->type == COL_MONEY && x->opt.unit_pow10)
        strbuf_printf(out, zh ? "（%s）" : "(%s)", x->opt.unit_pow10 == 8 ? "亿元" : "万元");
}

/* ---- CSV ---------------------------------------------------------------------------------------- */

static int csv_row(void *ctx, const cell *row)
{
    export_ctx *x = ctx;
    for (size_t k = 0; k < x->ncols; k++) {
        if (k)
            strbuf_putc(x->out, ',');
        field_text(x, k, row, false);
        const char *s = x->field.data ? x->field.data : "";
        if (x->cols[k].name || column_holds_text(x->cols[k].c))
            csv_write_text(x->out, s, x->field.len);
        else
            csv_write_field(x->out, s, x->field.len); /* -5 stays a number */
    }
    strbuf_puts(x->out, "\r\n");
    return x->rc < 0;
}

static int export_csv(export_ctx *x, const store_query *q)
{
    if (x->opt.bom)
        strbuf_puts(x->out, "\xEF\xBB\xBF");
    strbuf head;
    strbuf_init(&head);
    for (size_t k = 0; k < x->ncols; k++) {
        header_text(x, k, false, &head);
        strbuf_printf(x->out, "%s%s", k ? "," : "", head.data);
    }
    strbuf_free(&head);
    strbuf_puts(x->out, "\r\n");
    int rc = store_scan(x->st, q, csv_row, x, x->err);
    return rc < 0 ? rc : x->rc;
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

/* A number column's value as the double nearest its exact decimal, in units of 10^pow10 of the
 * column's own (万元: money's fen / 10^6), which a spreadsheet's 15 digits read back exactly. */
static double as_number(const column *c, int64_t v, int pow10)
{
    char text[64];
    fixed_format(v, cell_scale(c) + pow10, text, sizeof text);
    return strtod(text, NULL);
}

static void xlsx_cell(export_ctx *x, size_t k, const cell *row)
{
    const out_col *o = &x->cols[k];
    const column *c = o->c;
    const cell *v = &row[o->src];
    lxw_col_t col = (lxw_col_t)k;
    field_text(x, k, row, !x->opt.english);
    xlsx_widths_see(&x->widths, col, x->field.data ? x->field.data : "",
                    x->field.len + (c->type == COL_MONEY ? x->field.len / 3 : 0));
    if (v->kind == CELL_NULL) {
        return;
    } else if (o->name || c->type == COL_ENUM) {
        worksheet_write_string(x->ws, x->row, col, x->field.data ? x->field.data : "", NULL);
    } else if (c->type == COL_BOOL) {
        worksheet_write_boolean(x->ws, x->row, col, (int)v->i, NULL);
    } else if (c->type == COL_MONEY) {
        worksheet_write_number(x->ws, x->row, col, as_number(c, v->i, x->opt.unit_pow10), x->money);
    } else if (c->type == COL_INT || c->type == COL_DECIMAL) {
        worksheet_write_number(x->ws, x->row, col, as_number(c, v->i, 0), NULL);
    } else if (c->type == COL_DATE) {
        lxw_datetime d = {0};
        sscanf(v->s, "%4d-%2d-%2d", &d.year, &d.month, &d.day);
        worksheet_write_datetime(x->ws, x->row, col, &d, x->fmt.date);
    } else {
        worksheet_write_string(x->ws, x->row, col, x->field.data ? x->field.data : "", xlsx_column_format(&x->fmt, c));
    }
}

static int xlsx_row_cb(void *ctx, const cell *row)
{
    export_ctx *x = ctx;
    if (x->row + 1 >= LXW_ROW_MAX) {
        x->too_many = true; /* a worksheet ends here; a silently cut export would lose rows */
        return 1;
    }
    x->row++;
    for (size_t k = 0; k < x->ncols; k++)
        xlsx_cell(x, k, row);
    return x->rc < 0;
}

/* The sheet: named after the table (import finds it by that name), the header, the rows. */
static int xlsx_sheet(export_ctx *x, lxw_workbook *wb, const store_query *q)
{
    x->ws = workbook_add_worksheet(wb, x->t->name);
    xlsx_formats_add(wb, &x->fmt);
    x->money = x->opt.unit_pow10 ? xlsx_money_format(wb, x->opt.unit_pow10) : x->fmt.money;
    for (size_t k = 0; k < x->ncols; k++) {
        header_text(x, k, !x->opt.english, &x->field);
        worksheet_write_string(x->ws, 0, (lxw_col_t)k, x->field.data, x->fmt.head);
        xlsx_widths_see(&x->widths, (lxw_col_t)k, x->field.data, x->field.len);
    }
    int rc = store_scan(x->st, q, xlsx_row_cb, x, x->err);
    if (rc == 0 && x->rc < 0)
        rc = x->rc;
    if (rc == 0 && x->too_many)
        rc = err_set(x->err, LZ_EINPUT, "%s has more rows than a worksheet holds (%u); export it as CSV", x->t->name,
                     (unsigned)LXW_ROW_MAX - 1);
    xlsx_finish_sheet(x->ws, &x->widths, (lxw_col_t)x->ncols, x->row);
    return rc;
}

/* libxlsxwriter writes only to files: a private temporary file, read back (xlsx_tmp_close) and
 * removed. *path receives its name (PATH_MAX-sized). */
static lxw_workbook *xlsx_tmp_open(char *path, size_t len, lz_err *err)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, len, "%s/lianzhang-export-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        err_set(err, LZ_EINTERNAL, "creating a temporary file in %s: %s", dir, strerror(errno));
        return NULL;
    }
    close(fd);
    lxw_workbook_options wopt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)dir};
    lxw_workbook *wb = workbook_new_opt(path, &wopt);
    if (!wb) {
        err_set(err, LZ_EINTERNAL, "%s: cannot create the workbook", path);
        unlink(path);
    }
    return wb;
}

/* Closes wb, reads its bytes into out when rc is 0, removes the file; returns rc or the first
 * failure of its own. */
static int xlsx_tmp_close(lxw_workbook *wb, const char *path, int rc, strbuf *out, lz_err *err)
{
    lz_err closing;
    if (xlsx_close(wb, LXW_NO_ERROR, path, "workbook", &closing) < 0 && rc == 0)
        rc = err_set(err, LZ_EINTERNAL, "%s", closing.msg);
    if (rc == 0)
        rc = strbuf_read_file(out, path, err);
    unlink(path);
    return rc;
}

static int export_xlsx(export_ctx *x, const store_query *q, strbuf *out)
{
    char path[512];
    lxw_workbook *wb = xlsx_tmp_open(path, sizeof path, x->err);
    if (!wb)
        return LZ_EINTERNAL;
    return xlsx_tmp_close(wb, path, xlsx_sheet(x, wb, q), out, x->err);
}

/* ---- grids -------------------------------------------------------------------------------------- */

struct export_grid {
    sheet_format format;
    const export_field *fields;
    size_t n;
    export_options opt;
    strbuf *csv; /* CSV: the text so far (out is given only on close) */
    strbuf text;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    xlsx_formats fmt;
    xlsx_widths widths;
    lxw_row_t row;
    int64_t sums[XLSX_MAX_COLS]; /* fen, per money column */
    bool sums_overflow, finished;
    char path[512];
    int rc;
};

int export_grid_open(export_grid **out, sheet_format format, const char *sheet, const export_field *fields, size_t n,
                     const export_options *opt, lz_err *err)
{
    if (format == SHEET_JSON || n > XLSX_MAX_COLS)
        return err_set(err, LZ_EINTERNAL, "a grid is CSV or XLSX of at most %d columns", XLSX_MAX_COLS);
    export_grid *g = xcalloc(1, sizeof *g);
    *g = (export_grid){.format = format, .fields = fields, .n = n, .opt = opt ? *opt : (export_options){0}};
    strbuf_init(&g->text);
    if (format == SHEET_CSV) {
        g->csv = &g->text;
        strbuf_puts(g->csv, g->opt.bom ? "\xEF\xBB\xBF" : "");
        for (size_t k = 0; k < n; k++) {
            const char *h = g->opt.english ? fields[k].name : fields[k].label_zh;
            strbuf_printf(g->csv, "%s", k ? "," : "");
            csv_write_field(g->csv, h, strlen(h));
        }
        strbuf_puts(g->csv, "\r\n");
    } else if (!(g->wb = xlsx_tmp_open(g->path, sizeof g->path, err))) {
        free(g);
        return LZ_EINTERNAL;
    } else {
        g->ws = workbook_add_worksheet(g->wb, sheet);
        xlsx_formats_add(g->wb, &g->fmt);
        for (size_t k = 0; k < n; k++) {
            const char *h = g->opt.english ? fields[k].name : fields[k].label_zh;
            worksheet_write_string(g->ws, 0, (lxw_col_t)k, h, g->fmt.head);
            xlsx_widths_see(&g->widths, (lxw_col_t)k, h, strlen(h));
        }
    }
    *out = g;
    return 0;
}

static void grid_csv_row(export_grid *g, const char *const *cells)
{
    for (size_t k = 0; k < g->n; k++) {
        const char *s = cells[k] ? cells[k] : "";
        if (k)
            strbuf_putc(g->csv, ',');
        if (g->fields[k].kind == EXPORT_INT || g->fields[k].kind == EXPORT_MONEY)
            csv_write_field(g->csv, s, strlen(s));
        else /* from the data: quoted when it holds a comma, guarded when it starts like a formula */
            csv_write_text(g->csv, s, strlen(s));
    }
    strbuf_puts(g->csv, "\r\n");
}

static void grid_xlsx_row(export_grid *g, const char *const *cells)
{
    g->row++;
    for (size_t k = 0; k < g->n; k++) {
        const char *s = cells[k] ? cells[k] : "";
        lxw_col_t col = (lxw_col_t)k;
        size_t len = strlen(s);
        if (!*s)
            continue;
        export_kind kind = g->fields[k].kind;
        xlsx_widths_see(&g->widths, col, s, len + (kind == EXPORT_MONEY ? len / 3 : 0));
        if (kind == EXPORT_MONEY || kind == EXPORT_INT) /* exact: a spreadsheet's 15 digits hold any amount in fen */
            worksheet_write_number(g->ws, g->row, col, strtod(s, NULL), kind == EXPORT_MONEY ? g->fmt.money : NULL);
        else
            worksheet_write_string(g->ws, g->row, col, s, kind == EXPORT_CODE ? g->fmt.text : NULL);
        int64_t fen;
        if (kind == EXPORT_MONEY && (money_parse(s, len, true, &fen, NULL, 0) < 0 || !money_add(g->sums[k], fen, &g->sums[k])))
            g->sums_overflow = true;
    }
}

int export_grid_row(export_grid *g, const char *const *cells, lz_err *err)
{
    if (g->rc < 0)
        return g->rc;
    if (g->format == SHEET_CSV) {
        grid_csv_row(g, cells);
        return 0;
    }
    if (g->row + 1 >= LXW_ROW_MAX) { /* a silently cut export would lose rows */
        g->rc = err_set(err, LZ_EINPUT, "more rows than a worksheet holds (%u); export it as CSV", (unsigned)LXW_ROW_MAX - 1);
        return g->rc;
    }
    grid_xlsx_row(g, cells);
    return 0;
}

int export_grid_total(export_grid *g, lz_err *err)
{
    if (g->rc < 0 || g->format == SHEET_CSV)
        return g->rc;
    if (g->sums_overflow) {
        g->rc = err_set(err, LZ_EINPUT, "the amounts add up past what a total can hold");
        return g->rc;
    }
    /* the filter over the items only; the workbook streams its rows, so it is set before the totals */
    xlsx_finish_sheet(g->ws, &g->widths, (lxw_col_t)g->n, g->row);
    g->finished = true;
    g->row++;
    worksheet_write_string(g->ws, g->row, 0, g->opt.english ? "Total" : "合计", g->fmt.head);
    for (size_t k = 0; k < g->n; k++)
        if (g->fields[k].kind == EXPORT_MONEY)
            worksheet_write_number(g->ws, g->row, (lxw_col_t)k, (double)g->sums[k] / 100.0, g->fmt.money);
    return 0;
}

int export_grid_close(export_grid *g, strbuf *out, lz_err *err)
{
    int rc = g->rc;
    if (g->format == SHEET_CSV) {
        if (rc == 0)
            strbuf_append(out, g->csv->data ? g->csv->data : "", g->csv->len);
    } else {
        if (!g->finished)
            xlsx_finish_sheet(g->ws, &g->widths, (lxw_col_t)g->n, g->row);
        rc = xlsx_tmp_close(g->wb, g->path, rc, out, err);
    }
    strbuf_free(&g->text);
    free(g);
    return rc;
}

int export_query(store *st, const store_query *q, sheet_format format, const export_options *opt, strbuf *out, lz_err *err)
{
    if (format == SHEET_JSON)
        return export_json(st, q, out, err);
    export_ctx x;
    ctx_init(&x, st, q->t, opt, err);
    x.out = out;
    int rc = format == SHEET_CSV ? export_csv(&x, q) : export_xlsx(&x, q, out);
    ctx_free(&x);
    return rc;
}
