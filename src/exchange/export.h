/*
 * export — tables out as CSV, JSON or XLSX, in the exact form import takes back
 * (import(export(x)) leaves the database unchanged): contract column names as the header, money
 * as yuan with two decimals, booleans as true/false, lists ';'-joined (JSON: arrays), empty for
 * unknown (JSON: null).
 */
#ifndef LZ_EXPORT_H
#define LZ_EXPORT_H

#include "core/err.h"
#include "core/strbuf.h"
#include "exchange/import.h"
#include "store/store.h"

/* Writes the rows q selects (q->t is the table) into out in format. XLSX is binary; out holds
 * its bytes. */
int export_query(store *st, const store_query *q, sheet_format format, strbuf *out, lz_err *err);

/* One row as a JSON object (jansson), for the API. Caller owns the result (json_decref). */
struct json_t;
struct json_t *export_row_json(const table *t, const cell *row);
/* One value of column c as JSON: null, a number, a boolean, a list or the canonical text. */
struct json_t *export_cell_json(const column *c, const cell *v);

#endif
