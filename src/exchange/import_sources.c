/*
 * import_sources — the formats an import reads (CSV, XLSX, JSON) feeding one importer, and the
 * transaction around it: all rows or none, one audit entry naming the file and its SHA-256. A CSV
 * file may also feed a sink (import_csv_rows) for rows that go elsewhere than a table.
 */
#include "exchange/import.h"

#include <errno.h>
#include <iconv.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "exchange/xlsx_read.h"
#include "store/audit.h"

int sheet_format_from_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return -1;
    if (strcasecmp(dot, ".csv") == 0)
        return SHEET_CSV;
    if (strcasecmp(dot, ".xlsx") == 0)
        return SHEET_XLSX;
    if (strcasecmp(dot, ".json") == 0)
        return SHEET_JSON;
    return -1;
}

const char *sheet_format_name(sheet_format f)
{
    static const char *const names[] = {"csv", "xlsx", "json"};
    return names[f];
}

/* ---- CSV --------------------------------------------------------------------------------------- */

#define SAVE_AS_CSV "in Excel choose 另存为 → CSV UTF-8(逗号分隔) (Save As → CSV UTF-8)"

/* Text in GB18030 (GBK's superset: what Chinese Excel writes when saving as plain "CSV") as UTF-8,
 * into out; -1 with the place reported when the bytes are not GB18030 either. */
static int gb18030_to_utf8(const char *data, size_t n, const char *source, strbuf *out, errlist *errs)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        errlist_add(errs, "%s:1: the file is not UTF-8, and this system cannot convert GB18030: %s", source, SAVE_AS_CSV);
        return -1;
    }
    char *in = (char *)data;
    size_t left = n;
    int rc = 0;
    while (left > 0 && rc == 0) {
        strbuf_reserve(out, left * 2 + 16);
        char *o = out->data + out->len;
        size_t room = out->cap - out->len - 1, before = room;
        size_t got = iconv(cd, &in, &left, &o, &room);
        out->len += before - room;
        if (got == (size_t)-1 && errno != E2BIG) {
            long line = 1;
            for (const char *p = data; p < in; p++)
                line += *p == '\n';
            errlist_add(errs, "%s:%ld: the file is neither UTF-8 nor GB18030 (GBK) text: %s", source, line, SAVE_AS_CSV);
            rc = -1;
        }
    }
    if (out->data)
        out->data[out->len] = '\0';
    iconv_close(cd);
    return rc;
}

/* A title and blank rows may stand above the header: it is looked for in this many rows. */
#define HEADER_SCAN_ROWS 10

static int feed_csv(importer *im, const char *data, size_t n, const char *source, errlist *errs, lz_err *err)
{
    csv_reader *r = csv_open_mem(data, n, source);
    importer_set_csv(im);
    csv_record rec;
    lz_err perr;
    int rc = 1, header = -1; /* -1: not found yet, 0: mapped, 1: bad */
    long rows = 0;
    while (header < 0 && rows < HEADER_SCAN_ROWS && (rc = csv_next(r, &rec, &perr)) > 0) {
        rows++;
        if (importer_is_header(im, rec.nfields, rec.fields, rec.lens))
            header = importer_header_at(im, rec.line, rec.nfields, rec.fields, rec.lens) < 0;
    }
    if (rows == 0 && rc == 0)
        errlist_add(errs, "%s:1: the file is empty (a header row with column names is required)", source);
    else if (header < 0 && rc >= 0)
        importer_no_header(im, rows);
    else if (header == 0) {
        while ((rc = csv_next(r, &rec, &perr)) > 0)
            if (importer_row(im, rec.line, rec.nfields, rec.fields, rec.lens, err) < 0) {
                csv_close(r);
                return LZ_EINTERNAL;
            }
    }
    if (rc < 0)
        errlist_add(errs, "%s", perr.msg);
    csv_close(r);
    return 0;
}

