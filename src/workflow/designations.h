/*
 * designations — the chain-master designation decision, shared by the command line
 * (cli/cmd_masters.c) and the server (http/h_masters.c).
 *
 * An official proposes: designate an enterprise master of a chain, put it in the chain's reserve
 * pool, take it out of the pool, or revoke a master. A second official approves or rejects the
 * proposal (four eyes); the proposer may withdraw it while it waits. Approval writes, in one
 * transaction with the decision's status and their audit entries, exactly the rows an import of
 * the same facts would: the event (chain_master_designated, reserve_master_designated,
 * reserve_master_removed or chain_master_revoked, with the chain, the batch as its detail and the
 * decision's date), the role of every confirmed membership of the enterprise in the chain, and for
 * a designation the enterprise's row in the key-enterprise directory (kept when it is there
 * already). So `lianzhang check` stays clean and the chain-master award policy sees a new master.
 * Leaving the pool or losing the master's title makes the enterprise a backbone enterprise of the
 * chain (still on the key-enterprise directory).
 *
 * Who: an admin; a chain account for its own chain; a bureau account for the chains whose lead
 * department it is. Division and enterprise accounts never. The approver is not the proposer.
 *
 * A designation (master or reserve) is based on the evaluation of a year (analysis/masters.h):
 * the enterprise must be a candidate there (a confirmed member) that passed every gate; it need
 * not be in the evaluation's proposed batch. The score and rank it had are kept with the decision.
 */
#ifndef LZ_WORKFLOW_DESIGNATIONS_H
#define LZ_WORKFLOW_DESIGNATIONS_H

#include <jansson.h>
#include <stdint.h>

#include "analysis/masters_criteria.h"
#include "core/err.h"
#include "store/accounts.h"
#include "store/designations_sql.h"
#include "store/store.h"

/* The kinds of decision, NULL-terminated: master, reserve, leave-reserve, revoke. */
extern const char *const designations_kinds[];
/* The statuses: proposed, approved, rejected, withdrawn (NULL-terminated). */
extern const char *const designations_statuses[];
/* The moves of a pending decision: approved, rejected, withdrawn (NULL-terminated). */
extern const char *const designations_moves[];

typedef struct designations_proposal {
    const char *chain, *uscc, *kind, *batch;
    const char *date;   /* YYYY-MM-DD: the designation's date (the event's) */
    int year;           /* of the evaluation it is based on */
    const char *reason; /* may be NULL */
} designations_proposal;

/* Whether who may propose or decide designations on chain: 0, LZ_EDENIED with the reason, or
 * LZ_ENOTFOUND for an unknown chain. */
int designations_may(store *st, const account *who, const char *chain, lz_err *err);

/* Records p as proposed by who, after the checks above (LZ_EINPUT naming the field or the gate
 * failed, LZ_EDENIED, LZ_ENOTFOUND, LZ_ECONFLICT for a decision on the enterprise already
 * pending or a role that makes the kind pointless). The proposal and its audit entry (target
 * master_decisions/ID, through via) commit together; *id receives the decision's id. */
int designations_propose(store *st, const account *who, const designations_proposal *p, const masters_criteria *mc, const char *via,
                         int64_t *id, lz_err *err);

/* Moves pending decision id to `to` (one of designations_moves) as who; a rejection needs a
 * reason. Approval writes the rows above; if any write fails nothing is written. LZ_ENOTFOUND,
 * LZ_EDENIED (scope, four eyes, withdrawing another's proposal), LZ_ECONFLICT (not pending; the
 * enterprise's role changed meanwhile), LZ_EINPUT (an unknown move, a rejection without reason). */
int designations_decide(store *st, const account *who, int64_t id, const char *to, const char *reason, const char *via,
                        lz_err *err);

/* A decision as the API returns it: a new object the caller owns. */
json_t *designations_json(const designation *d);
/* The decisions of chain (NULL: all) in status (NULL: any) as a new JSON array the caller owns;
 * LZ_ENOTFOUND for an unknown chain, LZ_EINPUT naming `status` for an unknown status. */
int designations_list_json(store *st, const char *chain, const char *status, json_t **out, lz_err *err);

#endif
