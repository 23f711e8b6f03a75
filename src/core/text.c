/* text — UTF-8 validation per RFC 3629, display widths, and numbers as people read them (see text.h). */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include "core/text.h"

#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

size_t utf8_invalid_at(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else
            return i;
        if (i + len > n)
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k < len; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return i;
        i += len;
    }
    return n;
}

size_t utf8_length(const char *str, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)str[i] & 0xC0) != 0x80)
            count++;
    return count;
}

/* Plain decimal text for a number printf wrote in scientific notation (1.2345e+07). The exponent
 * of a double is at most 308, which bounds what this writes. */
static void plain_number(const char *s, strbuf *out)
{
    const char *e = strpbrk(s, "eE");
    if (!e) {
        strbuf_puts(out, s);
        return;
    }
    bool neg = *s == '-';
    if (neg)
        s++;
    char digits[32];
    size_t nd = 0;
    long point = -1;
    for (const char *p = s; p < e && nd < sizeof digits - 1; p++) {
        if (*p == '.')
            point = (long)nd;
        else
            digits[nd++] = *p;
    }
    if (point < 0)
        point = (long)nd;
    point += strtol(e + 1, NULL, 10);
    if (neg)
        strbuf_putc(out, '-');
    if (point <= 0) {
        strbuf_puts(out, "0.");
        for (long i = 0; i < -point; i++)
            strbuf_putc(out, '0');
        strbuf_append(out, digits, nd);
        return;
    }
    for (long i = 0; i < point; i++)
        strbuf_putc(out, i < (long)nd ? digits[i] : '0');
    if ((long)nd > point) {
        strbuf_putc(out, '.');
        strbuf_append(out, digits + point, nd - (size_t)point);
    }
}

void text_from_double(double d, strbuf *out)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", d == 0 ? 0.0 : d); /* no "-0" */
    plain_number(buf, out);
}

/* The code point at s[0..n) (valid UTF-8 assumed by the caller) and its length in *len. */
static uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
    size_t k = s[0] < 0x80 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    if (k > n || utf8_invalid_at((const char *)s, k) != k) {
        *len = 1;
        return 0xFFFD;
    }
    uint32_t cp = k == 1 ? s[0] : s[0] & (0x7F >> k);
    for (size_t i = 1; i < k; i++)
        cp = cp << 6 | (s[i] & 0x3F);
    *len = k;
    return cp;
}

static locale_t utf8;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_locale_open(void)
{
    utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

size_t text_display_width(const char *str, size_t n)
{
    /* wcwidth reads the thread's LC_CTYPE: ask C.UTF-8 for this call only, whatever the
     * program's locale, so widths do not depend on the user's environment. */
    pthread_once(&utf8_once, utf8_locale_open);
    locale_t before = utf8 ? uselocale(utf8) : (locale_t)0;
    const unsigned char *s = (const unsigned char *)str;
    size_t width = 0;
    for (size_t i = 0, len; i < n; i += len) {
        uint32_t cp = utf8_decode(s + i, n - i, &len);
        int w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
        width += w < 0 ? 1 : (size_t)w;
    }
    if (utf8)
        uselocale(before);
    return width;
}