/* feed_csv for a file in UTF-8 or, failing that, in GB18030. */
static int feed_csv_text(importer *im, const char *data, size_t n, const char *source, errlist *errs, lz_err *err)
{
    if (utf8_valid(data, n))
        return feed_csv(im, data, n, source, errs, err);
    strbuf utf8;
    strbuf_init(&utf8);
    int rc = gb18030_to_utf8(data, n, source, &utf8, errs) < 0 ? 0 : feed_csv(im, utf8.data, utf8.len, source, errs, err);
    strbuf_free(&utf8);
    return rc;
}

/* ---- XLSX -------------------------------------------------------------------------------------- */

typedef struct xlsx_feed {
    importer *im;
    errlist *errs;
    const char *source;
    int header; /* -1: not found yet, 0: mapped, 1: bad */
    long rows;  /* non-empty rows looked at for the header */
    lz_err *err;
    int internal;
} xlsx_feed;

static int xlsx_row(void *ctx, long rownum, size_t n, const char *const *cells, const size_t *lens)
{
    xlsx_feed *f = ctx;
    if (f->header < 0) {
        f->rows++;
        if (importer_is_header(f->im, n, cells, lens))
            f->header = importer_header_at(f->im, rownum, n, cells, lens) < 0;
        return f->header > 0 || (f->header < 0 && f->rows >= HEADER_SCAN_ROWS);
    }
    if (importer_row(f->im, rownum, n, cells, lens, f->err) < 0) {
        f->internal = 1;
        return 1;
    }
    return 0;
}

static void xlsx_cell_error(void *ctx, long rownum, const char *ref, const char *why)
{
    xlsx_feed *f = ctx;
    errlist_add(f->errs, "%s:%ld: %s: %s", f->source, rownum, ref, why);
}

static int feed_xlsx(importer *im, const table *t, const char *data, size_t n, const char *source, errlist *errs, lz_err *err)
{
    xlsx_feed f = {.im = im, .err = err, .errs = errs, .source = source, .header = -1};
    importer_set_spreadsheet(im);
    lz_err rerr;
    if (xlsx_read_rows(data, n, t->name, source, xlsx_row, xlsx_cell_error, &f, &rerr) < 0)
        errlist_add(errs, "%s", rerr.msg);
    else if (f.rows == 0)
        errlist_add(errs, "%s:1: the sheet is empty (a header row with column names is required)", source);
    else if (f.header < 0)
        importer_no_header(im, f.rows);
    return f.internal ? LZ_EINTERNAL : 0;
}

/* ---- JSON -------------------------------------------------------------------------------------- */

static void json_value_text(json_t *v, strbuf *out)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        strbuf_append(out, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        strbuf_printf(out, "%lld", (long long)json_integer_value(v));
        break;
    case JSON_REAL:
        text_from_double(json_real_value(v), out);
        break;
    case JSON_TRUE:
        strbuf_puts(out, "true");
        break;
    case JSON_FALSE:
        strbuf_puts(out, "false");
        break;
    case JSON_ARRAY: {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            if (i)
                strbuf_putc(out, ';');
            json_value_text(item, out);
        }
        break;
    }
    default:
        break; /* null and objects: empty */
    }
}

static int json_row(importer *im, const table *t, json_t *obj, long pos, const char *source, errlist *errs, lz_err *err)
{
    if (!json_is_object(obj)) {
        errlist_add(errs, "%s:%ld: each element must be an object with column names as keys", source, pos);
        return 0;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (table_column_index(t, key) < 0 && table_ref_name_column(t, key, strlen(key)) < 0) {
            errlist_add(errs, "%s:%ld: %s: unknown column of %s", source, pos, key, t->name);
            return 0;
        }
        if (json_is_object(v) && table_column_index(t, key) >= 0) {
            errlist_add(errs, "%s:%ld: %s: must be a string, number, boolean, list or null", source, pos, key);
            return 0;
        }
    }
    strbuf text[64];
    const char *fields[64];
    size_t lens[64];
    for (size_t c = 0; c < t->ncols; c++) {
        strbuf_init(&text[c]);
        json_t *cv = json_object_get(obj, t->cols[c].name);
        if (cv)
            json_value_text(cv, &text[c]);
        fields[c] = !cv ? NULL : text[c].data ? text[c].data : ""; /* a key left out keeps the stored value */
        lens[c] = text[c].len;
    }
    int rc = importer_row(im, pos, t->ncols, fields, lens, err);
    for (size_t c = 0; c < t->ncols; c++)
        strbuf_free(&text[c]);
    return rc;
}

