/*
 * workflow — the workflow rules (who sets which field, appeal moves, award sign-off) and appeal
 * history, ratings, deadlines and target contacts in SQLite (see workflow.h).
 */
#include "store/workflow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/calendar.h"
#include "store/ledger.h"
#include "store/schema.h"
#include "store/store_impl.h"

/* ---- who sets what ---------------------------------------------------------------------------- */

#define BY(role) (1u << (role))
#define ADMIN BY(ROLE_ADMIN)
#define BUREAU BY(ROLE_BUREAU)
#define CHAIN BY(ROLE_CHAIN)
#define DIVISION BY(ROLE_DIVISION)
#define ENTERPRISE BY(ROLE_ENTERPRISE)
#define ANYONE (BY(ROLE_COUNT) - 1)
#define LIVE "open accepted in_progress escalated"

typedef struct field_rule {
    const char *table, *field;
    bool on_create;       /* when the row is created; otherwise when it changes */
    unsigned roles;       /* BY(role) of the roles that may */
    const char *statuses; /* a change only while the row is in one of these (space-separated); NULL: any */
    const char *value;    /* only to this value; NULL: any */
} field_rule;

/* A field of a table listed here is set only as a rule allows; a field no rule names is the
 * server's own (a date, a status that moves by transitions). Tables not listed are free. */
static const field_rule field_rules[] = {
    /* appeals: the enterprise raises and words its appeal, officials route and answer it */
    {"appeals", "id", true, ENTERPRISE | ADMIN, NULL, NULL},
    {"appeals", "uscc", true, ENTERPRISE | ADMIN, NULL, NULL},
    {"appeals", "uscc", false, ADMIN, NULL, NULL},
    {"appeals", "chain", true, ENTERPRISE | ADMIN, NULL, NULL},
    {"appeals", "chain", false, ENTERPRISE, "open", NULL},
    {"appeals", "chain", false, ADMIN, NULL, NULL},
    {"appeals", "category", true, ENTERPRISE | ADMIN, NULL, NULL},
    {"appeals", "category", false, ENTERPRISE, "open", NULL},
    {"appeals", "category", false, ADMIN, NULL, NULL},
    {"appeals", "summary", true, ENTERPRISE | ADMIN, NULL, NULL},
    {"appeals", "summary", false, ENTERPRISE, "open", NULL},
    {"appeals", "department", true, ADMIN, NULL, NULL},
    {"appeals", "department", false, CHAIN | ADMIN, LIVE, NULL},
    {"appeals", "status", true, ANYONE, NULL, "open"},
    {"appeals", "due", true, ADMIN, NULL, NULL},
    {"appeals", "outcome", false, ADMIN, "resolved closed", NULL},
    /* memberships: a chain proposes, the enterprise's side confirms */
    {"memberships", "uscc", true, CHAIN | ADMIN, NULL, NULL},
    {"memberships", "chain", true, CHAIN | ADMIN, NULL, NULL},
    {"memberships", "segment", true, CHAIN | ADMIN, NULL, NULL},
    {"memberships", "role", true, CHAIN | ADMIN, NULL, NULL},
    {"memberships", "role", false, CHAIN | ADMIN, NULL, NULL},
    {"memberships", "status", true, CHAIN, NULL, "proposed"},
    {"memberships", "status", true, ADMIN, NULL, NULL},
    {"memberships", "status", false, ENTERPRISE | DIVISION | BUREAU | ADMIN, "proposed", "confirmed"},
    {"memberships", "status", false, ADMIN, NULL, NULL},
};

/* Why nobody sets a field by a plain write. */
static const struct {
    const char *table, *field, *why;
} server_fields[] = {
    {"appeals", "opened", "the server's date of the request that raises the appeal"},
    {"appeals", "status", "moves only by a transition of the appeal"},
    {"appeals", "due", "follows from the category's deadline in working days"},
    {"appeals", "resolved", "set by the transition that resolves the appeal"},
    {"appeals", "outcome", "given by the official who resolves the appeal"},
};

static bool in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

