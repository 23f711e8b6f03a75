/*
 * ledger — SQL of the award ledger (see ledger.h). Two tables: award_runs (one row per recorded
 * run: year, who, the policy file versions by hash) and awards (one row per award with its status).
 */
#include "store/ledger.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "store/audit.h"
#include "store/schema.h"
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

/* Version 6: the same table with its CHECKs written as comparisons. SQLite evaluates an IN list of
 * more than two values through a temporary b-tree built afresh on every execution of a statement,
 * which made recording a year's awards spend most of its time building them, row after row.
 * Index (policy, year) is gone: the unique key (year, policy, ...) answers those lookups, and one
 * index fewer is one b-tree insert fewer per award. */
int store_migrate_ledger_checks(store *st, lz_err *err)
{
    return store_exec(st,
                      "CREATE TABLE awards_v6 (\n"
                      "  id INTEGER PRIMARY KEY,\n"
                      "  year INTEGER NOT NULL,\n"
                      "  policy TEXT NOT NULL,\n"
                      "  policy_hash TEXT NOT NULL,\n"
                      "  subject TEXT NOT NULL,\n"
                      "  subject_id TEXT NOT NULL,\n"
                      "  uscc TEXT NOT NULL,\n"
                      "  result TEXT NOT NULL CHECK (result = 'eligible' OR result = 'pending' OR result = 'undetermined'),\n"
                      "  amount INTEGER NOT NULL,\n"
                      "  grant_text TEXT,\n"
                      "  run_id INTEGER NOT NULL REFERENCES award_runs (id),\n"
                      "  status TEXT NOT NULL DEFAULT 'computed'\n"
                      "    CHECK (status = 'computed' OR status = 'reviewed' OR status = 'approved' OR status = 'paid'\n"
                      "           OR status = 'rejected'),\n"
                      "  reason TEXT,\n"
                      "  updated_at TEXT NOT NULL,\n"
                      "  updated_by TEXT NOT NULL,\n"
                      "  UNIQUE (year, policy, subject, subject_id)\n"
                      ");\n"
                      "INSERT INTO awards_v6 SELECT * FROM awards;\n"
                      "DROP TABLE awards;\n"
                      "ALTER TABLE awards_v6 RENAME TO awards;\n"
                      "CREATE INDEX awards_uscc ON awards (uscc);\n",
                      err);
}

/* The tables (schema.h), in their latest shape: what versions 3 and 6 made, and PostgreSQL's DDL. */
static const store_column award_runs_columns[] = {
    {.name = "id", .type = STORE_ID},
    {.name = "year", .type = STORE_INT, .flags = STORE_REQUIRED},
    {.name = "run_at", .type = STORE_TIMESTAMP, .flags = STORE_REQUIRED},
    {.name = "actor", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "policies", .type = STORE_TEXT, .flags = STORE_REQUIRED},
};
extern const store_table store_table_award_runs;
const store_table store_table_award_runs = {.name = "award_runs", .version = 3, STORE_COLUMNS(award_runs_columns)};

static const char *const award_results[] = {"eligible", "pending", "undetermined", NULL};
static const char *const award_statuses[] = {"computed", "reviewed", "approved", "paid", "rejected", NULL};
static const store_column awards_columns[] = {
    {.name = "id", .type = STORE_ID},
    {.name = "year", .type = STORE_INT, .flags = STORE_REQUIRED},
    {.name = "policy", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "policy_hash", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "subject", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "subject_id", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "uscc", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "result", .type = STORE_ENUM, .flags = STORE_REQUIRED, .values = award_results},
    {.name = "amount", .type = STORE_INT, .flags = STORE_REQUIRED},
    {.name = "grant_text", .type = STORE_TEXT},
    {.name = "run_id", .type = STORE_INT, .flags = STORE_REQUIRED, .ref_table = "award_runs", .ref_column = "id"},
    {.name = "status", .type = STORE_ENUM, .flags = STORE_REQUIRED, .default_sql = "'computed'", .values = award_statuses},
    {.name = "reason", .type = STORE_TEXT},
    {.name = "updated_at", .type = STORE_TIMESTAMP, .flags = STORE_REQUIRED},
    {.name = "updated_by", .type = STORE_TEXT, .flags = STORE_REQUIRED},
};
static const store_index awards_indexes[] = {{.name = "awards_uscc", .columns = "uscc"}};
extern const store_table store_table_awards;
const store_table store_table_awards = {.name = "awards",
                                        .version = 3,
                                        STORE_COLUMNS(awards_columns),
                                        .unique = "year, policy, subject, subject_id",
                                        .indexes = awards_indexes,
                                        .nindexes = 1};

