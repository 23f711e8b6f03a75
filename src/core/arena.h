/*
 * arena — a bump allocator for memory that lives exactly as long as one unit of work (a row, a
 * request, an import). Everything allocated from it is released by one arena_reset or arena_free;
 * nothing is freed one by one. Allocation aborts on out-of-memory like xmalloc.
 */
#ifndef LZ_ARENA_H
#define LZ_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    size_t block_size;
} arena;

void arena_init(arena *a, size_t block_size);
void *arena_alloc(arena *a, size_t n); /* aligned to 16 bytes */
/* Copies of strings, NUL-terminated and packed one after the other (not aligned). */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Keeps the first block for reuse, releases the rest. */
void arena_reset(arena *a);
void arena_free(arena *a);

#endif
