/*
 * xlsx_write — what every workbook Lianzhang writes shares (table exports, blank templates, award
 * lists), over libxlsxwriter: one set of cell formats, a header row that stays in view with a filter
 * on it, column widths from the widest text (a CJK character counts two), and libxlsxwriter's
 * errors in a user's words. Formats belong to their workbook and die with it.
 */
#ifndef LZ_XLSX_WRITE_H
#define LZ_XLSX_WRITE_H

#include <xlsxwriter.h>

#include "core/err.h"
#include "model/tables.h"

#define XLSX_MAX_COLS 64 /* a table's columns with the names beside its codes */

typedef struct xlsx_formats {
    lxw_format *head;  /* bold */
    lxw_format *money; /* yuan with two decimals and thousands grouped */
    lxw_format *date;  /* yyyy-mm-dd */
    lxw_format *text;  /* "@": codes keep their leading zeros and all 18 characters */
} xlsx_formats;

void xlsx_formats_add(lxw_workbook *wb, xlsx_formats *f);
/* A money format for figures in units of 10^unit_pow10 yuan: two decimals always, and as many more
 * as a fen needs there (万元: up to six), so the cell shows every fen it holds. */
lxw_format *xlsx_money_format(lxw_workbook *wb, int unit_pow10);
/* The format of column c's cells in f: money, date, text for codes; NULL for the others. */
lxw_format *xlsx_column_format(const xlsx_formats *f, const column *c);

/* The widest text seen per column, in display columns. */
typedef struct xlsx_widths {
    size_t w[XLSX_MAX_COLS];
} xlsx_widths;

/* Notes that column col shows s[0..n) (valid UTF-8). */
void xlsx_widths_see(xlsx_widths *w, lxw_col_t col, const char *s, size_t n);
/* Finishes a sheet whose header is row 0 and whose data ends at last_row, ncols wide: the widths
 * seen (within reason), the header frozen, an autofilter over header and data. */
void xlsx_finish_sheet(lxw_worksheet *ws, const xlsx_widths *w, lxw_col_t ncols, lxw_row_t last_row);
/* Closes wb (written to path only now) and frees it. rc is an earlier error of the caller's to
 * report instead. Returns 0, or LZ_EINPUT (path cannot be created: a missing folder) or
 * LZ_EINTERNAL, err naming path and what was being written. */
int xlsx_close(lxw_workbook *wb, lxw_error rc, const char *path, const char *what, lz_err *err);

#endif
