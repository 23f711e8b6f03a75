/*
 * sheet — an analysis's result for people and spreadsheets: a terminal table, CSV or an XLSX
 * workbook, from rows the command builds out of the same JSON document the API returns (JSON
 * itself is printed as is). A result is one or more parts (the projects, then their counts per
 * chain): the terminal prints each under its title, the workbook gives each a worksheet, CSV
 * holds the first alone. Columns are declared once, with their key in the row objects and their
 * heading in each language; a numeric column is right-aligned in the terminal and a number in the
 * workbook, shown with the decimals of its text.
 */
#ifndef LZ_CLI_SHEET_H
#define LZ_CLI_SHEET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"

typedef enum sheet_format { SHEET_TABLE, SHEET_JSON, SHEET_CSV, SHEET_XLSX } sheet_format;

/* A code of the JSON and the words people read for it (zh-CN, zh-TW, en). */
typedef struct sheet_word {
    const char *code, *word[3];
} sheet_word;

typedef struct sheet_column {
    const char *key;        /* member of each row object: a string, an integer or null */
    const char *heading[3]; /* zh-CN, zh-TW, en */
    bool numeric;
    bool wide_only;          /* left out of the terminal table, which has room for CLI_TABLE_MAX_COLS */
    const sheet_word *words; /* codes shown as words in the table and the workbook (CSV keeps the codes);
                                ends with a NULL code; NULL: none */
} sheet_column;

typedef struct sheet_part {
    const char *title[3]; /* zh-CN, zh-TW, en: the worksheet's name, the heading above it in the terminal */
    const sheet_column *cols;
    size_t ncols;
    json_t *rows; /* an array of objects; borrowed */
} sheet_part;

enum { SHEET_MAX_PARTS = 4 };

/* "table", "json", "csv", "xlsx" -> format; -1 when unknown. */
int sheet_format_parse(const char *s);
/* Writes the parts as format: table and CSV to out, XLSX to the file xlsx_path. Returns 0, or
 * LZ_EINPUT / LZ_EINTERNAL naming the file. */
int sheet_write(sheet_format format, const sheet_part *parts, size_t nparts, int lang, FILE *out, const char *xlsx_path,
                lz_err *err);

#endif
