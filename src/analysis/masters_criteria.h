/*
 * masters_criteria — the criteria by which the chain leader chooses a chain's masters (链主): ten
 * criteria, each one indicator of a candidate normalised within the chain and weighted, the hard
 * gates a candidate must pass, and the size of the proposed batch. Six criteria are the article's
 * (主营业务规模, 财政贡献, 行业地位, 产业链带动能力, 研发实力 as spending and as intensity,
 * 成长潜力); the others are assumed. Defaults are compiled in; a text file an official can read
 * (the reference city's is policies/jiangmen/masters.criteria) overrides them, each value with
 * its source as in the thresholds file: `article`, `assumed`, or `confirmed` with its document.
 *
 * File format, one parameter a line, '#' starts a comment:
 *     NAME = VALUE SOURCE [DOCUMENT...]
 * NAME is weight.<criterion> (VALUE a percentage, "20%", or a ratio, "0.2000"), gate.revenue_floor
 * (yuan, "20000000.00"), batch.size or batch.reserves (counts). The weights must sum to 100%.
 * Errors name FILE:LINE and what was expected.
 *
 * Ownership: a masters_criteria value is plain data; copy it freely.
 */
#ifndef LZ_MASTERS_CRITERIA_H
#define LZ_MASTERS_CRITERIA_H

#include <stdint.h>

#include "analysis/thresholds.h"
#include "core/err.h"

/* The file the CLI and the server read from a policy folder when no other is named. */
#define MASTERS_CRITERIA_FILE "masters.criteria"

/* The criteria, in the order of the table in masters_criteria.c. */
typedef enum masters_criterion {
    MC_REVENUE,           /* 主营业务规模: revenue of the year, fen */
    MC_TAX_PAID,          /* 财政贡献: tax paid in the year, fen */
    MC_OUTPUT_SHARE,      /* 行业地位: bp of the output of the chain's local members */
    MC_LOCAL_PURCHASES,   /* 产业链带动能力: purchases from the chain's local members, fen */
    MC_RD_EXPENSE,        /* 研发实力: R&D spending, fen */
    MC_RD_INTENSITY,      /* 研发实力: bp of R&D spending in revenue */
    MC_GROWTH,            /* 成长潜力: bp of average yearly revenue growth over up to 3 years */
    MC_EMPLOYEES,         /* 就业贡献 (assumed): employees */
    MC_VALUE_ADDED_RATE,  /* 增加值率 (assumed): bp of value added in output */
    MC_ABOVE_SCALE_YEARS, /* 规上连续性 (assumed): years above designated size of the last 3 */
    MASTERS_CRITERIA_COUNT
} masters_criterion;

/* The other parameters, after the weights. */
typedef enum masters_param {
    MP_REVENUE_FLOOR = MASTERS_CRITERIA_COUNT, /* fen: a candidate's revenue of the year is at least this */
    MP_BATCH_SIZE,                             /* masters a chain should have: the batch fills up to it */
    MP_BATCH_RESERVES,                         /* reserves listed after the batch */
    MASTERS_PARAMS_COUNT
} masters_param;

typedef struct masters_criteria {
    thresholds_param p[MASTERS_PARAMS_COUNT]; /* weights in bp; the floor in fen; counts */
} masters_criteria;

void masters_criteria_defaults(masters_criteria *c);
/* Overrides c's values with those path gives. Returns 0, or LZ_EINPUT / LZ_ENOTFOUND with err
 * naming FILE:LINE; c is unchanged then. */
int masters_criteria_load(masters_criteria *c, const char *path, lz_err *err);
/* The criterion's short name ("revenue") and its name in the article's words ("主营业务规模"). */
const char *masters_criteria_name(masters_criterion k);
const char *masters_criteria_label(masters_criterion k);
/* The parameters as {name: {"value", "source", "document"?}}. Caller owns the result. */
json_t *masters_criteria_json(const masters_criteria *c);

#endif
