/*
 * import — header mapping, field validation, reference checks and upserts for one table
 * (see import.h), or checked rows handed to a sink for rows bound elsewhere (importer_set_sink).
 * Reference checks hit the database at most once per distinct consecutive value (rows usually
 * arrive grouped by enterprise); a reference to a row that comes later in the same file is
 * deferred and checked when the import finishes.
 *
 * A row that matches a stored row by its key changes only the columns the file has: the stored
 * row is read first, the file's columns are laid over it, and the merged row is what the
 * cross-field rules see and what is written. The columns that changed are kept for the audit log.
 *
 * Rows are judged a batch at a time (IMPORT_BATCH_ROWS): the stored rows of a batch's keys come in
 * one store_get_many and the rows go out through one store_bulk, which on PostgreSQL turns two
 * round trips a row into a few a batch. A batch runs when full, at importer_finish, and before
 * anyone else adds a message to the importer's errlist (errlist.before_add), so that messages keep
 * the order of the file, as if every row were judged as it came.
 */
#include "exchange/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/strmap.h"
#include "core/strset.h"
#include "exchange/export.h"
#include "exchange/template.h"
#include "model/cellfmt.h"
#include "model/labels.h"

#define MAX_COLS 64
#define IMPORT_BATCH_ROWS STORE_GET_MANY_MAX

/* A row given to importer_row, waiting for its batch; fields and text in the batch arena. */
typedef struct pending_row {
    long line;
    size_t n;
    const char **fields; /* NULL entries kept: a column this row leaves out */
    size_t *lens;
} pending_row;

typedef struct deferred_ref {
    long line;
    int col;
    char *value, *scope; /* owned */
} deferred_ref;

struct importer {
    store *st;
    const table *t;
    char *source;
    errlist *errs;
    int field_of[MAX_COLS]; /* column -> field index in the source row, -1 when absent */
    int unit_of[MAX_COLS];  /* column -> power of ten its figures are in ("产值（万元）": 4) */
    int unit_pow10;         /* the file's unit, for columns whose header names none */
    size_t nfields;
    bool spreadsheet;  /* XLSX: trailing empty cells may be absent */
    bool csv;          /* CSV: text fields may carry export's formula guard */
    bool after_header; /* the next row is the first below the header: it may be a template's notes */
    strset keys;       /* natural keys seen in this import: one key twice is an error */
    strbuf key;
    arena row_arena;
    cell row[MAX_COLS];
    bool present[MAX_COLS];               /* the current row gives this column (else it keeps the stored value) */
    strbuf changed_before, changed_after; /* "KEY":{changed columns},... as JSON text: compact */
    char *last_ok[MAX_COLS];              /* last reference value found to exist, per column */
    deferred_ref *deferred;
    size_t ndeferred, capdeferred;
    import_stats stats;
    arena batch_arena; /* the pending rows and the stored rows of their keys */
    pending_row pending[IMPORT_BATCH_ROWS];
    size_t npending;
    strmap stored;     /* a pending row's key text -> its stored row in stored_rows */
    cell *stored_rows; /* t->ncols cells per stored row found, text in batch_arena */
    size_t nstored;
    strmap refs_asked, refs_found; /* the batch's references looked up (ref_key), keys in batch_arena */
    strbuf ref_text;
    store_bulk *bulk; /* the rows written, made at the first */
    int late_rc;      /* a batch run for errlist.before_add failed: importer_row and importer_finish say so */
    lz_err late_err;
    importer_sink_fn sink; /* rows go here instead of into the table (importer_set_sink) */
    void *sink_ctx;
    import_progress_fn progress; /* importer_set_progress */
    void *progress_ctx;
};

static void judge_given_rows(void *ctx);

