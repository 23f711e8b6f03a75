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

/* One row as a JSON object (jansson), for the API. Caller owns the result (json_decref). */
struct json_t;
struct json_t *export_row_json(const table *t, const cell *row);
/* One value of column c as JSON: null, a number, a boolean, a list or the canonical text. */
struct json_t *export_cell_json(const column *c, const cell *v);

#endif
