/*
 * uscc — the Unified Social Credit Code (統一社會信用代碼, GB 32100-2015), an enterprise's
 * 18-character id. Character 18 is a check character over the first 17: charset
 * 0123456789ABCDEFGHJKLMNPQRTUWXY (31 symbols), weights 3^(i-1) mod 31, check = 31 - sum mod 31,
 * with 31 written as '0'.
 */
#ifndef LZ_USCC_H
#define LZ_USCC_H

#include <stddef.h>

#define USCC_LEN 18

/* Returns 0 when s[0..n) is a well-formed code with the right check character; otherwise -1 and
 * a reason in why, e.g. "check character is 'X', expected '3'". */
int uscc_validate(const char *s, size_t n, char *why, size_t whylen);
/* The check character for 17 code characters, or '\0' if one of them is outside the charset. */
char uscc_check_char(const char body[17]);
/* Completes body (17 chars of the charset) into out (19 bytes: 18 chars and NUL). */
void uscc_complete(const char body[17], char out[USCC_LEN + 1]);
/* The charset, for generators. */
extern const char uscc_charset[32];

#endif
