/*
 * synth — the deterministic generator of the reference data set: the fixed Jiangmen tables
 * (jiangmen.h) plus N synthetic enterprises with everything the work list and the policies need
 * (memberships, 2019-2024 indicators, supply links, projects, persons, events, platforms,
 * investment targets, appeals).
 *
 * Rows come out table by table, each as the text a spreadsheet would hold (money "1234.50",
 * booleans "true"/"false", lists ';'-joined, empty = unknown), in the contract's column order, so
 * the caller can push them through the importer and have every field validated like a user's file.
 * Nothing is kept between rows: each table re-derives enterprise i from (seed, i), so memory stays
 * constant from 100 to 1,000,000 enterprises, and the same seed and N give the same rows in the
 * same order on every run.
 *
 * Index space: the first SYNTH_FEATURED enterprises are hand-placed cases (chain masters, reserve
 * masters, and the exact policy boundaries: above-size entry years, value-added growth exactly 10%,
 * tech-upgrade thresholds, executive wages around 300,000, ...); the rest fill the chain segments
 * in proportion to the segments' local and outside weights, so a missing link stays empty.
 */
#ifndef LZ_SYNTH_H
#define LZ_SYNTH_H

#include <stdint.h>

#include "core/err.h"
#include "model/tables.h"

#define SYNTH_MIN_ENTERPRISES 100
#define SYNTH_MAX_ENTERPRISES 5000000
#define SYNTH_DEFAULT_ENTERPRISES 3000
#define SYNTH_DEFAULT_SEED 1
#define SYNTH_FEATURED 58
#define SYNTH_FIRST_YEAR 2019
#define SYNTH_LAST_YEAR 2024
/* The data set describes the city as of this day (fixed, so output never depends on the clock);
 * only the appeals, a live workflow, move with synth_params.today. */
#define SYNTH_AS_OF "2025-03-31"

typedef struct synth_params {
    uint64_t seed;
    int64_t enterprises; /* SYNTH_MIN_ENTERPRISES..SYNTH_MAX_ENTERPRISES, outside suppliers included */
    int32_t today;       /* day number the appeals are dated to (raised before it, most not yet due on it); 0: SYNTH_AS_OF */
} synth_params;

typedef struct synth synth;

/* Checks the parameters (LZ_EINPUT naming the allowed range) and lays out the index space.
 * The caller owns *out and frees it with synth_free. */
int synth_new(synth **out, const synth_params *p, lz_err *err);
void synth_free(synth *s);

/* Receives one row: t->ncols fields in contract column order, borrowed for the call only.
 * Returning non-zero stops the generation; synth_table returns that value. */
typedef int (*synth_row_fn)(void *ctx, const char *const *fields, const size_t *lens);
/* Told now and then how many of the table's `total` work items are done (may be NULL). */
typedef void (*synth_progress_fn)(void *ctx, int64_t done, int64_t total);

/* Generates every row of table t. Returns 0, what fn returned, or LZ_EINTERNAL (err set) when the
 * table is not one the generator knows or lacks a column it writes. */
int synth_table(const synth *s, const table *t, synth_row_fn fn, synth_progress_fn progress, void *ctx, lz_err *err);

#endif
