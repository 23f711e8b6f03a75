/*
 * xlsx_read — workbook.xml -> the sheet's part name (via workbook.xml.rels), sharedStrings.xml ->
 * a string table, then the sheet's <row>/<c> elements. Every part is streamed from libzip through
 * expat a chunk at a time, never held whole (see xlsx_read.h for the bounds).
 */
#include "exchange/xlsx_read.h"

#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/date.h"
#include "core/strbuf.h"
#include "core/text.h"

#define CHUNK 65536
#define TOKEN_MAX (2u * 1024 * 1024) /* bytes without '<' or '>': no tag or text of a real workbook is longer */
#define NUMBER_MAX 64                /* characters of a numeric cell's text: a double needs at most 24 */

typedef int (*part_fn)(void *ctx, const char *name, const char **attrs, bool start);

/* What a read may hold at once: the shared strings, the row being read, the text being collected. */
typedef struct budget {
    size_t held, limit;
} budget;

typedef struct xml_ctx {
    void *user;
    part_fn element;
    strbuf *text;
    bool collect;
    budget *b;
    const char *source, *part;
    XML_Parser p;
    lz_err *err;
    bool failed, halted; /* stopped by a callback: with err set, or because the caller had enough */
} xml_ctx;

/* Stops the parse from a callback with a message naming the place; returns -1. */
static int xml_stop(xml_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int xml_stop(xml_ctx *x, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    err_set(x->err, LZ_EINPUT, "%s: %s:%lu: %s", x->source, x->part, (unsigned long)XML_GetCurrentLineNumber(x->p), why);
    x->failed = true;
    XML_StopParser(x->p, XML_FALSE);
    return -1;
}

/* Counts bytes against the read's budget; stops the parse past it. */
static int hold(xml_ctx *x, size_t n)
{
    if (x->b->held + n > x->b->limit)
        return xml_stop(x, "the workbook's text takes more than %zu bytes, %d times the file's size: refused", x->b->limit,
                        XLSX_HOLD_MAX);
    x->b->held += n;
    return 0;
}

static const char *local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static void XMLCALL on_start(void *data, const char *name, const char **attrs)
{
    xml_ctx *x = data;
    if (!x->failed && !x->halted)
        x->element(x->user, local_name(name), attrs, true);
}

static void XMLCALL on_end(void *data, const char *name)
{
    xml_ctx *x = data;
    if (!x->failed && !x->halted)
        x->element(x->user, local_name(name), NULL, false);
}

static void XMLCALL on_text(void *data, const char *s, int len)
{
    xml_ctx *x = data;
    if (x->collect && !x->failed && hold(x, (size_t)len) == 0)
        strbuf_append(x->text, s, (size_t)len);
}

static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    xml_stop(data, "a document type declaration (DTD) has no place in a workbook");
}

/* The longest run of bytes without '<' or '>' so far, carried across chunks in *run. */
static bool token_too_long(const char *s, size_t n, size_t *run)
{
    for (size_t i = 0; i < n; i++) {
        *run = s[i] == '<' || s[i] == '>' ? 0 : *run + 1;
        if (*run > TOKEN_MAX)
            return true;
    }
    return false;
}

