/* id_map — see id_map.h. Generation 0 marks a slot never set, so a map starts at generation 1. */
#include "analysis/id_map.h"

#include <stdlib.h>

#include "core/err.h"

void id_map_init(id_map *m, size_t ids)
{
    m->slots = xcalloc(ids ? ids : 1, sizeof *m->slots);
    m->generation = 1;
}

void id_map_free(id_map *m)
{
    free(m->slots);
    m->slots = NULL;
}

void id_map_next(id_map *m)
{
    m->generation++;
}
