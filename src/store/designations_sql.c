/*
 * designations_sql — chain-master decisions in SQLite (see designations_sql.h). The partial
 * unique index keeps one pending decision per chain and enterprise, so two officials proposing at
 * once cannot both succeed.
 */
#include "store/designations_sql.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "store/schema.h"
#include "store/store_impl.h"

/* Schema migration 12 (listed in schema.c). */
int store_migrate_designations(store *st, lz_err *err);
int store_migrate_designations(store *st, lz_err *err)
{
    return store_exec(st,
                      "CREATE TABLE master_decisions (\n"
                      "  id INTEGER PRIMARY KEY,\n"
                      "  chain TEXT NOT NULL REFERENCES chains (code) DEFERRABLE INITIALLY DEFERRED,\n"
                      "  uscc TEXT NOT NULL REFERENCES enterprises (uscc) DEFERRABLE INITIALLY DEFERRED,\n"
                      "  kind TEXT NOT NULL,\n"
                      "  batch TEXT NOT NULL,\n"
                      "  date TEXT NOT NULL,\n"
                      "  year INTEGER NOT NULL,\n"
                      "  score TEXT,\n"
                      "  rank INTEGER,\n"
                      "  proposed_by TEXT NOT NULL,\n"
                      "  proposed_at TEXT NOT NULL,\n"
                      "  reason TEXT,\n"
                      "  status TEXT NOT NULL DEFAULT 'proposed',\n"
                      "  decided_by TEXT,\n"
                      "  decided_at TEXT,\n"
                      "  decision_reason TEXT\n"
                      ");\n"
                      "CREATE INDEX master_decisions_chain ON master_decisions (chain, status);\n"
                      "CREATE UNIQUE INDEX master_decisions_pending ON master_decisions (chain, uscc)"
                      " WHERE status = 'proposed';\n",
                      err);
}

/* The table (schema.h): what migration 12 made, and PostgreSQL's DDL. The kinds and statuses are
 * the workflow's (workflow/designations.h), which lives above this layer: test_schema_families
 * checks that these lists are those. */
const char *const designations_sql_kinds[] = {"master", "reserve", "leave-reserve", "revoke", NULL};
const char *const designations_sql_statuses[] = {DESIGNATIONS_SQL_PENDING, "approved", "rejected", "withdrawn", NULL};
static const char *const master_decisions_checks[] = {"\"rank\" >= 1", NULL};
static const store_column master_decisions_columns[] = {
    {.name = "id", .type = STORE_ID},
    {.name = "chain", .type = STORE_TEXT, .flags = STORE_REQUIRED | STORE_DEFERRED, .ref_table = "chains", .ref_column = "code"},
    {.name = "uscc",
     .type = STORE_TEXT,
     .flags = STORE_REQUIRED | STORE_DEFERRED,
     .ref_table = "enterprises",
     .ref_column = "uscc"},
    {.name = "kind", .type = STORE_ENUM, .flags = STORE_REQUIRED, .values = designations_sql_kinds},
    {.name = "batch", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "date", .type = STORE_DATE, .flags = STORE_REQUIRED},
    {.name = "year", .type = STORE_INT, .flags = STORE_REQUIRED},
    {.name = "score", .type = STORE_TEXT},
    {.name = "rank", .type = STORE_INT},
    {.name = "proposed_by", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "proposed_at", .type = STORE_TIMESTAMP, .flags = STORE_REQUIRED},
    {.name = "reason", .type = STORE_TEXT},
    {.name = "status",
     .type = STORE_ENUM,
     .flags = STORE_REQUIRED,
     .default_sql = "'proposed'",
     .values = designations_sql_statuses},
    {.name = "decided_by", .type = STORE_TEXT},
    {.name = "decided_at", .type = STORE_TIMESTAMP},
    {.name = "decision_reason", .type = STORE_TEXT},
};
static const store_index master_decisions_indexes[] = {
    {.name = "master_decisions_chain", .columns = "chain, status"},
    {.name = "master_decisions_pending", .columns = "chain, uscc", .unique = true, .where = "status = 'proposed'"},
};
extern const store_table store_table_master_decisions;
const store_table store_table_master_decisions = {.name = "master_decisions",
                                                  .version = 12,
                                                  STORE_COLUMNS(master_decisions_columns),
                                                  .indexes = master_decisions_indexes,
                                                  .nindexes = 2,
                                                  .checks = master_decisions_checks};

static void bind_text(sql_stmt *s, int i, const char *v)
{
    if (v)
        sql_bind_text(s, i, v, -1);
    else
        sql_bind_null(s, i);
}