static int xml_error(xml_ctx *x, lz_err *err)
{
    if (x->failed)
        return LZ_EINPUT;
    return err_set(err, LZ_EINPUT, "%s: %s:%lu:%lu: %s", x->source, x->part, (unsigned long)XML_GetCurrentLineNumber(x->p),
                   (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1, XML_ErrorString(XML_GetErrorCode(x->p)));
}

/* Checks a part's sizes before inflating it: a part that expands far more than XML does is a zip bomb. */
static int check_part(zip_t *z, const char *name, const char *source, zip_stat_t *zs, lz_err *err)
{
    if (zip_stat(z, name, 0, zs) < 0)
        return err_set(err, LZ_EINPUT, "%s: not a spreadsheet workbook (no %s inside)", source, name);
    if (!(zs->valid & ZIP_STAT_SIZE) || !(zs->valid & ZIP_STAT_COMP_SIZE))
        return err_set(err, LZ_EINPUT, "%s: %s is damaged (no sizes)", source, name);
    if (zs->size > XLSX_EXPAND_FLOOR && zs->size / XLSX_EXPAND_MAX > zs->comp_size)
        return err_set(err, LZ_EINPUT, "%s: %s expands from %llu to %llu bytes, more than %d times: refused", source, name,
                       (unsigned long long)zs->comp_size, (unsigned long long)zs->size, XLSX_EXPAND_MAX);
    return 0;
}

/* Streams one part of the zip through expat, chunk by chunk, into x's callbacks. */
static int parse_part(zip_t *z, const char *name, xml_ctx *x, lz_err *err)
{
    zip_stat_t zs;
    if (check_part(z, name, x->source, &zs, err) < 0)
        return LZ_EINPUT;
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return err_set(err, LZ_EINPUT, "%s: cannot read %s: %s", x->source, name, zip_strerror(z));
    x->part = name;
    x->err = err;
    x->p = XML_ParserCreate("UTF-8");
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, on_start, on_end);
    XML_SetCharacterDataHandler(x->p, on_text);
    XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
    char buf[CHUNK];
    zip_int64_t got = 0;
    zip_uint64_t total = 0;
    size_t run = 0;
    int rc = 0;
    while (rc == 0 && !x->halted && (got = zip_fread(f, buf, sizeof buf)) > 0) {
        total += (zip_uint64_t)got;
        if (total > zs.size)
            rc = err_set(err, LZ_EINPUT, "%s: %s is damaged (longer than it says)", x->source, name);
        else if (token_too_long(buf, (size_t)got, &run))
            rc = err_set(err, LZ_EINPUT, "%s: %s: an element or text longer than %u bytes: refused", x->source, name, TOKEN_MAX);
        else if (XML_Parse(x->p, buf, (int)got, 0) != XML_STATUS_OK && !x->halted)
            rc = xml_error(x, err);
    }
    if (rc == 0 && !x->halted && got < 0)
        rc = err_set(err, LZ_EINPUT, "%s: %s is damaged", x->source, name);
    if (rc == 0 && !x->halted && XML_Parse(x->p, "", 0, 1) != XML_STATUS_OK)
        rc = xml_error(x, err);
    XML_ParserFree(x->p);
    zip_fclose(f);
    return rc;
}

static const char *attr(const char **attrs, const char *name)
{
    for (int i = 0; attrs && attrs[i]; i += 2)
        if (strcmp(local_name(attrs[i]), name) == 0)
            return attrs[i + 1];
    return NULL;
}

/* ---- workbook: which part holds the sheet --------------------------------------------------- */

typedef struct sheet_pick {
    const char *prefer;
    char rid[64], first_rid[64], target[256];
} sheet_pick;

static int on_workbook(void *ctx, const char *name, const char **attrs, bool start)
{
    sheet_pick *p = ctx;
    if (!start || strcmp(name, "sheet") != 0)
        return 0;
    const char *sheet_name = attr(attrs, "name"), *rid = attr(attrs, "id");
    if (!rid)
        return 0;
    if (!p->first_rid[0])
        snprintf(p->first_rid, sizeof p->first_rid, "%s", rid);
    if (p->prefer && sheet_name && strcmp(sheet_name, p->prefer) == 0)
        snprintf(p->rid, sizeof p->rid, "%s", rid);
    return 0;
}

static int on_rels(void *ctx, const char *name, const char **attrs, bool start)
{
    sheet_pick *p = ctx;
    if (!start || strcmp(name, "Relationship") != 0)
        return 0;
    const char *id = attr(attrs, "Id"), *target = attr(attrs, "Target");
    if (id && target && strcmp(id, p->rid) == 0) {
        if (target[0] == '/')
            snprintf(p->target, sizeof p->target, "%s", target + 1);
        else
            snprintf(p->target, sizeof p->target, "xl/%s", target);
    }
    return 0;
}

