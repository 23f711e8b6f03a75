/*
 * masters_sql — the masters' reads in portable SQL (see masters_sql.h), ?1 the chain and ?2 the
 * year. The candidates' statement gives each confirmed member's highest role with its indicators
 * of the year and of the three before, one row per year, joining the four years as one range of
 * the (uscc, year) key instead of a join per year: the index seeks are the cost on a chain of a
 * hundred thousand members. The rows are added up per member here, not by a GROUP BY: sorting
 * them for it cost the database twice the seeks. The purchases' statement reads the year's links
 * of the members as customers; which supplier counts is decided by the caller, who holds the
 * members.
 */
#include "store/masters_sql.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/strmap.h"
#include "store/store_impl.h"

#define CONFIRMED "\"status\" = 'confirmed'"
/* ?3: the part (masters_sql_part); the first half has a check digit below 5. */
#define IN_PART "(?3 = 0 OR (substr(\"uscc\", 17, 1) < '5') = (?3 = 1))"
#define MEMBERS "SELECT DISTINCT \"uscc\" FROM \"memberships\" WHERE \"chain\" = ?1 AND " CONFIRMED " AND " IN_PART

// clang-format off
static const char candidates_sql[] =
    "SELECT m.\"uscc\", e.\"name\", m.\"rank\", COALESCE(e.\"local\", 1) = 1, i.\"year\", i.\"revenue\", i.\"tax_paid\","
    " i.\"output_value\", i.\"rd_expense\", i.\"employees\", i.\"value_added\", COALESCE(i.\"above_scale\", 0) = 1"
    " FROM (SELECT \"uscc\", MIN(CASE \"role\" WHEN 'chain_master' THEN 0 WHEN 'reserve_master' THEN 1"
    "   WHEN 'backbone' THEN 2 ELSE 3 END) AS \"rank\" FROM \"memberships\""
    "   WHERE \"chain\" = ?1 AND " CONFIRMED " AND " IN_PART " GROUP BY \"uscc\") m"
    " JOIN \"enterprises\" e ON e.\"uscc\" = m.\"uscc\""
    " LEFT JOIN \"indicators\" i ON i.\"uscc\" = m.\"uscc\" AND i.\"year\" BETWEEN ?2 - 3 AND ?2";

static const char purchases_sql[] =
    "SELECT l.\"customer\", l.\"supplier\", l.\"amount\" FROM (" MEMBERS ") m"
    " JOIN \"supply_links\" l ON l.\"customer\" = m.\"uscc\" AND +l.\"year\" = ?2";
// clang-format on

/* The candidates' statement's columns. */
enum { C_USCC, C_NAME, C_RANK, C_LOCAL, C_YEAR, C_FIGURES, C_ABOVE_SCALE = C_FIGURES + MSF_REVENUE_1 };

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

void masters_sql_add_year(masters_sql_figures *f, int back, const bool *known, const int64_t *fen, bool above_scale)
{
    if (back == 0) {
        memcpy(f->known, known, MSF_REVENUE_1 * sizeof *known);
        memcpy(f->figure, fen, MSF_REVENUE_1 * sizeof *fen);
    } else if (back <= 3) {
        f->known[MSF_REVENUE_1 + back - 1] = known[MSF_REVENUE];
        f->figure[MSF_REVENUE_1 + back - 1] = fen[MSF_REVENUE];
    }
    if (back >= 0 && back <= 2)
        f->above_scale[back] = above_scale;
}

int masters_sql_above_scale_years(const masters_sql_figures *f)
{
    return f->above_scale[0] + f->above_scale[1] + f->above_scale[2];
}

/* The candidates as gathered from the statement's rows: one per member, in the order first seen,
 * its texts copied into the arena. */
typedef struct gathered {
    arena a;
    masters_sql_candidate *c;
    size_t n, cap;
    strmap index; /* USCC -> its candidate */
} gathered;

static masters_sql_candidate *candidate_of_row(gathered *g, sql_stmt *s)
{
    const char *uscc = (const char *)sql_column_text(s, C_USCC), *name = (const char *)sql_column_text(s, C_NAME);
    size_t len = strlen(uscc);
    int32_t i = g->n && strcmp(g->c[g->n - 1].uscc, uscc) == 0 ? (int32_t)g->n - 1 : strmap_get(&g->index, uscc, len);
    if (i >= 0)
        return &g->c[i];
    g->c = xgrow(g->c, g->n, &g->cap, sizeof *g->c);
    masters_sql_candidate *c = &g->c[g->n];
    *c = (masters_sql_candidate){.uscc = arena_strndup(&g->a, uscc, len),
                                 .name = name ? arena_strdup(&g->a, name) : "",
                                 .role = sql_column_int(s, C_RANK),
                                 .local = sql_column_int(s, C_LOCAL) != 0,
                                 .id = -1};
    strmap_put(&g->index, c->uscc, len, (int32_t)g->n++);
    return c;
}

/* Adds a row's year of indicators (none when the member has no indicators in the four years). */
static void add_row(gathered *g, sql_stmt *s, int year)
{
    masters_sql_candidate *c = candidate_of_row(g, s);
    if (sql_column_type(s, C_YEAR) == SQL_NULL)
        return;
    bool known[MSF_REVENUE_1];
    int64_t fen[MSF_REVENUE_1];
    for (int i = 0; i < MSF_REVENUE_1; i++) {
        known[i] = sql_column_type(s, C_FIGURES + i) != SQL_NULL;
        fen[i] = sql_column_int64(s, C_FIGURES + i);
    }
    masters_sql_add_year(&c->f, year - sql_column_int(s, C_YEAR), known, fen, sql_column_int(s, C_ABOVE_SCALE) != 0);
}

/* Binds the chain, the year and the part to sql's statement; NULL after an error. */
static sql_stmt *prepare(store *st, const char *sql, const char *chain, int year, masters_sql_part part, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (s) {
        sql_bind_text(s, 1, chain, -1);
        sql_bind_int(s, 2, year);
        sql_bind_int(s, 3, (int)part);
    }
    return s;
}

int masters_sql_candidates(store *st, const char *chain, int year, masters_sql_part part,
                           int (*fn)(void *ctx, const masters_sql_candidate *r), void *ctx, lz_err *err)
{
    sql_stmt *s = prepare(st, candidates_sql, chain, year, part, err);
    if (!s)
        return LZ_EINTERNAL;
    gathered g = {0};
    arena_init(&g.a, 1 << 16);
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW)
        add_row(&g, s, year);
    rc = store_read_finish(st, s, rc, err, "masters");
    for (size_t i = 0; rc == 0 && i < g.n; i++)
        if (fn(ctx, &g.c[i]) != 0)
            break;
    free(g.c);
    strmap_free(&g.index);
    arena_free(&g.a);
    return rc;
}

int masters_sql_purchases(store *st, const char *chain, int year, masters_sql_part part,
                          int (*fn)(void *ctx, const masters_sql_purchase *r), void *ctx, lz_err *err)
{
    sql_stmt *s = prepare(st, purchases_sql, chain, year, part, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        masters_sql_purchase r = {(const char *)sql_column_text(s, 0), (const char *)sql_column_text(s, 1), sql_column_int64(s, 2),
                                  -1, -1};
        if (fn(ctx, &r) != 0)
            break;
    }
    return store_read_finish(st, s, rc, err, "masters");
}
