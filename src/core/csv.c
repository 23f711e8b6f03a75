/* csv — a byte-at-a-time RFC 4180 state machine over the input in memory (see csv.h). */
#include "core/csv.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct csv_reader {
    const char *buf; /* the whole input */
    size_t len, pos;
    bool started;
    char *name;
    long line;
    strbuf data;     /* the record's fields, each followed by a NUL */
    size_t *offsets; /* start of each field in data */
    size_t *lens;
    const char **ptrs;
    size_t cap;
};

csv_reader *csv_open_mem(const char *data, size_t n, const char *name)
{
    csv_reader *r = xcalloc(1, sizeof *r);
    r->name = xstrdup(name ? name : "-");
    r->line = 1;
    strbuf_init(&r->data);
    r->buf = data;
    r->len = n;
    return r;
}

void csv_close(csv_reader *r)
{
    if (!r)
        return;
    strbuf_free(&r->data);
    free(r->offsets);
    free(r->lens);
    free(r->ptrs);
    free(r->name);
    free(r);
}

static int peek(csv_reader *r)
{
    return r->pos < r->len ? (unsigned char)r->buf[r->pos] : EOF;
}

static int take(csv_reader *r)
{
    int c = peek(r);
    if (c != EOF)
        r->pos++;
    return c;
}

/* A NUL byte at buf[at]: refused, since text ends at one everywhere downstream. The column counts
 * characters from the start of its line, as an editor shows it. */
static int nul_error(const csv_reader *r, size_t at, lz_err *err)
{
    size_t start = at;
    while (start > 0 && r->buf[start - 1] != '\n' && r->buf[start - 1] != '\r')
        start--;
    return err_set(err, LZ_EINPUT, "%s:%ld:%zu: a NUL byte, which text cannot hold (is the file UTF-16? save it as UTF-8)", r->name,
                   r->line, utf8_length(r->buf + start, at - start) + 1);
}