static int find_sheet(zip_t *z, const char *prefer, const char *source, budget *b, char *part, size_t partlen, lz_err *err)
{
    sheet_pick pick = {.prefer = prefer};
    xml_ctx x = {.user = &pick, .element = on_workbook, .b = b, .source = source};
    int rc = parse_part(z, "xl/workbook.xml", &x, err);
    if (rc == 0 && !pick.first_rid[0])
        rc = err_set(err, LZ_EINPUT, "%s: the workbook has no sheets", source);
    if (rc == 0) {
        if (!pick.rid[0])
            memcpy(pick.rid, pick.first_rid, sizeof pick.rid);
        x.element = on_rels;
        rc = parse_part(z, "xl/_rels/workbook.xml.rels", &x, err);
        if (rc == 0 && !pick.target[0])
            rc = err_set(err, LZ_EINPUT, "%s: the workbook does not say where its sheet is", source);
    }
    snprintf(part, partlen, "%s", pick.target);
    return rc;
}

/* ---- shared strings ---------------------------------------------------------------------------- */

/* All strings in one buffer, each followed by a NUL, and where each starts: a workbook of many
 * short strings costs their bytes plus one offset each, not an allocation each. */
typedef struct shared_strings {
    strbuf text;
    size_t *starts;
    size_t n, cap;
    strbuf cur;
    xml_ctx *x;
    int depth_si;
} shared_strings;

static void sst_add(shared_strings *ss)
{
    if (hold(ss->x, ss->cur.len + 1 + sizeof *ss->starts) < 0)
        return; /* cur's own bytes are released when the next string starts */
    if (ss->n == ss->cap) {
        ss->cap = ss->cap ? ss->cap * 2 : 256;
        ss->starts = xrealloc(ss->starts, ss->cap * sizeof *ss->starts);
    }
    ss->starts[ss->n++] = ss->text.len;
    strbuf_append(&ss->text, ss->cur.data ? ss->cur.data : "", ss->cur.len);
    strbuf_putc(&ss->text, '\0');
}

static int on_sst(void *ctx, const char *name, const char **attrs, bool start)
{
    (void)attrs;
    shared_strings *ss = ctx;
    if (strcmp(name, "si") == 0) {
        if (start) {
            ss->x->b->held -= ss->cur.len;
            strbuf_reset(&ss->cur);
            ss->depth_si = 1;
        } else {
            sst_add(ss);
            ss->depth_si = 0;
        }
    } else if (strcmp(name, "rPh") == 0) {
        ss->depth_si = start ? 2 : 1; /* phonetic guides are not part of the text */
    } else if (strcmp(name, "t") == 0 && ss->depth_si == 1) {
        ss->x->collect = start;
    }
    return 0;
}

static int load_shared_strings(zip_t *z, shared_strings *ss, const char *source, budget *b, lz_err *err)
{
    if (zip_name_locate(z, "xl/sharedStrings.xml", 0) < 0)
        return 0;
    xml_ctx x = {.user = ss, .element = on_sst, .text = &ss->cur, .b = b, .source = source};
    ss->x = &x;
    int rc = parse_part(z, "xl/sharedStrings.xml", &x, err);
    b->held -= ss->cur.len;
    strbuf_free(&ss->cur);
    return rc;
}

static void free_shared_strings(shared_strings *ss)
{
    strbuf_free(&ss->text);
    free(ss->starts);
    strbuf_free(&ss->cur);
}

/* ---- styles: which cells show dates ------------------------------------------------------------ */

/* Per cell style (a cell's s attribute indexes cellXfs), whether its number format shows a date:
 * such a cell's number is a serial day, not a figure. */
typedef struct date_styles {
    bool *is_date;
    size_t n, cap;
    long *custom; /* numFmtIds of the workbook's own formats that show a date */
    size_t ncustom, capcustom;
    bool in_xfs;
    xml_ctx *x;
} date_styles;

/* Built-in formats that show a date: 14-22, and the East Asian ones 27-36, 45-47, 50-58. */
static bool builtin_date(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/* Whether a format code shows a date: a y or d outside quotes, escapes and [brackets] ([Red],
 * [$-804]). An m alone may be minutes, and a month without a year or day is no date to import. */
static bool code_shows_date(const char *code)
{
    bool quoted = false;
    int bracket = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (*p == '\\' && p[1])
            p++;
        else if (*p == '[')
            bracket++;
        else if (*p == ']' && bracket)
            bracket--;
        else if (!bracket && strchr("yYdD", *p))
            return true;
    }
    return false;
}

