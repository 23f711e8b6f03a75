/* sort_u64 — see sort_u64.h. */
#include "core/sort_u64.h"

#include <endian.h>
#include <string.h>

/* 2^11 counters fit the first-level cache, and 64 bits take six passes instead of eight bytes'. */
enum { DIGIT_BITS = 11, DIGITS = 1 << DIGIT_BITS };

/* One stable counting pass of n elements of TYPE from src into dst on the digit that DIGIT_OF(x)
 * gives of element x. */
#define COUNTING_PASS(name, TYPE, DIGIT_OF)                                                                                        \
    static void name(const TYPE *src, TYPE *dst, size_t n, int word, unsigned shift)                                               \
    {                                                                                                                              \
        (void)word;                                                                                                                \
        size_t count[DIGITS] = {0};                                                                                                \
        for (size_t i = 0; i < n; i++)                                                                                             \
            count[DIGIT_OF(src[i])]++;                                                                                             \
        for (size_t d = 0, at = 0; d < DIGITS; d++) {                                                                              \
            size_t c = count[d];                                                                                                   \
            count[d] = at;                                                                                                         \
            at += c;                                                                                                               \
        }                                                                                                                          \
        for (size_t i = 0; i < n; i++)                                                                                             \
            dst[count[DIGIT_OF(src[i])]++] = src[i];                                                                               \
    }

#define KEY_DIGIT(x) ((x) >> shift & (DIGITS - 1))
#define ITEM_DIGIT(x) ((word ? (x).hi : (x).lo) >> shift & (DIGITS - 1))
COUNTING_PASS(pass, uint64_t, KEY_DIGIT)
COUNTING_PASS(pass_items, sort_u128_item, ITEM_DIGIT)

void sort_u64_above(uint64_t *v, size_t n, uint64_t *scratch, unsigned sorted_bits)
{
    if (n < 2)
        return;
    /* The bits some keys differ in (set in one, clear in another): a digit none of them changes
     * needs no pass, and one look at every key finds them all (the high bits of a small number). */
    uint64_t any = 0, all = UINT64_MAX;
    for (size_t i = 0; i < n; i++)
        any |= v[i], all &= v[i];
    uint64_t *src = v, *dst = scratch;
    for (unsigned shift = sorted_bits; shift < 64; shift += DIGIT_BITS) {
        if ((any ^ all) >> shift & (DIGITS - 1)) {
            pass(src, dst, n, 0, shift);
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

void sort_u128(sort_u128_item *v, size_t n, sort_u128_item *scratch)
{
    if (n < 2)
        return;
    uint64_t any[2] = {0, 0}, all[2] = {UINT64_MAX, UINT64_MAX}; /* as in sort_u64_above; a USCC's prefix */
    for (size_t i = 0; i < n; i++) {
        any[0] |= v[i].lo, all[0] &= v[i].lo;
        any[1] |= v[i].hi, all[1] &= v[i].hi;
    }
    sort_u128_item *src = v, *dst = scratch;
    for (int word = 0; word < 2; word++) { /* lo, then hi: least significant first */
        for (unsigned shift = 0; shift < 64; shift += DIGIT_BITS) {
            if ((any[word] ^ all[word]) >> shift & (DIGITS - 1)) {
                pass_items(src, dst, n, word, shift);
                sort_u128_item *t = src;
                src = dst;
                dst = t;
            }
        }
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
}

/* Eight bytes of s (of length len) from `at` as a big-endian number, zeros past its end. */
static uint64_t big_endian_at(const char *s, size_t len, size_t at)
{
    uint64_t v = 0;
    if (len >= at + 8) { /* a USCC's 18 bytes hold both words: one load each */
        memcpy(&v, s + at, sizeof v);
        return be64toh(v);
    }
    for (size_t k = at; k < at + 8; k++)
        v = v << 8 | (k < len ? (unsigned char)s[k] : 0);
    return v;
}

sort_u128_item sort_u128_text_key(const char *s, size_t value)
{
    size_t len = strlen(s);
    return (sort_u128_item){big_endian_at(s, len, 0), big_endian_at(s, len, 8), value};
}

/* v[from, to), whose first sixteen bytes agree, by their whole text (an insertion sort: such runs
 * are a few at most). */
static void order_run(sort_u128_item *v, size_t from, size_t to, const char *(*text)(const void *, size_t), const void *ctx)
{
    for (size_t i = from + 1; i < to; i++) {
        sort_u128_item x = v[i];
        size_t j = i;
        for (; j > from && strcmp(text(ctx, v[j - 1].value), text(ctx, x.value)) > 0; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

void sort_u128_texts(sort_u128_item *v, size_t n, sort_u128_item *scratch, const char *(*text)(const void *ctx, size_t value),
                     const void *ctx)
{
    sort_u128(v, n, scratch);
    for (size_t from = 0, to; from < n; from = to) {
        for (to = from + 1; to < n && v[to].hi == v[from].hi && v[to].lo == v[from].lo; to++)
            ;
        if (to - from > 1)
            order_run(v, from, to, text, ctx);
    }
}
