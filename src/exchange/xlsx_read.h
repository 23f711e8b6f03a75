/*
 * xlsx_read — rows of one worksheet of an .xlsx workbook (Office Open XML), read with libzip and
 * expat (Debian packages no XLSX reader library). Shared strings, inline strings, booleans and
 * numbers are returned as text; missing cells in a row are empty strings. A number in a cell
 * formatted as a date (xl/styles.xml) is returned as its date, YYYY-MM-DD. Formulas yield their
 * cached value; a formula without one is a cell error (its value is unknown, not empty).
 *
 * A numeric cell holds a binary double: it is returned as a spreadsheet shows it, rounded to 15
 * significant digits and written out without an exponent (99.98999999999999 -> "99.99").
 *
 * Memory is bounded by the size of the workbook: a part may expand at most XLSX_EXPAND_MAX times
 * its compressed size (checked before inflating), parts are streamed through expat, and the
 * shared strings plus the row being read may take at most XLSX_HOLD_MAX times the workbook's size
 * (plus XLSX_HOLD_FLOOR bytes, for small files). Past a bound the read stops with an error.
 */
#ifndef LZ_XLSX_READ_H
#define LZ_XLSX_READ_H

#include <stddef.h>

#include "core/err.h"

#define XLSX_EXPAND_MAX 100                  /* uncompressed / compressed size of one part */
#define XLSX_EXPAND_FLOOR (1u * 1024 * 1024) /* a part this small may expand any amount */
#define XLSX_HOLD_MAX 16                     /* shared strings + one row, per byte of workbook */
#define XLSX_HOLD_FLOOR (1u * 1024 * 1024)

/* Called per non-empty row with its 1-based spreadsheet row number; return non-zero to stop. */
typedef int (*xlsx_row_fn)(void *ctx, long rownum, size_t n, const char *const *cells, const size_t *lens);
/* Called instead of xlsx_row_fn for a row with a cell that cannot be read (a number beyond what a
 * double holds, a shared string that does not exist); ref is the cell's reference ("C2"). */
typedef void (*xlsx_cell_error_fn)(void *ctx, long rownum, const char *ref, const char *why);

/* Reads the sheet named prefer_sheet if the workbook has one, else the first sheet. Errors that
 * stop the read (a damaged file, a bound passed) name the source and the part. */
int xlsx_read_rows(const char *data, size_t n, const char *prefer_sheet, const char *source, xlsx_row_fn fn,
                   xlsx_cell_error_fn on_error, void *ctx, lz_err *err);

#endif
