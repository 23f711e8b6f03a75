/*
 * designations_sql — the record of chain-master decisions (table master_decisions, schema
 * migration 12): who proposed designating an enterprise master or reserve master of a chain (or
 * taking it out of the reserve pool, or revoking a master), on which evaluation it was based (the
 * year, score and rank at proposal time), and who approved, rejected or withdrew it.
 *
 * This file only stores decisions. The kinds, statuses and rules (who may, four eyes, gates) and
 * the rows an approval writes beside the decision (event, memberships, key-enterprise directory,
 * audit) are the workflow's: workflow/designations.h. At most one decision per chain and
 * enterprise is pending (status proposed); a second is LZ_ECONFLICT.
 *
 * Writes run inside the caller's transaction. Rows come to callbacks with strings borrowed from
 * the driver, valid during the call only; designations_sql_get copies them into the caller's arena.
 */
#ifndef LZ_DESIGNATIONS_SQL_H
#define LZ_DESIGNATIONS_SQL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

/* The status a decision waits in; only such a decision is decided. */
#define DESIGNATIONS_SQL_PENDING "proposed"
/* The kinds and the statuses a decision's row may hold (NULL-terminated): the workflow's
 * designations_kinds and designations_statuses, repeated for the table's declaration. */
extern const char *const designations_sql_kinds[];
extern const char *const designations_sql_statuses[];

typedef struct designation {
    int64_t id;
    const char *chain, *uscc, *kind;
    const char *batch, *date; /* batch label (第二批链主企业) and the designation's date, YYYY-MM-DD */
    int year;                 /* of the evaluation the proposal was based on */
    const char *score;        /* the score then ("0.8667"), NULL when none (a gated or unranked candidate) */
    int rank;                 /* the rank then, 0 when none */
    const char *proposed_by, *proposed_at, *reason;
    const char *status;                                    /* proposed, then what the decision made of it */
    const char *decided_by, *decided_at, *decision_reason; /* NULL while pending */
} designation;

/* Inserts d as pending (its id, status, proposed_at and decided_* are ignored) stamped now;
 * *id receives the new id. LZ_ECONFLICT when a decision on the same chain and enterprise is
 * pending already. */
int designations_sql_insert(store *st, const designation *d, int64_t *id, lz_err *err);
/* Moves pending decision id to status, by `by`, now, with reason (may be NULL). LZ_ECONFLICT
 * when it is no longer pending (decided meanwhile), LZ_ENOTFOUND when there is no such decision. */
int designations_sql_decide(store *st, int64_t id, const char *status, const char *by, const char *reason, lz_err *err);
/* Decision id into out, strings copied into a; *found tells whether it exists. */
int designations_sql_get(store *st, int64_t id, arena *a, designation *out, bool *found, lz_err *err);

/* Decisions of chain (NULL: all) in status (NULL: any), oldest first. fn returns non-zero to stop. */
typedef int (*designations_sql_fn)(void *ctx, const designation *d);
int designations_sql_list(store *st, const char *chain, const char *status, designations_sql_fn fn, void *ctx, lz_err *err);

#endif