importer *importer_new(store *st, const table *t, const char *source, errlist *errs)
{
    importer *im = xcalloc(1, sizeof *im);
    im->st = st;
    im->t = t;
    im->source = xstrdup(source);
    im->errs = errs;
    arena_init(&im->row_arena, 16 * 1024);
    arena_init(&im->batch_arena, 256 * 1024);
    im->stored_rows = xmalloc(IMPORT_BATCH_ROWS * t->ncols * sizeof *im->stored_rows);
    for (int i = 0; i < MAX_COLS; i++)
        im->field_of[i] = -1;
    strset_init(&im->keys);
    strbuf_init(&im->key);
    strbuf_init(&im->changed_before);
    strbuf_init(&im->changed_after);
    strbuf_init(&im->ref_text);
    errs->before_add = judge_given_rows;
    errs->before_add_ctx = im;
    return im;
}

void importer_free(importer *im)
{
    if (!im)
        return;
    for (size_t i = 0; i < im->ndeferred; i++) {
        free(im->deferred[i].value);
        free(im->deferred[i].scope);
    }
    free(im->deferred);
    for (int i = 0; i < MAX_COLS; i++)
        free(im->last_ok[i]);
    if (im->errs->before_add_ctx == im) {
        im->errs->before_add = NULL;
        im->errs->before_add_ctx = NULL;
    }
    store_bulk_free(im->bulk);
    strmap_free(&im->stored);
    strmap_free(&im->refs_asked);
    strmap_free(&im->refs_found);
    strbuf_free(&im->ref_text);
    free(im->stored_rows);
    arena_free(&im->batch_arena);
    arena_free(&im->row_arena);
    strbuf_free(&im->changed_before);
    strbuf_free(&im->changed_after);
    strset_free(&im->keys);
    strbuf_free(&im->key);
    free(im->source);
    free(im);
}

bool importer_is_header(const importer *im, size_t n, const char *const *cells, const size_t *lens)
{
    size_t named = 0, other = 0;
    for (size_t f = 0; f < n; f++) {
        int unit;
        if (label_column(im->t, cells[f], lens[f], &unit) >= 0)
            named++;
        else if (lens[f] > 0)
            other++;
    }
    return named > 0 && named >= other;
}

void importer_no_header(const importer *im, long rows)
{
    strbuf names;
    strbuf_init(&names);
    for (size_t c = 0; c < im->t->ncols; c++)
        strbuf_printf(&names, "%s%s (%s)", c ? ", " : "", im->t->cols[c].label_zh, im->t->cols[c].name);
    errlist_add(
        im->errs,
        "%s:1: no header row in the first %ld rows: the header must be on row 1, or below a title, and name the columns: %s",
        im->source, rows, names.data);
    strbuf_free(&names);
}

int importer_header_at(importer *im, long line, size_t n, const char *const *names, const size_t *lens)
{
    size_t before = im->errs->total;
    im->nfields = n;
    for (size_t f = 0; f < n; f++) {
        int unit = 0, c = label_column(im->t, names[f], lens[f], &unit);
        int shown = (int)(lens[f] < 100 ? lens[f] : 100);
        if (c < 0 && (im->sink || table_ref_name_column(im->t, names[f], lens[f]) >= 0))
            continue; /* a sink takes the columns it knows; a name export put beside a code is derived, not data */
        if (c < 0) {
            errlist_add(im->errs, "%s:%ld: %.*s: unknown column of %s (columns: see 'lianzhang columns %s')", im->source, line,
                        shown, names[f], im->t->name, im->t->name);
        } else if (im->field_of[c] >= 0) {
            errlist_add(im->errs, "%s:%ld: %.*s: column appears twice", im->source, line, shown, names[f]);
        } else {
            im->field_of[c] = (int)f;
            im->unit_of[c] = unit ? unit : im->unit_pow10;
        }
    }
    im->after_header = true;
    /* Other required columns are needed only by rows that turn out to be new (see merge_stored). */
    for (size_t c = 0; c < im->t->ncols; c++) {
        if (im->field_of[c] >= 0)
            continue;
        if (im->t->cols[c].flags & COLF_KEY)
            errlist_add(im->errs, "%s:%ld: %s: key column is missing (rows are matched by it; its header may be %s)", im->source,
                        line, im->t->cols[c].name, im->t->cols[c].label_zh);
        else if (im->sink && (im->t->cols[c].flags & COLF_REQUIRED)) /* every row is new */
            errlist_add(im->errs, "%s:%ld: %s: required column is missing", im->source, line, im->t->cols[c].name);
    }
    return im->errs->total != before ? LZ_EINPUT : 0;
}

