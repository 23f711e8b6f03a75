/*
 * lights — which key projects are late on a date D: each project's actual progress from its
 * stage (thresholds: lights.progress.*), its planned progress at D (the elapsed share of
 * start_date -> planned_completion, clamped to 0..100%), and a light: red when behind by more
 * than lights.red_above or past the planned completion and not complete, yellow when behind by
 * at least lights.yellow_from, green otherwise. A project at 100% is complete and needs no dates;
 * another without a start date or planned completion (or one not after the other) cannot be told,
 * and says what is missing. All comparisons are exact integer arithmetic in basis points x days.
 *
 * The result is the JSON the API returns and the CLI prints (docs/analysis.md):
 *   {"date", "thresholds", "projects": [...], "by_chain": [...], "by_division": [...],
 *    "red": [...], "cannot_tell": [...]}
 */
#ifndef LZ_LIGHTS_H
#define LZ_LIGHTS_H

#include <jansson.h>
#include <stdint.h>

#include "analysis/thresholds.h"
#include "core/err.h"
#include "store/store.h"

/* Which projects to judge: NULL fields mean any. */
typedef struct lights_filter {
    const char *chain, *division;
} lights_filter;

typedef enum light { LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED, LIGHT_CANNOT_TELL, LIGHT_KINDS } light;

/* Judges the projects f selects on day `date` (days since 1970-01-01). *out is a new reference
 * the caller owns. */
int lights_run(store *st, int32_t date, const lights_filter *f, const thresholds *th, json_t **out, lz_err *err);
/* How many of those projects have each light (by `light`), and nothing else: for a count of
 * eighty thousand projects, not their document. */
int lights_count(store *st, int32_t date, const lights_filter *f, const thresholds *th, int64_t counts[LIGHT_KINDS], lz_err *err);
/* A light's name in the documents: green, yellow, red, cannot_tell. */
const char *lights_name(light l);

#endif
