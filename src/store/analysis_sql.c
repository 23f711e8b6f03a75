/*
 * analysis_sql — the analyses' reads in portable SQL (see analysis_sql.h). Each query binds its
 * parameters by number (?1 the chain, ?2 the year), and one runner steps it and hands each row to
 * a converter that fills the query's struct and calls the caller back. The reads of one chain
 * name it plainly (no "OR ?1 IS NULL"), so that they go through the chain's index.
 */
#include "store/analysis_sql.h"

#include <string.h>

#include "store/indicator_packs.h"
#include "store/store_impl.h"

#define CONFIRMED "\"status\" = 'confirmed'"

/* Text of column i, "" for NULL: borrowed from the statement. */
static const char *text(sql_stmt *s, int i)
{
    const char *t = (const char *)sql_column_text(s, i);
    return t ? t : "";
}

static bool known(sql_stmt *s, int i)
{
    return sql_column_type(s, i) != SQL_NULL;
}

/* Fills the query's struct from the current row and calls the caller's callback. */
typedef void (*any_fn)(void);
typedef int (*row_fn)(sql_stmt *s, any_fn fn, void *ctx);

/* Steps s (bound, NULL after an error in preparing it) to its end or a callback's stop, one
 * row_fn per row. */
static int step_rows(store *st, sql_stmt *s, row_fn convert, any_fn fn, void *ctx, lz_err *err)
{
    if (!s)
        return LZ_EINTERNAL;
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW)
        if (convert(s, fn, ctx) != 0)
            break;
    return store_read_finish(st, s, rc, err, "analysis");
}

/* Runs sql with ?1 = chain (NULL binds NULL) and ?2 = year, one row_fn per row. */
static int each_row(store *st, const char *sql, const char *chain, int year, row_fn convert, any_fn fn, void *ctx, lz_err *err)
{
    sql_stmt *s = store_prepare_scan(st, sql, err);
    if (s && chain)
        sql_bind_text(s, 1, chain, -1);
    if (s && sql_bind_parameter_count(s) >= 2)
        sql_bind_int(s, 2, year);
    return step_rows(st, s, convert, fn, ctx, err);
}

/* A statement reading a part of a table (store_impl.h's parts) in both databases' texts. */
#define PART_STATEMENTS(name, sql)                                                                                                 \
    static const char name##_sqlite[] = sql STORE_PART_SQLITE;                                                                     \
    static const char name##_postgres[] = sql STORE_PART_POSTGRES

/* Runs a part statement (PART_STATEMENTS: SQLite's or PostgreSQL's text) with ?2 = year on the
 * rows stored in [lo, hi], one row_fn per row. */
static int each_part_row(store *st, const char *sqlite_sql, const char *postgres_sql, int year, int64_t lo, int64_t hi,
                         row_fn convert, any_fn fn, void *ctx, lz_err *err)
{
    sql_stmt *s = store_prepare_scan(st, store_is_postgres(st) ? postgres_sql : sqlite_sql, err);
    if (s) {
        sql_bind_int(s, 2, year);
        store_bind_part(st, s, lo, hi);
    }
    return step_rows(st, s, convert, fn, ctx, err);
}

/* ---- chains and segments ------------------------------------------------------------------ */

static const char chains_sql[] = "SELECT \"code\", \"name\", \"cluster\" FROM \"chains\" WHERE \"code\" = ?1 OR ?1 IS NULL"
                                 " ORDER BY \"code\"";

static int chain_row(sql_stmt *s, any_fn fn, void *ctx)
{
    analysis_sql_chain r = {text(s, 0), text(s, 1), text(s, 2)};
    return ((int (*)(void *, const analysis_sql_chain *))fn)(ctx, &r);
}

int analysis_sql_chains(store *st, const char *chain, int (*fn)(void *ctx, const analysis_sql_chain *r), void *ctx, lz_err *err)
{
    return each_row(st, chains_sql, chain, 0, chain_row, (any_fn)fn, ctx, err);
}

static const char segments_sql[] = "SELECT \"chain\", \"code\", \"name\", \"stage\", \"feeds\" FROM \"segments\""
                                   " WHERE \"chain\" = ?1 ORDER BY \"code\"";

static int segment_row(sql_stmt *s, any_fn fn, void *ctx)
{
    analysis_sql_segment r = {text(s, 0), text(s, 1), text(s, 2), text(s, 3), text(s, 4)};
    return ((int (*)(void *, const analysis_sql_segment *))fn)(ctx, &r);
}

int analysis_sql_segments(store *st, const char *chain, int (*fn)(void *ctx, const analysis_sql_segment *r), void *ctx, lz_err *err)
{
    return each_row(st, segments_sql, chain, 0, segment_row, (any_fn)fn, ctx, err);
}

