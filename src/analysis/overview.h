/*
 * overview — the cockpit's figures in one document: the clusters against their targets
 * (progress.c), each chain's health (diagnosis.c: segments per label and the local supply rate),
 * the key projects per light (lights.c), the investment targets per stage with their expected
 * investment, the appeals open, overdue and closed on time with their rating, and the ledger's
 * awards decided and paid per policy and per department. Nothing is computed twice: the first
 * three are the existing analyses, summed; the rest are aggregate reads (store/overview_sql.c).
 *
 * Every figure is an aggregate: the document names clusters, chains, stages, policies and
 * departments, never an enterprise, a project or an appeal. Nothing is written.
 */
#ifndef LZ_OVERVIEW_H
#define LZ_OVERVIEW_H

#include <jansson.h>
#include <stdint.h>

#include "analysis/thresholds.h"
#include "core/err.h"
#include "policy/policy.h"
#include "store/store.h"

typedef struct overview_request {
    int year;              /* the data year of clusters and chains; the award year of the awards */
    int32_t date;          /* the day projects and appeals are judged on (days since 1970-01-01) */
    const char *chain;     /* one chain's figures (clusters, chains, projects, targets, appeals); NULL: all */
    const char *division;  /* one division's projects; NULL: all */
    const policy_set *set; /* the departments of the awards' policies; NULL: shown without */
    policy_lang lang;
} overview_request;

/* {"year","date","clusters","chains","projects","targets","appeals","awards","departments"};
 * *out is a new reference the caller owns. */
int overview_run(store *st, const overview_request *rq, const thresholds *th, json_t **out, lz_err *err);

/* The work-list part of the document alone, added to doc: "targets" and "appeals" (of rq->chain),
 * "awards" and "departments" (of the whole city: awards are not a chain's). For a caller that has
 * the analyses already (the leader's workbook). */
int overview_work_lists(store *st, const overview_request *rq, json_t *doc, lz_err *err);

#endif
