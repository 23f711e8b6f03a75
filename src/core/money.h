/*
 * money — exact amounts as integer fen (0.01 CNY), and fixed-point decimals in general.
 *
 * No floating point touches money anywhere in Lianzhang. Text is "1234.50" (a '.' and at most
 * `scale` decimals; an optional leading '-' only where the caller allows it). Arithmetic is
 * checked: every function that could overflow int64 says so instead of wrapping.
 * Rounding is half-up (half away from zero), applied once, where the caller chooses.
 */
#ifndef LZ_MONEY_H
#define LZ_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MONEY_SCALE 2
#define MONEY_FMT_MAX 32 /* enough for any int64 with sign, grouping and decimals */

/* Parses a decimal with up to `scale` fraction digits into an integer scaled by 10^scale.
 * Returns 0, or -1 with a reason in why ("more than 2 decimals", "too large"). */
int fixed_parse(const char *s, size_t n, int scale, bool allow_negative, int64_t *out, char *why, size_t whylen);
/* Writes v / 10^scale with exactly `scale` decimals ("1234.50"); returns the length. */
size_t fixed_format(int64_t v, int scale, char *buf, size_t buflen);
/* Like fixed_format but drops trailing zero decimals ("1.6", "3.5", "2"). */
size_t fixed_format_short(int64_t v, int scale, char *buf, size_t buflen);

static inline int money_parse(const char *s, size_t n, bool allow_negative, int64_t *fen, char *why, size_t whylen)
{
    return fixed_parse(s, n, MONEY_SCALE, allow_negative, fen, why, whylen);
}
/* "1234.50" — the machine form (CSV, JSON). */
static inline size_t money_format(int64_t fen, char buf[MONEY_FMT_MAX])
{
    return fixed_format(fen, MONEY_SCALE, buf, MONEY_FMT_MAX);
}
/* "1,234.50" — the human form (explanations, tables). */
size_t money_format_grouped(int64_t fen, char buf[MONEY_FMT_MAX]);
/* The same in units of 10^unit_pow10 yuan (4: 万元, 8: 亿元), exact: two decimals at least, more
 * where the fen need them ("123.456789" 万元 for 1,234,567.89 yuan). */
size_t money_format_in_unit(int64_t fen, int unit_pow10, char buf[MONEY_FMT_MAX]);

/* Checked arithmetic: return false (and leave *out alone) on overflow. */
bool money_add(int64_t a, int64_t b, int64_t *out);
bool money_sub(int64_t a, int64_t b, int64_t *out);
bool money_mul(int64_t a, int64_t b, int64_t *out);
/* a * num / den rounded half away from zero, exact via 128-bit intermediates. den must be > 0.
 * Returns false on overflow of the result or den <= 0. */
bool money_scale(int64_t a, int64_t num, int64_t den, int64_t *out);

#endif