int importer_header(importer *im, size_t n, const char *const *names, const size_t *lens)
{
    return importer_header_at(im, 1, n, names, lens);
}

void importer_header_all(importer *im)
{
    im->nfields = im->t->ncols;
    for (size_t c = 0; c < im->t->ncols; c++)
        im->field_of[c] = (int)c;
}

void importer_set_unit(importer *im, int unit_pow10)
{
    im->unit_pow10 = unit_pow10;
    for (size_t c = 0; c < im->t->ncols; c++)
        im->unit_of[c] = unit_pow10;
}

void importer_set_spreadsheet(importer *im)
{
    im->spreadsheet = true;
}

void importer_set_csv(importer *im)
{
    im->csv = true;
}

void importer_set_sink(importer *im, importer_sink_fn fn, void *ctx)
{
    im->sink = fn;
    im->sink_ctx = ctx;
}

static void remember_ok(importer *im, int col, const char *value)
{
    free(im->last_ok[col]);
    im->last_ok[col] = xstrdup(value);
}

static void defer(importer *im, long line, int col, const char *value, size_t n, const char *scope)
{
    if (im->ndeferred == im->capdeferred) {
        im->capdeferred = im->capdeferred ? im->capdeferred * 2 : 64;
        im->deferred = xrealloc(im->deferred, im->capdeferred * sizeof *im->deferred);
    }
    im->deferred[im->ndeferred++] = (deferred_ref){line, col, xstrndup(value, n), scope ? xstrdup(scope) : NULL};
}

static const char *scope_value(importer *im, const column *c)
{
    if (!c->scope_column)
        return NULL;
    int s = table_column_index(im->t, c->scope_column);
    return s >= 0 && im->row[s].kind == CELL_TEXT ? im->row[s].s : NULL;
}

/* A reference's key among the batch's answers: its column, its scope (empty when unscoped), its value. */
static void ref_key(strbuf *b, int col, const char *scope, size_t scope_len, const char *v, size_t n)
{
    strbuf_reset(b);
    strbuf_printf(b, "%d\x1f", col);
    strbuf_append(b, scope ? scope : "", scope ? scope_len : 0);
    strbuf_putc(b, '\x1f');
    strbuf_append(b, v, n);
}

/* What the batch's lookup (read_refs) found of a reference: 1 there, 0 not there, -1 not asked. */
static int ref_answer(importer *im, int col, const char *scope, const char *v, size_t n)
{
    ref_key(&im->ref_text, col, scope, scope ? strlen(scope) : 0, v, n);
    if (strmap_get(&im->refs_found, im->ref_text.data, im->ref_text.len) >= 0)
        return 1;
    return strmap_get(&im->refs_asked, im->ref_text.data, im->ref_text.len) >= 0 ? 0 : -1;
}

/* Checks one referenced value now, or defers it; returns LZ_EINTERNAL only on store failure. */
static int check_ref_value(importer *im, long line, int col, const char *v, size_t n, const char *scope, lz_err *err)
{
    const column *c = &im->t->cols[col];
    if (!scope && im->last_ok[col] && strlen(im->last_ok[col]) == n && memcmp(im->last_ok[col], v, n) == 0)
        return 0;
    char item[256];
    snprintf(item, sizeof item, "%.*s", (int)n, v);
    int answer = ref_answer(im, col, scope, v, n);
    bool exists = answer == 1;
    if (answer < 0 && store_ref_exists(im->st, c, item, scope, &exists, err) < 0)
        return LZ_EINTERNAL;
    if (exists) {
        if (!scope)
            remember_ok(im, col, item);
    } else {
        defer(im, line, col, v, n, scope);
    }
    return 0;
}

