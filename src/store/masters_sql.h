/*
 * masters_sql — the reads behind the choice of a chain's masters (analysis/masters.c): every
 * enterprise with a confirmed membership in the chain, with its role, locality and the figures the
 * criteria use; and the year's purchases of those enterprises. Nothing is written.
 *
 * Rows come one at a time to a callback; the strings in a row are borrowed from the driver and die
 * when the callback returns (copy what you keep). A callback returns non-zero to stop early (not
 * an error). Money is integer fen; a "known" flag tells an empty cell from a zero. An enterprise
 * with no `local` value is local (the data contract's default).
 */
#ifndef LZ_MASTERS_SQL_H
#define LZ_MASTERS_SQL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* The indicators the criteria read, of the year asked for unless named otherwise. */
typedef enum masters_sql_figure {
    MSF_REVENUE,
    MSF_TAX_PAID,
    MSF_OUTPUT,
    MSF_RD_EXPENSE,
    MSF_EMPLOYEES,
    MSF_VALUE_ADDED,
    MSF_REVENUE_1, /* revenue 1, 2 and 3 years before */
    MSF_REVENUE_2,
    MSF_REVENUE_3,
    MASTERS_SQL_FIGURES
} masters_sql_figure;

typedef struct masters_sql_candidate {
    const char *uscc, *name;
    const char *role; /* the highest of its roles in the chain: chain_master, reserve_master, backbone, member */
    bool local;
    bool known[MASTERS_SQL_FIGURES];
    int64_t figure[MASTERS_SQL_FIGURES];
    int64_t above_scale_years; /* of the year and the two before */
} masters_sql_candidate;

/* One supply link of the year whose customer is a confirmed member of the chain. */
typedef struct masters_sql_purchase {
    const char *customer, *supplier;
    int64_t amount_fen;
} masters_sql_purchase;

/* A role's rank among the candidates' roles (0 chain_master .. 3 member, any other role 3) and
 * back: an enterprise with several memberships in a chain is a candidate under its highest. */
int masters_sql_role_rank(const char *role);
const char *masters_sql_role_name(int rank);

/* The confirmed members of chain (never NULL) in year, in USCC order. */
int masters_sql_candidates(store *st, const char *chain, int year, int (*fn)(void *ctx, const masters_sql_candidate *r), void *ctx,
                           lz_err *err);
/* The links of year whose customer is a confirmed member of chain (never NULL), in no order. */
int masters_sql_purchases(store *st, const char *chain, int year, int (*fn)(void *ctx, const masters_sql_purchase *r), void *ctx,
                          lz_err *err);

#endif
