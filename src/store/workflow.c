/*
 * workflow — appeal history, ratings, deadlines and target contacts in SQLite (see workflow.h).
 */
#include "store/workflow.h"

#include <stdarg.h>
#include <stdio.h>

#include "store/store_impl.h"

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

/* Binds text parameters 1..n (NULL binds NULL) and runs a statement without results. */
static int run(store *st, const char *sql, lz_err *err, int n, ...)
{
    sqlite3_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    va_list ap;
    va_start(ap, n);
    for (int i = 1; i <= n; i++) {
        const char *v = va_arg(ap, const char *);
        if (v)
            sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    }
    va_end(ap);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_sql_error(st, err, "recording a workflow step");
}

/* Runs a query with one text parameter and calls fn per row. */
static int rows(store *st, const char *sql, const char *param, workflow_row_fn fn, void *ctx, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    if (param)
        sqlite3_bind_text(s, 1, param, -1, SQLITE_STATIC);
    int rc, n = sqlite3_column_count(s);
    const char *cols[8];
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int i = 0; i < n && i < 8; i++)
            cols[i] = (const char *)sqlite3_column_text(s, i);
        fn(ctx, cols, n < 8 ? n : 8);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_sql_error(st, err, "reading a workflow log");
}

int workflow_deadline_days(store *st, const char *category, int *days, lz_err *err)
{
    *days = WORKFLOW_DEFAULT_DEADLINE_DAYS;
    sqlite3_stmt *s = store_prepare(st, "SELECT working_days FROM appeal_deadlines WHERE category = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sqlite3_bind_text(s, 1, category ? category : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *days = sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sql_error(st, err, "reading a deadline");
}

int workflow_deadline_set(store *st, const char *category, int days, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st,
                                    "INSERT INTO appeal_deadlines (category, working_days) VALUES (?1, ?2)"
                                    " ON CONFLICT (category) DO UPDATE SET working_days = excluded.working_days",
                                    err);
    if (!s)
        return LZ_EINTERNAL;
    sqlite3_bind_text(s, 1, category, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, days);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_sql_error(st, err, "setting a deadline");
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
    if (rc == 0 && sqlite3_changes(store_db(st)) == 0)
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

int workflow_award_reviewed(store *st, const char *award, const char *computed_by, const char *reviewed_by, lz_err *err)
{
    return run(st,
               "INSERT INTO award_signoffs (award, computed_by, reviewed_by) VALUES (?1, ?2, ?3)"
               " ON CONFLICT (award) DO UPDATE SET computed_by = ?2, reviewed_by = ?3",
               err, 3, award, computed_by, reviewed_by);
}

int workflow_award_signoff(store *st, const char *award, workflow_row_fn fn, void *ctx, lz_err *err)
{
    return rows(st, "SELECT computed_by, reviewed_by FROM award_signoffs WHERE award = ?1", award, fn, ctx, err);
}