/* ---- members and purchases ---------------------------------------------------------------- */

static const char members_sql[] = "SELECT m.\"chain\", m.\"segment\", m.\"uscc\", m.\"role\", e.\"name\", e.\"division\","
                                  " COALESCE(e.\"local\", 1) = 1, i.\"output_value\""
                                  " FROM \"memberships\" m JOIN \"enterprises\" e ON e.\"uscc\" = m.\"uscc\""
                                  " LEFT JOIN \"indicators\" i ON i.\"uscc\" = m.\"uscc\" AND i.\"year\" = ?2"
                                  " WHERE m.\"chain\" = ?1 AND m." CONFIRMED " ORDER BY m.\"segment\", m.\"uscc\"";

static int member_row(sql_stmt *s, any_fn fn, void *ctx)
{
    analysis_sql_member r = {.chain = text(s, 0),
                             .segment = text(s, 1),
                             .uscc = text(s, 2),
                             .role = text(s, 3),
                             .name = text(s, 4),
                             .division = text(s, 5),
                             .local = sql_column_int(s, 6) != 0,
                             .output_known = known(s, 7),
                             .output_fen = sql_column_int64(s, 7),
                             .id = -1};
    return ((int (*)(void *, const analysis_sql_member *))fn)(ctx, &r);
}

int analysis_sql_members(store *st, const char *chain, int year, int (*fn)(void *ctx, const analysis_sql_member *r), void *ctx,
                         lz_err *err)
{
    return each_row(st, members_sql, chain, year, member_row, (any_fn)fn, ctx, err);
}

/* A customer with two memberships in one chain buys once: the chain's customers are distinct. */
static const char purchases_sql[] =
    "SELECT m.\"chain\", l.\"supplier\", l.\"customer\", l.\"amount\", COALESCE(s.\"local\", 1) = 1"
    " FROM (SELECT DISTINCT \"chain\", \"uscc\" FROM \"memberships\" WHERE \"chain\" = ?1 AND " CONFIRMED ") m"
    " JOIN \"enterprises\" c ON c.\"uscc\" = m.\"uscc\" AND COALESCE(c.\"local\", 1) = 1"
    " JOIN \"supply_links\" l ON l.\"customer\" = m.\"uscc\" AND l.\"year\" = ?2"
    " JOIN \"enterprises\" s ON s.\"uscc\" = l.\"supplier\" ORDER BY l.\"supplier\", l.\"customer\"";

static int purchase_row(sql_stmt *s, any_fn fn, void *ctx)
{
    analysis_sql_purchase r = {text(s, 0), text(s, 1), text(s, 2), sql_column_int64(s, 3), sql_column_int(s, 4) != 0, -1, -1};
    return ((int (*)(void *, const analysis_sql_purchase *))fn)(ctx, &r);
}

int analysis_sql_purchases(store *st, const char *chain, int year, int (*fn)(void *ctx, const analysis_sql_purchase *r), void *ctx,
                           lz_err *err)
{
    return each_row(st, purchases_sql, chain, year, purchase_row, (any_fn)fn, ctx, err);
}

/* ---- projects ------------------------------------------------------------------------------ */

static const char projects_sql[] = "SELECT \"id\", \"name\", \"chain\", \"division\", \"stage\", \"start_date\","
                                   " \"planned_completion\" FROM \"projects\" ORDER BY \"id\"";

static int project_row(sql_stmt *s, any_fn fn, void *ctx)
{
    analysis_sql_project r = {text(s, 0), text(s, 1), text(s, 2), text(s, 3), text(s, 4), text(s, 5), text(s, 6)};
    return ((int (*)(void *, const analysis_sql_project *))fn)(ctx, &r);
}

int analysis_sql_projects(store *st, int (*fn)(void *ctx, const analysis_sql_project *r), void *ctx, lz_err *err)
{
    return each_row(st, projects_sql, NULL, 0, project_row, (any_fn)fn, ctx, err);
}

/* ---- clusters ------------------------------------------------------------------------------ */

static const char clusters_sql[] = "SELECT \"code\", \"name\", \"target_output_2025\" FROM \"clusters\" ORDER BY \"code\"";

static int cluster_row(sql_stmt *s, any_fn fn, void *ctx)
{
    analysis_sql_cluster r = {text(s, 0), text(s, 1), known(s, 2), sql_column_int64(s, 2)};
    return ((int (*)(void *, const analysis_sql_cluster *))fn)(ctx, &r);
}

int analysis_sql_clusters(store *st, int (*fn)(void *ctx, const analysis_sql_cluster *r), void *ctx, lz_err *err)
{
    return each_row(st, clusters_sql, NULL, 0, cluster_row, (any_fn)fn, ctx, err);
}

