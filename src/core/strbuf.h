/*
 * strbuf — a growable byte buffer, always NUL-terminated. The buffer owns its bytes;
 * strbuf_free releases them, strbuf_detach hands them to the caller (free() them).
 */
#ifndef LZ_STRBUF_H
#define LZ_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
    char *data;
    size_t len, cap;
} strbuf;

void strbuf_init(strbuf *b);
void strbuf_free(strbuf *b);
void strbuf_reset(strbuf *b);
void strbuf_reserve(strbuf *b, size_t extra);
void strbuf_append(strbuf *b, const char *s, size_t n);
void strbuf_puts(strbuf *b, const char *s);
void strbuf_putc(strbuf *b, char c);
void strbuf_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *strbuf_detach(strbuf *b);
/* Appends template t with %1..%9 replaced by args[0..] (borrowed; as many as t names). */
void strbuf_fill(strbuf *b, const char *t, const char *const *args);
/* Appends the whole file at path ("-": standard input). Returns 0, or LZ_EINPUT with
 * "PATH: cannot open: reason" or "PATH: read error" in err. */
struct lz_err;
int strbuf_read_file(strbuf *b, const char *path, struct lz_err *err);

#endif