int designations_sql_insert(store *st, const designation *d, int64_t *id, lz_err *err)
{
    sql_stmt *s = store_prepare(
        st,
        "INSERT INTO master_decisions (id, chain, uscc, kind, batch, date, year, score, rank, proposed_by,"
        " proposed_at, reason) VALUES (" STORE_NEXT_ID("master_decisions") ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                                                                           " RETURNING id",
        err);
    if (!s)
        return LZ_EINTERNAL;
    char at[DATE_STAMP_SIZE];
    date_now_utc(at);
    bind_text(s, 1, d->chain);
    bind_text(s, 2, d->uscc);
    bind_text(s, 3, d->kind);
    bind_text(s, 4, d->batch);
    bind_text(s, 5, d->date);
    sql_bind_int(s, 6, d->year);
    bind_text(s, 7, d->score);
    if (d->rank > 0)
        sql_bind_int(s, 8, d->rank);
    bind_text(s, 9, d->proposed_by);
    bind_text(s, 10, at);
    bind_text(s, 11, d->reason);
    int rc = sql_step(s);
    *id = rc == SQL_ROW ? sql_column_int64(s, 0) : 0;
    sql_reset(s);
    if (rc != SQL_ROW && store_constraint_failed(st)) /* the unique index of pending decisions: foreign keys wait for the commit */
        return err_set(err, LZ_ECONFLICT, "a decision on %s for chain %s is pending already: decide it first (masters decisions)",
                       d->uscc, d->chain);
    return rc == SQL_ROW ? 0 : store_sql_error(st, err, "master_decisions: recording a proposal");
}

int designations_sql_decide(store *st, int64_t id, const char *status, const char *by, const char *reason, lz_err *err)
{
    sql_stmt *s = store_prepare(st,
                                "UPDATE master_decisions SET status = ?2, decided_by = ?3, decided_at = ?4,"
                                " decision_reason = ?5 WHERE id = ?1 AND status = '" DESIGNATIONS_SQL_PENDING "'",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    char at[DATE_STAMP_SIZE];
    date_now_utc(at);
    sql_bind_int64(s, 1, id);
    bind_text(s, 2, status);
    bind_text(s, 3, by);
    bind_text(s, 4, at);
    bind_text(s, 5, reason);
    int rc = sql_step(s);
    sql_reset(s);
    if (rc != SQL_DONE)
        return store_sql_error(st, err, "master_decisions: recording a decision");
    if (store_changes(st) == 0)
        return err_set(err, LZ_ECONFLICT, "decision %lld is not pending", (long long)id);
    return 0;
}

/* ---- reading ---- */

#define DECISION_COLUMNS                                                                                                           \
    "id, chain, uscc, kind, batch, date, year, score, rank, proposed_by, proposed_at, reason, status, decided_by, decided_at,"     \
    " decision_reason"

static const char *col_text(sql_stmt *s, int i)
{
    return (const char *)sql_column_text(s, i);
}

static void row_decision(sql_stmt *s, designation *d)
{
    *d = (designation){.id = sql_column_int64(s, 0),
                       .chain = col_text(s, 1),
                       .uscc = col_text(s, 2),
                       .kind = col_text(s, 3),
                       .batch = col_text(s, 4),
                       .date = col_text(s, 5),
                       .year = sql_column_int(s, 6),
                       .score = col_text(s, 7),
                       .rank = sql_column_int(s, 8),
                       .proposed_by = col_text(s, 9),
                       .proposed_at = col_text(s, 10),
                       .reason = col_text(s, 11),
                       .status = col_text(s, 12),
                       .decided_by = col_text(s, 13),
                       .decided_at = col_text(s, 14),
                       .decision_reason = col_text(s, 15)};
}

static const char *dup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

int designations_sql_get(store *st, int64_t id, arena *a, designation *out, bool *found, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "SELECT " DECISION_COLUMNS " FROM master_decisions WHERE id = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int64(s, 1, id);
    int rc = sql_step(s);
    *found = rc == SQL_ROW;
    if (*found) {
        designation d;
        row_decision(s, &d);
        *out = d;
        const char **fields[] = {&out->chain,      &out->uscc,        &out->kind,           &out->batch,  &out->date,
                                 &out->score,      &out->proposed_by, &out->proposed_at,    &out->reason, &out->status,
                                 &out->decided_by, &out->decided_at,  &out->decision_reason};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            *fields[i] = dup(a, *fields[i]);
    }
    sql_reset(s);
    return rc == SQL_ROW || rc == SQL_DONE ? 0 : store_sql_error(st, err, "master_decisions: reading a decision");
}

int designations_sql_list(store *st, const char *chain, const char *status, designations_sql_fn fn, void *ctx, lz_err *err)
{
    sql_stmt *s = store_prepare(st,
                                "SELECT " DECISION_COLUMNS " FROM master_decisions"
                                " WHERE (chain = ?1 OR ?1 IS NULL) AND (status = ?2 OR ?2 IS NULL) ORDER BY id",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    bind_text(s, 1, chain);
    bind_text(s, 2, status);
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        designation d;
        row_decision(s, &d);
        if (fn(ctx, &d))
            break;
    }
    sql_reset(s);
    return rc == SQL_ROW || rc == SQL_DONE ? 0 : store_sql_error(st, err, "master_decisions: listing decisions");
}
