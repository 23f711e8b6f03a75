/*
 * analysis_sql — the reads behind the chain leader's analyses (src/analysis/): chains and their
 * segments, the confirmed members of a chain with their output of a year, the purchases of a
 * chain's local members, the key projects, the clusters, and the whole city's enterprises,
 * memberships, indicators and supply links for the analyses of every chain at once.
 *
 * Every query is a plain read: nothing is written. Rows come one at a time to a callback as a
 * struct of the query's figures; the strings in it are borrowed from the driver and die when the
 * callback returns (copy what you keep). A callback returns non-zero to stop early (not an
 * error). Money is integer fen; "known" flags tell an empty cell from a zero. A membership counts
 * only once confirmed (memberships.status), and an enterprise with no `local` value is local (the
 * data contract's default).
 */
#ifndef LZ_ANALYSIS_SQL_H
#define LZ_ANALYSIS_SQL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/masters_sql.h"
#include "store/store.h"

typedef struct analysis_sql_chain {
    const char *code, *name, *cluster;
} analysis_sql_chain;

typedef struct analysis_sql_segment {
    const char *chain, *code, *name, *stage;
    const char *feeds; /* the segments it feeds, ';'-separated codes, "" when none */
} analysis_sql_segment;

/* One confirmed membership with its enterprise's name, division ("" when none), locality and
 * output of the year asked for. `id` numbers the enterprise where the rows come from a source
 * that numbers them (the whole city in memory: analysis/city.h), else it is -1. */
typedef struct analysis_sql_member {
    const char *chain, *segment, *uscc, *role, *name, *division;
    bool local;
    bool output_known;
    int64_t output_fen;
    int32_t id;
} analysis_sql_member;

/* One supply link of the year whose customer is a local confirmed member of `chain`; the ids
 * as analysis_sql_member's. */
typedef struct analysis_sql_purchase {
    const char *chain, *supplier, *customer;
    int64_t amount_fen;
    bool supplier_local;
    int32_t supplier_id, customer_id;
} analysis_sql_purchase;

typedef struct analysis_sql_project {
    const char *id, *name, *chain, *division, *stage; /* chain, division: "" when empty */
    const char *start_date, *planned_completion;      /* YYYY-MM-DD, or "" when empty */
} analysis_sql_project;

typedef struct analysis_sql_cluster {
    const char *code, *name;
    bool target_known;
    int64_t target_fen;
} analysis_sql_cluster;

/* The whole city, read table by table for an analysis of every chain that joins them in memory
 * (analysis/city.h): every enterprise; every confirmed membership; the output of a year, or the
 * indicators of a year and the year before, or for the masters' criteria those of the year and
 * the three before; the supply links of a year. Rows in storage order (none in particular). */
typedef struct analysis_sql_enterprise {
    const char *uscc, *name, *division; /* division "" when none */
    bool local;
} analysis_sql_enterprise;

typedef struct analysis_sql_membership {
    const char *chain, *segment, *uscc, *role;
} analysis_sql_membership;

typedef struct analysis_sql_indicator {
    const char *uscc;
    int year;
    bool output_known;
    int64_t output_fen;
    bool above_scale;
} analysis_sql_indicator;

/* One year's indicators as the masters' criteria read them: known and fen in the order of
 * masters_sql_figure's figures of one year (revenue to value added). */
#define ANALYSIS_SQL_YEAR_FIGURES MSF_REVENUE_1
typedef struct analysis_sql_yearly {
    const char *uscc;
    int year;
    bool known[ANALYSIS_SQL_YEAR_FIGURES];
    int64_t fen[ANALYSIS_SQL_YEAR_FIGURES];
    bool above_scale;
} analysis_sql_yearly;

typedef struct analysis_sql_link {
    const char *supplier, *customer;
    int64_t amount_fen;
} analysis_sql_link;

/* `chain` NULL: every chain; otherwise only that one. Rows in code order. */
int analysis_sql_chains(store *st, const char *chain, int (*fn)(void *ctx, const analysis_sql_chain *r), void *ctx, lz_err *err);
/* The segments, members and purchases of one chain (never NULL): segments in code order, members
 * by segment and enterprise, purchases by supplier and customer. */
int analysis_sql_segments(store *st, const char *chain, int (*fn)(void *ctx, const analysis_sql_segment *r), void *ctx,
                          lz_err *err);
int analysis_sql_members(store *st, const char *chain, int year, int (*fn)(void *ctx, const analysis_sql_member *r), void *ctx,
                         lz_err *err);
int analysis_sql_purchases(store *st, const char *chain, int year, int (*fn)(void *ctx, const analysis_sql_purchase *r), void *ctx,
                           lz_err *err);
/* Every project, in id order. */
int analysis_sql_projects(store *st, int (*fn)(void *ctx, const analysis_sql_project *r), void *ctx, lz_err *err);
/* Every cluster, in code order. */
int analysis_sql_clusters(store *st, int (*fn)(void *ctx, const analysis_sql_cluster *r), void *ctx, lz_err *err);
/* Every enterprise; with_names false leaves the names and divisions out ("" in every row). */
int analysis_sql_enterprises(store *st, bool with_names, int (*fn)(void *ctx, const analysis_sql_enterprise *r), void *ctx,
                             lz_err *err);
int analysis_sql_memberships(store *st, int (*fn)(void *ctx, const analysis_sql_membership *r), void *ctx, lz_err *err);
/* The output of `year` alone (above_scale is false: not read), in no particular order. It is
 * all the index on year and output holds, so this reads the index, not the table: a fraction of
 * the work of reading the table's parts. */
int analysis_sql_outputs(store *st, int year, int (*fn)(void *ctx, const analysis_sql_indicator *r), void *ctx, lz_err *err);
/* The indicators of a few years read in pieces, a piece at a time on a snapshot or its twin:
 * from the years' packs where they hold them (indicator_packs.h), else from the table's parts of
 * its storage order. A plan for `year` and the `back` years before it (1 or 3) tells how; piece k
 * of n (0 <= k < n) of it hands over the rows of one n-th, in the order they are kept (a year's
 * packs: USCC order; the table: storage order).
 * analysis_sql_indicators_piece gives the output and above-size flag of each row of the two
 * years (back 1). analysis_sql_figures_piece gives the masters' figures (back 3): every figure of
 * `year`, the revenue and output of the three years before (the other figures unknown: the
 * criteria read no more of them), with each year's above-size flag. */
enum { ANALYSIS_SQL_PLAN_YEARS = 4 };
typedef struct analysis_sql_plan {
    int year, back;
    bool packed;
    int parts[ANALYSIS_SQL_PLAN_YEARS]; /* packed: how many packs year - back + i has */
    int64_t last;                       /* otherwise: where the table's storage order ends */
} analysis_sql_plan;
int analysis_sql_plan_pieces(store *st, int year, int back, analysis_sql_plan *plan, lz_err *err);
int analysis_sql_indicators_piece(store *st, const analysis_sql_plan *plan, int k, int n,
                                  int (*fn)(void *ctx, const analysis_sql_indicator *r), void *ctx, lz_err *err);
int analysis_sql_figures_piece(store *st, const analysis_sql_plan *plan, int k, int n,
                               int (*fn)(void *ctx, const analysis_sql_yearly *r), void *ctx, lz_err *err);
int analysis_sql_links(store *st, int year, int (*fn)(void *ctx, const analysis_sql_link *r), void *ctx, lz_err *err);

#endif
