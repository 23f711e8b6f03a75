/*
 * hash — the one non-cryptographic hash of the program: 64-bit FNV-1a over bytes, for hash tables
 * (strmap, the HTTP answer cache) and for the version hash of a rule file (policy_info.hash).
 *
 * The offset basis is 1469598103934665603, not FNV's published 14695981039346656037 (a digit
 * short, since the first version): rule-file hashes already recorded in ledgers were computed
 * with it, so it stays. The multiplier is FNV's 64-bit prime. Not for keys an attacker chooses to
 * collide where that would cost more than a miss.
 */
#ifndef LZ_HASH_H
#define LZ_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t hash_fnv1a(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

#endif
