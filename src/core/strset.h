/*
 * strset — a set of byte strings, for noticing repeats such as one key given twice in one import.
 * The set copies what it stores into its own arena (the index itself is a strmap).
 */
#ifndef LZ_STRSET_H
#define LZ_STRSET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/strmap.h"

typedef struct strset {
    strmap index;
    arena mem;
} strset;

void strset_init(strset *set);
void strset_free(strset *set);
/* Adds s[0..n); returns false when it was already present. */
bool strset_add(strset *set, const char *s, size_t n);

#endif
