/*
 * masters_sql — the masters' read in portable SQL (see masters_sql.h): one statement, ?1 the
 * chain and ?2 the year, that gathers each confirmed member's highest role, its indicators of the
 * year and of the three before, its years above designated size and its local purchases. Joining
 * the four years as one range instead of a join per year halves the index seeks, which are the
 * cost on a chain of a hundred thousand members.
 */
#include "store/masters_sql.h"

#include "store/store_impl.h"

#define CONFIRMED "\"status\" = 'confirmed'"
/* The figure of year ?2 - back from the candidate's indicator rows (NULL when none). */
#define OF_YEAR(col, back) "MAX(CASE WHEN i.\"year\" = ?2 - " #back " THEN i.\"" col "\" END)"

/* The candidates with their indicators of the four years read by one range of the (uscc, year)
 * key each, in the order of masters_sql_figure; the purchases per candidate around them. */
static const char candidates_sql[] =
    "SELECT g.*, (SELECT COALESCE(SUM(l.\"amount\"), 0) FROM \"supply_links\" l"
    "   JOIN \"enterprises\" s ON s.\"uscc\" = l.\"supplier\" AND COALESCE(s.\"local\", 1) = 1"
    "   WHERE l.\"customer\" = g.\"uscc\" AND +l.\"year\" = ?2 AND EXISTS (SELECT 1 FROM \"memberships\" x"
    "     WHERE x.\"chain\" = ?1 AND x.\"uscc\" = l.\"supplier\" AND x." CONFIRMED "))"
    " FROM (SELECT m.\"uscc\" AS \"uscc\", e.\"name\", m.\"rank\", COALESCE(e.\"local\", 1) = 1, " OF_YEAR(
        "revenue",
        0) ","
           "   " OF_YEAR("tax_paid", 0) ", " OF_YEAR("output_value", 0) ", " OF_YEAR("rd_expense", 0) ", " OF_YEAR(
               "employees",
               0) ","
                  "   " OF_YEAR("value_added", 0) ", " OF_YEAR("revenue", 1) ", " OF_YEAR("revenue", 2) ", " OF_YEAR(
                      "revenue",
                      3) ","
                         "   COUNT(CASE WHEN i.\"year\" >= ?2 - 2 AND i.\"above_scale\" = 1 THEN 1 END)"
                         "  FROM (SELECT \"uscc\", MIN(CASE \"role\" WHEN 'chain_master' THEN 0 WHEN 'reserve_master' THEN 1"
                         "    WHEN 'backbone' THEN 2 ELSE 3 END) AS \"rank\" FROM \"memberships\""
                         "    WHERE \"chain\" = ?1 AND " CONFIRMED " GROUP BY \"uscc\") m"
                         "  JOIN \"enterprises\" e ON e.\"uscc\" = m.\"uscc\""
                         "  LEFT JOIN \"indicators\" i ON i.\"uscc\" = m.\"uscc\" AND i.\"year\" BETWEEN ?2 - 3 AND ?2"
                         "  GROUP BY m.\"uscc\") g"
                         " ORDER BY g.\"uscc\"";

static const char *const role_names[] = {"chain_master", "reserve_master", "backbone", "member"};

static void fill(sqlite3_stmt *s, masters_sql_candidate *r)
{
    const char *name = (const char *)sqlite3_column_text(s, 1);
    int rank = sqlite3_column_int(s, 2);
    r->uscc = (const char *)sqlite3_column_text(s, 0);
    r->name = name ? name : "";
    r->role = role_names[rank >= 0 && rank < 4 ? rank : 3];
    r->local = sqlite3_column_int(s, 3) != 0;
    for (int i = 0; i < MASTERS_SQL_FIGURES; i++) {
        r->known[i] = sqlite3_column_type(s, 4 + i) != SQLITE_NULL;
        r->figure[i] = sqlite3_column_int64(s, 4 + i);
    }
    r->above_scale_years = sqlite3_column_int64(s, 4 + MASTERS_SQL_FIGURES);
    r->local_purchases = sqlite3_column_int64(s, 5 + MASTERS_SQL_FIGURES);
}

int masters_sql_candidates(store *st, const char *chain, int year, int (*fn)(void *ctx, const masters_sql_candidate *r), void *ctx,
                           lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st, candidates_sql, err);
    if (!s)
        return LZ_EINTERNAL;
    sqlite3_bind_text(s, 1, chain, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, year);
    int rc;
    masters_sql_candidate r;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        fill(s, &r);
        if (fn(ctx, &r) != 0)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_sql_error(st, err, "masters");
    return 0;
}
