/*
 * tables — the data contract: every table of the chain-leader work list, its columns, their types,
 * natural keys and references. Users' spreadsheets and scripts depend on these names, so they
 * change only with a schema migration and a note in docs/data-model.md.
 *
 * Everything that moves rows — import, export, the HTTP API, the reference-data generator, the
 * SQL schema itself — is driven from this one table (like jq's opcode_list.h), so a column is
 * added in one place.
 *
 * Values travel as `cell`s: NULL (empty = unknown, distinct from 0), an integer (money in fen,
 * decimals scaled by 10^scale, booleans 0/1, years, counts) or UTF-8 text (codes, names, dates,
 * enums, ';'-joined lists in canonical form).
 */
#ifndef LZ_TABLES_H
#define LZ_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

/* The years the contract accepts: a statistics year, an award year, a year entered above size.
 * TABLES_YEARS("..") is the range as text for messages: "1990..2100". */
#define TABLES_YEAR_MIN 1990
#define TABLES_YEAR_MAX 2100
#define TABLES_STR_(x) #x
#define TABLES_STR(x) TABLES_STR_(x)
#define TABLES_YEARS(sep) TABLES_STR(TABLES_YEAR_MIN) sep TABLES_STR(TABLES_YEAR_MAX)

/* Fixed sizes the declarations must fit (tables.c asserts the tables and columns at compile time,
 * the unit tests the key columns): tables in the contract, columns of one table (arrays of a
 * row's cells), columns of one natural key (arrays of a key's cells or column indexes). */
#define TABLES_MAX 32
#define TABLES_MAX_COLS 32
#define TABLES_MAX_KEY 8

typedef enum col_type {
    COL_TEXT,     /* free text */
    COL_CODE,     /* an identifier: no spaces or ';', at most 64 characters */
    COL_USCC,     /* GB 32100-2015 enterprise code */
    COL_DIVISION, /* GB/T 2260 six-digit division code */
    COL_INDUSTRY, /* GB/T 4754-2017 class: four digits */
    COL_INT,      /* integer within [min, max] */
    COL_MONEY,    /* yuan with up to 2 decimals -> fen */
    COL_DECIMAL,  /* decimal with up to `scale` decimals -> integer x 10^scale */
    COL_DATE,     /* YYYY-MM-DD */
    COL_BOOL,     /* true/false, 1/0, 是/否 (also 是/否 in zh-TW, yes/no) -> 1/0 */
    COL_ENUM,     /* one of `values` */
    COL_LIST      /* ';'-separated items, each validated as `item` type; count within [min, max] */
} col_type;

enum col_flags {
    COLF_REQUIRED = 1 << 0, /* must not be empty */
    COLF_KEY = 1 << 1,      /* part of the natural key (upsert identity); implies required */
    COLF_INDEXED = 1 << 2,  /* filterable in lists (an index exists) */
    COLF_NAME = 1 << 3,     /* searched by full-text search */
    COLF_NEGATIVE = 1 << 4  /* money or int may be negative */
};

typedef struct column {
    const char *name;
    col_type type;
    unsigned flags;
    col_type item;                /* COL_LIST: type of each item */
    const char *const *values;    /* COL_ENUM (and COL_LIST of COL_ENUM): NULL-terminated */
    const char *const *labels_zh; /* COL_ENUM (required, wherever the column is declared): each value's label for people (zh-CN), in
                                     the order of values */
    int64_t min, max;             /* COL_INT: value range; COL_LIST: item count range (0,0 = any) */
    int scale;                    /* COL_DECIMAL: decimals */
    const char *default_text;     /* used when the column is absent or empty; NULL = NULL */
    const char *ref_table;        /* references ref_table.ref_column ... */
    const char *ref_column;
    const char *ref_scope;    /* ... within the row of ref_table whose ref_scope_column equals */
    const char *scope_column; /* this table's column scope_column (segments of the same chain) */
    const char *label_zh;     /* column label for people (zh-CN) */
    int since_version;        /* 0: created with its table; else the schema migration that adds it */
} column;

typedef struct table table;
struct cell;
/* A table's cross-field rules, declared beside it (a local enterprise has a division; equipment
 * <= fixed-asset investment; due date not before opening; ...): the index of the offending column
 * with a reason in why, or -1 when the row is consistent. */
typedef int (*table_row_rule)(const table *t, const struct cell *row, char *why, size_t whylen);

/* An order a dashboard lists a table in, after at most one equality filter: the index on columns
 * (then the key columns, which break ties) from which a filtered, sorted page reads only its own
 * rows and its total counts without touching the table. */
typedef struct table_order {
    const char *columns[3]; /* NULL-terminated: the filter column if any, then the sort column */
    int since_version;      /* the schema migration that creates the index */
} table_order;

struct table {
    const char *name;
    const char *label_zh;
    const column *cols;
    size_t ncols;
    int schema_version;        /* the schema migration that creates the table (1: the first data tables) */
    table_row_rule row_rule;   /* NULL: no rule spans columns */
    const table_order *orders; /* indexes for lists beyond the single columns flagged COLF_INDEXED */
    size_t norders;
};

extern const table *const tables_all[];
extern const size_t tables_count;

const table *tables_find(const char *name);
/* Index of the column named name in t, or -1. */
int table_column_index(const table *t, const char *name);
/* Number of key columns and their indexes (in column order). */
size_t table_key_columns(const table *t, int idx[TABLES_MAX_KEY]);
/* Names beside codes: where a person reads a code that points at another row (a uscc, a chain
 * code), lists and exports put that row's name beside it, in a derived column import skips.
 * column_ref_name returns the column of the referenced table that holds its name and sets *ref to
 * that table, or returns -1: c points at the whole key of a table with a name (COLF_NAME); lists
 * and scoped references (a segment of a chain) name no one row. */
int column_ref_name(const column *c, const table **ref);
/* Appends the derived column's header: "enterprise_name" for a uscc, else "<column>_name"; in
 * Chinese (zh) the column's label and 名称 ("企业名称", "产业链名称"). */
void column_ref_name_header(const column *c, bool zh, strbuf *out);
/* The column of t whose derived name column the header s[0..n) is (in either form), or -1. */
int table_ref_name_column(const table *t, const char *s, size_t n);

/* ---- cells ---------------------------------------------------------------------------------- */

typedef enum cell_kind { CELL_NULL = 0, CELL_INT, CELL_TEXT } cell_kind;

typedef struct cell {
    cell_kind kind;
    int64_t i;
    const char *s; /* CELL_TEXT: NUL-terminated; owner as stated by the function that filled it */
    size_t n;
} cell;

static inline cell cell_null(void)
{
    return (cell){.kind = CELL_NULL};
}
static inline cell cell_int(int64_t v)
{
    return (cell){.kind = CELL_INT, .i = v};
}
static inline cell cell_text(const char *s, size_t n)
{
    return (cell){.kind = CELL_TEXT, .s = s, .n = n};
}

/* The cross-field rules of t (its row_rule) on a whole row: the index of the offending column and
 * a reason in why, or -1 when the row is consistent (or t has no such rule). */
int row_check(const table *t, const cell *row, char *why, size_t whylen);

#endif