static bool rule_allows(const field_rule *r, account_role role, const char *status, const char *value)
{
    return (r->roles & BY(role)) && r->on_create == (status == NULL) &&
           (!r->statuses || (status && in_list(r->statuses, status))) && (!r->value || strcmp(r->value, value) == 0);
}

bool workflow_may_set(const char *table_name, const char *field, account_role role, const char *status, const char *value,
                      char *why, size_t whylen)
{
    bool ruled = false;
    for (size_t i = 0; i < sizeof field_rules / sizeof field_rules[0]; i++) {
        const field_rule *r = &field_rules[i];
        if (strcmp(r->table, table_name) != 0)
            continue;
        ruled = true;
        if (strcmp(r->field, field) == 0 && rule_allows(r, role, status, value))
            return true;
    }
    if (!ruled)
        return true;
    for (size_t i = 0; i < sizeof server_fields / sizeof server_fields[0]; i++)
        if (strcmp(server_fields[i].table, table_name) == 0 && strcmp(server_fields[i].field, field) == 0) {
            snprintf(why, whylen, "%s", server_fields[i].why);
            return false;
        }
    if (status)
        snprintf(why, whylen, "a %s account cannot change this field of a %s row in status %s", account_role_name(role), table_name,
                 status);
    else
        snprintf(why, whylen, "a %s account cannot set this field (value '%s') of a new %s row", account_role_name(role), value,
                 table_name);
    return false;
}

/* ---- appeal moves ------------------------------------------------------------------------------ */

static const struct {
    const char *from, *to;
    unsigned roles;
} appeal_moves[] = {
    {"open", "accepted", ADMIN | BUREAU | CHAIN | DIVISION},        {"accepted", "in_progress", ADMIN | BUREAU | CHAIN | DIVISION},
    {"in_progress", "resolved", ADMIN | BUREAU | CHAIN | DIVISION}, {"escalated", "in_progress", ADMIN | BUREAU | CHAIN | DIVISION},
    {"escalated", "resolved", ADMIN | BUREAU | CHAIN | DIVISION},   {"resolved", "closed", ADMIN | ENTERPRISE},
};
const char *const workflow_appeal_escalates_from[WORKFLOW_ESCALATES_FROM + 1] = {"open", "accepted", "in_progress", NULL};

int workflow_appeal_move(const char *from, const char *to, account_role role, lz_err *err)
{
    for (size_t i = 0; i < sizeof appeal_moves / sizeof appeal_moves[0]; i++) {
        if (strcmp(appeal_moves[i].from, from) != 0 || strcmp(appeal_moves[i].to, to) != 0)
            continue;
        if (appeal_moves[i].roles & BY(role))
            return 0;
        return err_set(err, LZ_EDENIED, "%s -> %s is not a move for a %s account", from, to, account_role_name(role));
    }
    return err_set(err, LZ_ECONFLICT, "an appeal cannot move from %s to %s", from, to);
}

/* Schema migration 5 (listed in schema.c). */
int store_migrate_workflow(store *st, lz_err *err);
int store_migrate_workflow(store *st, lz_err *err)
{
    return store_exec(st,
                      "CREATE TABLE appeal_deadlines (category TEXT PRIMARY KEY, working_days INTEGER NOT NULL);"
                      "CREATE TABLE appeal_log ("
                      " appeal TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,"
                      " from_status TEXT, to_status TEXT NOT NULL, note TEXT, PRIMARY KEY (appeal, seq));"
                      "CREATE TABLE appeal_ratings ("
                      " appeal TEXT PRIMARY KEY, rating INTEGER NOT NULL, comment TEXT, actor TEXT NOT NULL, at TEXT NOT NULL);"
                      "CREATE TABLE target_contacts ("
                      " target TEXT NOT NULL, seq INTEGER NOT NULL, date TEXT NOT NULL, actor TEXT NOT NULL,"
                      " from_stage TEXT, to_stage TEXT NOT NULL, note TEXT, PRIMARY KEY (target, seq));"
                      "CREATE TABLE award_signoffs ("
                      " award TEXT PRIMARY KEY, computed_by TEXT NOT NULL, reviewed_by TEXT NOT NULL);",
                      err);
}

