/* strmap — string -> int32 map with stored hashes (see strmap.h). */
#include "core/strmap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hash.h"

/* The stored 32-bit hash: both halves of the 64-bit one folded together. */
static uint32_t fnv1a(const char *s, size_t n)
{
    uint64_t h = hash_fnv1a(s, n);
    return (uint32_t)(h ^ (h >> 32));
}

void strmap_free(strmap *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static void place(strmap_slot *slots, size_t cap, strmap_slot item)
{
    size_t i = item.hash & (cap - 1);
    while (slots[i].key)
        i = (i + 1) & (cap - 1);
    slots[i] = item;
}

static void resize(strmap *m, size_t cap)
{
    strmap_slot *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            place(slots, cap, m->slots[i]);
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

/* At most half full: short probe sequences matter more than the memory. */
static bool roomy(size_t cap, size_t n)
{
    return n * 2 <= cap;
}

void strmap_reserve(strmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 1024;
    while (!roomy(cap, n))
        cap *= 2;
    if (cap != m->cap)
        resize(m, cap);
}

static bool same(const strmap_slot *e, uint32_t h, const char *s, size_t n)
{
    return e->hash == h && e->len == n && memcmp(e->key, s, n) == 0;
}

/* The value of s[0..n), whose hash is h, probing from slot i; -1 when absent. */
static int32_t get_from(const strmap *m, size_t i, const char *s, size_t n, uint32_t h)
{
    for (; m->slots[i].key; i = (i + 1) & (m->cap - 1))
        if (same(&m->slots[i], h, s, n))
            return m->slots[i].val;
    return -1;
}

int32_t strmap_get(const strmap *m, const char *s, size_t n)
{
    if (!m->cap)
        return -1;
    uint32_t h = fnv1a(s, n);
    return get_from(m, h & (m->cap - 1), s, n, h);
}

void strmap_get_many(const strmap *m, const char *const *keys, const size_t *lens, size_t n, int32_t *out)
{
    /* Three passes over a group: hash each key and fetch its home slot; then find the slot whose
     * hash and length agree and fetch its key; then compare, each pass finding in cache what the
     * one before asked for. */
    enum { GROUP = 32 };
    uint32_t hash[GROUP];
    size_t at[GROUP];
    if (!m->cap) {
        for (size_t k = 0; k < n; k++)
            out[k] = -1;
        return;
    }
    for (size_t lo = 0; lo < n; lo += GROUP) {
        size_t g = n - lo < GROUP ? n - lo : GROUP;
        for (size_t k = 0; k < g; k++) {
            hash[k] = fnv1a(keys[lo + k], lens[lo + k]);
            at[k] = hash[k] & (m->cap - 1);
            __builtin_prefetch(&m->slots[at[k]]);
        }
        for (size_t k = 0; k < g; k++) {
            size_t i = at[k];
            while (m->slots[i].key && (m->slots[i].hash != hash[k] || m->slots[i].len != lens[lo + k]))
                i = (i + 1) & (m->cap - 1);
            at[k] = i;
            __builtin_prefetch(m->slots[i].key);
        }
        for (size_t k = 0; k < g; k++)
            out[lo + k] = get_from(m, at[k], keys[lo + k], lens[lo + k], hash[k]);
    }
}

/* Inserts a key whose hash is known; returns the value now stored for it. */
static int32_t put_hashed(strmap *m, const char *key, size_t n, uint32_t h, int32_t val)
{
    size_t i = h & (m->cap - 1);
    for (; m->slots[i].key; i = (i + 1) & (m->cap - 1))
        if (same(&m->slots[i], h, key, n))
            return m->slots[i].val;
    m->slots[i] = (strmap_slot){key, h, (uint32_t)n, val};
    m->count++;
    return val;
}

int32_t strmap_put(strmap *m, const char *key, size_t n, int32_t val)
{
    strmap_reserve(m, m->count + 1);
    return put_hashed(m, key, n, fnv1a(key, n), val);
}

void strmap_put_all(strmap *m, const char *const *keys, size_t n, int32_t first)
{
    /* A big table is mostly cache misses: hash a few keys ahead and prefetch their home slots,
     * so that the memory fetches overlap instead of running one after another. */
    enum { AHEAD = 16 };
    uint32_t hash[AHEAD];
    size_t len[AHEAD];
    strmap_reserve(m, m->count + n);
    for (size_t i = 0; i < n + AHEAD; i++) {
        if (i >= AHEAD) {
            size_t k = i - AHEAD;
            put_hashed(m, keys[k], len[k % AHEAD], hash[k % AHEAD], first + (int32_t)k);
        }
        if (i < n) {
            size_t r = i % AHEAD;
            len[r] = strlen(keys[i]);
            hash[r] = fnv1a(keys[i], len[r]);
            __builtin_prefetch(&m->slots[hash[r] & (m->cap - 1)], 1);
        }
    }
}