/* ---- the whole city, by sequential scans ------------------------------------------------ */

/* These read whole tables in storage order: a million rows scanned cost a fraction of a million
 * lookups through an index (the year's indicators: 0.6 s against 5 s of CPU on the reference
 * set), and the caller joins them in memory. "+" keeps the year's index out of the plan. */

static const char enterprises_sql[] = "SELECT \"uscc\", \"name\", \"division\", COALESCE(\"local\", 1) = 1 FROM \"enterprises\"";
static const char enterprises_unnamed_sql[] = "SELECT \"uscc\", '', '', COALESCE(\"local\", 1) = 1 FROM \"enterprises\"";

static int enterprise_row(sql_stmt *s, any_fn fn, void *ctx)
{
    analysis_sql_enterprise r = {text(s, 0), text(s, 1), text(s, 2), sql_column_int(s, 3) != 0};
    return ((int (*)(void *, const analysis_sql_enterprise *))fn)(ctx, &r);
}

int analysis_sql_enterprises(store *st, bool with_names, int (*fn)(void *ctx, const analysis_sql_enterprise *r), void *ctx,
                             lz_err *err)
{
    return each_row(st, with_names ? enterprises_sql : enterprises_unnamed_sql, NULL, 0, enterprise_row, (any_fn)fn, ctx, err);
}

static const char memberships_sql[] = "SELECT \"chain\", \"segment\", \"uscc\", \"role\" FROM \"memberships\" WHERE " CONFIRMED;

static int membership_row(sql_stmt *s, any_fn fn, void *ctx)
{
    analysis_sql_membership r = {text(s, 0), text(s, 1), text(s, 2), text(s, 3)};
    return ((int (*)(void *, const analysis_sql_membership *))fn)(ctx, &r);
}

int analysis_sql_memberships(store *st, int (*fn)(void *ctx, const analysis_sql_membership *r), void *ctx, lz_err *err)
{
    return each_row(st, memberships_sql, NULL, 0, membership_row, (any_fn)fn, ctx, err);
}

PART_STATEMENTS(indicators, "SELECT \"uscc\", \"year\", \"output_value\", COALESCE(\"above_scale\", 0) FROM \"indicators\""
                            " WHERE +\"year\" BETWEEN ?2 - 1 AND ?2");

static int indicator_row(sql_stmt *s, any_fn fn, void *ctx)
{
    analysis_sql_indicator r = {text(s, 0), sql_column_int(s, 1), known(s, 2), sql_column_int64(s, 2), sql_column_int(s, 3) != 0};
    return ((int (*)(void *, const analysis_sql_indicator *))fn)(ctx, &r);
}

/* No "+" here: the year's index holds all that is asked. */
static const char outputs_sql[] = "SELECT \"uscc\", \"year\", \"output_value\", 0 FROM \"indicators\" WHERE \"year\" = ?2";

int analysis_sql_outputs(store *st, int year, int (*fn)(void *ctx, const analysis_sql_indicator *r), void *ctx, lz_err *err)
{
    return each_row(st, outputs_sql, NULL, year, indicator_row, (any_fn)fn, ctx, err);
}

PART_STATEMENTS(figures,
                "SELECT \"uscc\", \"year\", \"revenue\", \"tax_paid\", \"output_value\", \"rd_expense\", \"employees\","
                " \"value_added\", COALESCE(\"above_scale\", 0) FROM \"indicators\" WHERE +\"year\" BETWEEN ?2 - 3 AND ?2");

/* Column i as an integer into *v, and whether it is known (not NULL). A NULL reads as 0, so only
 * a 0 needs its type asked: over millions of figures, one call each instead of two. */
static bool figure(sql_stmt *s, int i, int64_t *v)
{
    *v = sql_column_int64(s, i);
    return *v != 0 || known(s, i);
}

/* The caller of a piece and what it asked for. */
typedef struct piece_call {
    int year;
    any_fn fn;
    void *ctx;
} piece_call;

/* The figures a row hands over: every one of the year; of the years before, revenue and output
 * alone. */
static bool handed(const piece_call *call, int year, int figure)
{
    return year == call->year || figure == MSF_REVENUE || figure == MSF_OUTPUT;
}

static int hand_yearly(const piece_call *call, const analysis_sql_yearly *r)
{
    return ((int (*)(void *, const analysis_sql_yearly *))call->fn)(call->ctx, r);
}