/* The tables (schema.h): what migration 5 made, and PostgreSQL's DDL. A log's statuses and stages
 * are those of the appeal or target it logs. */
static const store_column appeal_deadlines_columns[] = {
    {.name = "category", .type = STORE_TEXT, .flags = STORE_KEY},
    {.name = "working_days", .type = STORE_INT, .flags = STORE_REQUIRED},
};
extern const store_table store_table_appeal_deadlines;
const store_table store_table_appeal_deadlines = {
    .name = "appeal_deadlines", .version = 5, STORE_COLUMNS(appeal_deadlines_columns)};

static const store_column appeal_log_columns[] = {
    {.name = "appeal", .type = STORE_TEXT, .flags = STORE_KEY | STORE_REQUIRED},
    {.name = "seq", .type = STORE_INT, .flags = STORE_KEY | STORE_REQUIRED},
    {.name = "at", .type = STORE_TIMESTAMP, .flags = STORE_REQUIRED},
    {.name = "actor", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "from_status", .type = STORE_ENUM, .values_of = "appeals.status"},
    {.name = "to_status", .type = STORE_ENUM, .flags = STORE_REQUIRED, .values_of = "appeals.status"},
    {.name = "note", .type = STORE_TEXT},
};
extern const store_table store_table_appeal_log;
const store_table store_table_appeal_log = {.name = "appeal_log", .version = 5, STORE_COLUMNS(appeal_log_columns)};

static const store_column appeal_ratings_columns[] = {
    {.name = "appeal", .type = STORE_TEXT, .flags = STORE_KEY},
    {.name = "rating", .type = STORE_INT, .flags = STORE_REQUIRED},
    {.name = "comment", .type = STORE_TEXT},
    {.name = "actor", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "at", .type = STORE_TIMESTAMP, .flags = STORE_REQUIRED},
};
extern const store_table store_table_appeal_ratings;
const store_table store_table_appeal_ratings = {.name = "appeal_ratings", .version = 5, STORE_COLUMNS(appeal_ratings_columns)};

static const store_column target_contacts_columns[] = {
    {.name = "target", .type = STORE_TEXT, .flags = STORE_KEY | STORE_REQUIRED},
    {.name = "seq", .type = STORE_INT, .flags = STORE_KEY | STORE_REQUIRED},
    {.name = "date", .type = STORE_DATE, .flags = STORE_REQUIRED},
    {.name = "actor", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "from_stage", .type = STORE_ENUM, .values_of = "targets.stage"},
    {.name = "to_stage", .type = STORE_ENUM, .flags = STORE_REQUIRED, .values_of = "targets.stage"},
    {.name = "note", .type = STORE_TEXT},
};
extern const store_table store_table_target_contacts;
const store_table store_table_target_contacts = {.name = "target_contacts", .version = 5, STORE_COLUMNS(target_contacts_columns)};

static const store_column award_signoffs_columns[] = {
    {.name = "award", .type = STORE_TEXT, .flags = STORE_KEY},
    {.name = "computed_by", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "reviewed_by", .type = STORE_TEXT, .flags = STORE_REQUIRED},
};
extern const store_table store_table_award_signoffs;
const store_table store_table_award_signoffs = {.name = "award_signoffs", .version = 5, STORE_COLUMNS(award_signoffs_columns)};

/* Binds text parameters 1..n (NULL binds NULL) and runs a statement without results. */
static int run(store *st, const char *sql, lz_err *err, int n, ...)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    va_list ap;
    va_start(ap, n);
    for (int i = 1; i <= n; i++) {
        const char *v = va_arg(ap, const char *);
        if (v)
            sql_bind_text(s, i, v, -1);
    }
    va_end(ap);
    int rc = sql_step(s);
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "recording a workflow step");
}

/* Runs a query with one text parameter and calls fn per row. */
static int rows(store *st, const char *sql, const char *param, workflow_row_fn fn, void *ctx, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    if (param)
        sql_bind_text(s, 1, param, -1);
    int rc, n = sql_column_count(s);
    const char *cols[8];
    while ((rc = sql_step(s)) == SQL_ROW) {
        for (int i = 0; i < n && i < 8; i++)
            cols[i] = (const char *)sql_column_text(s, i);
        fn(ctx, cols, n < 8 ? n : 8);
    }
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "reading a workflow log");
}

