/* sort_u64 — see sort_u64.h. */
#include "core/sort_u64.h"

#include <string.h>

/* One stable counting pass on the byte at shift from src into dst; false (nothing moved) when
 * every key has the same byte there. */
static int pass(const uint64_t *src, uint64_t *dst, size_t n, unsigned shift)
{
    size_t count[256] = {0};
    for (size_t i = 0; i < n; i++)
        count[src[i] >> shift & 0xff]++;
    if (count[src[0] >> shift & 0xff] == n)
        return 0;
    for (size_t b = 0, at = 0; b < 256; b++) {
        size_t c = count[b];
        count[b] = at;
        at += c;
    }
    for (size_t i = 0; i < n; i++)
        dst[count[src[i] >> shift & 0xff]++] = src[i];
    return 1;
}

void sort_u64(uint64_t *v, size_t n, uint64_t *scratch)
{
    if (n < 2)
        return;
    uint64_t *src = v, *dst = scratch;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        if (pass(src, dst, n, shift)) {
            uint64_t *t = src;
            src = dst;
            dst = t;
        }
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
}
