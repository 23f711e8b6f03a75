/*
 * ledger — SQL of the award ledger (see ledger.h). Two tables: award_runs (one row per recorded
 * run: year, who, the policy file versions by hash) and awards (one row per award with its status).
 */
#include "store/ledger.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/money.h"
#include "store/audit.h"
#include "store/store_impl.h"

int store_migrate_ledger(store *st, lz_err *err)
{
    return store_exec(st,
                      "CREATE TABLE award_runs (\n"
                      "  id INTEGER PRIMARY KEY,\n"
                      "  year INTEGER NOT NULL,\n"
                      "  run_at TEXT NOT NULL,\n"
                      "  actor TEXT NOT NULL,\n"
                      "  policies TEXT NOT NULL\n"
                      ");\n"
                      "CREATE TABLE awards (\n"
                      "  id INTEGER PRIMARY KEY,\n"
                      "  year INTEGER NOT NULL,\n"
                      "  policy TEXT NOT NULL,\n"
                      "  policy_hash TEXT NOT NULL,\n"
                      "  subject TEXT NOT NULL,\n"
                      "  subject_id TEXT NOT NULL,\n"
                      "  uscc TEXT NOT NULL,\n"
                      "  result TEXT NOT NULL CHECK (result IN ('eligible', 'pending', 'undetermined')),\n"
                      "  amount INTEGER NOT NULL,\n"
                      "  grant_text TEXT,\n"
                      "  run_id INTEGER NOT NULL REFERENCES award_runs (id),\n"
                      "  status TEXT NOT NULL DEFAULT 'computed'\n"
                      "    CHECK (status IN ('computed', 'reviewed', 'approved', 'paid', 'rejected')),\n"
                      "  reason TEXT,\n"
                      "  updated_at TEXT NOT NULL,\n"
                      "  updated_by TEXT NOT NULL,\n"
                      "  UNIQUE (year, policy, subject, subject_id)\n"
                      ");\n"
                      "CREATE INDEX awards_policy_year ON awards (policy, year);\n"
                      "CREATE INDEX awards_uscc ON awards (uscc);\n",
                      err);
}

static void now_iso(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* ---- reading ---- */

#define AWARD_COLUMNS "id, year, policy, policy_hash, subject, subject_id, uscc, result, amount, grant_text, status, reason, updated_at, updated_by"

static void row_award(sqlite3_stmt *s, ledger_award *a)
{
    *a = (ledger_award){.id = sqlite3_column_int64(s, 0), .year = sqlite3_column_int(s, 1), .policy = col_text(s, 2),
                        .policy_hash = col_text(s, 3), .subject = col_text(s, 4), .subject_id = col_text(s, 5),
                        .uscc = col_text(s, 6), .result = col_text(s, 7), .amount_fen = sqlite3_column_int64(s, 8),
                        .grant = col_text(s, 9), .status = col_text(s, 10), .reason = col_text(s, 11),
                        .updated_at = col_text(s, 12), .updated_by = col_text(s, 13)};
}

static int each_row(store *st, sqlite3_stmt *s, ledger_award_fn fn, void *ctx, lz_err *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ledger_award a;
        row_award(s, &a);
        fn(ctx, &a);
    }
    int ret = rc == SQLITE_DONE ? 0 : store_sql_error(st, err, "reading the award ledger");
    sqlite3_reset(s);
    return ret;
}

int ledger_paid(store *st, int before_year, ledger_award_fn fn, void *ctx, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st,
                                    "SELECT " AWARD_COLUMNS " FROM awards WHERE year < ?1 AND result = 'eligible' "
                                    "AND status <> 'rejected' ORDER BY year, id",
                                    err);
    if (!s)
        return LZ_EINTERNAL;
    sqlite3_bind_int(s, 1, before_year);
    return each_row(st, s, fn, ctx, err);
}

