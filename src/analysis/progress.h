/*
 * progress — will each cluster reach its 2025 target: its output of year Y (the local
 * enterprises with a confirmed membership in any of its chains, each counted once), the number of
 * them above designated size in Y, growth on Y-1 (the same enterprises' output of Y-1), the target
 * (clusters.target_output_2025), the yearly growth still needed, (target / output)^(1 / (2025 - Y))
 * - 1, and the chains that carry it (each chain's output and share of the cluster's).
 *
 * The needed growth takes a root, so it is the one figure computed in floating point (double);
 * it is rounded half away from zero to 4 decimals. It is null without a target, without output,
 * or from 2025 on.
 *
 * The result is the JSON the API returns and the CLI prints (docs/analysis.md):
 *   {"year", "target_year", "clusters": [{"code", "name", "output", "prior_output", "growth",
 *    "above_scale_enterprises", "target_output_2025", "needed_growth", "chains": [...]}]}
 */
#ifndef LZ_PROGRESS_H
#define LZ_PROGRESS_H

#include <jansson.h>

#include "analysis/city.h"
#include "core/err.h"
#include "store/store.h"

#define PROGRESS_TARGET_YEAR 2025

/* Every cluster's progress in year `year`; with only_chain set, only the cluster of that chain,
 * with that chain alone in its list. *out is a new reference the caller owns. */
int progress_run(store *st, int year, const char *only_chain, json_t **out, lz_err *err);
/* The same on a city already read for `year` (borrowed), so that analyses run together read it once. */
int progress_run_on(store *st, const city *c, int year, const char *only_chain, json_t **out, lz_err *err);

/* (target / output)^(1 / years) - 1 in basis points, rounded half away from zero; false when
 * output, target or years is not positive. */
bool progress_needed_bp(int64_t target, int64_t output, int years, int64_t *bp);

#endif
