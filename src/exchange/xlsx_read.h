/*
 * xlsx_read — rows of one worksheet of an .xlsx workbook (Office Open XML), read with libzip and
 * expat (Debian packages no XLSX reader library). Shared strings, inline strings, booleans and
 * numbers are returned as text; numbers in scientific notation are written out as plain decimals;
 * missing cells in a row are empty strings. Formulas yield their cached value.
 */
#ifndef LZ_XLSX_READ_H
#define LZ_XLSX_READ_H

#include <stddef.h>

#include "core/err.h"

/* Called per non-empty row with its 1-based spreadsheet row number; return non-zero to stop. */
typedef int (*xlsx_row_fn)(void *ctx, long rownum, size_t n, const char *const *cells, const size_t *lens);

/* Reads the sheet named prefer_sheet if the workbook has one, else the first sheet. */
int xlsx_read_rows(const char *data, size_t n, const char *prefer_sheet, const char *source, xlsx_row_fn fn, void *ctx,
                   lz_err *err);

#endif