int ledger_list(store *st, int year, const char *policy, const char *uscc, ledger_award_fn fn, void *ctx, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st,
                                    "SELECT " AWARD_COLUMNS " FROM awards WHERE (?1 = 0 OR year = ?1) "
                                    "AND (?2 IS NULL OR policy = ?2) AND (?3 IS NULL OR uscc = ?3) ORDER BY year, policy, subject_id",
                                    err);
    if (!s)
        return LZ_EINTERNAL;
    sqlite3_bind_int(s, 1, year);
    if (policy)
        sqlite3_bind_text(s, 2, policy, -1, SQLITE_TRANSIENT);
    if (uscc)
        sqlite3_bind_text(s, 3, uscc, -1, SQLITE_TRANSIENT);
    return each_row(st, s, fn, ctx, err);
}

int ledger_get(store *st, int64_t id, ledger_award *out, bool *found, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st, "SELECT " AWARD_COLUMNS " FROM awards WHERE id = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    if (*found)
        row_award(s, out); /* strings stay valid until the statement is reset by its next use */
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_sql_error(st, err, "reading the award ledger");
    return 0;
}

/* ---- recording a run ---- */

static char *award_json(const ledger_award *a)
{
    char amount[MONEY_FMT_MAX];
    money_format(a->amount_fen, amount);
    json_t *o = json_object();
    json_object_set_new(o, "year", json_integer(a->year));
    json_object_set_new(o, "policy", json_string(a->policy));
    json_object_set_new(o, "subject", json_string(a->subject));
    json_object_set_new(o, "subject_id", json_string(a->subject_id));
    json_object_set_new(o, "uscc", json_string(a->uscc));
    json_object_set_new(o, "result", json_string(a->result));
    json_object_set_new(o, "amount", json_string(amount));
    json_object_set_new(o, "status", json_string(a->status));
    if (a->reason)
        json_object_set_new(o, "reason", json_string(a->reason));
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return s;
}

static void diff_line(ledger_diff *d, const char *what, const ledger_award *a, const char *extra)
{
    if (!d || d->lines.len > 64 * 1024)
        return;
    char amount[MONEY_FMT_MAX];
    money_format(a->amount_fen, amount);
    strbuf_printf(&d->lines, "%s %s %s %s %s %s%s\n", what, a->policy, a->subject, a->subject_id, a->result, amount, extra ? extra : "");
}

typedef struct existing {
    bool found;
    int64_t id;
    char result[16], status[16];
    int64_t amount_fen;
    bool same_grant;
} existing;

static int find_existing(store *st, int year, const ledger_award *a, existing *ex, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st,
                                    "SELECT id, result, amount, grant_text IS ?5 OR grant_text = ?5, status FROM awards "
                                    "WHERE year = ?1 AND policy = ?2 AND subject = ?3 AND subject_id = ?4",
                                    err);
    if (!s)
        return LZ_EINTERNAL;
    sqlite3_bind_int(s, 1, year);
    sqlite3_bind_text(s, 2, a->policy, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, a->subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, a->subject_id, -1, SQLITE_STATIC);
    if (a->grant)
        sqlite3_bind_text(s, 5, a->grant, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    memset(ex, 0, sizeof *ex);
    if (rc == SQLITE_ROW) {
        ex->found = true;
        ex->id = sqlite3_column_int64(s, 0);
        snprintf(ex->result, sizeof ex->result, "%s", col_text(s, 1));
        ex->amount_fen = sqlite3_column_int64(s, 2);
        ex->same_grant = sqlite3_column_int(s, 3) != 0;
        snprintf(ex->status, sizeof ex->status, "%s", col_text(s, 4));
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sql_error(st, err, "reading the award ledger");
}

static int step_done(store *st, sqlite3_stmt *s, lz_err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_sql_error(st, err, "writing the award ledger");
}

static int upsert_award(store *st, int64_t run_id, const ledger_award *a, const char *at, const char *actor,
                        lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st,
                                    "INSERT INTO awards (year, policy, policy_hash, subject, subject_id, uscc, result, amount, "
                                    "grant_text, run_id, status, updated_at, updated_by) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'computed', ?11, ?12) "
                                    "ON CONFLICT (year, policy, subject, subject_id) DO UPDATE SET policy_hash = ?3, uscc = ?6, "
                                    "result = ?7, amount = ?8, grant_text = ?9, run_id = ?10, updated_at = ?11, updated_by = ?12",
                                    err);
    if (!s)
        return LZ_EINTERNAL;
    sqlite3_bind_int(s, 1, a->year);
    sqlite3_bind_text(s, 2, a->policy, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, a->policy_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, a->subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, a->subject_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, a->uscc, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, a->result, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, a->amount_fen);
    if (a->grant)
        sqlite3_bind_text(s, 9, a->grant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 10, run_id);
    sqlite3_bind_text(s, 11, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 12, actor, -1, SQLITE_STATIC);
    return step_done(st, s, err);
}

