/*
 * rows — the API's wire form of data-table rows, between JSON and the importer's text fields, and
 * list queries from query-string arguments. Pure functions: no network, no store, so that the
 * fuzz target and the unit tests drive them directly.
 *
 * A row travels as a JSON object with the contract's column names (the same shape
 * export_row_json writes): money and decimals as exact decimal strings ("1234.50"; an integer is
 * also taken), integers as numbers, booleans as true/false, lists as arrays of strings, unknown as
 * null. Floating-point numbers are refused: they cannot be exact.
 *
 * Errors are appended to a JSON array as {"field", "reason"} (see http_field_error); the functions
 * return -1 when they added any. Everything allocated lives in the arena passed.
 */
#ifndef LZ_ROWS_H
#define LZ_ROWS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "http/http.h"
#include "model/tables.h"
#include "store/store.h"

#define ROWS_LIMIT_DEFAULT 100
#define ROWS_LIMIT_MAX 1000
/* A list's total counts the matching rows up to this many ("total_exact": false beyond): counting
 * every row of a broad filter on a million enterprises took longer than the page itself. */
#define ROWS_TOTAL_MAX 10000

/* Import fields from a JSON object: one per member, in the object's order. */
typedef struct rows_fields {
    size_t n;
    const char **names, **values;
    size_t *lens;
} rows_fields;

int rows_fields_from_json(const table *t, json_t *obj, arena *a, rows_fields *out, json_t *errors);

/* Parses every non-key field with its column's parser, one error per bad field (a request names
 * all its faults at once, as an import does). */
int rows_fields_parse(const table *t, const rows_fields *f, arena *a, json_t *errors);

/* Key cells (in key-column order) from the fields: every key column must be among them; one error
 * per missing or bad key column. */
int rows_key_from_fields(const table *t, const rows_fields *f, arena *a, cell *key, json_t *errors);
/* Whether two cells hold the same value. */
bool rows_cell_equal(const cell *x, const cell *y);

/* Key cells from path segments (one per key column, in key order). */
int rows_key_from_path(const table *t, const char *const *segs, size_t nsegs, arena *a, cell *key, json_t *errors);
/* "enterprises/9144..." — the audit target and the Location of a row. */
char *rows_key_path(const table *t, const cell *row, arena *a);

/* A list query from query arguments: column filters (indexed or key columns; repeat a name for
 * several values), q (search), sort, order (asc|desc), limit, cursor. Arguments named in
 * `extra` (NULL-terminated, may be NULL) are left to the caller. The conds array has room for
 * `spare` more conditions appended by the caller (the scope). default_limit 0 means no limit. */
int rows_parse_list(const table *t, const http_pair *args, size_t nargs, const char *const *extra, size_t spare,
                    size_t default_limit, arena *a, store_query *q, store_cond **conds, json_t *errors);

/* A page size from 1 to ROWS_LIMIT_MAX; -1 for anything else. */
int rows_parse_limit(const char *s, size_t *out);

/* A cursor's text from a JSON array (which it takes and frees), and the array back from the text
 * (NULL when it is not a cursor; the caller frees the array). Cursors are opaque to clients. */
char *rows_cursor_encode(json_t *arr, arena *a);
json_t *rows_cursor_decode(const char *s, arena *a);

/* The cursor that continues a list after row (opaque text, arena). */
char *rows_cursor(const store_query *q, const cell *row, arena *a);

/* Appends row as a JSON object of exactly the shape export_row_json builds, written straight into
 * out: the hot path of every read route (measured: building and dumping a jansson tree per row
 * cost a third of a list request). */
void rows_append_json(strbuf *out, const table *t, const cell *row);
/* Appends s[0..n) as a JSON string literal (s is valid UTF-8). */
void rows_append_json_string(strbuf *out, const char *s, size_t n);

/* Splits importer messages "SOURCE:LINE: COLUMN: reason" into {"field", "line", "reason"}. */
json_t *rows_errors_from_errlist(const errlist *l);

#endif