static int yearly_row(sql_stmt *s, any_fn unused, void *ctx)
{
    (void)unused;
    analysis_sql_yearly r = {.uscc = text(s, 0), .year = sql_column_int(s, 1), .above_scale = sql_column_int(s, 8) != 0};
    for (int i = 0; i < ANALYSIS_SQL_YEAR_FIGURES; i++)
        if (handed(ctx, r.year, i))
            r.known[i] = figure(s, 2 + i, &r.fen[i]);
    return hand_yearly(ctx, &r);
}

/* A packed row as the table's part would give it. */
static int packed_yearly(void *ctx, const analysis_sql_yearly *r)
{
    analysis_sql_yearly kept = {.uscc = r->uscc, .year = r->year, .above_scale = r->above_scale};
    for (int i = 0; i < ANALYSIS_SQL_YEAR_FIGURES; i++)
        if (handed(ctx, r->year, i)) {
            kept.known[i] = r->known[i];
            kept.fen[i] = r->fen[i];
        }
    return hand_yearly(ctx, &kept);
}

static int packed_indicator(void *ctx, const analysis_sql_yearly *r)
{
    const piece_call *call = ctx;
    analysis_sql_indicator ind = {r->uscc, r->year, r->known[MSF_OUTPUT], r->fen[MSF_OUTPUT], r->above_scale};
    return ((int (*)(void *, const analysis_sql_indicator *))call->fn)(call->ctx, &ind);
}

int analysis_sql_plan_pieces(store *st, int year, int back, analysis_sql_plan *plan, lz_err *err)
{
    *plan = (analysis_sql_plan){.year = year, .back = back};
    int rc = indicator_packs_parts(st, year - back, year, plan->parts, &plan->packed, err);
    return rc == 0 && !plan->packed ? store_table_extent(st, "indicators", &plan->last, err) : rc;
}

/* Piece k of n of the plan's packs: the k-th n-th of them all, counted across the years. */
static int packed_piece(store *st, const analysis_sql_plan *plan, int k, int n, int (*fn)(void *, const analysis_sql_yearly *),
                        void *ctx, lz_err *err)
{
    int64_t total = 0;
    for (int i = 0; i <= plan->back; i++)
        total += plan->parts[i];
    int64_t lo = total * k / n, hi = total * (k + 1) / n; /* [lo, hi) */
    int rc = 0;
    for (int i = 0, first = 0; rc == 0 && i <= plan->back; first += plan->parts[i++]) {
        int64_t from = lo > first ? lo : first, to = hi < first + plan->parts[i] ? hi : first + plan->parts[i];
        if (from < to)
            rc = indicator_packs_read(st, plan->year - plan->back + i, (int)(from - first), (int)(to - first - 1), fn, ctx, err);
    }
    return rc;
}

/* Piece k of n of the table: the rows stored in the k-th n-th of its storage order. */
static int table_piece(store *st, const analysis_sql_plan *plan, int k, int n, const char *sqlite_sql, const char *postgres_sql,
                       row_fn convert, any_fn fn, void *ctx, lz_err *err)
{
    int64_t span = plan->last / n + 1;
    return each_part_row(st, sqlite_sql, postgres_sql, plan->year, k * span, (k + 1) * span - 1, convert, fn, ctx, err);
}

int analysis_sql_indicators_piece(store *st, const analysis_sql_plan *plan, int k, int n,
                                  int (*fn)(void *ctx, const analysis_sql_indicator *r), void *ctx, lz_err *err)
{
    piece_call call = {plan->year, (any_fn)fn, ctx};
    return plan->packed ? packed_piece(st, plan, k, n, packed_indicator, &call, err)
                        : table_piece(st, plan, k, n, indicators_sqlite, indicators_postgres, indicator_row, (any_fn)fn, ctx, err);
}

int analysis_sql_figures_piece(store *st, const analysis_sql_plan *plan, int k, int n,
                               int (*fn)(void *ctx, const analysis_sql_yearly *r), void *ctx, lz_err *err)
{
    piece_call call = {plan->year, (any_fn)fn, ctx};
    return plan->packed ? packed_piece(st, plan, k, n, packed_yearly, &call, err)
                        : table_piece(st, plan, k, n, figures_sqlite, figures_postgres, yearly_row, NULL, &call, err);
}

static const char links_sql[] = "SELECT \"supplier\", \"customer\", \"amount\" FROM \"supply_links\" WHERE +\"year\" = ?2";

static int link_row(sql_stmt *s, any_fn fn, void *ctx)
{
    analysis_sql_link r = {text(s, 0), text(s, 1), sql_column_int64(s, 2)};
    return ((int (*)(void *, const analysis_sql_link *))fn)(ctx, &r);
}

int analysis_sql_links(store *st, int year, int (*fn)(void *ctx, const analysis_sql_link *r), void *ctx, lz_err *err)
{
    return each_row(st, links_sql, NULL, year, link_row, (any_fn)fn, ctx, err);
}