int workflow_deadline_days(store *st, const char *category, int *days, lz_err *err)
{
    *days = WORKFLOW_DEFAULT_DEADLINE_DAYS;
    sql_stmt *s = store_prepare(st, "SELECT working_days FROM appeal_deadlines WHERE category = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, category ? category : "", -1);
    int rc = sql_step(s);
    if (rc == SQL_ROW)
        *days = sql_column_int(s, 0);
    sql_reset(s);
    return rc == SQL_ROW || rc == SQL_DONE ? 0 : store_sql_error(st, err, "reading a deadline");
}

int workflow_due_date(store *st, const char *category, int32_t opened, int32_t *due, int *fallback_year, lz_err *err)
{
    int days;
    if (workflow_deadline_days(st, category, &days, err) < 0)
        return LZ_EINTERNAL;
    return calendar_add_working_days(st, opened, days, due, fallback_year, err);
}

int workflow_deadline_set(store *st, const char *category, int days, lz_err *err)
{
    sql_stmt *s = store_prepare(st,
                                "INSERT INTO appeal_deadlines (category, working_days) VALUES (?1, ?2)"
                                " ON CONFLICT (category) DO UPDATE SET working_days = excluded.working_days",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, category, -1);
    sql_bind_int(s, 2, days);
    int rc = sql_step(s);
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "setting a deadline");
}

int workflow_category_known(store *st, const char *category, bool *known, lz_err *err)
{
    sql_stmt *s = store_prepare(st,
                                "SELECT EXISTS (SELECT 1 FROM appeal_deadlines WHERE category = ?1)"
                                " OR EXISTS (SELECT 1 FROM appeals WHERE category = ?1)",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, category, -1);
    int rc = sql_step(s);
    *known = rc == SQL_ROW && sql_column_int(s, 0);
    sql_reset(s);
    return rc == SQL_ROW ? 0 : store_sql_error(st, err, "looking up an appeal category");
}

int workflow_deadlines(store *st, workflow_row_fn fn, void *ctx, lz_err *err)
{
    return rows(st, "SELECT category, working_days FROM appeal_deadlines ORDER BY category", NULL, fn, ctx, err);
}

int workflow_appeal_log(store *st, const char *appeal, const char *at, const char *actor, const char *from_status,
                        const char *to_status, const char *note, lz_err *err)
{
    return run(st,
               "INSERT INTO appeal_log (appeal, seq, at, actor, from_status, to_status, note)"
               " SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6 FROM appeal_log WHERE appeal = ?1",
               err, 6, appeal, at, actor, from_status, to_status, note);
}

int workflow_appeal_history(store *st, const char *appeal, workflow_row_fn fn, void *ctx, lz_err *err)
{
    return rows(st, "SELECT seq, at, actor, from_status, to_status, note FROM appeal_log WHERE appeal = ?1 ORDER BY seq", appeal,
                fn, ctx, err);
}

int workflow_appeal_rate(store *st, const char *appeal, int rating, const char *comment, const char *actor, const char *at,
                         lz_err *err)
{
    char r[4];
    snprintf(r, sizeof r, "%d", rating);
    int rc = run(st,
                 "INSERT INTO appeal_ratings (appeal, rating, comment, actor, at) VALUES (?1, CAST(?2 AS INTEGER), ?3, ?4, ?5)"
                 " ON CONFLICT DO NOTHING",
                 err, 5, appeal, r, comment, actor, at);
    if (rc == 0 && store_changes(st) == 0)
        return err_set(err, LZ_ECONFLICT, "appeal %s is already rated", appeal);
    return rc;
}

int workflow_appeal_rating(store *st, const char *appeal, workflow_row_fn fn, void *ctx, lz_err *err)
{
    return rows(st, "SELECT rating, comment, actor, at FROM appeal_ratings WHERE appeal = ?1", appeal, fn, ctx, err);
}

