/* arena — bump allocation in chained blocks (see arena.h). */
#include "core/arena.h"
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    arena_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

void arena_init(arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
}

/* n bytes at the next multiple of align (a power of two, at most 16) in the newest block, or at
 * the start of a new one. */
static void *bump(arena *a, size_t n, size_t align)
{
    size_t at = a->head ? (a->head->used + align - 1) & ~(align - 1) : 0;
    if (!a->head || at + n > a->head->size) {
        size_t size = n > a->block_size ? n : a->block_size;
        arena_block *b = xmalloc(sizeof *b + size);
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
        at = 0;
    }
    a->head->used = at + n;
    return a->head->data + at;
}

void *arena_alloc(arena *a, size_t n)
{
    return bump(a, n, 16);
}

/* Strings are packed byte by byte: a million USCCs of 19 bytes take 19 MB, not the 32 MB that
 * rounding each to 16 bytes would. */
char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = bump(a, n + 1, 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void arena_reset(arena *a)
{
    arena_block *b = a->head;
    if (!b)
        return;
    arena_block *keep = b;
    b = b->next;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    /* Keep the newest block; it is at least block_size. */
    keep->next = NULL;
    keep->used = 0;
    a->head = keep;
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
