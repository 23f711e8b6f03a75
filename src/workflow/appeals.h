/*
 * appeals — the escalation of overdue appeals, shared by the admin route (http/h_appeals.c) and
 * the server's periodic sweep (cli/cmd_serve.c). It lives in the workflow layer, below both:
 * workflows carry out the rules of store/workflow.h with the store and the exchange formats (the
 * audit entry holds the row as export writes it), and neither http nor cli holds one of their own.
 * An appeal still open, accepted or in progress after its due date moves to `escalated`, with a
 * history entry naming the chain leader it goes to and an audit entry, all in one transaction.
 */
#ifndef LZ_WORKFLOW_APPEALS_H
#define LZ_WORKFLOW_APPEALS_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* Escalates every appeal overdue on `today` (days since the epoch, city time); appends the ids
 * to escalated (a JSON array, may be NULL). at: UTC timestamp of the step. */
int appeals_escalate_overdue(store *st, int32_t today, const char *actor, const char *at, json_t *escalated, lz_err *err);

#endif
