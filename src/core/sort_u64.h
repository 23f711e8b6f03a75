/*
 * sort_u64 — sorting unsigned 64-bit keys (or 128-bit keys carrying a value) in ascending order,
 * by digits of 11 bits (least significant first, a pass skipped where every key has the same
 * digit). For rankings packed into one number each, sorted many times over (the masters' twenty
 * weight moves on chains of a hundred thousand): linear in the keys, where a comparison sort calls
 * its comparator n log n times.
 */
#ifndef LZ_SORT_U64_H
#define LZ_SORT_U64_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n); scratch has room for n keys and ends up holding nothing of use. */
void sort_u64(uint64_t *v, size_t n, uint64_t *scratch);
/* The same for keys that come in ascending order of their low `sorted_bits` bits (a place
 * written below a score): only the bits above are sorted, and since every pass is stable the
 * keys end up in order as a whole. */
void sort_u64_above(uint64_t *v, size_t n, uint64_t *scratch, unsigned sorted_bits);

/* A record keyed by a 128-bit number (hi, lo), carrying a value: what strings are sorted by when
 * their first sixteen bytes, read as two big-endian numbers, nearly always tell them apart. */
typedef struct sort_u128_item {
    uint64_t hi, lo;
    size_t value;
} sort_u128_item;

/* Sorts v[0..n) by (hi, lo) ascending, stably (equal keys keep their order); scratch has room for
 * n items and ends up holding nothing of use. */
void sort_u128(sort_u128_item *v, size_t n, sort_u128_item *scratch);

/* Texts in byte order (strcmp's, SQLite's for text): each keyed by sort_u128_text_key, sorted by
 * sort_u128_texts: by their first sixteen bytes as numbers, then the rare runs that agree there by
 * the whole text, which text(ctx, value) gives. */
sort_u128_item sort_u128_text_key(const char *s, size_t value);
void sort_u128_texts(sort_u128_item *v, size_t n, sort_u128_item *scratch, const char *(*text)(const void *ctx, size_t value),
                     const void *ctx);

#endif
