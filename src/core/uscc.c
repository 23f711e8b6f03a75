/* uscc — GB 32100-2015 check character (see uscc.h). */
#include "core/uscc.h"

#include <stdio.h>
#include <string.h>

const char uscc_charset[32] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* 1 + the value of each byte of the charset; 0 for bytes outside it. */
static const unsigned char values_plus_one[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
    ['G'] = 17, ['H'] = 18, ['J'] = 19, ['K'] = 20, ['L'] = 21, ['M'] = 22, ['N'] = 23, ['P'] = 24,
    ['Q'] = 25, ['R'] = 26, ['T'] = 27, ['U'] = 28, ['W'] = 29, ['X'] = 30, ['Y'] = 31};

static int char_value(char c)
{
    return (int)values_plus_one[(unsigned char)c] - 1;
}

char uscc_check_char(const char body[17])
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = char_value(body[i]);
        if (v < 0)
            return '\0';
        sum += v * weights[i];
    }
    int check = 31 - sum % 31;
    return uscc_charset[check == 31 ? 0 : check];
}

void uscc_complete(const char body[17], char out[USCC_LEN + 1])
{
    memcpy(out, body, 17);
    out[17] = uscc_check_char(body);
    out[18] = '\0';
}

int uscc_validate(const char *s, size_t n, char *why, size_t whylen)
{
    if (n != USCC_LEN) {
        snprintf(why, whylen, "must be 18 characters, got %zu", n);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (char_value(s[i]) < 0) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 'a' && c <= 'z')
                snprintf(why, whylen, "character %zu '%c' must be upper case", i + 1, c);
            else if (c >= 0x21 && c < 0x7f)
                snprintf(why, whylen, "character %zu '%c' is not allowed (0-9 and A-Y without I, O, S, V, Z)", i + 1, c);
            else
                snprintf(why, whylen, "character %zu is not allowed (0-9 and A-Y without I, O, S, V, Z)", i + 1);
            return -1;
        }
    }
    char expected = uscc_check_char(s);
    if (s[17] != expected) {
        snprintf(why, whylen, "check character is '%c', expected '%c'", s[17], expected);
        return -1;
    }
    return 0;
}
