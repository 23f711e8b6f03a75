/*
 * masters_sql — the masters' reads in portable SQL (see masters_sql.h), ?1 the chain and ?2 the
 * year. The candidates' statement gathers each confirmed member's highest role, its indicators of
 * the year and of the three before and its years above designated size, joining the four years as
 * one range of the (uscc, year) key instead of a join per year: the index seeks are the cost on a
 * chain of a hundred thousand members. The purchases' statement reads the year's links of the
 * members as customers; which supplier counts is decided by the caller, who holds the members.
 */
#include "store/masters_sql.h"

#include <string.h>

#include "store/store_impl.h"

#define CONFIRMED "\"status\" = 'confirmed'"
#define MEMBERS "SELECT DISTINCT \"uscc\" FROM \"memberships\" WHERE \"chain\" = ?1 AND " CONFIRMED
/* The figure of year ?2 - back from the candidate's indicator rows (NULL when none). */
#define OF_YEAR(col, back) "MAX(CASE WHEN i.\"year\" = ?2 - " #back " THEN i.\"" col "\" END)"

// clang-format off
static const char candidates_sql[] =
    "SELECT m.\"uscc\", e.\"name\", m.\"rank\", COALESCE(e.\"local\", 1) = 1, "
    OF_YEAR("revenue", 0) ", " OF_YEAR("tax_paid", 0) ", " OF_YEAR("output_value", 0) ", "
    OF_YEAR("rd_expense", 0) ", " OF_YEAR("employees", 0) ", " OF_YEAR("value_added", 0) ", "
    OF_YEAR("revenue", 1) ", " OF_YEAR("revenue", 2) ", " OF_YEAR("revenue", 3) ","
    " COUNT(CASE WHEN i.\"year\" >= ?2 - 2 AND i.\"above_scale\" = 1 THEN 1 END)"
    " FROM (SELECT \"uscc\", MIN(CASE \"role\" WHEN 'chain_master' THEN 0 WHEN 'reserve_master' THEN 1"
    "   WHEN 'backbone' THEN 2 ELSE 3 END) AS \"rank\" FROM \"memberships\""
    "   WHERE \"chain\" = ?1 AND " CONFIRMED " GROUP BY \"uscc\") m"
    " JOIN \"enterprises\" e ON e.\"uscc\" = m.\"uscc\""
    " LEFT JOIN \"indicators\" i ON i.\"uscc\" = m.\"uscc\" AND i.\"year\" BETWEEN ?2 - 3 AND ?2"
    " GROUP BY m.\"uscc\", e.\"name\", m.\"rank\", e.\"local\" ORDER BY m.\"uscc\"";

static const char purchases_sql[] =
    "SELECT l.\"customer\", l.\"supplier\", l.\"amount\" FROM (" MEMBERS ") m"
    " JOIN \"supply_links\" l ON l.\"customer\" = m.\"uscc\" AND +l.\"year\" = ?2";
// clang-format on

/* In the order of the candidates statement's CASE. */
static const char *const role_names[] = {"chain_master", "reserve_master", "backbone", "member"};

int masters_sql_role_rank(const char *role)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(role, role_names[i]) == 0)
            return i;
    return 3;
}

const char *masters_sql_role_name(int rank)
{
    return role_names[rank >= 0 && rank < 4 ? rank : 3];
}

static void fill(sql_stmt *s, masters_sql_candidate *r)
{
    const char *name = (const char *)sql_column_text(s, 1);
    r->uscc = (const char *)sql_column_text(s, 0);
    r->name = name ? name : "";
    r->role = masters_sql_role_name(sql_column_int(s, 2));
    r->local = sql_column_int(s, 3) != 0;
    for (int i = 0; i < MASTERS_SQL_FIGURES; i++) {
        r->known[i] = sql_column_type(s, 4 + i) != SQL_NULL;
        r->figure[i] = sql_column_int64(s, 4 + i);
    }
    r->above_scale_years = sql_column_int64(s, 4 + MASTERS_SQL_FIGURES);
}

/* Binds the chain and the year to sql's statement; NULL after an error. */
static sql_stmt *prepare(store *st, const char *sql, const char *chain, int year, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (s) {
        sql_bind_text(s, 1, chain, -1);
        sql_bind_int(s, 2, year);
    }
    return s;
}

int masters_sql_candidates(store *st, const char *chain, int year, int (*fn)(void *ctx, const masters_sql_candidate *r), void *ctx,
                           lz_err *err)
{
    sql_stmt *s = prepare(st, candidates_sql, chain, year, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc;
    masters_sql_candidate r;
    while ((rc = sql_step(s)) == SQL_ROW) {
        fill(s, &r);
        if (fn(ctx, &r) != 0)
            break;
    }
    return store_read_finish(st, s, rc, err, "masters");
}

int masters_sql_purchases(store *st, const char *chain, int year, int (*fn)(void *ctx, const masters_sql_purchase *r), void *ctx,
                          lz_err *err)
{
    sql_stmt *s = prepare(st, purchases_sql, chain, year, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        masters_sql_purchase r = {(const char *)sql_column_text(s, 0), (const char *)sql_column_text(s, 1), sql_column_int64(s, 2)};
        if (fn(ctx, &r) != 0)
            break;
    }
    return store_read_finish(st, s, rc, err, "masters");
}