static bool custom_date(const date_styles *ds, long id)
{
    for (size_t i = 0; i < ds->ncustom; i++)
        if (ds->custom[i] == id)
            return true;
    return false;
}

static int on_styles(void *ctx, const char *name, const char **attrs, bool start)
{
    date_styles *ds = ctx;
    if (strcmp(name, "cellXfs") == 0) {
        ds->in_xfs = start;
    } else if (start && strcmp(name, "numFmt") == 0) {
        const char *id = attr(attrs, "numFmtId"), *code = attr(attrs, "formatCode");
        if (!id || !code || !code_shows_date(code) || hold(ds->x, sizeof *ds->custom) < 0)
            return 0;
        if (ds->ncustom == ds->capcustom) {
            ds->capcustom = ds->capcustom ? ds->capcustom * 2 : 8;
            ds->custom = xrealloc(ds->custom, ds->capcustom * sizeof *ds->custom);
        }
        ds->custom[ds->ncustom++] = strtol(id, NULL, 10);
    } else if (start && ds->in_xfs && strcmp(name, "xf") == 0) {
        const char *fmt = attr(attrs, "numFmtId");
        long id = fmt ? strtol(fmt, NULL, 10) : 0;
        if (hold(ds->x, sizeof *ds->is_date) < 0)
            return 0;
        if (ds->n == ds->cap) {
            ds->cap = ds->cap ? ds->cap * 2 : 32;
            ds->is_date = xrealloc(ds->is_date, ds->cap * sizeof *ds->is_date);
        }
        ds->is_date[ds->n++] = builtin_date(id) || custom_date(ds, id);
    }
    return 0;
}

static int load_date_styles(zip_t *z, date_styles *ds, const char *source, budget *b, lz_err *err)
{
    if (zip_name_locate(z, "xl/styles.xml", 0) < 0)
        return 0;
    xml_ctx x = {.user = ds, .element = on_styles, .b = b, .source = source};
    ds->x = &x;
    return parse_part(z, "xl/styles.xml", &x, err);
}

/* ---- numbers ------------------------------------------------------------------------------------- */

/* A numeric cell as a spreadsheet shows it (text_from_double): the binary 99.98999999999999 a
 * workbook stores for 99.99 reads as "99.99". Returns -1 with a reason for text that is no finite
 * double. */
static int excel_number(const char *v, size_t n, strbuf *out, char *why, size_t whylen)
{
    if (n == 0)
        return 0;
    char *end;
    double d = n <= NUMBER_MAX ? strtod(v, &end) : 0;
    if (n > NUMBER_MAX || *end || !isfinite(d)) {
        snprintf(why, whylen, "the number '%.40s%s' is beyond what a spreadsheet cell holds (at most about 1.8E308)", v,
                 n > 40 ? "..." : "");
        return -1;
    }
    text_from_double(d, out);
    return 0;
}

/* A numeric cell formatted as a date: its serial day (days since 1899-12-30; a time of day is
 * dropped) as YYYY-MM-DD. */
static int excel_date(const char *v, size_t n, strbuf *out, char *why, size_t whylen)
{
    char *end;
    double d = n && n <= NUMBER_MAX ? strtod(v, &end) : 0;
    if (!n || n > NUMBER_MAX || *end || !(d >= 1 && d < 2958466)) { /* 1900-01-01 .. 9999-12-31 */
        snprintf(why, whylen, "'%.40s' in a cell formatted as a date is no date", v);
        return -1;
    }
    char iso[DATE_LEN + 1];
    date_format(date_from_ymd(1899, 12, 30) + (int32_t)floor(d), iso);
    strbuf_append(out, iso, DATE_LEN);
    return 0;
}

/* ---- the sheet ---------------------------------------------------------------------------------- */

