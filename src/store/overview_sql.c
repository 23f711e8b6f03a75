/*
 * overview_sql — the overview's aggregate reads in portable SQL (see overview_sql.h). Parameters
 * are bound by number: ?1 the chain (NULL: every chain), ?2 the date or the year.
 */
#include "store/overview_sql.h"

#include "store/store_impl.h"

#define LIVE_APPEAL "\"status\" IN ('open', 'accepted', 'in_progress', 'escalated')"
#define CLOSED_APPEAL "\"status\" IN ('resolved', 'closed')"

static const char *text(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? t : "";
}

/* Prepares sql with ?1 = chain (when the statement has it; NULL binds NULL) and ?2 = text or int. */
static sqlite3_stmt *prepare(store *st, const char *sql, const char *chain, const char *text2, int int2, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return NULL;
    if (chain)
        sqlite3_bind_text(s, 1, chain, -1, SQLITE_STATIC);
    if (text2)
        sqlite3_bind_text(s, 2, text2, -1, SQLITE_STATIC);
    else if (sqlite3_bind_parameter_count(s) >= 2)
        sqlite3_bind_int(s, 2, int2);
    return s;
}

static const char targets_sql[] = "SELECT \"stage\", count(*), coalesce(sum(\"expected_investment\"), 0) FROM \"targets\""
                                  " WHERE ?1 IS NULL OR \"chain\" = ?1 GROUP BY \"stage\" ORDER BY \"stage\"";

int overview_sql_targets(store *st, const char *chain, void (*fn)(void *ctx, const overview_sql_stage *r), void *ctx, lz_err *err)
{
    sqlite3_stmt *s = prepare(st, targets_sql, chain, NULL, 0, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        overview_sql_stage r = {text(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2)};
        fn(ctx, &r);
    }
    return store_read_finish(st, s, rc, err, "overview");
}

static const char appeals_sql[] =
    "SELECT coalesce(sum(" LIVE_APPEAL "), 0),"
    " coalesce(sum(" LIVE_APPEAL " AND \"due\" IS NOT NULL AND \"due\" < ?2), 0),"
    " coalesce(sum(" CLOSED_APPEAL " AND (\"due\" IS NULL OR \"resolved\" IS NULL OR \"resolved\" <= \"due\")), 0),"
    " coalesce(sum(" CLOSED_APPEAL " AND \"due\" IS NOT NULL AND \"resolved\" > \"due\"), 0),"
    " count(r.\"rating\"), coalesce(sum(r.\"rating\"), 0)"
    " FROM \"appeals\" a LEFT JOIN \"appeal_ratings\" r ON r.\"appeal\" = a.\"id\" WHERE ?1 IS NULL OR a.\"chain\" = ?1";

int overview_sql_appeals_on(store *st, const char *chain, const char *date, overview_sql_appeals *out, lz_err *err)
{
    sqlite3_stmt *s = prepare(st, appeals_sql, chain, date, 0, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = (overview_sql_appeals){sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2),
                                      sqlite3_column_int64(s, 3), sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5)};
    return store_read_finish(st, s, rc, err, "overview");
}

/* The ledger has no chain: a chain's awards are those of its confirmed members (an enterprise on
 * two chains counts in both). */
static const char awards_sql[] = "SELECT \"policy\", \"status\", count(*), coalesce(sum(\"amount\"), 0) FROM \"awards\""
                                 " WHERE \"year\" = ?2 AND (?1 IS NULL OR \"uscc\" IN (SELECT \"uscc\" FROM \"memberships\""
                                 "   WHERE \"chain\" = ?1 AND \"status\" = 'confirmed'))"
                                 " GROUP BY \"policy\", \"status\" ORDER BY \"policy\", \"status\"";

int overview_sql_awards(store *st, const char *chain, int year, void (*fn)(void *ctx, const overview_sql_award *r), void *ctx,
                        lz_err *err)
{
    sqlite3_stmt *s = prepare(st, awards_sql, chain, NULL, year, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        overview_sql_award r = {text(s, 0), text(s, 1), sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3)};
        fn(ctx, &r);
    }
    return store_read_finish(st, s, rc, err, "overview");
}
