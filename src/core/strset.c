/* strset — open-addressing string set with linear probing (see strset.h). */
#include "core/strset.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

static size_t fnv1a(const char *s, size_t n)
{
    size_t h = (size_t)1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= (size_t)1099511628211ULL;
    }
    return h;
}

void strset_init(strset *set)
{
    set->slots = NULL;
    set->cap = set->count = 0;
    arena_init(&set->mem, 256 * 1024);
}

void strset_free(strset *set)
{
    free(set->slots);
    arena_free(&set->mem);
    set->slots = NULL;
    set->cap = set->count = 0;
}

static void place(strset_slot *slots, size_t cap, strset_slot item)
{
    size_t i = item.hash & (cap - 1);
    while (slots[i].s)
        i = (i + 1) & (cap - 1);
    slots[i] = item;
}

static void grow(strset *set)
{
    size_t cap = set->cap ? set->cap * 2 : 1024;
    strset_slot *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < set->cap; i++)
        if (set->slots[i].s)
            place(slots, cap, set->slots[i]);
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
}

bool strset_add(strset *set, const char *s, size_t n)
{
    if ((set->count + 1) * 4 > set->cap * 3)
        grow(set);
    size_t h = fnv1a(s, n), i = h & (set->cap - 1);
    for (; set->slots[i].s; i = (i + 1) & (set->cap - 1)) {
        const strset_slot *e = &set->slots[i];
        if (e->hash == h && e->n == n && memcmp(e->s, s, n) == 0)
            return false;
    }
    set->slots[i] = (strset_slot){arena_strndup(&set->mem, s, n), n, h};
    set->count++;
    return true;
}