typedef struct sheet_reader {
    shared_strings *ss;
    const date_styles *styles;
    long style;   /* the current cell's s attribute */
    bool formula; /* the current cell has <f> */
    xml_ctx *x;
    xlsx_row_fn fn;
    xlsx_cell_error_fn on_error;
    void *ctx;
    long rownum;
    char type[16], ref[32];
    long col;        /* 0-based column of the current cell */
    strbuf value;    /* <v> or inline <t> text of the current cell */
    strbuf cells;    /* the row's cell texts, NUL-separated */
    size_t *offsets; /* per column: start in cells, or SIZE_MAX for a missing cell */
    size_t *lens;
    const char **ptrs;
    size_t ncols, cap;
    bool row_bad;
} sheet_reader;

#define XLSX_COLS 16384 /* columns A..XFD */

/* 0-based column of a cell reference ("C2" -> 2), or -1 when it names none. */
static long column_of(const char *ref)
{
    long c = 0;
    for (; *ref >= 'A' && *ref <= 'Z' && c <= XLSX_COLS; ref++)
        c = c * 26 + (*ref - 'A' + 1);
    return c <= XLSX_COLS ? c - 1 : -1;
}

static void ensure_columns(sheet_reader *r, size_t n)
{
    if (n > r->cap) {
        r->cap = n + 16;
        r->offsets = xrealloc(r->offsets, r->cap * sizeof *r->offsets);
        r->lens = xrealloc(r->lens, r->cap * sizeof *r->lens);
        r->ptrs = xrealloc(r->ptrs, r->cap * sizeof *r->ptrs);
    }
    while (r->ncols < n)
        r->offsets[r->ncols++] = SIZE_MAX;
}

static void cell_error(sheet_reader *r, const char *why)
{
    r->row_bad = true;
    r->on_error(r->ctx, r->rownum, r->ref, why);
}

/* The current cell's value is done with: its bytes leave the budget (once, however the XML nests). */
static void release_value(sheet_reader *r)
{
    r->x->b->held -= r->value.len;
    strbuf_reset(&r->value);
}

/* Appends the current cell's text to the row; false (reported) when the cell cannot be read. */
static bool cell_text(sheet_reader *r)
{
    const char *v = r->value.data ? r->value.data : "";
    char why[200];
    if (strcmp(r->type, "s") == 0) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (!*v || *end || i >= r->ss->n) {
            snprintf(why, sizeof why, "refers to shared string '%.20s', the workbook has %zu", v, r->ss->n);
            cell_error(r, why);
            return false;
        }
        strbuf_puts(&r->cells, r->ss->text.data + r->ss->starts[i]);
    } else if (r->formula && r->value.len == 0) {
        /* a program that wrote the formula without computing it (not Excel or WPS): its value is
         * unknown, and an empty cell would clear the stored one */
        cell_error(r, "has a formula without a saved value (open the file in Excel or WPS and save it again)");
        return false;
    } else if ((strcmp(r->type, "n") == 0 || !r->type[0]) && r->style >= 0 && (size_t)r->style < r->styles->n &&
               r->styles->is_date[r->style]) {
        if (excel_date(v, r->value.len, &r->cells, why, sizeof why) < 0) {
            cell_error(r, why);
            return false;
        }
    } else if (strcmp(r->type, "n") == 0 || !r->type[0]) {
        if (excel_number(v, r->value.len, &r->cells, why, sizeof why) < 0) {
            cell_error(r, why);
            return false;
        }
    } else {
        strbuf_append(&r->cells, v, r->value.len);
    }
    return true;
}

static void finish_cell(sheet_reader *r)
{
    if (r->col >= 0 && r->col < XLSX_COLS && !r->row_bad) {
        ensure_columns(r, (size_t)r->col + 1);
        size_t start = r->cells.len;
        r->offsets[r->col] = start;
        if (cell_text(r)) {
            r->lens[r->col] = r->cells.len - start;
            strbuf_putc(&r->cells, '\0');
            hold(r->x, r->cells.len - start);
        }
    }
    release_value(r);
}

