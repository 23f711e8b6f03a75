/* sort_u64 — see sort_u64.h. */
#include "core/sort_u64.h"

#include <string.h>

/* 2^11 counters fit the first-level cache, and 64 bits take six passes instead of eight bytes'. */
enum { DIGIT_BITS = 11, DIGITS = 1 << DIGIT_BITS };

/* One stable counting pass on the digit at shift from src into dst; false (nothing moved) when
 * every key has the same digit there. */
static int pass(const uint64_t *src, uint64_t *dst, size_t n, unsigned shift)
{
    size_t count[DIGITS] = {0};
    for (size_t i = 0; i < n; i++)
        count[src[i] >> shift & (DIGITS - 1)]++;
    if (count[src[0] >> shift & (DIGITS - 1)] == n)
        return 0;
    for (size_t d = 0, at = 0; d < DIGITS; d++) {
        size_t c = count[d];
        count[d] = at;
        at += c;
    }
    for (size_t i = 0; i < n; i++)
        dst[count[src[i] >> shift & (DIGITS - 1)]++] = src[i];
    return 1;
}

void sort_u64_above(uint64_t *v, size_t n, uint64_t *scratch, unsigned sorted_bits)
{
    if (n < 2)
        return;
    uint64_t *src = v, *dst = scratch;
    for (unsigned shift = sorted_bits; shift < 64; shift += DIGIT_BITS) {
        if (pass(src, dst, n, shift)) {
            uint64_t *t = src;
            src = dst;
            dst = t;
        }
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
}

void sort_u64(uint64_t *v, size_t n, uint64_t *scratch)
{
    sort_u64_above(v, n, scratch, 0);
}
