/* text — small UTF-8 helpers shared by the readers, and numbers as people read them. */
#ifndef LZ_TEXT_H
#define LZ_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"

/* Returns the offset of the first byte that is not well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF), or n when all of s[0..n) is valid. */
size_t utf8_invalid_at(const char *s, size_t n);
static inline bool utf8_valid(const char *s, size_t n)
{
    return utf8_invalid_at(s, n) == n;
}
/* Number of code points (for length limits a user counts in characters). */
size_t utf8_length(const char *s, size_t n);
/* Columns a terminal gives s[0..n): two for a wide (CJK) character, none for a combining mark,
 * one for the rest, as the C library's Unicode tables (wcwidth in C.UTF-8) say. Invalid bytes and
 * control characters count one each. */
size_t text_display_width(const char *s, size_t n);

/* Appends a finite double as a spreadsheet shows it: rounded to 15 significant digits (all a
 * double holds for certain), trailing zeros dropped, never in scientific notation, so the
 * 73338502.95999999 a workbook or a JSON file stores for 73338502.96 reads as "73338502.96". */
void text_from_double(double d, strbuf *out);

#endif
