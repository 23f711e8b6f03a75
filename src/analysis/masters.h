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
 * Every candidate is evaluated; the listing says which are written out: the first `top` of the
 * order (ranked ones by rank, then the gated ones by USCC), the one named, and always the masters, reserve masters, the proposed
 * batch, its reserves and the candidates of pending decisions. A chain of a hundred thousand members is a table nobody reads and a
 * document of hundreds of megabytes; `candidates_total` and `candidates_scored` count all.
 *
 * The result is the JSON the API returns and the CLI prints (docs/analysis.md):
 *   {"year", "criteria", "chains": [{"code", "name", "masters", "reserve_masters", "open",
 *    "proposed", "reserves", "candidates_total", "candidates_scored", "candidates": [{"uscc",
 *    "name", "role", "gate", "rank", "score", "criteria": {NAME: {"raw", "normalised",
 *    "contribution"}}, "sensitivity"}], "pending": [{"id", "uscc", "kind", "proposed_by"}]}]}
 */
#ifndef LZ_MASTERS_H
#define LZ_MASTERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "analysis/city.h"
#include "analysis/masters_criteria.h"
#include "core/err.h"
#include "store/store.h"

/* Which candidates the document lists besides those holding a place (see above). */
typedef struct masters_listing {
    size_t top;       /* the first top of the order; MASTERS_TOP_ALL lists every candidate */
    const char *uscc; /* this one wherever it ranks; NULL for none */
} masters_listing;

#define MASTERS_TOP_ALL SIZE_MAX
#define MASTERS_TOP_DEFAULT 100 /* the CLI's and the API's unless asked otherwise */

/* Reads a listing's top from text: a count 0..1000000 or "all". False when v is neither. */
bool masters_top_parse(const char *v, size_t *top);

/* Evaluates chain (NULL: every chain, the whole city read at once) in year; an unknown chain is
 * LZ_ENOTFOUND. *out is a new reference the caller owns. Read inside one snapshot for figures of
 * one moment, with a twin (store_read_begin_twin) for speed on every chain. */
int masters_run(store *st, int year, const char *chain, const masters_criteria *c, const masters_listing *listing, json_t **out,
                lz_err *err);

/* The same for every chain over a city the caller loaded (city.h, with CITY_MASTERS), or through
 * the indexes when `loaded` is NULL or one chain is asked for. */
int masters_run_on(store *st, const city *loaded, int year, const char *chain, const masters_criteria *c,
                   const masters_listing *listing, json_t **out, lz_err *err);

#endif