static int touch_award(store *st, int64_t id, int64_t run_id, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st, "UPDATE awards SET run_id = ?2 WHERE id = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, run_id);
    return step_done(st, s, err);
}

static int record_one(store *st, int64_t run_id, const ledger_award *a, const char *at, const char *actor, ledger_diff *d,
                      lz_err *err)
{
    existing ex;
    int rc = find_existing(st, a->year, a, &ex, err);
    if (rc)
        return rc;
    bool same = ex.found && strcmp(ex.result, a->result) == 0 && ex.amount_fen == a->amount_fen && ex.same_grant;
    if (ex.found && strcmp(ex.status, "computed") != 0) {
        /* Reviewed or later: people have acted on it; a new result is reported, not written. */
        if (!same) {
            d->kept++;
            diff_line(d, "differs", a, " (recorded award is already past 'computed'; left as is)");
        } else {
            d->unchanged++;
        }
        return touch_award(st, ex.id, run_id, err);
    }
    if (same) {
        d->unchanged++;
        return touch_award(st, ex.id, run_id, err);
    }
    if (ex.found) {
        char was[96], amount[MONEY_FMT_MAX];
        money_format(ex.amount_fen, amount);
        snprintf(was, sizeof was, " (was %s %s)", ex.result, amount);
        d->changed++;
        diff_line(d, "changed", a, was);
    } else {
        d->added++;
        diff_line(d, "added", a, NULL);
    }
    return upsert_award(st, run_id, a, at, actor, err);
}

/* Computed awards of the evaluated policies that this run did not produce any more. */
static int remove_stale(store *st, int year, const char *policy, int64_t run_id, ledger_diff *d, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st,
                                    "DELETE FROM awards WHERE year = ?1 AND policy = ?2 AND run_id <> ?3 AND status = 'computed' "
                                    "RETURNING " AWARD_COLUMNS,
                                    err);
    if (!s)
        return LZ_EINTERNAL;
    sqlite3_bind_int(s, 1, year);
    sqlite3_bind_text(s, 2, policy, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, run_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ledger_award a;
        row_award(s, &a);
        d->removed++;
        diff_line(d, "removed", &a, NULL);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_sql_error(st, err, "writing the award ledger");
}

static int insert_run(store *st, int year, const char *const *policies, const char *const *hashes, const char *at,
                      const char *actor, int64_t *run_id, lz_err *err)
{
    strbuf list;
    strbuf_init(&list);
    for (size_t i = 0; policies[i]; i++)
        strbuf_printf(&list, "%s%s=%s", i ? ";" : "", policies[i], hashes[i]);
    sqlite3_stmt *s = store_prepare(st, "INSERT INTO award_runs (year, run_at, actor, policies) VALUES (?1, ?2, ?3, ?4)", err);
    int rc = LZ_EINTERNAL;
    if (s) {
        sqlite3_bind_int(s, 1, year);
        sqlite3_bind_text(s, 2, at, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, actor, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, list.data, -1, SQLITE_TRANSIENT);
        rc = step_done(st, s, err);
        *run_id = sqlite3_last_insert_rowid(store_db(st));
    }
    strbuf_free(&list);
    return rc;
}

static int audit_run(store *st, int year, int64_t run_id, const ledger_diff *d, const char *actor, const char *via, lz_err *err)
{
    char target[64], after[256];
    snprintf(target, sizeof target, "award_runs/%lld", (long long)run_id);
    snprintf(after, sizeof after, "{\"year\":%d,\"added\":%zu,\"changed\":%zu,\"removed\":%zu,\"unchanged\":%zu,\"kept\":%zu}", year,
             d->added, d->changed, d->removed, d->unchanged, d->kept);
    return audit_append(st, &(audit_entry){.actor = actor, .via = via, .target = target, .after = after}, err);
}