static int check_refs(importer *im, long line, lz_err *err)
{
    for (size_t c = 0; c < im->t->ncols; c++) {
        const column *col = &im->t->cols[c];
        const cell *v = &im->row[c];
        if (!col->ref_table || v->kind != CELL_TEXT || !im->present[c])
            continue; /* a value kept from the stored row was checked when it was written */
        const char *scope = scope_value(im, col);
        if (col->ref_scope && !scope)
            continue; /* the scope is unknown: row_check reports it */
        const char *p = v->s, *end = v->s + v->n;
        while (p < end) {
            const char *q = col->type == COL_LIST ? memchr(p, ';', (size_t)(end - p)) : NULL;
            if (!q)
                q = end;
            if (check_ref_value(im, line, (int)c, p, (size_t)(q - p), scope, err) < 0)
                return LZ_EINTERNAL;
            p = q + 1;
        }
    }
    return 0;
}

/* "uscc=..., year=...": a row's natural key as messages show it and the batch's lookups match it. */
static void key_text(const table *t, const cell *row, strbuf *out)
{
    strbuf_reset(out);
    for (size_t c = 0; c < t->ncols; c++) {
        if (!(t->cols[c].flags & COLF_KEY))
            continue;
        if (out->len)
            strbuf_append(out, ", ", 2);
        strbuf_puts(out, t->cols[c].name);
        strbuf_putc(out, '=');
        cell_format(&t->cols[c], &row[c], out);
    }
}

/* Records the row's natural key; false (with the error reported) when an earlier row had it. */
static bool first_time_key(importer *im, long line)
{
    if (strset_add(&im->keys, im->key.data, im->key.len))
        return true;
    errlist_add(im->errs, "%s:%ld: %s: the same key (%s) is on an earlier row of this import", im->source, line,
                im->t->cols[0].name, im->key.data);
    return false;
}

/* Column c as a row gives it, parsed into *out (text in a): false when the row leaves the column
 * out (a field pointer of NULL: a JSON object without that key); else *parsed says whether its
 * value parses, and why says why not. */
static bool given_cell(importer *im, size_t n, const char *const *fields, const size_t *lens, size_t c, arena *a, cell *out,
                       bool *parsed, char *why, size_t whylen)
{
    int f = im->field_of[c];
    if (f < 0 || ((size_t)f < n && !fields[f])) /* a short spreadsheet row: trailing cells are empty */
        return false;
    const char *s = (size_t)f < n ? fields[f] : "";
    size_t len = (size_t)f < n ? lens[f] : 0;
    if (im->csv && column_holds_text(&im->t->cols[c]))
        csv_unguard(&s, &len);
    *parsed = cell_parse_unit(&im->t->cols[c], im->unit_of[c], s, len, a, out, why, whylen) == 0;
    return true;
}

/* Parses the fields the row gives into im->row; present[c] says which columns it gives. */
static void parse_fields(importer *im, long line, size_t n, const char *const *fields, const size_t *lens)
{
    char why[1600];
    for (size_t c = 0; c < im->t->ncols; c++) {
        const column *col = &im->t->cols[c];
        bool parsed;
        im->row[c] = cell_null();
        im->present[c] = given_cell(im, n, fields, lens, c, &im->row_arena, &im->row[c], &parsed, why, sizeof why);
        if (!im->present[c] && (col->flags & COLF_KEY)) /* a JSON object without it */
            errlist_add(im->errs, "%s:%ld: %s: key column is missing (rows are matched by it)", im->source, line, col->name);
        else if (im->present[c] && !parsed)
            errlist_add(im->errs, "%s:%ld: %s: %s", im->source, line, col->name, why);
    }
}

