/*
 * diagnosis — where a chain is weak in year Y: its local supply rate (本地配套率), each segment's
 * local enterprises, output and concentration with a label (missing, thin, strong) and the
 * reasons for it, purchases from suppliers placed on no segment, and the supply edges between
 * segments along which no local purchase flows ("breaks").
 *
 * Purchases of chain C: the supply links of year Y whose customer is a local enterprise with a
 * confirmed membership in C; local when the supplier is local. A purchase counts on every segment
 * of C its supplier is a confirmed member of (outside suppliers are placed on the map that way);
 * a supplier on none counts in the chain's totals and under `unplaced` only. Segment output is
 * the year's output_value of its local members; the chain's counts each enterprise once.
 *
 * The result is the JSON the API returns and the CLI prints (docs/analysis.md):
 *   {"year", "thresholds", "chains": [{"code", "name", "purchases", "local_purchases",
 *    "local_supply_rate", "output", "unplaced": {...}, "segments": [...], "breaks": [...]}]}
 */
#ifndef LZ_DIAGNOSIS_H
#define LZ_DIAGNOSIS_H

#include <jansson.h>

#include "analysis/thresholds.h"
#include "core/err.h"
#include "policy/policy.h"
#include "store/store.h"

/* Diagnoses year `year` of one chain (`chain`), or of every chain when chain is NULL; an unknown
 * chain is LZ_ENOTFOUND. Reasons are worded in `lang`. *out is a new reference the caller owns. */
int diagnosis_run(store *st, int year, const char *chain, const thresholds *th, policy_lang lang, json_t **out, lz_err *err);

#endif