static void skip_bom(csv_reader *r)
{
    if (r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
        r->pos += 3;
}

static void push_field_start(csv_reader *r, size_t index)
{
    if (index >= r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->offsets = xrealloc(r->offsets, r->cap * sizeof *r->offsets);
        r->lens = xrealloc(r->lens, r->cap * sizeof *r->lens);
        r->ptrs = xrealloc(r->ptrs, r->cap * sizeof *r->ptrs);
    }
    r->offsets[index] = r->data.len;
}

static int end_field(csv_reader *r, size_t index, long field_line, lz_err *err)
{
    size_t start = r->offsets[index], n = r->data.len - start;
    size_t bad = utf8_invalid_at(r->data.data + start, n);
    if (bad != n)
        return err_set(err, LZ_EINPUT, "%s:%ld: field %zu is not valid UTF-8 (byte %zu); save the file as UTF-8", r->name,
                       field_line, index + 1, bad + 1);
    r->lens[index] = n;
    strbuf_putc(&r->data, '\0');
    return 0;
}

static int append_byte(csv_reader *r, size_t index, int c, lz_err *err)
{
    if (r->data.len - r->offsets[index] >= CSV_FIELD_MAX)
        return err_set(err, LZ_EINPUT, "%s:%ld: field %zu is longer than %u bytes", r->name, r->line, index + 1, CSV_FIELD_MAX);
    strbuf_putc(&r->data, (char)c);
    return 0;
}

/* Consumes one line end (CRLF, LF or CR) if present; returns whether one was there. */
static bool take_newline(csv_reader *r)
{
    int c = peek(r);
    if (c == '\n') {
        take(r);
    } else if (c == '\r') {
        take(r);
        if (peek(r) == '\n')
            take(r);
    } else {
        return false;
    }
    r->line++;
    return true;
}

static int read_quoted(csv_reader *r, size_t index, lz_err *err)
{
    long opened = r->line;
    take(r); /* the opening quote */
    for (;;) {
        int c = take(r);
        if (c == EOF)
            return err_set(err, LZ_EINPUT, "%s:%ld: quoted field %zu is never closed (missing '\"')", r->name, opened, index + 1);
        if (c == '\0')
            return nul_error(r, r->pos - 1, err);
        if (c == '"') {
            if (peek(r) != '"')
                break;
            take(r);
        } else if (c == '\n' || (c == '\r' && peek(r) != '\n')) {
            r->line++;
        }
        if (append_byte(r, index, c, err) < 0)
            return LZ_EINPUT;
    }
    int c = peek(r);
    if (c != ',' && c != '\n' && c != '\r' && c != EOF)
        return err_set(err, LZ_EINPUT, "%s:%ld: field %zu has text after its closing quote", r->name, r->line, index + 1);
    return 0;
}

/* Length of the run at the read position that holds no delimiter, quote or line end. */
static size_t plain_run(const csv_reader *r)
{
    size_t i = r->pos;
    while (i < r->len) {
        char c = r->buf[i];
        if (c == ',' || c == '\n' || c == '\r' || c == '"' || c == '\0')
            break;
        i++;
    }
    return i - r->pos;
}

static int read_plain(csv_reader *r, size_t index, lz_err *err)
{
    for (;;) {
        size_t run = plain_run(r);
        if (run > 0) {
            if (r->data.len - r->offsets[index] + run > CSV_FIELD_MAX)
                return err_set(err, LZ_EINPUT, "%s:%ld: field %zu is longer than %u bytes", r->name, r->line, index + 1,
                               CSV_FIELD_MAX);
            strbuf_append(&r->data, r->buf + r->pos, run);
            r->pos += run;
        }
        int c = peek(r);
        if (c == ',' || c == '\n' || c == '\r' || c == EOF)
            return 0;
        if (c == '"')
            return err_set(err, LZ_EINPUT, "%s:%ld: field %zu has a '\"' inside an unquoted value (quote the whole field)", r->name,
                           r->line, index + 1);
        if (c == '\0')
            return nul_error(r, r->pos, err);
        take(r);
        if (append_byte(r, index, c, err) < 0)
            return LZ_EINPUT;
    }
}

int csv_next(csv_reader *r, csv_record *rec, lz_err *err)
{
    if (!r->started) {
        r->started = true;
        skip_bom(r);
    }
    while (take_newline(r))
        ; /* blank lines */
    if (peek(r) == EOF)
        return 0;
    strbuf_reset(&r->data);
    long first_line = r->line;
    size_t n = 0;
    for (;;) {
        push_field_start(r, n);
        long field_line = r->line;
        int rc = peek(r) == '"' ? read_quoted(r, n, err) : read_plain(r, n, err);
        if (rc < 0)
            return rc;
        if ((rc = end_field(r, n, field_line, err)) < 0)
            return rc;
        n++;
        if (peek(r) == ',') {
            take(r);
            continue;
        }
        take_newline(r);
        break;
    }
    for (size_t i = 0; i < n; i++)
        r->ptrs[i] = r->data.data + r->offsets[i];
    rec->nfields = n;
    rec->fields = r->ptrs;
    rec->lens = r->lens;
    rec->line = first_line;
    return 1;
}

void csv_write_field(strbuf *out, const char *s, size_t n)
{
    bool quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        strbuf_append(out, s, n);
        return;
    }
    strbuf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            strbuf_putc(out, '"');
        strbuf_putc(out, s[i]);
    }
    strbuf_putc(out, '"');
}

/* Whether s starts with apostrophes (at_least of them or more) and then a character that makes
 * a spreadsheet cell a formula. */
static bool formula_after_apostrophes(const char *s, size_t n, size_t at_least)
{
    size_t i = 0;
    while (i < n && s[i] == '\'')
        i++;
    return i >= at_least && i < n && strchr("=+-@\t\r", s[i]) && s[i] != '\0';
}

void csv_write_text(strbuf *out, const char *s, size_t n)
{
    if (!formula_after_apostrophes(s, n, 0)) {
        csv_write_field(out, s, n);
        return;
    }
    strbuf guarded;
    strbuf_init(&guarded);
    strbuf_putc(&guarded, '\'');
    strbuf_append(&guarded, s, n);
    csv_write_field(out, guarded.data, guarded.len);
    strbuf_free(&guarded);
}

void csv_unguard(const char **s, size_t *n)
{
    if (formula_after_apostrophes(*s, *n, 1)) {
        (*s)++;
        (*n)--;
    }
}
