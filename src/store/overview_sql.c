/*
 * overview_sql — the overview's aggregate reads in portable SQL (see overview_sql.h). Parameters
 * are bound by number: ?1 the chain (NULL: every chain), ?2 the date or the year.
 */
#include "store/overview_sql.h"

#include "store/store_impl.h"

#define LIVE_APPEAL "\"status\" IN ('open', 'accepted', 'in_progress', 'escalated')"
#define CLOSED_APPEAL "\"status\" IN ('resolved', 'closed')"

static const char *text(sql_stmt *s, int i)
{
    const char *t = (const char *)sql_column_text(s, i);
    return t ? t : "";
}

/* Prepares sql with ?1 = chain (when the statement has it; NULL binds NULL) and ?2 = text or int. */
static sql_stmt *prepare(store *st, const char *sql, const char *chain, const char *text2, int int2, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return NULL;
    if (chain)
        sql_bind_text(s, 1, chain, -1);
    if (text2)
        sql_bind_text(s, 2, text2, -1);
    else if (sql_bind_parameter_count(s) >= 2)
        sql_bind_int(s, 2, int2);
    return s;
}

static const char targets_sql[] = "SELECT \"stage\", count(*), coalesce(sum(\"expected_investment\"), 0) FROM \"targets\""
                                  " WHERE \"chain\" = ?1 OR ?1 IS NULL GROUP BY \"stage\" ORDER BY \"stage\"";

int overview_sql_targets(store *st, const char *chain, void (*fn)(void *ctx, const overview_sql_stage *r), void *ctx, lz_err *err)
{
    sql_stmt *s = prepare(st, targets_sql, chain, NULL, 0, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        overview_sql_stage r = {text(s, 0), sql_column_int64(s, 1), sql_column_int64(s, 2)};
        fn(ctx, &r);
    }
    return store_read_finish(st, s, rc, err, "overview");
}

static const char appeals_sql[] =
    "SELECT count(CASE WHEN " LIVE_APPEAL " THEN 1 END),"
    " count(CASE WHEN " LIVE_APPEAL " AND \"due\" IS NOT NULL AND \"due\" < ?2 THEN 1 END),"
    " count(CASE WHEN " CLOSED_APPEAL " AND (\"due\" IS NULL OR \"resolved\" IS NULL OR \"resolved\" <= \"due\") THEN 1 END),"
    " count(CASE WHEN " CLOSED_APPEAL " AND \"due\" IS NOT NULL AND \"resolved\" > \"due\" THEN 1 END),"
    " count(r.\"rating\"), coalesce(sum(r.\"rating\"), 0)"
    " FROM \"appeals\" a LEFT JOIN \"appeal_ratings\" r ON r.\"appeal\" = a.\"id\" WHERE a.\"chain\" = ?1 OR ?1 IS NULL";

int overview_sql_appeals_on(store *st, const char *chain, const char *date, overview_sql_appeals *out, lz_err *err)
{
    sql_stmt *s = prepare(st, appeals_sql, chain, date, 0, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sql_step(s);
    if (rc == SQL_ROW)
        *out = (overview_sql_appeals){sql_column_int64(s, 0), sql_column_int64(s, 1), sql_column_int64(s, 2),
                                      sql_column_int64(s, 3), sql_column_int64(s, 4), sql_column_int64(s, 5)};
    return store_read_finish(st, s, rc, err, "overview");
}

/* The ledger has no chain: a chain's awards are those of its confirmed members (an enterprise on
 * two chains counts in both). */
static const char awards_sql[] =
    "SELECT \"policy\", \"status\", count(*), coalesce(sum(\"amount\"), 0) FROM \"awards\""
    " WHERE \"year\" = ?2 AND (CAST(?1 AS TEXT) IS NULL OR \"uscc\" IN (SELECT \"uscc\" FROM \"memberships\""
    "   WHERE \"chain\" = ?1 AND \"status\" = 'confirmed'))"
    " GROUP BY \"policy\", \"status\" ORDER BY \"policy\", \"status\"";

int overview_sql_awards(store *st, const char *chain, int year, void (*fn)(void *ctx, const overview_sql_award *r), void *ctx,
                        lz_err *err)
{
    sql_stmt *s = prepare(st, awards_sql, chain, NULL, year, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        overview_sql_award r = {text(s, 0), text(s, 1), sql_column_int64(s, 2), sql_column_int64(s, 3)};
        fn(ctx, &r);
    }
    return store_read_finish(st, s, rc, err, "overview");
}
