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
 *
 * The rules of the workflows live here too, once, for the server and the command line alike: which
 * role sets which field of a workflow row in which status, which appeal moves exist and whose they
 * are, and the four-eyes rule of award sign-off.
 */
#ifndef LZ_WORKFLOW_H
#define LZ_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/accounts.h"
#include "store/store.h"

#define WORKFLOW_DEFAULT_DEADLINE_DAYS 10 /* working days, for a category without its own */

typedef void (*workflow_row_fn)(void *ctx, const char *const *cols, int ncols);

/* ---- who sets what ---- */

/* Whether an account of `role` may give `field` of a row of `table` the value `value` (its text):
 * when the row is created (status NULL) or when it changes while in `status` (the row's status
 * before the change). A table without rules allows every field. On refusal why receives the
 * reason, for an error naming the field. */
bool workflow_may_set(const char *table_name, const char *field, account_role role, const char *status, const char *value,
                      char *why, size_t whylen);

/* Whether an appeal may move from `from` to `to` by an account of `role`: 0, or LZ_ECONFLICT (no
 * such move) or LZ_EDENIED (the move is another role's) with the reason in err. */
int workflow_appeal_move(const char *from, const char *to, account_role role, lz_err *err);
/* The statuses an overdue appeal is escalated from (NULL-terminated). */
#define WORKFLOW_ESCALATES_FROM 3
extern const char *const workflow_appeal_escalates_from[WORKFLOW_ESCALATES_FROM + 1];

/* Working days allowed for a category's appeals (the default when none is set). */
int workflow_deadline_days(store *st, const char *category, int *days, lz_err *err);
int workflow_deadline_set(store *st, const char *category, int days, lz_err *err);
/* The due date of an appeal of category opened on day `opened`: the category's deadline in
 * working days of the official calendar (store/calendar.h). *fallback_year is 0, or the first year
 * without a loaded calendar, whose days counted Monday to Friday. */
int workflow_due_date(store *st, const char *category, int32_t opened, int32_t *due, int *fallback_year, lz_err *err);
/* Whether category is one the city uses: some appeal has it, or it already has a deadline. */
int workflow_category_known(store *st, const char *category, bool *known, lz_err *err);
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

/* Moves award `id` to `to` ("reviewed", "approved", "paid", "rejected") as account `who`, under the
 * four-eyes rule: an admin, or a bureau whose scope is `department` (the department of the
 * award's policy; NULL when unknown), signs off; the reviewer is not the account that computed the
 * award, and the approver is neither of the two. LZ_ENOTFOUND for no such award, LZ_EDENIED when
 * the rule refuses, LZ_ECONFLICT for an illegal move (ledger_transition); the move, who reviewed
 * it and the audit entry are written together. The one path of every sign-off, API and CLI. */
int workflow_award_move(store *st, const account *who, const char *department, int64_t id, const char *to, const char *via,
                        const char *reason, lz_err *err);

#endif
