/*
 * export — tables out as CSV, JSON or XLSX, in a form import takes back (import(export(x)) leaves
 * the database unchanged).
 *
 * The machine form (no options): contract column names as the header, money as yuan with two
 * decimals, booleans as true/false, lists ';'-joined (JSON: arrays), empty for unknown (JSON:
 * null). Options make the file for people: the referenced row's name beside each code that points
 * at one ("enterprise_name" beside a uscc; import skips these), a byte order mark that tells Excel
 * the CSV is UTF-8, and in XLSX Chinese labels as headers and choices, money and decimals as
 * numbers (money formatted, optionally in 万元 or 亿元 with the unit in the header, as import
 * reads it back), dates as date cells, widths set, the header frozen with a filter.
 */
#ifndef LZ_EXPORT_H
#define LZ_EXPORT_H

#include <stdbool.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "exchange/import.h"
#include "store/store.h"

typedef struct export_options {
    bool names;     /* CSV, XLSX: the name column beside each code that references a named row */
    bool bom;       /* CSV: starts with the UTF-8 byte order mark */
    bool english;   /* XLSX: contract names as headers and choice values as stored (else zh-CN labels) */
    int unit_pow10; /* XLSX: money in units of 10^unit_pow10 yuan (4: 万元, 8: 亿元), else 0 */
} export_options;

/* Writes the rows q selects (q->t is the table) into out in format; opt may be NULL (the machine
 * form). XLSX is binary; out holds its bytes. */
int export_query(store *st, const store_query *q, sheet_format format, const export_options *opt, strbuf *out, lz_err *err);

/* ---- a grid: rows that are no table's (the awards ledger) --------------------------------------- */

/* How a grid column's text is written: text (CSV quoted and guarded like a name), a code (XLSX as
 * text so leading zeros stay), a whole number or money (yuan with two decimals, as money_format
 * writes it; XLSX a number cell in the money format). */
typedef enum export_kind { EXPORT_TEXT, EXPORT_CODE, EXPORT_INT, EXPORT_MONEY } export_kind;

typedef struct export_field {
    const char *name;     /* the header with opt->english */
    const char *label_zh; /* the header otherwise (CSV too: a grid is for people) */
    export_kind kind;
} export_field;

typedef struct export_grid export_grid;

/* Starts a CSV or XLSX file (sheet: the worksheet's name) of the n fields, borrowed until
 * export_grid_close; opt may be NULL (Chinese headers, no BOM). */
int export_grid_open(export_grid **out, sheet_format format, const char *sheet, const export_field *fields, size_t n,
                     const export_options *opt, lz_err *err);
/* Appends one row of n texts in the fields' order (NULL or "" leaves the cell empty). */
int export_grid_row(export_grid *g, const char *const *cells, lz_err *err);
/* XLSX: a last row "合计" (Total) with the sum of each money column, in the money format and
 * outside the filter, for a file a leader forwards; CSV stays the rows alone, for programs. */
int export_grid_total(export_grid *g, lz_err *err);
/* Writes the file's bytes into out and frees g, whatever happened before (an earlier failure is
 * returned again). */
int export_grid_close(export_grid *g, strbuf *out, lz_err *err);

/* One row as a JSON object (jansson), for the API. Caller owns the result (json_decref). */
struct json_t;
struct json_t *export_row_json(const table *t, const cell *row);
/* One value of column c as JSON: null, a number, a boolean, a list or the canonical text. */
struct json_t *export_cell_json(const column *c, const cell *v);

#endif
