/*
 * strmap — a map from byte strings to int32 values (open addressing, linear probing, FNV-1a),
 * for indexes such as "which subject has this id" over a million keys.
 *
 * Each slot keeps its key's hash and length beside the key pointer, so probing past other keys
 * compares numbers in one cache line and dereferences a key only when both agree.
 *
 * Keys are borrowed byte strings: the caller keeps them alive (usually in an arena) for the map's
 * lifetime.
 */
#ifndef LZ_STRMAP_H
#define LZ_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap_slot {
    const char *key; /* NULL: empty */
    uint32_t hash, len;
    int32_t val;
} strmap_slot;

typedef struct strmap {
    strmap_slot *slots;
    size_t cap, count;
} strmap;

/* A zeroed strmap is an empty map. */
void strmap_free(strmap *m);
/* Room for n keys in all without growing again (a million subjects without rounds of rehashing). */
void strmap_reserve(strmap *m, size_t n);
/* The value of s[0..n), or -1 when absent. */
int32_t strmap_get(const strmap *m, const char *s, size_t n);
/* The values of keys[i][0..lens[i]) into out[i] (-1 when absent) for every i < n, as strmap_get
 * would one by one, but with the cache misses of the lookups overlapping: several times faster
 * on a big table when the keys come in no useful order. */
void strmap_get_many(const strmap *m, const char *const *keys, const size_t *lens, size_t n, int32_t *out);
/* Stores key[0..n) -> val unless the key is present; returns the value now stored for it. */
int32_t strmap_put(strmap *m, const char *key, size_t n, int32_t val);
/* Stores keys[i] (NUL-terminated) -> first + i for every i < n, as strmap_put would one by one (a
 * key given twice keeps its first value), but several times faster on big tables. */
void strmap_put_all(strmap *m, const char *const *keys, size_t n, int32_t first);

#endif
