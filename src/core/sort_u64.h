/*
 * sort_u64 — sorting unsigned 64-bit keys in ascending order, by bytes (least significant first,
 * a pass skipped where every key has the same byte). For rankings packed into one number each,
 * sorted many times over (the masters' twenty weight moves on chains of a hundred thousand):
 * linear in the keys, where a comparison sort calls its comparator n log n times.
 */
#ifndef LZ_SORT_U64_H
#define LZ_SORT_U64_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n); scratch has room for n keys and ends up holding nothing of use. */
void sort_u64(uint64_t *v, size_t n, uint64_t *scratch);

#endif
