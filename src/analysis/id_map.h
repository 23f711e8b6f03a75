/*
 * id_map — a map from the city's enterprise ids (analysis/city.h: dense, from 0) to an int32, for
 * an analysis that goes through many chains and keeps a value per enterprise of the chain at hand.
 * One table serves the whole run: moving to the next chain starts a new generation, and a slot of
 * an older one reads as absent, so a chain of a thousand members does not clear a million slots.
 *
 * Ownership: the table is the map's, freed by id_map_free. Not for two threads at once.
 */
#ifndef LZ_ID_MAP_H
#define LZ_ID_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct id_map_slot {
    uint32_t generation;
    int32_t value;
} id_map_slot;

typedef struct id_map {
    id_map_slot *slots;
    uint32_t generation;
} id_map;

/* A map for ids 0 .. ids - 1, every one absent. */
void id_map_init(id_map *m, size_t ids);
void id_map_free(id_map *m);
/* Forgets every value (the next chain). */
void id_map_next(id_map *m);

/* The value of id, or `absent` when none was set since the last id_map_next. */
static inline int32_t id_map_get(const id_map *m, int32_t id, int32_t absent)
{
    return m->slots[id].generation == m->generation ? m->slots[id].value : absent;
}

static inline void id_map_set(id_map *m, int32_t id, int32_t value)
{
    m->slots[id] = (id_map_slot){m->generation, value};
}

#endif