static const char *col_text(sql_stmt *s, int i)
{
    return (const char *)sql_column_text(s, i);
}

/* ---- reading ---- */

#define AWARD_COLUMNS                                                                                                              \
    "id, year, policy, policy_hash, subject, subject_id, uscc, result, amount, grant_text, status, reason, updated_at, updated_by"

static void row_award(sql_stmt *s, ledger_award *a)
{
    *a = (ledger_award){.id = sql_column_int64(s, 0),
                        .year = sql_column_int(s, 1),
                        .policy = col_text(s, 2),
                        .policy_hash = col_text(s, 3),
                        .subject = col_text(s, 4),
                        .subject_id = col_text(s, 5),
                        .uscc = col_text(s, 6),
                        .result = col_text(s, 7),
                        .amount_fen = sql_column_int64(s, 8),
                        .grant = col_text(s, 9),
                        .status = col_text(s, 10),
                        .reason = col_text(s, 11),
                        .updated_at = col_text(s, 12),
                        .updated_by = col_text(s, 13)};
}

static int each_row(store *st, sql_stmt *s, ledger_award_fn fn, void *ctx, lz_err *err)
{
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        ledger_award a;
        row_award(s, &a);
        fn(ctx, &a);
    }
    int ret = rc == SQL_DONE ? 0 : store_sql_error(st, err, "reading the award ledger");
    sql_reset(s);
    return ret;
}

int ledger_paid(store *st, int before_year, ledger_award_fn fn, void *ctx, lz_err *err)
{
    sql_stmt *s = store_prepare(st,
                                "SELECT " AWARD_COLUMNS " FROM awards WHERE year < ?1 AND result = 'eligible' "
                                "AND status <> 'rejected' ORDER BY year, id",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, before_year);
    return each_row(st, s, fn, ctx, err);
}

int ledger_list(store *st, int year, const char *policy, const char *uscc, ledger_award_fn fn, void *ctx, lz_err *err)
{
    /* The filter that narrows most goes first, as a plain equality SQLite can answer from an index
     * (an enterprise's awards by awards_uscc, a year's by the unique key); the rest are checked. */
#define LIST_REST "AND (?1 = 0 OR year = ?1) AND (policy = ?2 OR ?2 IS NULL) AND (uscc = ?3 OR ?3 IS NULL) "
    sql_stmt *s = store_prepare(
        st,
        uscc   ? "SELECT " AWARD_COLUMNS " FROM awards WHERE uscc = ?3 " LIST_REST "ORDER BY year, policy, subject_id, id"
        : year ? "SELECT " AWARD_COLUMNS " FROM awards WHERE year = ?1 " LIST_REST "ORDER BY year, policy, subject_id, id"
               : "SELECT " AWARD_COLUMNS " FROM awards WHERE 1 = 1 " LIST_REST "ORDER BY year, policy, subject_id, id",
        err);
#undef LIST_REST
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, year);
    if (policy)
        sql_bind_text_copy(s, 2, policy, -1);
    if (uscc)
        sql_bind_text_copy(s, 3, uscc, -1);
    return each_row(st, s, fn, ctx, err);
}