int ledger_record(store *st, int year, const char *const *policies, const char *const *hashes, const ledger_award *awards,
                  size_t n, const char *actor, const char *via, ledger_diff *diff, lz_err *err)
{
    ledger_diff local;
    ledger_diff *d = diff ? diff : &local;
    memset(d, 0, sizeof *d);
    strbuf_init(&d->lines);
    char at[32];
    now_iso(at);
    int64_t run_id = 0;
    int rc = store_begin(st, err);
    if (rc)
        goto out;
    rc = insert_run(st, year, policies, hashes, at, actor, &run_id, err);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = record_one(st, run_id, &awards[i], at, actor, d, err);
    for (size_t i = 0; policies[i] && rc == 0; i++)
        rc = remove_stale(st, year, policies[i], run_id, d, err);
    if (rc == 0)
        rc = audit_run(st, year, run_id, d, actor, via, err);
    if (rc == 0)
        rc = store_commit(st, err);
    if (rc)
        store_rollback(st);
out:
    if (!diff)
        ledger_diff_free(&local);
    return rc;
}

void ledger_diff_free(ledger_diff *d)
{
    strbuf_free(&d->lines);
}

/* ---- status transitions ---- */

static bool legal_move(const char *from, const char *to)
{
    static const char *const moves[][2] = {
        {"computed", "reviewed"}, {"reviewed", "approved"}, {"approved", "paid"},
        {"computed", "rejected"}, {"reviewed", "rejected"}, {"approved", "rejected"},
    };
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if (strcmp(moves[i][0], from) == 0 && strcmp(moves[i][1], to) == 0)
            return true;
    return false;
}

static int apply_transition(store *st, int64_t id, const char *to, const char *actor, const char *via, const char *reason,
                            lz_err *err)
{
    ledger_award a;
    bool found;
    int rc = ledger_get(st, id, &a, &found, err);
    if (rc)
        return rc;
    if (!found)
        return err_set(err, LZ_ENOTFOUND, "award %lld does not exist", (long long)id);
    if (!legal_move(a.status, to))
        return err_set(err, LZ_ECONFLICT, "award %lld is %s; it cannot become %s (computed -> reviewed -> approved -> paid, or rejected)",
                       (long long)id, a.status, to);
    if (strcmp(a.result, "eligible") != 0 && strcmp(to, "rejected") != 0 && strcmp(to, "reviewed") != 0)
        return err_set(err, LZ_ECONFLICT, "award %lld is %s, not eligible with an amount: it can be reviewed or rejected only",
                       (long long)id, a.result);
    char *before = award_json(&a);
    char at[32];
    now_iso(at);
    sqlite3_stmt *s = store_prepare(st, "UPDATE awards SET status = ?2, reason = ?3, updated_at = ?4, updated_by = ?5 WHERE id = ?1", err);
    if (!s) {
        free(before);
        return LZ_EINTERNAL;
    }
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, to, -1, SQLITE_STATIC);
    if (reason)
        sqlite3_bind_text(s, 3, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, actor, -1, SQLITE_STATIC);
    rc = step_done(st, s, err);
    if (rc == 0 && (rc = ledger_get(st, id, &a, &found, err)) == 0) {
        char *after = award_json(&a);
        char target[48];
        snprintf(target, sizeof target, "awards/%lld", (long long)id);
        rc = audit_append(st, &(audit_entry){.actor = actor, .via = via, .target = target, .before = before, .after = after}, err);
        free(after);
    }
    free(before);
    return rc;
}

int ledger_transition(store *st, int64_t id, const char *to, const char *actor, const char *via, const char *reason,
                      lz_err *err)
{
    if (strcmp(to, "rejected") == 0 && (!reason || !*reason))
        return err_set(err, LZ_EINPUT, "rejecting an award needs a reason");
    int rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = apply_transition(st, id, to, actor, via, reason, err);
    if (rc == 0)
        rc = store_commit(st, err);
    if (rc)
        store_rollback(st);
    return rc;
}
