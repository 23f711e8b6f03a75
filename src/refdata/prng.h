/*
 * prng — the reference data set's own pseudo-random numbers: splitmix64, counter-seeded.
 *
 * The generator never keeps the data set in memory: every table re-derives what it needs about
 * enterprise i from (seed, i, stream). prng_at gives that independent stream in O(1), so the
 * enterprises, indicators and events of enterprise i agree whichever table asks, and adding a draw
 * to one stream never shifts another. Same inputs give the same numbers on every platform
 * (integer arithmetic only; never rand()).
 */
#ifndef LZ_PRNG_H
#define LZ_PRNG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct prng {
    uint64_t state;
} prng;

static inline uint64_t prng_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* The stream of (seed, item, stream tag). */
static inline prng prng_at(uint64_t seed, uint64_t item, uint64_t stream)
{
    return (prng){prng_mix(seed ^ prng_mix(item * 0x9e3779b97f4a7c15u + prng_mix(stream + 0x632be59bd9b4e019u)))};
}

static inline uint64_t prng_next(prng *r)
{
    return prng_mix(r->state += 0x9e3779b97f4a7c15u);
}

/* Uniform in [0, n), n > 0 (multiply-shift: no division, bias below 2^-40 for our n). */
static inline int64_t prng_below(prng *r, int64_t n)
{
    return (int64_t)(((unsigned __int128)prng_next(r) * (uint64_t)n) >> 64);
}

/* Uniform in [lo, hi]. */
static inline int64_t prng_range(prng *r, int64_t lo, int64_t hi)
{
    return lo + prng_below(r, hi - lo + 1);
}

/* True with probability permille / 1000. */
static inline bool prng_chance(prng *r, int permille)
{
    return prng_below(r, 1000) < permille;
}

/* Index drawn from weights[0..n) in proportion to them (sum > 0). */
static inline int prng_pick(prng *r, const int *weights, int n)
{
    int64_t total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i];
    int64_t x = prng_below(r, total);
    for (int i = 0; i < n; i++)
        if ((x -= weights[i]) < 0)
            return i;
    return n - 1;
}

#endif
