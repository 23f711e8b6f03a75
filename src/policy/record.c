/*
 * record — a run into the award ledger (store/ledger.h): the policies it covered, with their
 * source hashes, and every award that is not "not eligible". The ledger keeps what was reviewed
 * or later and withdraws what a new run no longer gives; a run filtered to one policy touches
 * that policy's awards only, and one filtered to one enterprise is not recordable.
 */
#include "policy/run.h"

#include <stdlib.h>

int policy_ledger_record(store *st, const policy_run *run, const char *actor, const char *via, policy_ledger_diff *diff,
                         lz_err *err)
{
    if (run->one_enterprise)
        return err_set(err, LZ_EINPUT, "a run filtered to one enterprise cannot be recorded");
    const policy_set *set = run->set;
    const char **ids = xcalloc(set->n + 1, sizeof *ids), **hashes = xcalloc(set->n + 1, sizeof *hashes);
    size_t np = 0;
    for (size_t i = 0; i < set->n; i++) {
        bool used = false;
        for (size_t k = 0; k < run->n && !used; k++)
            used = run->res[k].policy == set->items[i];
        if (used || run_in_scope(set->items[i], run->year, &(policy_filter){.policy_id = run->only_policy})) {
            ids[np] = set->items[i]->r.id;
            hashes[np++] = set->items[i]->r.hash;
        }
    }
    ledger_award *aw = xcalloc(run->n + 1, sizeof *aw);
    size_t n = 0;
    for (size_t k = 0; k < run->n; k++) {
        const policy_result *r = &run->res[k];
        if (r->status == POLICY_NOT_ELIGIBLE)
            continue;
        aw[n++] = (ledger_award){.year = run->year,
                                 .policy = r->policy->r.id,
                                 .policy_hash = r->policy->r.hash,
                                 .subject = r->subject,
                                 .subject_id = r->subject_id,
                                 .uscc = r->uscc,
                                 .result = policy_status_name(r->status),
                                 .amount_fen = r->amount_fen,
                                 .grant = r->grant};
    }
    ledger_run lr = {.year = run->year,
                     .policies = ids,
                     .hashes = hashes,
                     .awards = aw,
                     .n = n,
                     .actor = actor,
                     .via = via,
                     .facts_seq = run->facts_seq};
    int rc = ledger_record(st, &lr, diff, err);
    free(aw);
    free(ids);
    free(hashes);
    return rc;
}