int workflow_target_contact(store *st, const char *target, const char *date, const char *actor, const char *from_stage,
                            const char *to_stage, const char *note, lz_err *err)
{
    return run(st,
               "INSERT INTO target_contacts (target, seq, date, actor, from_stage, to_stage, note)"
               " SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6 FROM target_contacts WHERE target = ?1",
               err, 6, target, date, actor, from_stage, to_stage, note);
}

int workflow_target_contacts(store *st, const char *target, workflow_row_fn fn, void *ctx, lz_err *err)
{
    return rows(st, "SELECT seq, date, actor, from_stage, to_stage, note FROM target_contacts WHERE target = ?1 ORDER BY seq",
                target, fn, ctx, err);
}

/* ---- award sign-off --------------------------------------------------------------------------- */

/* Who computed and who reviewed an award (ledger id as text), so that its approver can be checked
 * against both: the ledger itself keeps only the latest actor. */
static int award_reviewed(store *st, const char *award, const char *computed_by, const char *reviewed_by, lz_err *err)
{
    return run(st,
               "INSERT INTO award_signoffs (award, computed_by, reviewed_by) VALUES (?1, ?2, ?3)"
               " ON CONFLICT (award) DO UPDATE SET computed_by = ?2, reviewed_by = ?3",
               err, 3, award, computed_by, reviewed_by);
}

static void take_signoff(void *ctx, const char *const *c, int n)
{
    (void)n;
    const char **who = ctx;
    who[0] = c[0] ? xstrdup(c[0]) : NULL;
    who[1] = c[1] ? xstrdup(c[1]) : NULL;
}

/* The approver must be neither the computer nor the reviewer on record. */
static int check_approver(store *st, const char *award, const char *approver, lz_err *err)
{
    char *who[2] = {NULL, NULL};
    int rc = rows(st, "SELECT computed_by, reviewed_by FROM award_signoffs WHERE award = ?1", award, take_signoff, who, err);
    bool same = !who[0] || !who[1] || strcmp(who[0], approver) == 0 || strcmp(who[1], approver) == 0;
    free(who[0]);
    free(who[1]);
    if (rc == 0 && same)
        rc = err_set(err, LZ_EDENIED, "the approver must be neither the account that computed the award nor its reviewer");
    return rc;
}

int workflow_award_move(store *st, const account *who, const char *department, int64_t id, const char *to, const char *via,
                        const char *reason, lz_err *err)
{
    if (who->role != ROLE_ADMIN && !(who->role == ROLE_BUREAU && department && strcmp(department, who->scope) == 0))
        return err_set(err, LZ_EDENIED, "awards are signed off by an admin or by the bureau that owns the policy");
    arena a;
    arena_init(&a, 1024);
    ledger_award aw;
    bool found = false;
    char award[24];
    snprintf(award, sizeof award, "%lld", (long long)id);
    int rc = ledger_get(st, id, &a, &aw, &found, err);
    if (rc == 0 && !found)
        rc = err_set(err, LZ_ENOTFOUND, "no award %lld", (long long)id);
    bool reviewing = rc == 0 && strcmp(to, "reviewed") == 0 && strcmp(aw.status, "computed") == 0;
    if (reviewing && strcmp(aw.updated_by, who->name) == 0)
        rc = err_set(err, LZ_EDENIED, "the account that ran the computation cannot review it");
    if (rc == 0 && strcmp(to, "approved") == 0 && strcmp(aw.status, "reviewed") == 0)
        rc = check_approver(st, award, who->name, err);
    /* The sign-off record is written first: it is read only while the award is `reviewed`, so if
     * the move below is refused the record is inert, and the next successful review replaces it. */
    if (rc == 0 && reviewing) {
        rc = store_begin(st, err);
        if (rc == 0)
            rc = award_reviewed(st, award, aw.updated_by, who->name, err);
        rc = rc == 0 ? store_commit(st, err) : (store_rollback(st), rc);
    }
    if (rc == 0)
        rc = ledger_transition(st, id, to, who->name, via, reason, err);
    arena_free(&a);
    return rc;
}
