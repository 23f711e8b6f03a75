/*
 * import — rows from spreadsheets (CSV, XLSX) or generators into the store, validated field by field
 * against the data contract (model/tables.h), all or nothing.
 *
 * An importer maps a header onto a table's columns (by name, any order; unknown columns and a
 * missing key column are errors; the names export writes beside codes are skipped), then takes
 * rows of text. A row whose key matches a stored row changes only the columns it gives (an empty
 * field clears one); a new row needs every required column. Each bad field is reported into the
 * caller's errlist as "SOURCE:LINE: COLUMN: reason"; the importer keeps validating after an error
 * so one run shows every problem (up to the list's limit). References must exist in the database
 * or in the same import (checked when the import finishes). The caller owns the transaction: it
 * commits only when importer_finish returns 0 and the errlist is empty.
 */
#ifndef LZ_IMPORT_H
#define LZ_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "model/tables.h"
#include "store/store.h"

typedef struct import_stats {
    size_t rows, inserted, updated;
} import_stats;

typedef struct importer importer;

/* source names the input in messages (a file name, "upload", "demo"); copied. */
importer *importer_new(store *st, const table *t, const char *source, errlist *errs);
/* Maps the header on row `line` onto columns: a cell names a column by its English name or its
 * label (simplified or traditional script), optionally with a unit ("产值（万元）"); a derived
 * name column ("enterprise_name", "企业名称" beside a uscc) is skipped. Returns 0, or
 * LZ_EINPUT after reporting the bad names. importer_header: the header on row 1. */
int importer_header_at(importer *im, long line, size_t n, const char *const *names, const size_t *lens);
int importer_header(importer *im, size_t n, const char *const *names, const size_t *lens);
/* Whether a row is the header: it names a column, and no fewer columns than it has other
 * non-empty cells (a title row above the header names none). */
bool importer_is_header(const importer *im, size_t n, const char *const *cells, const size_t *lens);
/* Reports that none of the first `rows` rows is a header, naming the columns expected. */
void importer_no_header(const importer *im, long rows);
/* Figures of money columns are in units of 10^unit_pow10 yuan (import --unit 万元: 4), unless
 * the column's header names its own unit. Call before the header. */
void importer_set_unit(importer *im, int unit_pow10);
/* Maps onto every column of the table in contract order (for generators). */
void importer_header_all(importer *im);
/* Rows come from a spreadsheet (XLSX): trailing empty cells may be missing. (Cells formatted as
 * dates arrive as YYYY-MM-DD from xlsx_read; a plain number in a date column is no date.) */
void importer_set_spreadsheet(importer *im);
/* Rows come from a CSV file: a text field loses the apostrophe export puts before a formula
 * character (csv_unguard), and nothing else. */
void importer_set_csv(importer *im);
/* Validates and writes one row (the notes row of a template, right below the header, is
 * skipped; fields in header order; a NULL field leaves that column out of
 * this row). Errors go to the errlist; returns LZ_EINTERNAL only when the store itself failed (err
 * set), else 0. */
int importer_row(importer *im, long line, size_t n, const char *const *fields, const size_t *lens, lz_err *err);
/* Rows that go elsewhere than a table of the contract (earlier payments into the award ledger)
 * are checked field by field like any import, then handed to a sink instead of written. fn gets
 * the row's cells in the order of t's columns, their text valid until the next row; source and
 * line name the row for the problems fn reports into the importer's errlist; it returns
 * LZ_EINTERNAL with err set only when it failed itself. */
typedef int (*importer_sink_fn)(void *ctx, const char *source, long line, const cell *row, lz_err *err);
/* Rows go to fn (call before the header): nothing is written, no stored row is merged (a column
 * the header lacks takes its default; a required one is reported at the header), a key is not
 * checked for repeats, and a header cell that names no column is left out. */
void importer_set_sink(importer *im, importer_sink_fn fn, void *ctx);
/* Checks the references deferred to the end of the import, returns the counts. */
int importer_finish(importer *im, import_stats *stats, lz_err *err);
void importer_free(importer *im);
/* What the import changed in rows that existed: appends two JSON objects (as text) keyed by the
 * row's key ("id=E1"), holding only the columns that changed, their stored values (before) and
 * the new ones (after). */
void importer_changes(importer *im, strbuf *before, strbuf *after);

typedef enum sheet_format { SHEET_CSV, SHEET_XLSX, SHEET_JSON } sheet_format;

/* Guesses the format from a file name's extension (.csv, .xlsx, .json); -1 when unknown. */
int sheet_format_from_name(const char *name);
const char *sheet_format_name(sheet_format f);

/* How a whole file is imported: who does it (actor and via go into the audit entry), the unit of
 * its money columns (figures in units of 10^unit_pow10 yuan, see importer_set_unit), and who is
 * told how far it has got (progress may be NULL: called with the rows read so far, every
 * IMPORT_PROGRESS_ROWS rows). */
typedef void (*import_progress_fn)(void *ctx, size_t rows);
#define IMPORT_PROGRESS_ROWS 10000
typedef struct import_options {
    const char *actor, *via;
    int unit_pow10;
    import_progress_fn progress;
    void *progress_ctx;
} import_options;

/* Imports a whole file or buffer into table t in one transaction, with one audit entry. On any
 * bad row nothing is written: returns LZ_EINPUT with the row errors in errs. data/n: the bytes of
 * the file (CSV, XLSX or JSON). */
int import_buffer(store *st, const table *t, sheet_format format, const char *source, const char *data, size_t n,
                  const import_options *opt, errlist *errs, import_stats *stats, lz_err *err);
int import_file(store *st, const table *t, const char *path, const import_options *opt, errlist *errs, import_stats *stats,
                lz_err *err);
/* Tells fn (with ctx) every IMPORT_PROGRESS_ROWS rows how many rows the importer has taken. */
void importer_set_progress(importer *im, import_progress_fn fn, void *ctx);
/* Reads the CSV file at path (UTF-8 or GB18030; its base name names it in messages) into a sink
 * (importer_set_sink) through an importer of t; writes nothing. On any problem, of a field or
 * reported by fn, returns LZ_EINPUT ("N errors; nothing was imported") with the problems in errs. */
int import_csv_rows(store *st, const table *t, const char *path, importer_sink_fn fn, void *ctx, errlist *errs, lz_err *err);

#endif
