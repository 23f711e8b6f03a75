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
 */
#include "exchange/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/strset.h"
#include "exchange/export.h"
#include "exchange/template.h"
#include "model/cellfmt.h"
#include "model/labels.h"

#define MAX_COLS 64

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
    importer_sink_fn sink; /* rows go here instead of into the table (importer_set_sink) */
    void *sink_ctx;
    import_progress_fn progress; /* importer_set_progress */
    void *progress_ctx;
};

importer *importer_new(store *st, const table *t, const char *source, errlist *errs)
{
    importer *im = xcalloc(1, sizeof *im);
    im->st = st;
    im->t = t;
    im->source = xstrdup(source);
    im->errs = errs;
    arena_init(&im->row_arena, 16 * 1024);
    for (int i = 0; i < MAX_COLS; i++)
        im->field_of[i] = -1;
    strset_init(&im->keys);
    strbuf_init(&im->key);
    strbuf_init(&im->changed_before);
    strbuf_init(&im->changed_after);
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

/* Checks one referenced value now, or defers it; returns LZ_EINTERNAL only on store failure. */
static int check_ref_value(importer *im, long line, int col, const char *v, size_t n, const char *scope, lz_err *err)
{
    const column *c = &im->t->cols[col];
    if (!scope && im->last_ok[col] && strlen(im->last_ok[col]) == n && memcmp(im->last_ok[col], v, n) == 0)
        return 0;
    char item[256];
    snprintf(item, sizeof item, "%.*s", (int)n, v);
    bool exists;
    if (store_ref_exists(im->st, c, item, scope, &exists, err) < 0)
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

/* Records the row's natural key; false (with the error reported) when an earlier row had it. */
static bool first_time_key(importer *im, long line)
{
    strbuf_reset(&im->key);
    for (size_t c = 0; c < im->t->ncols; c++) {
        if (!(im->t->cols[c].flags & COLF_KEY))
            continue;
        if (im->key.len)
            strbuf_append(&im->key, ", ", 2);
        strbuf_puts(&im->key, im->t->cols[c].name);
        strbuf_putc(&im->key, '=');
        cell_format(&im->t->cols[c], &im->row[c], &im->key);
    }
    if (strset_add(&im->keys, im->key.data, im->key.len))
        return true;
    errlist_add(im->errs, "%s:%ld: %s: the same key (%s) is on an earlier row of this import", im->source, line,
                im->t->cols[0].name, im->key.data);
    return false;
}

/* Parses the fields the row gives into im->row; present[c] says which columns it gives. A field
 * pointer of NULL is a column this row leaves out (a JSON object without that key). */
static void parse_fields(importer *im, long line, size_t n, const char *const *fields, const size_t *lens)
{
    char why[1600];
    for (size_t c = 0; c < im->t->ncols; c++) {
        const column *col = &im->t->cols[c];
        int f = im->field_of[c];
        im->present[c] = f >= 0 && ((size_t)f >= n || fields[f]); /* a short spreadsheet row: trailing cells are empty */
        im->row[c] = cell_null();
        if (!im->present[c]) {
            if (col->flags & COLF_KEY) /* a JSON object without it */
                errlist_add(im->errs, "%s:%ld: %s: key column is missing (rows are matched by it)", im->source, line, col->name);
            continue;
        }
        const char *s = (size_t)f < n ? fields[f] : "";
        size_t len = (size_t)f < n ? lens[f] : 0;
        if (im->csv && column_holds_text(col))
            csv_unguard(&s, &len);
        if (cell_parse_unit(col, im->unit_of[c], s, len, &im->row_arena, &im->row[c], why, sizeof why) < 0)
            errlist_add(im->errs, "%s:%ld: %s: %s", im->source, line, col->name, why);
    }
}

/* Fills the columns the row leaves out: from the stored row with the same key when there is one
 * (*found; never for a sink), else with their defaults, which a required column has not. */
static int merge_stored(importer *im, long line, cell *old, bool *found, lz_err *err)
{
    int idx[8];
    cell key[8];
    size_t nk = table_key_columns(im->t, idx);
    for (size_t k = 0; k < nk; k++)
        key[k] = im->row[idx[k]];
    *found = false;
    if (!im->sink && store_get(im->st, im->t, key, &im->row_arena, old, found, err) < 0)
        return LZ_EINTERNAL;
    char why[600];
    for (size_t c = 0; c < im->t->ncols; c++) {
        const column *col = &im->t->cols[c];
        if (im->present[c])
            continue;
        if (*found)
            im->row[c] = old[c];
        else if (cell_parse(col, "", 0, &im->row_arena, &im->row[c], why, sizeof why) < 0)
            errlist_add(im->errs, "%s:%ld: %s: required column is missing (a new row needs it)", im->source, line, col->name);
    }
    return 0;
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

int importer_row(importer *im, long line, size_t n, const char *const *fields, const size_t *lens, lz_err *err)
{
    if (template_notes(im, n, fields, lens))
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
    parse_fields(im, line, n, fields, lens);
    if (im->errs->total != before)
        return 0;
    cell old[MAX_COLS];
    bool found;
    if (merge_stored(im, line, old, &found, err) < 0)
        return LZ_EINTERNAL;
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
    if ((!found || note_changes(im, old)) && store_upsert(im->st, im->t, im->row, NULL, err) < 0)
        return err_wrap(err, "%s:%ld", im->source, line);
    return 0;
}

int importer_finish(importer *im, import_stats *stats, lz_err *err)
{
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