static const char *copy_text(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

int ledger_get(store *st, int64_t id, arena *a, ledger_award *out, bool *found, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "SELECT " AWARD_COLUMNS " FROM awards WHERE id = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int64(s, 1, id);
    int rc = sql_step(s);
    *found = rc == SQL_ROW;
    if (*found) {
        row_award(s, out);
        /* Copied, so the statement can be reset at once: one left mid-step would hold this
         * connection's read snapshot open and make its next write fail as "database is locked". */
        const char **texts[] = {&out->policy, &out->policy_hash, &out->subject, &out->subject_id, &out->uscc,      &out->result,
                                &out->grant,  &out->status,      &out->reason,  &out->updated_at, &out->updated_by};
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
            *texts[i] = copy_text(a, *texts[i]);
    }
    return store_read_finish(st, s, rc, err, "reading the award ledger");
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
    strbuf_printf(&d->lines, "%s %s %s %s %s %s%s\n", what, a->policy, a->subject, a->subject_id, a->result, amount,
                  extra ? extra : "");
}

/* ---- recording a run: the year's recorded awards of a policy and the new ones, both sorted by
 * subject, merged like a sorted join (one query per policy, one write per difference). ---- */

static int key_cmp(const ledger_award *a, const ledger_award *b)
{
    int c = strcmp(a->subject, b->subject);
    return c ? c : strcmp(a->subject_id, b->subject_id);
}

static int by_key(const void *x, const void *y)
{
    return key_cmp(*(const ledger_award *const *)x, *(const ledger_award *const *)y);
}

static bool same_result(const ledger_award *a, const ledger_award *b)
{
    bool same_grant = (!a->grant && !b->grant) || (a->grant && b->grant && strcmp(a->grant, b->grant) == 0);
    return strcmp(a->result, b->result) == 0 && a->amount_fen == b->amount_fen && same_grant;
}

static const char *dup_col(arena *mem, sql_stmt *s, int i)
{
    const char *t = col_text(s, i);
    return t ? arena_strndup(mem, t, strlen(t)) : NULL;
}

/* The recorded awards of (year, policy) in key order (SQLite's binary order is strcmp's). */
static int load_recorded(store *st, int year, const char *policy, arena *mem, ledger_award **out, size_t *n, lz_err *err)
{
    sql_stmt *s =
        store_prepare(st, "SELECT " AWARD_COLUMNS " FROM awards WHERE year = ?1 AND policy = ?2 ORDER BY subject, subject_id", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, year);
    sql_bind_text(s, 2, policy, -1);
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = sql_step(s)) == SQL_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        ledger_award *a = &(*out)[(*n)++];
        row_award(s, a);
        a->subject = dup_col(mem, s, 4);
        a->subject_id = dup_col(mem, s, 5);
        a->result = dup_col(mem, s, 7);
        a->grant = dup_col(mem, s, 9);
        a->status = dup_col(mem, s, 10);
        a->policy = policy;
        a->policy_hash = a->uscc = a->reason = a->updated_at = a->updated_by = NULL; /* not needed; would dangle */
    }
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "reading the award ledger");
}

static int step_done(store *st, sql_stmt *s, lz_err *err)
{
    int rc = sql_step(s);
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "writing the award ledger");
}

typedef struct recorder {
    store *st;
    int64_t run_id;
    const char *at, *actor;
    ledger_diff *d;
    lz_err *err;
} recorder;

/* The award's values in statement s: ?1 year ... ?12 updated_by, as both statements below number them. */
static void bind_award(const recorder *rc, sql_stmt *s, const ledger_award *a)
{
    sql_bind_int(s, 1, a->year);
    sql_bind_text(s, 2, a->policy, -1);
    sql_bind_text(s, 3, a->policy_hash, -1);
    sql_bind_text(s, 4, a->subject, -1);
    sql_bind_text(s, 5, a->subject_id, -1);
    sql_bind_text(s, 6, a->uscc, -1);
    sql_bind_text(s, 7, a->result, -1);
    sql_bind_int64(s, 8, a->amount_fen);
    if (a->grant)
        sql_bind_text(s, 9, a->grant, -1);
    else
        sql_bind_null(s, 9);
    sql_bind_int64(s, 10, rc->run_id);
    sql_bind_text(s, 11, rc->at, -1);
    sql_bind_text(s, 12, rc->actor, -1);
}

/* A new award, or new values for the recorded award `id`. Plain INSERT and UPDATE by id, not an
 * upsert: with foreign keys on, SQLite gives an upsert a statement journal of its own, which
 * doubled the cost of recording a year. */
static int write_award(const recorder *rc, const ledger_award *a, int64_t id)
{
    sql_stmt *s =
        id ? store_prepare(
                 rc->st,
                 "UPDATE awards SET policy_hash = ?3, uscc = ?6, result = ?7, amount = ?8, grant_text = ?9, run_id = ?10, "
                 "updated_at = ?11, updated_by = ?12 WHERE id = ?13",
                 rc->err)
           : store_prepare(rc->st,
                           "INSERT INTO awards (id, year, policy, policy_hash, subject, subject_id, uscc, result, amount, "
                           "grant_text, run_id, status, updated_at, updated_by) "
                           "VALUES (" STORE_NEXT_ID("awards") ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'computed', ?11, ?12)",
                           rc->err);
    if (!s)
        return LZ_EINTERNAL;
    bind_award(rc, s, a);
    if (id)
        sql_bind_int64(s, 13, id);
    return step_done(rc->st, s, rc->err);
}