static void finish_row(sheet_reader *r)
{
    size_t last = r->ncols;
    while (last > 0 && (r->offsets[last - 1] == SIZE_MAX || r->lens[last - 1] == 0))
        last--;
    if (last == 0 || r->row_bad)
        return;
    static const char empty[] = "";
    for (size_t i = 0; i < last; i++) {
        if (r->offsets[i] == SIZE_MAX) {
            r->ptrs[i] = empty;
            r->lens[i] = 0;
        } else {
            r->ptrs[i] = r->cells.data + r->offsets[i];
        }
    }
    if (r->fn(r->ctx, r->rownum, last, r->ptrs, r->lens) != 0) {
        r->x->halted = true;
        XML_StopParser(r->x->p, XML_FALSE);
    }
}

static void start_row(sheet_reader *r, const char **attrs)
{
    const char *rn = attr(attrs, "r");
    r->rownum = rn ? strtol(rn, NULL, 10) : r->rownum + 1;
    r->ncols = 0;
    r->col = -1;
    r->row_bad = false;
    r->x->b->held -= r->cells.len;
    strbuf_reset(&r->cells);
}

static void start_cell(sheet_reader *r, const char **attrs)
{
    const char *ref = attr(attrs, "r"), *t = attr(attrs, "t"), *style = attr(attrs, "s");
    r->style = style ? strtol(style, NULL, 10) : -1;
    r->formula = false;
    r->col = ref ? column_of(ref) : r->col + 1;
    if (ref)
        snprintf(r->ref, sizeof r->ref, "%s", ref);
    else
        snprintf(r->ref, sizeof r->ref, "column %ld", r->col + 1);
    snprintf(r->type, sizeof r->type, "%s", t ? t : "n");
    release_value(r);
}

static int on_sheet(void *ctx, const char *name, const char **attrs, bool start)
{
    sheet_reader *r = ctx;
    if (strcmp(name, "row") == 0) {
        if (start)
            start_row(r, attrs);
        else
            finish_row(r);
    } else if (strcmp(name, "c") == 0) {
        if (start)
            start_cell(r, attrs);
        else
            finish_cell(r);
    } else if (strcmp(name, "f") == 0) {
        r->formula = true;
    } else if (strcmp(name, "v") == 0 || (strcmp(name, "t") == 0 && strcmp(r->type, "inlineStr") == 0)) {
        r->x->collect = start;
    }
    return 0;
}

static int read_sheet(zip_t *z, const char *part, shared_strings *ss, const char *source, budget *b, sheet_reader *r, lz_err *err)
{
    r->ss = ss;
    strbuf_init(&r->value);
    strbuf_init(&r->cells);
    xml_ctx x = {.user = r, .element = on_sheet, .text = &r->value, .b = b, .source = source};
    r->x = &x;
    int rc = parse_part(z, part, &x, err);
    strbuf_free(&r->value);
    strbuf_free(&r->cells);
    free(r->offsets);
    free(r->lens);
    free(r->ptrs);
    return rc;
}

int xlsx_read_rows(const char *data, size_t n, const char *prefer_sheet, const char *source, xlsx_row_fn fn,
                   xlsx_cell_error_fn on_error, void *ctx, lz_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return err_set(err, LZ_EINPUT, "%s: not an .xlsx workbook (not a zip archive)", source);
    }
    zip_error_fini(&ze);
    budget b = {.limit = XLSX_HOLD_FLOOR + (n > SIZE_MAX / XLSX_HOLD_MAX ? SIZE_MAX / 2 : n * XLSX_HOLD_MAX)};
    char part[256];
    shared_strings ss = {0};
    strbuf_init(&ss.text);
    strbuf_init(&ss.cur);
    date_styles ds = {0};
    sheet_reader r = {.fn = fn, .on_error = on_error, .ctx = ctx, .styles = &ds};
    int rc = find_sheet(z, prefer_sheet, source, &b, part, sizeof part, err);
    if (rc == 0)
        rc = load_date_styles(z, &ds, source, &b, err);
    if (rc == 0)
        rc = load_shared_strings(z, &ss, source, &b, err);
    if (rc == 0)
        rc = read_sheet(z, part, &ss, source, &b, &r, err);
    free_shared_strings(&ss);
    free(ds.is_date);
    free(ds.custom);
    zip_discard(z);
    return rc;
}
