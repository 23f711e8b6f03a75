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
 * By customer (on request): the same rate for each local chain master and backbone enterprise of
 * the chain as a customer, from its own purchases.
 *
 * The result is the JSON the API returns and the CLI prints (docs/analysis.md):
 *   {"year", "thresholds", "chains": [{"code", "name", "purchases", "local_purchases",
 *    "local_supply_rate", "output", "unplaced": {...}, "segments": [...], "breaks": [...],
 *    "customers": [...] (by customer only)}]}
 */
#ifndef LZ_DIAGNOSIS_H
#define LZ_DIAGNOSIS_H

#include <jansson.h>

#include "analysis/city.h"
#include "analysis/thresholds.h"
#include "core/err.h"
#include "policy/policy.h"
#include "store/store.h"

typedef struct diagnosis_request {
    int year;
    const char *chain;             /* one chain; NULL: every chain */
    policy_lang lang;              /* of the reasons */
    bool by_customer;              /* add each chain's `customers` */
    const char *customer_division; /* by_customer: only customers located in this division; NULL: all */
    const city
        *city; /* every chain: the city read for `year` (borrowed; with CITY_NAMES for by_customer), or NULL to read it here */
} diagnosis_request;

/* Diagnoses what rq asks; an unknown chain is LZ_ENOTFOUND. *out is a new reference the caller
 * owns. */
int diagnosis_run(store *st, const diagnosis_request *rq, const thresholds *th, json_t **out, lz_err *err);

#endif
