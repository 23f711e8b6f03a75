/* strset — a string set over strmap (see strset.h). */
#include "core/strset.h"

#include <string.h>

void strset_init(strset *set)
{
    memset(&set->index, 0, sizeof set->index);
    arena_init(&set->mem, 256 * 1024);
}

void strset_free(strset *set)
{
    strmap_free(&set->index);
    arena_free(&set->mem);
}

bool strset_add(strset *set, const char *s, size_t n)
{
    if (strmap_get(&set->index, s, n) >= 0)
        return false;
    strmap_put(&set->index, arena_strndup(&set->mem, s, n), n, 0);
    return true;
}
