/*
 * ratio — how the analyses print shares and rates: exact integer fractions as decimal strings
 * with 4 decimals rounded half-up ("0.4500"), JSON null where the denominator is 0; money as yuan
 * with 2 decimals ("1234.50"), as everywhere else.
 */
#ifndef LZ_RATIO_H
#define LZ_RATIO_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define RATIO_SCALE 4
#define RATIO_ONE 10000 /* basis points in a whole */
#define RATIO_FMT_MAX 32

/* num / den rounded half-up to basis points. False when den <= 0 or the result overflows. */
bool ratio_bp(int64_t num, int64_t den, int64_t *bp);
/* Many fractions of one whole, as normalising a criterion over a chain takes: part / whole in
 * basis points, rounded half-up as ratio_bp rounds, for 0 <= part <= whole and whole > 0, by a
 * multiplication and an exact check instead of a division each. */
typedef struct ratio_whole {
    int64_t whole;
    double scale; /* RATIO_ONE / whole */
} ratio_whole;

ratio_whole ratio_whole_of(int64_t whole);
int64_t ratio_part_bp(const ratio_whole *w, int64_t part);
/* Writes num / den with 4 decimals into buf; false (buf "") when den <= 0. */
bool ratio_format(int64_t num, int64_t den, char buf[RATIO_FMT_MAX]);
/* A basis-point value with 4 decimals (3000 -> "0.3000"). */
void ratio_format_bp(int64_t bp, char buf[RATIO_FMT_MAX]);
/* num / den as a JSON string, or null when den <= 0. New reference. */
json_t *ratio_json(int64_t num, int64_t den);
/* fen as a JSON string of yuan ("1234.50"). New reference. */
json_t *ratio_money_json(int64_t fen);
/* Appends to the JSON array list the reason template filled with args (strbuf_fill: %1..%9). */
void ratio_append_reason(json_t *list, const char *template, const char *const *args);

#endif