/* Fills the columns the row leaves out: from the stored row with the same key when the batch read
 * one (*old, *found; never for a sink), else with their defaults, which a required column has not. */
static void merge_stored(importer *im, long line, const cell **old, bool *found)
{
    *old = NULL;
    if (!im->sink) {
        int32_t at = strmap_get(&im->stored, im->key.data, im->key.len);
        if (at >= 0)
            *old = im->stored_rows + (size_t)at * im->t->ncols;
    }
    *found = *old != NULL;
    char why[600];
    for (size_t c = 0; c < im->t->ncols; c++) {
        const column *col = &im->t->cols[c];
        if (im->present[c])
            continue;
        if (*found)
            im->row[c] = (*old)[c];
        else if (cell_parse(col, "", 0, &im->row_arena, &im->row[c], why, sizeof why) < 0)
            errlist_add(im->errs, "%s:%ld: %s: required column is missing (a new row needs it)", im->source, line, col->name);
    }
}

static bool same_cell(const cell *a, const cell *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == CELL_INT)
        return a->i == b->i;
    return a->kind == CELL_NULL || (a->n == b->n && memcmp(a->s, b->s, a->n) == 0);
}

/* Appends "key":columns to a JSON object's members kept as text (takes columns). Text, not a
 * jansson tree, so that a large import's changes cost about their own size. */
static void append_change(strbuf *members, const char *key, json_t *columns)
{
    json_t *member = json_object();
    json_object_set_new(member, key, columns);
    char *text = json_dumps(member, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (members->len)
        strbuf_putc(members, ',');
    strbuf_append(members, text + 1, strlen(text) - 2); /* without the braces */
    free(text);
    json_decref(member);
}

/* Keeps the columns of an updated row that change, before and after, under the row's key;
 * returns whether any does. */
static bool note_changes(importer *im, const cell *old)
{
    json_t *before = NULL, *after = NULL;
    for (size_t c = 0; c < im->t->ncols; c++) {
        if (same_cell(&old[c], &im->row[c]))
            continue;
        if (!before) {
            before = json_object();
            after = json_object();
        }
        json_object_set_new(before, im->t->cols[c].name, export_cell_json(&im->t->cols[c], &old[c]));
        json_object_set_new(after, im->t->cols[c].name, export_cell_json(&im->t->cols[c], &im->row[c]));
    }
    if (!before)
        return false;
    append_change(&im->changed_before, im->key.data, before);
    append_change(&im->changed_after, im->key.data, after);
    return true;
}

/* Whether the row is the notes row of a template (template.h), which holds no data. */
static bool template_notes(importer *im, size_t n, const char *const *fields, const size_t *lens)
{
    bool first = im->after_header;
    im->after_header = false;
    size_t mark = strlen(TEMPLATE_NOTES_MARK);
    return first && n > 0 && fields[0] && lens[0] >= mark && memcmp(fields[0], TEMPLATE_NOTES_MARK, mark) == 0;
}

void importer_set_progress(importer *im, import_progress_fn fn, void *ctx)
{
    im->progress = fn;
    im->progress_ctx = ctx;
}

/* Judges one row of the batch: fields, the stored row, cross-field rules, key, references; then
 * the sink or the table. */
static int judge_row(importer *im, const pending_row *p, lz_err *err)
{
    const char *const *fields = p->fields;
    long line = p->line;
    size_t n = p->n;
    if (template_notes(im, n, fields, p->lens))
        return 0;
    im->stats.rows++;
    if (im->progress && im->stats.rows % IMPORT_PROGRESS_ROWS == 0)
        im->progress(im->progress_ctx, im->stats.rows);
    if (n != im->nfields && !(im->spreadsheet && n < im->nfields)) {
        errlist_add(im->errs, "%s:%ld: has %zu field%s, the header has %zu", im->source, line, n, n == 1 ? "" : "s", im->nfields);
        return 0;
    }
    arena_reset(&im->row_arena);
    size_t before = im->errs->total;
    parse_fields(im, line, n, fields, p->lens);
    if (im->errs->total != before)
        return 0;
    key_text(im->t, im->row, &im->key); /* the key columns are the file's: merging keeps them */
    const cell *old;
    bool found;
    merge_stored(im, line, &old, &found);
    if (im->errs->total != before)
        return 0;
    char why[600];
    int bad = row_check(im->t, im->row, why, sizeof why);
    if (bad >= 0) {
        errlist_add(im->errs, "%s:%ld: %s: %s", im->source, line, im->t->cols[bad].name, why);
        return 0;
    }
    if (!im->sink && !first_time_key(im, line))
        return 0;
    if (check_refs(im, line, err) < 0)
        return LZ_EINTERNAL;
    if (im->sink)
        return im->sink(im->sink_ctx, im->source, line, im->row, err);
    if (found)
        im->stats.updated++;
    else
        im->stats.inserted++;
    if (!im->bulk)
        im->bulk = store_bulk_new(im->st, im->t);
    if ((!found || note_changes(im, old)) && store_bulk_add(im->bulk, im->row, err) < 0)
        return err_wrap(err, "%s:%ld", im->source, line);
    return 0;
}

/* Column c of a pending row, parsed as parse_fields parses it (text in the batch arena); false
 * when the row leaves the column out or its value does not parse (its judging says so). */
static bool pending_cell(importer *im, const pending_row *p, int c, cell *out)
{
    char why[600];
    bool parsed;
    return given_cell(im, p->n, p->fields, p->lens, (size_t)c, &im->batch_arena, out, &parsed, why, sizeof why) && parsed;
}

/* The key cells of a pending row; false when one is missing or does not parse. */
static bool pending_key(importer *im, const pending_row *p, cell *key)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(im->t, idx);
    for (size_t k = 0; k < nk; k++)
        if (!pending_cell(im, p, idx[k], &key[k]))
            return false;
    return true;
}