static int delete_award(const recorder *rc, int64_t id)
{
    sql_stmt *s = store_prepare(rc->st, "DELETE FROM awards WHERE id = ?1", rc->err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int64(s, 1, id);
    return step_done(rc->st, s, rc->err);
}

/* A new result against the recorded award (either may be NULL). Awards already reviewed or later
 * are people's work: a different new result is reported, never written over them. */
static int reconcile(const recorder *rc, const ledger_award *now, const ledger_award *was)
{
    ledger_diff *d = rc->d;
    if (was && strcmp(was->status, "computed") != 0) {
        if (now && same_result(now, was)) {
            d->unchanged++;
        } else {
            d->kept++;
            diff_line(d, now ? "differs" : "withdrawn", now ? now : was,
                      " (recorded award is already past 'computed'; left as is)");
        }
        return 0;
    }
    if (now && was && same_result(now, was)) {
        d->unchanged++;
        return 0;
    }
    if (!now) {
        d->removed++;
        diff_line(d, "removed", was, NULL);
        return delete_award(rc, was->id);
    }
    if (was) {
        char note[96], amount[MONEY_FMT_MAX];
        money_format(was->amount_fen, amount);
        snprintf(note, sizeof note, " (was %s %s)", was->result, amount);
        d->changed++;
        diff_line(d, "changed", now, note);
    } else {
        d->added++;
        diff_line(d, "added", now, NULL);
    }
    return write_award(rc, now, was ? was->id : 0);
}

static int record_policy(const recorder *rc, int year, const char *policy, const ledger_award *awards, size_t n)
{
    arena mem;
    arena_init(&mem, 1 << 16);
    ledger_award *was = NULL;
    size_t nwas = 0, nnow = 0;
    const ledger_award **now = xmalloc((n + 1) * sizeof *now);
    for (size_t i = 0; i < n; i++)
        if (strcmp(awards[i].policy, policy) == 0)
            now[nnow++] = &awards[i];
    qsort(now, nnow, sizeof *now, by_key);
    int ret = load_recorded(rc->st, year, policy, &mem, &was, &nwas, rc->err);
    for (size_t i = 0, j = 0; ret == 0 && (i < nnow || j < nwas);) {
        int c = i == nnow ? 1 : j == nwas ? -1 : key_cmp(now[i], &was[j]);
        ret = reconcile(rc, c <= 0 ? now[i] : NULL, c >= 0 ? &was[j] : NULL);
        i += c <= 0;
        j += c >= 0;
    }
    free(now);
    free(was);
    arena_free(&mem);
    return ret;
}

static int insert_run(store *st, int year, const char *const *policies, const char *const *hashes, const char *at,
                      const char *actor, int64_t *run_id, lz_err *err)
{
    strbuf list;
    strbuf_init(&list);
    for (size_t i = 0; policies[i]; i++)
        strbuf_printf(&list, "%s%s=%s", i ? ";" : "", policies[i], hashes[i]);
    sql_stmt *s = store_prepare(st,
                                "INSERT INTO award_runs (id, year, run_at, actor, policies) VALUES (" STORE_NEXT_ID(
                                    "award_runs") ", ?1, ?2, ?3, ?4) RETURNING id",
                                err);
    int rc = LZ_EINTERNAL;
    if (s) {
        sql_bind_int(s, 1, year);
        sql_bind_text(s, 2, at, -1);
        sql_bind_text(s, 3, actor, -1);
        sql_bind_text_copy(s, 4, list.data, -1);
        int stepped = sql_step(s);
        *run_id = stepped == SQL_ROW ? sql_column_int64(s, 0) : 0;
        rc = store_read_finish(st, s, stepped, err, "award_runs: recording a run");
    }
    strbuf_free(&list);
    return rc;
}

static int audit_run(store *st, int year, int64_t run_id, const ledger_diff *d, const char *actor, const char *via, lz_err *err)
{
    char target[64], after[256];
    snprintf(target, sizeof target, "award_runs/%lld", (long long)run_id);
    snprintf(after, sizeof after, "{\"year\":%d,\"added\":%zu,\"changed\":%zu,\"removed\":%zu,\"unchanged\":%zu,\"kept\":%zu}",
             year, d->added, d->changed, d->removed, d->unchanged, d->kept);
    return audit_append(st, &(audit_entry){.actor = actor, .via = via, .target = target, .after = after}, err);
}

/* The refusal of a record whose facts an audit entry may have changed. */
typedef struct refusal {
    lz_err *err;
    int rc;
} refusal;

static int refuse_change(void *ctx, const audit_row *r)
{
    refusal *f = ctx;
    f->rc = err_set(f->err, LZ_ECONFLICT,
                    "the data changed while the awards were computed (audit entry %lld: %s by %s at %s); nothing was "
                    "recorded: compute the year again",
                    (long long)r->seq, r->e.target, r->e.actor, r->at);
    return 1;
}

/* LZ_ECONFLICT (err set) when an audit entry after seq may have changed the facts of a run. */
static int facts_unchanged_since(store *st, int64_t seq, lz_err *err)
{
    refusal f = {err, 0};
    int rc = audit_first_change_after(st, seq, refuse_change, &f, err);
    return rc ? rc : f.rc;
}

int ledger_record(store *st, const ledger_run *run, ledger_diff *diff, lz_err *err)
{
    int year = run->year;
    const char *const *policies = run->policies;
    ledger_diff local;
    ledger_diff *d = diff ? diff : &local;
    memset(d, 0, sizeof *d);
    strbuf_init(&d->lines);
    char at[DATE_STAMP_SIZE];
    date_now_utc(at);
    recorder r = {.st = st, .at = at, .actor = run->actor, .d = d, .err = err};
    /* A year's awards touch many index pages: a larger page cache keeps them from being spilled
     * to the log over and over before the commit. */
    int rc = store_cache_kib(st, 131072, err);
    if (rc == 0)
        rc = store_begin(st, err);
    if (rc)
        goto out;
    rc = facts_unchanged_since(st, run->facts_seq, err);
    if (rc == 0)
        rc = insert_run(st, year, policies, run->hashes, at, run->actor, &r.run_id, err);
    for (size_t i = 0; policies[i] && rc == 0; i++)
        rc = record_policy(&r, year, policies[i], run->awards, run->n);
    if (rc == 0)
        rc = audit_run(st, year, r.run_id, d, run->actor, run->via, err);
    if (rc == 0)
        rc = store_commit(st, err);
    if (rc)
        store_rollback(st);
    store_cache_kib(st, 2000, NULL); /* back to SQLite's default for a long-lived connection */
out:
    if (!diff)
        ledger_diff_free(&local);
    return rc;
}

/* ---- payments made outside the system ---- */

static int insert_paid(store *st, const ledger_award *a, int64_t run_id, const char *at, const char *actor, lz_err *err)
{
    sql_stmt *s =
        store_prepare(st,
                      "INSERT INTO awards (id, year, policy, policy_hash, subject, subject_id, uscc, result, amount,"
                      " run_id, status, updated_at, updated_by)"
                      " VALUES (" STORE_NEXT_ID("awards") ", ?1, ?2, 'imported', ?3, ?4, ?5, 'eligible', ?6, ?7, 'paid', ?8, ?9)"
                                                          " ON CONFLICT DO NOTHING",
                      err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, a->year);
    sql_bind_text(s, 2, a->policy, -1);
    sql_bind_text(s, 3, a->subject, -1);
    sql_bind_text(s, 4, a->subject_id, -1);
    sql_bind_text(s, 5, a->uscc, -1);
    sql_bind_int64(s, 6, a->amount_fen);
    sql_bind_int64(s, 7, run_id);
    sql_bind_text(s, 8, at, -1);
    sql_bind_text(s, 9, actor, -1);
    int rc = step_done(st, s, err);
    if (rc == 0 && store_changes(st) == 0)
        rc = err_set(err, LZ_ECONFLICT, "the ledger already holds %s %s %s for %d", a->policy, a->subject, a->subject_id, a->year);
    return rc;
}

int ledger_import_paid(store *st, const ledger_award *awards, size_t n, const char *actor, const char *via, lz_err *err)
{
    char at[DATE_STAMP_SIZE];
    date_now_utc(at);
    int64_t run_id = 0;
    const char *const marker[] = {"imported", NULL};
    int first_year = n ? awards[0].year : 0;
    for (size_t i = 1; i < n; i++)
        if (awards[i].year < first_year)
            first_year = awards[i].year;
    int rc = store_begin(st, err);
    if (rc)
        return rc;
    rc = insert_run(st, first_year, marker, marker, at, actor, &run_id, err);
    for (size_t i = 0; i < n && rc == 0; i++)
        if ((rc = insert_paid(st, &awards[i], run_id, at, actor, err)) != 0)
            err_wrap(err, "row %zu", i + 1);
    if (rc == 0) {
        char target[64], after[96];
        snprintf(target, sizeof target, "award_runs/%lld", (long long)run_id);
        snprintf(after, sizeof after, "{\"imported_paid\":%zu}", n);
        rc = audit_append(st, &(audit_entry){.actor = actor, .via = via, .target = target, .after = after}, err);
    }
    if (rc == 0)
        return store_commit(st, err);
    store_rollback(st);
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
    arena mem;
    arena_init(&mem, 1024);
    int rc = ledger_get(st, id, &mem, &a, &found, err);
    if (rc == 0 && !found)
        rc = err_set(err, LZ_ENOTFOUND, "award %lld does not exist", (long long)id);
    else if (rc == 0 && !legal_move(a.status, to))
        rc = err_set(err, LZ_ECONFLICT,
                     "award %lld is %s; it cannot become %s (computed -> reviewed -> approved -> paid, or rejected)", (long long)id,
                     a.status, to);
    else if (rc == 0 && strcmp(a.result, "eligible") != 0 && strcmp(to, "rejected") != 0 && strcmp(to, "reviewed") != 0)
        rc = err_set(err, LZ_ECONFLICT, "award %lld is %s, not eligible with an amount: it can be reviewed or rejected only",
                     (long long)id, a.result);
    if (rc) {
        arena_free(&mem);
        return rc;
    }
    char *before = award_json(&a);
    char at[DATE_STAMP_SIZE];
    date_now_utc(at);
    sql_stmt *s =
        store_prepare(st, "UPDATE awards SET status = ?2, reason = ?3, updated_at = ?4, updated_by = ?5 WHERE id = ?1", err);
    if (!s) {
        free(before);
        arena_free(&mem);
        return LZ_EINTERNAL;
    }
    sql_bind_int64(s, 1, id);
    sql_bind_text(s, 2, to, -1);
    if (reason)
        sql_bind_text(s, 3, reason, -1);
    sql_bind_text(s, 4, at, -1);
    sql_bind_text(s, 5, actor, -1);
    rc = step_done(st, s, err);
    if (rc == 0 && (rc = ledger_get(st, id, &mem, &a, &found, err)) == 0) {
        char *after = award_json(&a);
        char target[48];
        snprintf(target, sizeof target, "awards/%lld", (long long)id);
        rc = audit_append(st, &(audit_entry){.actor = actor, .via = via, .target = target, .before = before, .after = after}, err);
        free(after);
    }
    free(before);
    arena_free(&mem);
    return rc;
}

int ledger_transition(store *st, int64_t id, const char *to, const char *actor, const char *via, const char *reason, lz_err *err)
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

typedef struct history_ctx {
    ledger_move_fn fn;
    void *ctx;
} history_ctx;

static const char *member(json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static int history_entry(void *p, const audit_row *r)
{
    history_ctx *h = p;
    json_t *before = r->e.before ? json_loads(r->e.before, 0, NULL) : NULL;
    json_t *after = r->e.after ? json_loads(r->e.after, 0, NULL) : NULL;
    ledger_move m = {.from = member(before, "status"),
                     .to = member(after, "status"),
                     .actor = r->e.actor,
                     .at = r->at,
                     .note = member(after, "reason")};
    if (m.to)
        h->fn(h->ctx, &m);
    json_decref(before);
    json_decref(after);
    return 0;
}

int ledger_history(store *st, int64_t id, ledger_move_fn fn, void *ctx, lz_err *err)
{
    char target[48];
    snprintf(target, sizeof target, "awards/%lld", (long long)id);
    history_ctx h = {fn, ctx};
    return audit_list(st, &(audit_filter){.target = target, .oldest_first = true}, history_entry, &h, err);
}
