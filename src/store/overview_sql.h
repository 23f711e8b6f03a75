/*
 * overview_sql — the counts behind the cockpit's overview (analysis/overview.c) that no other
 * analysis reads: investment targets by stage with their expected investment, appeals by where
 * they stand on a date with their ratings, and the ledger's awards of a year by policy and status.
 *
 * Every query is a plain read of aggregates: it names no row. Rows of the grouped queries come to
 * a callback whose strings are borrowed from the driver and die when it returns. Money is fen.
 */
#ifndef LZ_OVERVIEW_SQL_H
#define LZ_OVERVIEW_SQL_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

typedef struct overview_sql_stage {
    const char *stage;
    int64_t targets;
    int64_t expected_investment_fen; /* the sum of the known ones */
} overview_sql_stage;

/* The investment targets (of `chain`, NULL: all) per stage, by stage name. */
int overview_sql_targets(store *st, const char *chain, void (*fn)(void *ctx, const overview_sql_stage *r), void *ctx, lz_err *err);

typedef struct overview_sql_appeals {
    int64_t open;           /* open, accepted, in progress or escalated */
    int64_t overdue;        /* of those, due before the date */
    int64_t closed_on_time; /* resolved or closed, resolved on or before the due date (or with none) */
    int64_t closed_late;    /* resolved or closed after the due date */
    int64_t ratings;        /* rated outcomes */
    int64_t rating_sum;     /* the sum of their ratings (1-5) */
} overview_sql_appeals;

/* The appeals (of `chain`, NULL: all) as they stand on `date` (YYYY-MM-DD). */
int overview_sql_appeals_on(store *st, const char *chain, const char *date, overview_sql_appeals *out, lz_err *err);

typedef struct overview_sql_award {
    const char *policy, *status;
    int64_t awards, amount_fen;
} overview_sql_award;

/* The ledger's awards of `year` per policy and status, by policy then status; of a chain's
 * confirmed members only when chain is not NULL. */
int overview_sql_awards(store *st, const char *chain, int year, void (*fn)(void *ctx, const overview_sql_award *r), void *ctx,
                        lz_err *err);

#endif
