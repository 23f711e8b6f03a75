/*
 * recommend — whom a chain should bring in (招商推荐), year Y, as of a date:
 *
 * Candidates: the suppliers outside the city from which the chain's local chain masters and
 * backbone enterprises (confirmed memberships) bought in Y, each with the amount, the buyers, the
 * segments of the chain the supplier is placed on (its confirmed memberships) with the label the
 * chain diagnosis gives each (diagnosis.h), and reasons in words. Ranked: a supplier placed on a
 * missing segment first, then on a thin one, then on a strong one, then those placed on none;
 * within each, by amount bought (larger first), then by USCC. `recommended_by` is the buyer whose
 * purchases name it: the chain master that bought the most from it, else the backbone enterprise
 * that did.
 *
 * Stale targets: the chain's investment targets neither landed nor lost whose `updated` date is
 * more than RECOMMEND_STALE_DAYS days before the date (a target with no date is not listed).
 *
 * The result is the JSON the API returns and the CLI prints (docs/analysis.md):
 *   {"year", "date", "chain": {"code", "name"}, "candidates": [...], "stale_targets": [...]}
 */
#ifndef LZ_RECOMMEND_H
#define LZ_RECOMMEND_H

#include <jansson.h>
#include <stdint.h>

#include "analysis/thresholds.h"
#include "core/err.h"
#include "policy/policy.h"
#include "store/store.h"

#define RECOMMEND_STALE_DAYS 90

typedef struct recommend_request {
    int year;
    const char *chain; /* never NULL */
    int32_t date;      /* days (core/date.h): the day the staleness is counted to */
    policy_lang lang;  /* of the reasons */
} recommend_request;

/* Recommends what rq asks; an unknown chain is LZ_ENOTFOUND. *out is a new reference the caller
 * owns. */
int recommend_run(store *st, const recommend_request *rq, const thresholds *th, json_t **out, lz_err *err);

#endif