/* The JSON reader's place in the file, for messages: line and column of byte `pos`. */
typedef struct json_cursor {
    const char *data;
    size_t n, pos, seen; /* line and col are those of byte `seen` */
    int line, col;
} json_cursor;

static void json_advance(json_cursor *c, size_t to)
{
    for (; c->seen < to; c->seen++) {
        if (c->data[c->seen] == '\n') {
            c->line++;
            c->col = 1;
        } else if (((unsigned char)c->data[c->seen] & 0xC0) != 0x80) {
            c->col++;
        }
    }
}

/* The next byte that is not JSON white space, or EOF. */
static int json_next_char(json_cursor *c)
{
    while (c->pos < c->n && c->data[c->pos] && strchr(" \t\r\n", c->data[c->pos]))
        c->pos++;
    return c->pos < c->n ? (unsigned char)c->data[c->pos] : EOF;
}

static void json_syntax_error(json_cursor *c, const char *source, const char *what, errlist *errs)
{
    json_advance(c, c->pos);
    errlist_add(errs, "%s:%d:%d: %s", source, c->line, c->col, what);
}

/* Parses one element at c->pos (jansson, one value at a time: the document is never held whole,
 * so memory stays that of one row); NULL with the error reported. */
static json_t *json_element(json_cursor *c, const char *source, errlist *errs)
{
    json_error_t je;
    json_t *v = json_loadb(c->data + c->pos, c->n - c->pos, JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &je);
    if (!v) {
        json_advance(c, c->pos);
        errlist_add(errs, "%s:%d:%d: %s", source, c->line + je.line - 1, je.line == 1 ? c->col + je.column - 1 : je.column,
                    je.text);
        return NULL;
    }
    c->pos += je.position;
    return v;
}

static int feed_json(importer *im, const table *t, const char *data, size_t n, const char *source, errlist *errs, lz_err *err)
{
    json_cursor c = {.data = data, .n = n, .line = 1, .col = 1};
    if (json_next_char(&c) != '[') {
        errlist_add(errs, "%s:1: expected an array of objects, one per row", source);
        return 0;
    }
    c.pos++;
    importer_header_all(im);
    int rc = 0;
    int next = json_next_char(&c);
    for (long i = 1; rc == 0 && next != ']'; i++) {
        json_t *obj = json_element(&c, source, errs);
        if (!obj)
            return 0;
        rc = json_row(im, t, obj, i, source, errs, err);
        json_decref(obj);
        next = json_next_char(&c);
        if (next == ',')
            c.pos++;
        else if (next != ']')
            return json_syntax_error(&c, source, "expected ',' or ']' after an element", errs), 0;
    }
    c.pos++;
    if (rc == 0 && json_next_char(&c) != EOF)
        json_syntax_error(&c, source, "end of file expected after the array", errs);
    return rc;
}

/* ---- the transaction ----------------------------------------------------------------------------- */

/* The audit entry of an import: the file (name, SHA-256, counts) and, per row it changed, the
 * changed columns: before in `before`, after under "changed" in `after` (caller frees both). */
static void audit_import(importer *im, const char *source, const char *data, size_t n, const import_stats *s, audit_entry *e)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256(digest, (const unsigned char *)data, n);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:I}", "source", source, "sha256", hex, "rows", (json_int_t)s->rows, "inserted",
                          (json_int_t)s->inserted, "updated", (json_int_t)s->updated);
    char *summary = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    strbuf before, after;
    strbuf_init(&before);
    strbuf_init(&after);
    strbuf_append(&after, summary, strlen(summary) - 1); /* the summary without its closing brace */
    strbuf_puts(&after, ",\"changed\":");
    importer_changes(im, &before, &after);
    strbuf_putc(&after, '}');
    free(summary);
    e->before = before.len > 2 ? strbuf_detach(&before) : NULL; /* "{}": nothing changed */
    e->after = strbuf_detach(&after);
    strbuf_free(&before);
}

