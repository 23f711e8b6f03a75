/*
 * recommend_sql — the reads behind "whom to bring in" (src/analysis/recommend.c): what a chain's
 * local chain masters and backbone enterprises bought in a year from suppliers outside the city,
 * and the chain's investment targets that have not moved since a date.
 *
 * Plain reads, nothing is written. Rows come one at a time to a callback; the strings in a row
 * are borrowed from the driver and die when the callback returns (copy what you keep). A callback
 * returns non-zero to stop early (not an error). Money is integer fen. As in analysis_sql.h, a
 * membership counts once confirmed and an enterprise with no `local` value is local.
 */
#ifndef LZ_RECOMMEND_SQL_H
#define LZ_RECOMMEND_SQL_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* One supply link of the year from a non-local supplier to a local enterprise that is a confirmed
 * chain master or backbone enterprise of the chain. role is "chain_master" when it is a chain
 * master on any segment of the chain, else "backbone". */
typedef struct recommend_sql_purchase {
    const char *supplier, *supplier_name, *customer, *customer_name, *role;
    int64_t amount_fen;
} recommend_sql_purchase;

/* An investment target of the chain, with "" for an empty segment or owner. */
typedef struct recommend_sql_target {
    const char *id, *name, *segment, *stage, *owner, *updated; /* updated: YYYY-MM-DD */
} recommend_sql_target;

/* The purchases of chain (never NULL) in year, by supplier then customer. */
int recommend_sql_purchases(store *st, const char *chain, int year, int (*fn)(void *ctx, const recommend_sql_purchase *r),
                            void *ctx, lz_err *err);
/* The chain's targets neither landed nor lost whose `updated` date is before `before`
 * (YYYY-MM-DD), oldest first then by id; a target with no date is not among them. */
int recommend_sql_stale_targets(store *st, const char *chain, const char *before,
                                int (*fn)(void *ctx, const recommend_sql_target *r), void *ctx, lz_err *err);

#endif
