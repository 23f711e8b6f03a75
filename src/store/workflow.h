/*
 * workflow — what the appeal and investment-target workflows record beside their data rows: the
 * dated history of every appeal's status changes, the enterprise's rating of an outcome, the
 * deadline of each appeal category in working days, the log of contacts with a target, and who
 * computed and reviewed each award (the four-eyes rule of approvals).
 * Schema migration 5 creates these tables. The status itself stays on the data row (appeals.status,
 * targets.stage), so lists, filters and exports see it; these tables say how it got there.
 *
 * Writes run inside the caller's transaction, beside the data row's change and its audit entry.
 * Lists call back with the row's columns as text (NULL for SQL NULL), valid during the call.
 */
#ifndef LZ_WORKFLOW_H
#define LZ_WORKFLOW_H

#include <stdbool.h>

#include "core/err.h"
#include "store/store.h"

#define WORKFLOW_DEFAULT_DEADLINE_DAYS 10 /* working days, for a category without its own */

typedef void (*workflow_row_fn)(void *ctx, const char *const *cols, int ncols);

/* Working days allowed for a category's appeals (the default when none is set). */
int workflow_deadline_days(store *st, const char *category, int *days, lz_err *err);
int workflow_deadline_set(store *st, const char *category, int days, lz_err *err);
/* Rows: category, working_days. */
int workflow_deadlines(store *st, workflow_row_fn fn, void *ctx, lz_err *err);

/* Appends to an appeal's history. at: UTC ISO 8601. */
int workflow_appeal_log(store *st, const char *appeal, const char *at, const char *actor, const char *from_status,
                        const char *to_status, const char *note, lz_err *err);
/* Rows: seq, at, actor, from_status, to_status, note — oldest first. */
int workflow_appeal_history(store *st, const char *appeal, workflow_row_fn fn, void *ctx, lz_err *err);
/* Records the rating (1..5) of an appeal's outcome; LZ_ECONFLICT when it is already rated. */
int workflow_appeal_rate(store *st, const char *appeal, int rating, const char *comment, const char *actor, const char *at,
                         lz_err *err);
/* Rows: rating, comment, actor, at (at most one). */
int workflow_appeal_rating(store *st, const char *appeal, workflow_row_fn fn, void *ctx, lz_err *err);

/* Appends a contact with an investment target (date YYYY-MM-DD; stage after the contact). */
int workflow_target_contact(store *st, const char *target, const char *date, const char *actor, const char *from_stage,
                            const char *to_stage, const char *note, lz_err *err);
/* Rows: seq, date, actor, from_stage, to_stage, note — oldest first. */
int workflow_target_contacts(store *st, const char *target, workflow_row_fn fn, void *ctx, lz_err *err);

/* Who computed and who reviewed an award (ledger id as text), so that its approver can be checked
 * against both: the ledger itself keeps only the latest actor. */
int workflow_award_reviewed(store *st, const char *award, const char *computed_by, const char *reviewed_by, lz_err *err);
/* Rows: computed_by, reviewed_by (at most one). */
int workflow_award_signoff(store *st, const char *award, workflow_row_fn fn, void *ctx, lz_err *err);

#endif
