/* text — UTF-8 validation per RFC 3629, and numbers as people read them (see text.h). */
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Whether code point u is wide (East Asian Width W or F, the blocks the labels and names use). */
static bool wide(unsigned u)
{
    static const unsigned ranges[][2] = {
        {0x1100, 0x115F}, {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
        {0xA000, 0xA4CF}, {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F}, {0xFF00, 0xFF60},
        {0xFFE0, 0xFFE6}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (u >= ranges[i][0] && u <= ranges[i][1])
            return true;
    return false;
}

size_t utf8_display_width(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t width = 0;
    for (size_t i = 0; i < n;) {
        unsigned u = s[i], len = u < 0x80 ? 1 : u < 0xE0 ? 2 : u < 0xF0 ? 3 : 4;
        u &= len == 1 ? 0x7F : 0x3F >> (len - 1);
        for (unsigned k = 1; k < len && i + k < n; k++)
            u = (u << 6) | (s[i + k] & 0x3F);
        width += wide(u) ? 2 : 1;
        i += len;
    }
    return width;
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
