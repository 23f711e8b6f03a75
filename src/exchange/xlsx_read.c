/*
 * xlsx_read — workbook.xml -> the sheet's part name (via workbook.xml.rels), sharedStrings.xml ->
 * a string table, then the sheet's <row>/<c> elements streamed through expat (see xlsx_read.h).
 */
#include "exchange/xlsx_read.h"

#include <expat.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/strbuf.h"

#define XLSX_PART_MAX (512u * 1024 * 1024)

static int read_part(zip_t *z, const char *name, strbuf *out, const char *source, lz_err *err)
{
    zip_stat_t zs;
    if (zip_stat(z, name, 0, &zs) < 0)
        return err_set(err, LZ_EINPUT, "%s: not a spreadsheet workbook (no %s inside)", source, name);
    if (zs.size > XLSX_PART_MAX)
        return err_set(err, LZ_EINPUT, "%s: %s is larger than %u MiB", source, name, XLSX_PART_MAX >> 20);
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return err_set(err, LZ_EINPUT, "%s: cannot read %s: %s", source, name, zip_strerror(z));
    strbuf_reserve(out, (size_t)zs.size);
    zip_int64_t got;
    char buf[65536];
    while ((got = zip_fread(f, buf, sizeof buf)) > 0)
        strbuf_append(out, buf, (size_t)got);
    zip_fclose(f);
    if (got < 0)
        return err_set(err, LZ_EINPUT, "%s: %s is damaged", source, name);
    return 0;
}

typedef int (*part_fn)(void *ctx, const char *name, const char **attrs, bool start);

typedef struct xml_ctx {
    void *user;
    part_fn element;
    strbuf *text;
    bool collect;
} xml_ctx;

static const char *local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static void XMLCALL on_start(void *data, const char *name, const char **attrs)
{
    xml_ctx *x = data;
    x->element(x->user, local_name(name), attrs, true);
}

static void XMLCALL on_end(void *data, const char *name)
{
    xml_ctx *x = data;
    x->element(x->user, local_name(name), NULL, false);
}

static void XMLCALL on_text(void *data, const char *s, int len)
{
    xml_ctx *x = data;
    if (x->collect)
        strbuf_append(x->text, s, (size_t)len);
}

static int parse_xml(const strbuf *doc, xml_ctx *x, const char *source, const char *part, lz_err *err)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    int ok = XML_Parse(p, doc->data ? doc->data : "", (int)doc->len, 1) == XML_STATUS_OK;
    if (!ok)
        err_set(err, LZ_EINPUT, "%s: %s line %lu: %s", source, part, (unsigned long)XML_GetCurrentLineNumber(p),
                XML_ErrorString(XML_GetErrorCode(p)));
    XML_ParserFree(p);
    return ok ? 0 : LZ_EINPUT;
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

static int find_sheet(zip_t *z, const char *prefer, const char *source, char *part, size_t partlen, lz_err *err)
{
    strbuf doc;
    strbuf_init(&doc);
    sheet_pick pick = {.prefer = prefer};
    xml_ctx x = {.user = &pick, .element = on_workbook, .text = &doc};
    int rc = read_part(z, "xl/workbook.xml", &doc, source, err);
    if (rc == 0)
        rc = parse_xml(&doc, &x, source, "workbook.xml", err);
    if (rc == 0 && !pick.first_rid[0])
        rc = err_set(err, LZ_EINPUT, "%s: the workbook has no sheets", source);
    if (rc == 0) {
        if (!pick.rid[0])
            memcpy(pick.rid, pick.first_rid, sizeof pick.rid);
        strbuf_reset(&doc);
        x.element = on_rels;
        rc = read_part(z, "xl/_rels/workbook.xml.rels", &doc, source, err);
        if (rc == 0)
            rc = parse_xml(&doc, &x, source, "workbook.xml.rels", err);
        if (rc == 0 && !pick.target[0])
            rc = err_set(err, LZ_EINPUT, "%s: the workbook does not say where its sheet is", source);
    }
    strbuf_free(&doc);
    snprintf(part, partlen, "%s", pick.target);
    return rc;
}

