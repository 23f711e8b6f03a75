/*
 * masters — who should lead a chain (链主) in year Y, by the ten criteria of masters_criteria.h.
 *
 * Candidates are the enterprises with a confirmed membership in the chain. Hard gates: the
 * enterprise is local, and its revenue of the year is known and at least gate.revenue_floor (a
 * confirmed membership is the candidacy itself). A candidate failing a gate is listed with the
 * gate, never scored or proposed. The data holds no violations, so no violation gate is applied.
 *
 * For the candidates that pass, each criterion's raw value is normalised within the chain by
 * min-max to 0..1 in basis points (half-up; a value nobody else has is 0; all equal is 1); its
 * contribution is normalised x weight, the score their sum (4 decimals), ranked by the exact sum,
 * ties by USCC. The batch fills the chain up to batch.size masters with the best ranked who are
 * not masters already; the next batch.reserves are the reserves. Sensitivity: for each criterion
 * whose weight moves by +20% or -20% (the others unchanged, all renormalised), the candidate's
 * rank changes — listed as "revenue+20%", "growth-20%"...
 *
 * Beside the evaluation, the chain's designation decisions still waiting for a second official
 * (workflow/designations.h) as "pending", so an official sees what is under way.
 *
 * The result is the JSON the API returns and the CLI prints (docs/analysis.md):
 *   {"year", "criteria", "chains": [{"code", "name", "masters", "reserve_masters", "open",
 *    "proposed", "reserves", "candidates": [{"uscc", "name", "role", "gate", "rank", "score",
 *    "criteria": {NAME: {"raw", "normalised", "contribution"}}, "sensitivity"}],
 *    "pending": [{"id", "uscc", "kind", "proposed_by"}]}]}
 */
#ifndef LZ_MASTERS_H
#define LZ_MASTERS_H

#include <jansson.h>

#include "analysis/masters_criteria.h"
#include "core/err.h"
#include "store/store.h"

/* Evaluates chain (NULL: every chain) in year; an unknown chain is LZ_ENOTFOUND. *out is a new
 * reference the caller owns. */
int masters_run(store *st, int year, const char *chain, const masters_criteria *c, json_t **out, lz_err *err);

#endif
