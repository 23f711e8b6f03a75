/* money — fixed-point parsing, formatting and checked arithmetic (see money.h). */
#include "core/money.h"

#include <stdio.h>
#include <string.h>

static int64_t pow10_i64(int scale)
{
    int64_t p = 1;
    while (scale-- > 0)
        p *= 10;
    return p;
}

int fixed_parse(const char *s, size_t n, int scale, bool allow_negative, int64_t *out, char *why, size_t whylen)
{
    size_t i = 0;
    bool negative = false, any_digit = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        negative = s[i] == '-';
        i++;
    }
    if (negative && !allow_negative) {
        snprintf(why, whylen, "must not be negative");
        return -1;
    }
    __int128 v = 0;
    int decimals = -1; /* -1: no '.' seen yet */
    for (; i < n; i++) {
        char c = s[i];
        if (c == '.' && decimals < 0) {
            decimals = 0;
            continue;
        }
        if (c < '0' || c > '9') {
            snprintf(why, whylen, "'%.*s' is not a number (expected digits with an optional '.', like 1234.50)",
                     (int)(n > 40 ? 40 : n), s);
            return -1;
        }
        if (decimals >= 0 && ++decimals > scale) {
            snprintf(why, whylen, "more than %d decimal%s in '%.*s'", scale, scale == 1 ? "" : "s", (int)(n > 40 ? 40 : n), s);
            return -1;
        }
        v = v * 10 + (c - '0');
        any_digit = true;
        if (v > (__int128)INT64_MAX) {
            snprintf(why, whylen, "'%.*s' is too large", (int)(n > 40 ? 40 : n), s);
            return -1;
        }
    }
    if (!any_digit) {
        snprintf(why, whylen, "'%.*s' is not a number", (int)(n > 40 ? 40 : n), s);
        return -1;
    }
    for (int d = decimals < 0 ? 0 : decimals; d < scale; d++) {
        v *= 10;
        if (v > (__int128)INT64_MAX) {
            snprintf(why, whylen, "'%.*s' is too large", (int)(n > 40 ? 40 : n), s);
            return -1;
        }
    }
    *out = negative ? -(int64_t)v : (int64_t)v;
    return 0;
}

/* Digits of |v| / 10^scale and its remainder, written without sign; handles INT64_MIN. */
static size_t format_parts(int64_t v, int scale, bool group, bool trim, char *buf, size_t buflen)
{
    unsigned __int128 mag = v < 0 ? (unsigned __int128)(-(__int128)v) : (unsigned __int128)v;
    unsigned long long p = (unsigned long long)pow10_i64(scale);
    unsigned long long whole = (unsigned long long)(mag / p), frac = (unsigned long long)(mag % p);
    char digits[32], grouped[48];
    int nd = snprintf(digits, sizeof digits, "%llu", whole);
    const char *w = digits;
    if (group) {
        int o = 0;
        for (int i = 0; i < nd; i++) {
            if (i > 0 && (nd - i) % 3 == 0)
                grouped[o++] = ',';
            grouped[o++] = digits[i];
        }
        grouped[o] = '\0';
        w = grouped;
    }
    char fracbuf[24] = "";
    if (scale > 0) {
        snprintf(fracbuf, sizeof fracbuf, ".%0*llu", scale, frac);
        if (trim) {
            size_t fl = strlen(fracbuf);
            while (fl > 1 && fracbuf[fl - 1] == '0')
                fracbuf[--fl] = '\0';
            if (fl == 1)
                fracbuf[0] = '\0';
        }
    }
    int len = snprintf(buf, buflen, "%s%s%s", v < 0 ? "-" : "", w, fracbuf);
    return len < 0 ? 0 : (size_t)len;
}

size_t fixed_format(int64_t v, int scale, char *buf, size_t buflen)
{
    return format_parts(v, scale, false, false, buf, buflen);
}

size_t fixed_format_short(int64_t v, int scale, char *buf, size_t buflen)
{
    return format_parts(v, scale, false, true, buf, buflen);
}

size_t money_format_grouped(int64_t fen, char buf[MONEY_FMT_MAX])
{
    return format_parts(fen, MONEY_SCALE, true, false, buf, MONEY_FMT_MAX);
}

bool money_add(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

bool money_sub(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

bool money_mul(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

bool money_scale(int64_t a, int64_t num, int64_t den, int64_t *out)
{
    if (den <= 0)
        return false;
    __int128 p = (__int128)a * num;
    bool negative = p < 0;
    __int128 mag = negative ? -p : p;
    __int128 q = mag / den, r = mag % den;
    if (r * 2 >= den)
        q++;
    if (q > (__int128)INT64_MAX)
        return false;
    *out = negative ? -(int64_t)q : (int64_t)q;
    return true;
}
