/*
 * recommend_sql — the recommendations' reads in portable SQL (see recommend_sql.h). ?1 is always
 * the chain, named plainly so that the reads go through the chain's index; ?2 is the year or the
 * date.
 */
#include "store/recommend_sql.h"

#include "store/store_impl.h"

/* Text of column i, "" for NULL: borrowed from the statement. */
static const char *text(sql_stmt *s, int i)
{
    const char *t = (const char *)sql_column_text(s, i);
    return t ? t : "";
}

/* Prepares sql with ?1 = chain; NULL after filling err. */
static sql_stmt *prepare(store *st, const char *sql, const char *chain, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (s)
        sql_bind_text(s, 1, chain, -1);
    return s;
}

/* A customer with several memberships in the chain buys once, under its highest role. */
static const char purchases_sql[] =
    "SELECT l.\"supplier\", s.\"name\", l.\"customer\", c.\"name\","
    " CASE m.\"master\" WHEN 1 THEN 'chain_master' ELSE 'backbone' END, l.\"amount\""
    " FROM (SELECT \"uscc\", MAX(CASE WHEN \"role\" = 'chain_master' THEN 1 ELSE 0 END) AS \"master\" FROM \"memberships\""
    " WHERE \"chain\" = ?1 AND \"status\" = 'confirmed' AND \"role\" IN ('chain_master', 'backbone') GROUP BY \"uscc\") m"
    " JOIN \"enterprises\" c ON c.\"uscc\" = m.\"uscc\" AND COALESCE(c.\"local\", 1) = 1"
    " JOIN \"supply_links\" l ON l.\"customer\" = m.\"uscc\" AND l.\"year\" = ?2"
    " JOIN \"enterprises\" s ON s.\"uscc\" = l.\"supplier\" AND COALESCE(s.\"local\", 1) = 0"
    " ORDER BY l.\"supplier\", l.\"customer\"";

int recommend_sql_purchases(store *st, const char *chain, int year, int (*fn)(void *ctx, const recommend_sql_purchase *r),
                            void *ctx, lz_err *err)
{
    sql_stmt *s = prepare(st, purchases_sql, chain, err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 2, year);
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        recommend_sql_purchase r = {text(s, 0), text(s, 1), text(s, 2), text(s, 3), text(s, 4), sql_column_int64(s, 5)};
        if (fn(ctx, &r) != 0)
            break;
    }
    return store_read_finish(st, s, rc, err, "recommendations");
}

static const char stale_sql[] = "SELECT \"id\", \"name\", \"segment\", \"stage\", \"owner\", \"updated\" FROM \"targets\""
                                " WHERE \"chain\" = ?1 AND \"stage\" NOT IN ('landed', 'lost')"
                                " AND \"updated\" IS NOT NULL AND \"updated\" < ?2 ORDER BY \"updated\", \"id\"";

int recommend_sql_stale_targets(store *st, const char *chain, const char *before,
                                int (*fn)(void *ctx, const recommend_sql_target *r), void *ctx, lz_err *err)
{
    sql_stmt *s = prepare(st, stale_sql, chain, err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 2, before, -1);
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        recommend_sql_target r = {text(s, 0), text(s, 1), text(s, 2), text(s, 3), text(s, 4), text(s, 5)};
        if (fn(ctx, &r) != 0)
            break;
    }
    return store_read_finish(st, s, rc, err, "recommendations");
}
