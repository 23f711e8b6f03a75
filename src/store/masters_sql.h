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

/* An enterprise's figures for the criteria, gathered from its indicators of four years. */
typedef struct masters_sql_figures {
    bool known[MASTERS_SQL_FIGURES];
    int64_t figure[MASTERS_SQL_FIGURES];
    bool above_scale[3]; /* in the year, one and two years before */
} masters_sql_figures;

/* A member's roles in a chain, highest first: masters_sql_role_name names them. */
enum { MASTERS_ROLE_CHAIN_MASTER, MASTERS_ROLE_RESERVE_MASTER, MASTERS_ROLE_BACKBONE, MASTERS_ROLE_MEMBER };

/* `id` numbers the enterprise where the rows come from a source that numbers them (the whole city
 * in memory: analysis/city.h), else it is -1; so do a purchase's ids. */
typedef struct masters_sql_candidate {
    const char *uscc, *name;
    int role; /* the highest of its roles in the chain (MASTERS_ROLE_) */
    bool local;
    masters_sql_figures f;
    int32_t id;
} masters_sql_candidate;

/* One supply link of the year whose customer is a confirmed member of the chain. */
typedef struct masters_sql_purchase {
    const char *customer, *supplier;
    int64_t amount_fen;
    int32_t customer_id, supplier_id;
} masters_sql_purchase;

/* Adds one year's indicators to f, that year `back` years before the year asked for (0..3):
 * known and fen of the year's figures (MSF_REVENUE to MSF_VALUE_ADDED), and its above-size flag.
 * Each year writes its own fields of f, so two threads may add different years at once. */
void masters_sql_add_year(masters_sql_figures *f, int back, const bool *known, const int64_t *fen, bool above_scale);
/* In how many of the year and the two before the enterprise was above designated size. */
int masters_sql_above_scale_years(const masters_sql_figures *f);

/* A role's rank among the candidates' roles (MASTERS_ROLE_: chain_master .. member, any other
 * role member) and back: an enterprise with several memberships in a chain is a candidate under
 * its highest. */
int masters_sql_role_rank(const char *role);
const char *masters_sql_role_name(int rank);

/* Which of a chain's members a read takes: all, or one of two halves that together are all, so
 * that two connections can read a large chain at once. The halves split on the USCC's 17th
 * character, the organisation code's check digit: any split gives the same rows in all, and this
 * one is even (45 to 55 in a hundred) and costs no read to find. */
typedef enum masters_sql_part { MASTERS_SQL_ALL, MASTERS_SQL_FIRST_HALF, MASTERS_SQL_SECOND_HALF } masters_sql_part;

/* The confirmed members of chain (never NULL) in part, with their figures of year, in no
 * particular order. */
int masters_sql_candidates(store *st, const char *chain, int year, masters_sql_part part,
                           int (*fn)(void *ctx, const masters_sql_candidate *r), void *ctx, lz_err *err);
/* The links of year whose customer is a confirmed member of chain (never NULL) in part, in no
 * particular order. */
int masters_sql_purchases(store *st, const char *chain, int year, masters_sql_part part,
                          int (*fn)(void *ctx, const masters_sql_purchase *r), void *ctx, lz_err *err);

#endif