/* ---- shared strings ---------------------------------------------------------------------------- */

typedef struct shared_strings {
    char **items;
    size_t n, cap;
    strbuf cur;
    xml_ctx *x;
    int depth_si;
} shared_strings;

static int on_sst(void *ctx, const char *name, const char **attrs, bool start)
{
    (void)attrs;
    shared_strings *ss = ctx;
    if (strcmp(name, "si") == 0) {
        if (start) {
            strbuf_reset(&ss->cur);
            ss->depth_si = 1;
        } else {
            if (ss->n == ss->cap) {
                ss->cap = ss->cap ? ss->cap * 2 : 256;
                ss->items = xrealloc(ss->items, ss->cap * sizeof *ss->items);
            }
            ss->items[ss->n++] = xstrndup(ss->cur.data ? ss->cur.data : "", ss->cur.len);
            ss->depth_si = 0;
        }
    } else if (strcmp(name, "rPh") == 0) {
        ss->depth_si = start ? 2 : 1; /* phonetic guides are not part of the text */
    } else if (strcmp(name, "t") == 0 && ss->depth_si == 1) {
        ss->x->collect = start;
    }
    return 0;
}

static int load_shared_strings(zip_t *z, shared_strings *ss, const char *source, lz_err *err)
{
    if (zip_name_locate(z, "xl/sharedStrings.xml", 0) < 0)
        return 0;
    strbuf doc;
    strbuf_init(&doc);
    xml_ctx x = {.user = ss, .element = on_sst, .text = &ss->cur};
    ss->x = &x;
    int rc = read_part(z, "xl/sharedStrings.xml", &doc, source, err);
    if (rc == 0)
        rc = parse_xml(&doc, &x, source, "sharedStrings.xml", err);
    strbuf_free(&doc);
    return rc;
}

static void free_shared_strings(shared_strings *ss)
{
    for (size_t i = 0; i < ss->n; i++)
        free(ss->items[i]);
    free(ss->items);
    strbuf_free(&ss->cur);
}

/* ---- the sheet ---------------------------------------------------------------------------------- */

typedef struct sheet_reader {
    shared_strings *ss;
    xml_ctx *x;
    xlsx_row_fn fn;
    void *ctx;
    long rownum;
    char type[16];
    long col;        /* 0-based column of the current cell */
    strbuf value;    /* <v> or inline <t> text of the current cell */
    strbuf cells;    /* the row's cell texts, NUL-separated */
    size_t *offsets; /* per column: start in cells, or SIZE_MAX for a missing cell */
    size_t *lens;
    const char **ptrs;
    size_t ncols, cap;
    bool stopped, bad_index;
} sheet_reader;

static long column_of(const char *ref)
{
    long c = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++)
        c = c * 26 + (*ref - 'A' + 1);
    return c - 1;
}

/* Plain decimal text for a number the spreadsheet wrote in scientific notation (1.2345E7). */
static void plain_number(const char *s, strbuf *out)
{
    const char *e = strpbrk(s, "eE");
    if (!e) {
        strbuf_puts(out, s);
        return;
    }
    bool neg = *s == '-';
    if (neg || *s == '+')
        s++;
    char digits[64];
    size_t nd = 0;
    long point = -1;
    for (const char *p = s; p < e && nd < sizeof digits - 1; p++) {
        if (*p == '.')
            point = (long)nd;
        else
            digits[nd++] = *p;
    }
    if (point < 0)
        point = (long)nd;
    point += strtol(e + 1, NULL, 10);
    if (neg)
        strbuf_putc(out, '-');
    if (point <= 0) {
        strbuf_puts(out, "0.");
        for (long i = 0; i < -point; i++)
            strbuf_putc(out, '0');
        strbuf_append(out, digits, nd);
        return;
    }
    for (long i = 0; i < point; i++)
        strbuf_putc(out, i < (long)nd ? digits[i] : '0');
    if ((long)nd > point) {
        strbuf_putc(out, '.');
        strbuf_append(out, digits + point, nd - (size_t)point);
    }
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

static void finish_cell(sheet_reader *r)
{
    if (r->col < 0 || r->col > 16383)
        return;
    ensure_columns(r, (size_t)r->col + 1);
    r->offsets[r->col] = r->cells.len;
    const char *v = r->value.data ? r->value.data : "";
    if (strcmp(r->type, "s") == 0) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (*v && !*end && i < r->ss->n)
            strbuf_puts(&r->cells, r->ss->items[i]);
        else
            r->bad_index = true;
    } else if (strcmp(r->type, "n") == 0 || r->type[0] == '\0') {
        plain_number(v, &r->cells);
    } else {
        strbuf_append(&r->cells, v, r->value.len);
    }
    r->lens[r->col] = r->cells.len - r->offsets[r->col];
    strbuf_putc(&r->cells, '\0');
}