static int keep_stored(void *ctx, const cell *row)
{
    importer *im = ctx;
    size_t ncols = im->t->ncols;
    cell *kept = im->stored_rows + im->nstored * ncols;
    for (size_t c = 0; c < ncols; c++) {
        kept[c] = row[c];
        if (row[c].kind == CELL_TEXT)
            kept[c].s = arena_strndup(&im->batch_arena, row[c].s, row[c].n);
    }
    key_text(im->t, kept, &im->key);
    strmap_put(&im->stored, arena_strndup(&im->batch_arena, im->key.data, im->key.len), im->key.len, (int32_t)im->nstored++);
    return 0;
}

/* The stored rows of the pending rows' keys, in one store_get_many. */
static int read_stored(importer *im, lz_err *err)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(im->t, idx), nkeys = 0;
    cell *keys = arena_alloc(&im->batch_arena, im->npending * nk * sizeof *keys);
    for (size_t i = 0; i < im->npending; i++)
        if (pending_key(im, &im->pending[i], keys + nkeys * nk))
            nkeys++;
    return nkeys ? store_get_many(im->st, im->t, keys, nkeys, keep_stored, im, err) : 0;
}

/* One reference column's lookups: the referenced table's key is the referenced column, after
 * its scope when it has one (segments: chain, code). */
typedef struct ref_lookup {
    importer *im;
    int col;
    const table *rt;
    int value_at, scope_at; /* in rt's rows */
    int value_k, scope_k;   /* in rt's key */
    size_t nk, nkeys;
    cell *keys; /* STORE_GET_MANY_MAX keys of nk cells */
} ref_lookup;

