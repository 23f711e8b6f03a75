/*
 * table — the CLI's tables for a terminal: columns as wide as their widest cell, measured in
 * display columns (a Chinese character takes two), so names and long ids never push a row out
 * of line. Text columns are left-aligned, number columns right-aligned; one space between.
 *
 * Rows are copied in (the table owns its text) and printed in one go, because a column's width
 * is known only once every row is in. For machines there is CSV and JSON; this is for people.
 */
#ifndef LZ_CLI_TABLE_H
#define LZ_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cli_table cli_table;

enum { CLI_TABLE_MAX_COLS = 12 };

/* A table with these headings; right[i] right-aligns column i (NULL: all left). */
cli_table *cli_table_new(size_t ncols, const char *const *headings, const bool *right);
/* Appends a row of ncols cells (NULL prints as empty); the text is copied. */
void cli_table_add(cli_table *t, const char *const *cells);
/* Prints the headings and every row, then frees nothing: call cli_table_free. */
void cli_table_print(const cli_table *t, FILE *out);
void cli_table_free(cli_table *t);

#endif