/* The error that ends an import with problems: nothing of it is written. */
static int nothing_imported(const char *source, const errlist *errs, lz_err *err)
{
    return err_set(err, LZ_EINPUT, "%s: %zu error%s; nothing was imported", source, errs->total, errs->total == 1 ? "" : "s");
}

int import_buffer(store *st, const table *t, sheet_format format, const char *source, const char *data, size_t n,
                  const import_options *opt, errlist *errs, import_stats *stats, lz_err *err)
{
    if (sodium_init() < 0)
        return err_set(err, LZ_EINTERNAL, "libsodium failed to initialise");
    if (store_begin_unchecked(st, err) < 0)
        return LZ_EINTERNAL;
    importer *im = importer_new(st, t, source, errs);
    importer_set_unit(im, opt->unit_pow10);
    importer_set_progress(im, opt->progress, opt->progress_ctx);
    int rc = format == SHEET_CSV    ? feed_csv_text(im, data, n, source, errs, err)
             : format == SHEET_XLSX ? feed_xlsx(im, t, data, n, source, errs, err)
                                    : feed_json(im, t, data, n, source, errs, err);
    if (rc == 0)
        rc = importer_finish(im, stats, err);
    if (rc == 0 && errs->total > 0)
        rc = nothing_imported(source, errs, err);
    if (rc == 0) {
        audit_entry e = {.actor = opt->actor, .via = opt->via, .target = t->name};
        audit_import(im, source, data, n, stats, &e);
        rc = audit_append(st, &e, err);
        free((char *)e.before);
        free((char *)e.after);
    }
    importer_free(im);
    if (rc == 0)
        return store_commit(st, err);
    store_rollback(st);
    return rc;
}

/* The file's name without its folders: what messages call it. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int import_file(store *st, const table *t, const char *path, const import_options *opt, errlist *errs, import_stats *stats,
                lz_err *err)
{
    int format = sheet_format_from_name(path);
    const char *dot = strrchr(path, '.');
    if (format < 0 && dot && strcasecmp(dot, ".xls") == 0)
        return err_set(err, LZ_EINPUT,
                       "%s: an .xls workbook (Excel 97-2003) cannot be read: in Excel choose 另存为 → Excel 工作簿(*.xlsx), "
                       "or CSV UTF-8(逗号分隔), and import that file",
                       path);
    if (format < 0)
        return err_set(err, LZ_EINPUT, "%s: unknown file type (expected .csv, .xlsx or .json)", path);
    const char *base = base_name(path);
    strbuf data;
    strbuf_init(&data);
    int rc = strbuf_read_file(&data, path, err);
    if (rc == 0)
        rc = import_buffer(st, t, (sheet_format)format, base, data.data ? data.data : "", data.len, opt, errs, stats, err);
    strbuf_free(&data);
    return rc;
}

int import_csv_rows(store *st, const table *t, const char *path, importer_sink_fn fn, void *ctx, errlist *errs, lz_err *err)
{
    const char *base = base_name(path);
    strbuf data;
    strbuf_init(&data);
    int rc = strbuf_read_file(&data, path, err);
    if (rc == 0) {
        importer *im = importer_new(st, t, base, errs);
        importer_set_sink(im, fn, ctx);
        rc = feed_csv_text(im, data.data ? data.data : "", data.len, base, errs, err);
        if (rc == 0)
            rc = importer_finish(im, NULL, err);
        importer_free(im);
    }
    if (rc == 0 && errs->total > 0)
        rc = nothing_imported(base, errs, err);
    strbuf_free(&data);
    return rc;
}