static int note_found_ref(void *ctx, const cell *row)
{
    ref_lookup *l = ctx;
    const cell *v = &row[l->value_at], *scope = l->scope_at >= 0 ? &row[l->scope_at] : NULL;
    strbuf *b = &l->im->ref_text;
    ref_key(b, l->col, scope ? scope->s : NULL, scope ? scope->n : 0, v->s, v->n);
    strmap_put(&l->im->refs_found, arena_strndup(&l->im->batch_arena, b->data, b->len), b->len, 1);
    return 0;
}

static int ask_refs(ref_lookup *l, lz_err *err)
{
    int rc = l->nkeys ? store_get_many(l->im->st, l->rt, l->keys, l->nkeys, note_found_ref, l, err) : 0;
    l->nkeys = 0;
    return rc;
}

static int ask_ref(ref_lookup *l, const cell *scope, const char *v, size_t n, lz_err *err)
{
    strbuf *b = &l->im->ref_text;
    ref_key(b, l->col, scope ? scope->s : NULL, scope ? scope->n : 0, v, n);
    if (strmap_get(&l->im->refs_asked, b->data, b->len) >= 0)
        return 0;
    strmap_put(&l->im->refs_asked, arena_strndup(&l->im->batch_arena, b->data, b->len), b->len, 0);
    cell *key = l->keys + l->nkeys++ * l->nk;
    key[l->value_k] = cell_text(v, n);
    if (scope)
        key[l->scope_k] = *scope;
    return l->nkeys == STORE_GET_MANY_MAX ? ask_refs(l, err) : 0;
}

/* Whether column c's references can be looked up for the batch: the file gives the column (and
 * its scope), and the referenced column (with the scope) is the referenced table's key. Otherwise
 * each is looked up as it is judged. */
static bool ref_lookup_init(importer *im, int c, int scope_col, ref_lookup *l)
{
    const column *col = &im->t->cols[c];
    if (!col->ref_table || im->field_of[c] < 0 || (col->ref_scope && (scope_col < 0 || im->field_of[scope_col] < 0)))
        return false;
    *l = (ref_lookup){.im = im, .col = c, .rt = tables_find(col->ref_table), .value_k = -1, .scope_k = -1};
    l->value_at = table_column_index(l->rt, col->ref_column);
    l->scope_at = col->ref_scope ? table_column_index(l->rt, col->ref_scope) : -1;
    int idx[TABLES_MAX_KEY];
    l->nk = table_key_columns(l->rt, idx);
    for (size_t k = 0; k < l->nk; k++) {
        if (idx[k] == l->value_at)
            l->value_k = (int)k;
        else if (idx[k] == l->scope_at)
            l->scope_k = (int)k;
    }
    return l->value_k >= 0 && l->nk == (col->ref_scope ? 2u : 1u) && (!col->ref_scope || l->scope_k >= 0);
}

/* The distinct references of one column in the pending rows, STORE_GET_MANY_MAX a query. */
static int read_refs_of(importer *im, int c, lz_err *err)
{
    const column *col = &im->t->cols[c];
    int sc = col->ref_scope ? table_column_index(im->t, col->scope_column) : -1;
    ref_lookup l;
    if (!ref_lookup_init(im, c, sc, &l))
        return 0;
    l.keys = arena_alloc(&im->batch_arena, STORE_GET_MANY_MAX * l.nk * sizeof *l.keys);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < im->npending; i++) {
        cell v, scope;
        if (!pending_cell(im, &im->pending[i], c, &v) || v.kind != CELL_TEXT ||
            (sc >= 0 && (!pending_cell(im, &im->pending[i], sc, &scope) || scope.kind != CELL_TEXT)))
            continue;
        for (const char *p = v.s, *end = v.s + v.n; rc == 0 && p < end;) {
            const char *q = col->type == COL_LIST ? memchr(p, ';', (size_t)(end - p)) : NULL;
            if (!q)
                q = end;
            rc = ask_ref(&l, sc >= 0 ? &scope : NULL, p, (size_t)(q - p), err);
            p = q + 1;
        }
    }
    return rc == 0 ? ask_refs(&l, err) : rc;
}

