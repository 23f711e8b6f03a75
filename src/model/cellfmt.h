/*
 * cellfmt — between user text and cells, per column type: parsing with a reason a user can act
 * on, and the canonical text form that export writes and import reads back.
 */
#ifndef LZ_CELLFMT_H
#define LZ_CELLFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "model/tables.h"

/* The largest magnitude of a money or decimal column, in yuan or units: 10^13 (ten trillion yuan).
 * With two decimals that is 15 significant digits, which a spreadsheet's double holds exactly,
 * and thousands of such values still sum within int64 fen. */
#define CELL_NUMBER_MAX 10000000000000LL
/* Decimals of a number column's integer form: 2 for money, the column's scale, else 0. */
int cell_scale(const column *c);
/* The values a number column accepts, in its integer form: an integer column's declared range;
 * money and decimals up to CELL_NUMBER_MAX, negative only where the column allows it. */
void cell_range(const column *c, int64_t *min, int64_t *max);

/* Whether the column's cells are text (codes, names, dates, lists): the columns whose values a
 * CSV file carries with a formula guard (csv_write_text). Numbers and booleans are not. */
bool column_holds_text(const column *c);

/* Parses s[0..n) (surrounding spaces ignored) for column c into out. Empty text gives the column's
 * default, or NULL; empty and required is an error, and so is a NUL byte anywhere. Text that needs
 * normalising (lists, booleans) is allocated in a; otherwise out->s may point into s. Returns 0,
 * or -1 with a reason in why. */
int cell_parse(const column *c, const char *s, size_t n, arena *a, cell *out, char *why, size_t whylen);
/* cell_parse for text as people type it, where a money column's figures are in units of
 * 10^unit_pow10 yuan (a 万元 column: 4; other columns ignore it). Numbers may group thousands ("1,234.50"); money may carry a
 * currency sign and its own unit ("￥5,000.00", "12.3万", "0.5亿元"); the result is exact, and more decimals than the column keeps
 * after scaling is an error. Dates may be typed 2023/1/5, 2023-1-5, 2023.01.05, 2023年1月5日 or 20230105 (the ISO form is allocated
 * in a). cell_parse is this with unit_pow10 0. */
int cell_parse_unit(const column *c, int unit_pow10, const char *s, size_t n, arena *a, cell *out, char *why, size_t whylen);
/* Appends the canonical text of v for column c (nothing for NULL). */
void cell_format(const column *c, const cell *v, strbuf *out);

#endif
