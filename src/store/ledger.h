/*
 * ledger — the award ledger: every recorded award run and the status of each award.
 *
 * An award is identified by (year, policy, subject kind, subject id). Recording a run upserts the
 * run's awards: an award still `computed` takes the new result, one already reviewed or later is
 * left as recorded (and reported if the new run differs), a `computed` award the new run no longer
 * produces is removed. So recomputing a year is idempotent and reports what changed.
 *
 * Status moves: computed -> reviewed -> approved -> paid; computed|reviewed|approved -> rejected
 * (with a reason). Every change appends an audit entry in the same transaction.
 *
 * Earlier payments (top-up tiers, cumulative caps, pools) are every award of an earlier year with
 * result `eligible` and status other than rejected, whatever else its status.
 */
#ifndef LZ_LEDGER_H
#define LZ_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/arena.h"
#include "store/store.h"

/* Migrations 3 and 6 of the schema (listed in schema.c). */
int store_migrate_ledger(store *st, lz_err *err);
int store_migrate_ledger_checks(store *st, lz_err *err);

typedef struct ledger_award {
    int64_t id; /* ledger rows only */
    int year;
    const char *policy;
    const char *policy_hash;
    const char *subject; /* enterprise|project|person|event */
    const char *subject_id;
    const char *uscc;
    const char *result; /* eligible|pending|undetermined */
    int64_t amount_fen;
    const char *grant;  /* entitlements; NULL for money */
    const char *status; /* ledger rows only: computed|reviewed|approved|paid|rejected */
    const char *reason; /* rejection reason */
    const char *updated_at, *updated_by;
} ledger_award;

typedef struct ledger_diff {
    size_t added, changed, removed, unchanged, kept;
    strbuf lines; /* one line per difference, for people */
} ledger_diff;

/* A computed year to record: the policies evaluated (ids NULL-terminated, with their hashes), the
 * awards, who records it and through what, and the audit log's last entry when the facts the
 * awards were computed from were read (audit_head's count, read first, inside their snapshot). */
typedef struct ledger_run {
    int year;
    const char *const *policies, *const *hashes;
    const ledger_award *awards;
    size_t n;
    const char *actor, *via;
    int64_t facts_seq;
} ledger_run;

/* Records run in one transaction with one audit entry. Refused with LZ_ECONFLICT, nothing
 * written, when an audit entry after facts_seq may have changed those facts
 * (audit_first_change_after): the awards would be recorded from data the database no longer
 * holds. The check and the record are one write transaction, so no change lands between them. */
int ledger_record(store *st, const ledger_run *run, ledger_diff *diff, lz_err *err);
void ledger_diff_free(ledger_diff *d);

/* Called per award. The award and its strings are borrowed from the row being read and die when
 * the callback returns: copy what you keep. The callback may run other reads on the same store
 * (an account's visibility check looks the enterprise up), the ledger's own lists included. */
typedef void (*ledger_award_fn)(void *ctx, const ledger_award *a);

/* Calls fn for every award that counts as paid before `before_year` (see above). */
int ledger_paid(store *st, int before_year, ledger_award_fn fn, void *ctx, lz_err *err);
/* Calls fn for the ledger's awards of `year` (0: all years), optionally of one policy and one enterprise,
 * in the order year, policy, subject_id, id (a total order: pages continue by it). */
int ledger_list(store *st, int year, const char *policy, const char *uscc, ledger_award_fn fn, void *ctx, lz_err *err);
/* One award by id; *found says whether it exists. Its strings are copied into a. */
int ledger_get(store *st, int64_t id, arena *a, ledger_award *out, bool *found, lz_err *err);

/* One move of an award: the status before and after (from is NULL for the first record of it),
 * who, when (UTC, ISO 8601) and the note given (a rejection's reason, or NULL). */
typedef struct ledger_move {
    const char *from, *to, *actor, *at, *note;
} ledger_move;
/* Called per move, oldest first; the strings live for the callback only. */
typedef void (*ledger_move_fn)(void *ctx, const ledger_move *m);
/* The moves of award id, read from the audit log (every transition writes one entry). */
int ledger_history(store *st, int64_t id, ledger_move_fn fn, void *ctx, lz_err *err);

/* Loads payments made before the system existed (or outside it) as awards with status paid, so
 * that top-up tiers and cumulative caps count them: each award's year, policy, subject,
 * subject_id, uscc and amount_fen are used. One transaction and one audit entry; a key the
 * ledger already holds is refused (LZ_ECONFLICT naming it) and nothing is written. */
int ledger_import_paid(store *st, const ledger_award *awards, size_t n, const char *actor, const char *via, lz_err *err);

/* Moves an award to `to`; refuses illegal moves with LZ_ECONFLICT. Records actor and audit. */
int ledger_transition(store *st, int64_t id, const char *to, const char *actor, const char *via, const char *reason, lz_err *err);

#endif