static void finish_row(sheet_reader *r)
{
    size_t last = r->ncols;
    while (last > 0 && (r->offsets[last - 1] == SIZE_MAX || r->lens[last - 1] == 0))
        last--;
    if (last == 0 || r->stopped)
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
    if (r->fn(r->ctx, r->rownum, last, r->ptrs, r->lens) != 0)
        r->stopped = true;
}

static int on_sheet(void *ctx, const char *name, const char **attrs, bool start)
{
    sheet_reader *r = ctx;
    if (strcmp(name, "row") == 0) {
        if (start) {
            const char *rn = attr(attrs, "r");
            r->rownum = rn ? atol(rn) : r->rownum + 1;
            r->ncols = 0;
            r->col = -1;
            strbuf_reset(&r->cells);
        } else {
            finish_row(r);
        }
    } else if (strcmp(name, "c") == 0) {
        if (start) {
            const char *ref = attr(attrs, "r"), *t = attr(attrs, "t");
            r->col = ref ? column_of(ref) : r->col + 1;
            snprintf(r->type, sizeof r->type, "%s", t ? t : "n");
            strbuf_reset(&r->value);
        } else {
            finish_cell(r);
        }
    } else if (strcmp(name, "v") == 0 || (strcmp(name, "t") == 0 && strcmp(r->type, "inlineStr") == 0)) {
        r->x->collect = start;
    }
    return 0;
}

static int read_sheet(zip_t *z, const char *part, shared_strings *ss, const char *source, xlsx_row_fn fn, void *ctx, lz_err *err)
{
    strbuf doc;
    strbuf_init(&doc);
    sheet_reader r = {.ss = ss, .fn = fn, .ctx = ctx};
    strbuf_init(&r.value);
    strbuf_init(&r.cells);
    xml_ctx x = {.user = &r, .element = on_sheet, .text = &r.value};
    r.x = &x;
    int rc = read_part(z, part, &doc, source, err);
    if (rc == 0)
        rc = parse_xml(&doc, &x, source, part, err);
    if (rc == 0 && r.bad_index)
        rc = err_set(err, LZ_EINPUT, "%s: a cell refers to a shared string that does not exist", source);
    strbuf_free(&doc);
    strbuf_free(&r.value);
    strbuf_free(&r.cells);
    free(r.offsets);
    free(r.lens);
    free(r.ptrs);
    return rc;
}

int xlsx_read_rows(const char *data, size_t n, const char *prefer_sheet, const char *source, xlsx_row_fn fn, void *ctx, lz_err *err)
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
    char part[256];
    shared_strings ss = {0};
    strbuf_init(&ss.cur);
    int rc = find_sheet(z, prefer_sheet, source, part, sizeof part, err);
    if (rc == 0)
        rc = load_shared_strings(z, &ss, source, err);
    if (rc == 0)
        rc = read_sheet(z, part, &ss, source, fn, ctx, err);
    free_shared_strings(&ss);
    zip_discard(z);
    return rc;
}