static int read_refs(importer *im, lz_err *err)
{
    int rc = 0;
    for (size_t c = 0; rc == 0 && c < im->t->ncols; c++)
        rc = read_refs_of(im, (int)c, err);
    return rc;
}

/* Judges the pending rows, in order. Their own messages must not run the batch again. */
static int judge_batch(importer *im, lz_err *err)
{
    if (im->npending == 0)
        return 0;
    void (*before)(void *) = im->errs->before_add;
    im->errs->before_add = NULL;
    int rc = im->sink ? 0 : read_stored(im, err);
    if (rc == 0)
        rc = read_refs(im, err);
    for (size_t i = 0; rc == 0 && i < im->npending; i++)
        rc = judge_row(im, &im->pending[i], err);
    im->errs->before_add = before;
    im->npending = 0;
    im->nstored = 0;
    strmap_free(&im->stored);
    strmap_free(&im->refs_asked);
    strmap_free(&im->refs_found);
    arena_reset(&im->batch_arena);
    return rc;
}

/* errlist.before_add: someone else is about to report a problem after the rows given so far. */
static void judge_given_rows(void *ctx)
{
    importer *im = ctx;
    if (im->late_rc == 0)
        im->late_rc = judge_batch(im, &im->late_err);
}

static int late_failure(importer *im, lz_err *err)
{
    if (err)
        *err = im->late_err;
    return im->late_rc;
}

int importer_row(importer *im, long line, size_t n, const char *const *fields, const size_t *lens, lz_err *err)
{
    if (im->late_rc)
        return late_failure(im, err);
    pending_row *p = &im->pending[im->npending++];
    p->line = line;
    p->n = n;
    p->fields = arena_alloc(&im->batch_arena, (n + 1) * sizeof *p->fields);
    p->lens = arena_alloc(&im->batch_arena, (n + 1) * sizeof *p->lens);
    for (size_t f = 0; f < n; f++) {
        p->fields[f] = fields[f] ? arena_strndup(&im->batch_arena, fields[f], lens[f]) : NULL;
        p->lens[f] = lens[f];
    }
    return im->npending == IMPORT_BATCH_ROWS ? judge_batch(im, err) : 0;
}

int importer_finish(importer *im, import_stats *stats, lz_err *err)
{
    if (im->late_rc)
        return late_failure(im, err);
    if (judge_batch(im, err) < 0 || (im->bulk && store_bulk_finish(im->bulk, err) < 0))
        return LZ_EINTERNAL;
    for (size_t i = 0; i < im->ndeferred; i++) {
        deferred_ref *d = &im->deferred[i];
        const column *c = &im->t->cols[d->col];
        bool exists;
        if (store_ref_exists(im->st, c, d->value, d->scope, &exists, err) < 0)
            return LZ_EINTERNAL;
        if (exists)
            continue;
        if (d->scope)
            errlist_add(im->errs, "%s:%ld: %s: '%s' is not a %s of %s '%s'", im->source, d->line, c->name, d->value, c->ref_table,
                        c->ref_scope, d->scope);
        else
            errlist_add(im->errs, "%s:%ld: %s: '%s' does not exist in %s", im->source, d->line, c->name, d->value, c->ref_table);
    }
    if (stats)
        *stats = im->stats;
    return 0;
}

void importer_changes(importer *im, strbuf *before, strbuf *after)
{
    strbuf_putc(before, '{');
    strbuf_append(before, im->changed_before.data ? im->changed_before.data : "", im->changed_before.len);
    strbuf_putc(before, '}');
    strbuf_putc(after, '{');
    strbuf_append(after, im->changed_after.data ? im->changed_after.data : "", im->changed_after.len);
    strbuf_putc(after, '}');
}
