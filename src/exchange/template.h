/*
 * template — a blank workbook for officials to fill in and import: one sheet named after the
 * table, the columns' Chinese labels as the header, below it a notes row saying what each column
 * takes (import skips it: its first cell starts with TEMPLATE_NOTES_MARK), drop-down lists of the
 * choice columns' labels (where they fit one), and money, date and text formats on the rows to fill.
 */
#ifndef LZ_TEMPLATE_H
#define LZ_TEMPLATE_H

#include "core/err.h"
#include "model/tables.h"

#define TEMPLATE_NOTES_MARK "填写说明："
#define TEMPLATE_ROWS 1000 /* rows below the notes that carry the formats and lists */

/* Writes the template of t to path. Returns 0, or LZ_EINTERNAL with err set. */
int template_write(const table *t, const char *path, lz_err *err);

#endif
