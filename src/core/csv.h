/*
 * csv — RFC 4180 reading and writing, as spreadsheets produce it.
 *
 * Reading: UTF-8 with or without a BOM, CRLF, LF or CR line ends, fields quoted with '"' and
 * '""' for a quote inside, newlines inside quoted fields. Blank lines are skipped. Each record
 * reports the line it starts on, so errors can say FILE:LINE. A field is limited to
 * CSV_FIELD_MAX bytes; invalid UTF-8, a NUL byte (FILE:LINE:COLUMN), a stray quote, or an
 * unterminated quoted field are errors.
 *
 * The reader owns the memory a record points into; it is valid until the next csv_next call.
 */
#ifndef LZ_CSV_H
#define LZ_CSV_H

#include "core/err.h"
#include "core/strbuf.h"

#define CSV_FIELD_MAX (16u * 1024 * 1024)

typedef struct csv_reader csv_reader;

typedef struct csv_record {
    size_t nfields;
    const char *const *fields; /* each NUL-terminated as well */
    const size_t *lens;
    long line; /* 1-based line the record starts on */
} csv_record;

/* Reads from memory (borrowed; must outlive the reader). name is used in messages (copied). */
csv_reader *csv_open_mem(const char *data, size_t n, const char *name);
/* 1: a record was read; 0: end of input; negative: error, message "NAME:LINE: reason" in err. */
int csv_next(csv_reader *r, csv_record *rec, lz_err *err);
void csv_close(csv_reader *r);

/* Appends one field, quoted when it holds a comma, quote, CR or LF or starts/ends with space. */
void csv_write_field(strbuf *out, const char *s, size_t n);

/* Text a spreadsheet would run as a formula when it opens the file (a cell starting with '=',
 * '+', '-', '@', or a tab or CR before one) is written with an apostrophe in front, which makes
 * it plain text; so is text that already starts with apostrophes before such a character, so
 * that csv_unguard can undo exactly what this adds and nothing else. */
void csv_write_text(strbuf *out, const char *s, size_t n);
/* Drops the apostrophe csv_write_text put in front of s[0..*n), if it is there. */
void csv_unguard(const char **s, size_t *n);

#endif
