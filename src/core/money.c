/* money — fixed-point parsing, formatting and checked arithmetic (see money.h). */
#include "core/money.h"

#include <stdio.h>
#include <string.h>

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

/* Writes v / 10^scale without printf (it is on the hot path of every JSON row): sign, whole digits
 * (grouped by thousands if asked), then `scale` decimals, trailing zeros dropped if asked.
 * Handles INT64_MIN. Returns the length, or 0 when buf is too small. */
static size_t format_parts(int64_t v, int scale, bool group, bool trim, char *buf, size_t buflen)
{
    unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char tmp[48];
    size_t n = 0; /* tmp is filled backwards */
    int frac_digits = 0;
    for (int i = 0; i < scale; i++) {
        char d = (char)('0' + mag % 10);
        mag /= 10;
        if (trim && n == 0 && d == '0')
            continue;
        tmp[n++] = d;
        frac_digits++;
    }
    if (frac_digits > 0)
        tmp[n++] = '.';
    int whole = 0;
    do {
        if (group && whole > 0 && whole % 3 == 0)
            tmp[n++] = ',';
        tmp[n++] = (char)('0' + mag % 10);
        mag /= 10;
        whole++;
    } while (mag > 0);
    if (v < 0)
        tmp[n++] = '-';
    if (n + 1 > buflen)
        return 0;
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
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

size_t money_format_in_unit(int64_t fen, int unit_pow10, char buf[MONEY_FMT_MAX])
{
    size_t n = format_parts(fen, MONEY_SCALE + unit_pow10, true, false, buf, MONEY_FMT_MAX);
    size_t point = n ? (size_t)(strchr(buf, '.') - buf) : 0;
    while (n > point + 1 + MONEY_SCALE && buf[n - 1] == '0')
        buf[--n] = '\0';
    return n;
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
    __int128 q;
    if (mag <= (__int128)UINT64_MAX) { /* the usual case, in one machine division */
        uint64_t m = (uint64_t)mag, d = (uint64_t)den;
        q = (__int128)(m / d) + (m % d >= d - m % d);
    } else {
        __int128 r = mag % den;
        q = mag / den + (r * 2 >= den);
    }
    if (q > (__int128)INT64_MAX)
        return false;
    *out = negative ? -(int64_t)q : (int64_t)q;
    return true;
}
