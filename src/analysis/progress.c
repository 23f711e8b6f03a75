/*
 * progress — the clusters against their 2025 targets (see progress.h). The clusters and chains
 * come first, so that a chain with no member still shows; then one pass over the members of the
 * whole city (city.h), each enterprise added once to its cluster (its rows come together, each
 * chain once) and once to each of its chains.
 */
#include "analysis/progress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/city.h"
#include "analysis/ratio.h"
#include "core/arena.h"
#include "core/money.h"
#include "core/strmap.h"
#include "store/analysis_sql.h"

typedef struct sums {
    int64_t output, prior, above_scale;
} sums;

typedef struct cluster {
    const char *code, *name;
    bool target_known;
    int64_t target;
    sums s;
    const char *last; /* the enterprise last added to s: city.h gives an enterprise's rows together */
} cluster;

typedef struct chain {
    const char *code, *name;
    int32_t cluster;
    int64_t output;
} chain;

typedef struct work {
    arena a;
    cluster *clusters;
    size_t nclusters, ccap;
    chain *chains;
    size_t nchains, chcap;
    strmap cluster_index, chain_index;
    bool overflow;
} work;

static const char *copy(work *w, const char *s)
{
    return arena_strndup(&w->a, s, strlen(s));
}

static int on_cluster(void *ctx, const analysis_sql_cluster *r)
{
    work *w = ctx;
    if (w->nclusters == w->ccap) {
        w->ccap = w->ccap ? w->ccap * 2 : 16;
        w->clusters = xrealloc(w->clusters, w->ccap * sizeof *w->clusters);
    }
    cluster *c = &w->clusters[w->nclusters];
    *c = (cluster){.code = copy(w, r->code), .name = copy(w, r->name), .target_known = r->target_known, .target = r->target_fen};
    strmap_put(&w->cluster_index, c->code, strlen(c->code), (int32_t)w->nclusters++);
    return 0;
}

static int on_chain(void *ctx, const analysis_sql_chain *r)
{
    work *w = ctx;
    if (w->nchains == w->chcap) {
        w->chcap = w->chcap ? w->chcap * 2 : 16;
        w->chains = xrealloc(w->chains, w->chcap * sizeof *w->chains);
    }
    chain *c = &w->chains[w->nchains];
    *c = (chain){.code = copy(w, r->code),
                 .name = copy(w, r->name),
                 .cluster = strmap_get(&w->cluster_index, r->cluster, strlen(r->cluster))};
    strmap_put(&w->chain_index, c->code, strlen(c->code), (int32_t)w->nchains++);
    return 0;
}

static void add(work *w, int64_t *sum, int64_t v)
{
    if (!money_add(*sum, v, sum))
        w->overflow = true;
}

static int on_member(void *ctx, const city_cluster_member *r)
{
    work *w = ctx;
    int32_t ci = strmap_get(&w->chain_index, r->chain, strlen(r->chain));
    int32_t k = strmap_get(&w->cluster_index, r->cluster, strlen(r->cluster));
    if (ci < 0 || k < 0)
        return 0;
    int64_t output = r->output_known ? r->output_fen : 0;
    add(w, &w->chains[ci].output, output);
    cluster *c = &w->clusters[k];
    if (c->last == r->uscc)
        return w->overflow; /* in two chains of the cluster: counted once */
    c->last = r->uscc;
    add(w, &c->s.output, output);
    add(w, &c->s.prior, r->prior_known ? r->prior_fen : 0);
    c->s.above_scale += r->above_scale;
    return w->overflow;
}

bool progress_needed_bp(int64_t target, int64_t output, int years, int64_t *bp)
{
    if (target <= 0 || output <= 0 || years <= 0)
        return false;
    double g = pow((double)target / (double)output, 1.0 / years) - 1.0;
    *bp = (int64_t)llround(g * RATIO_ONE);
    return true;
}

static json_t *needed_json(const cluster *c, int year)
{
    int64_t bp;
    char buf[RATIO_FMT_MAX];
    if (!c->target_known || !progress_needed_bp(c->target, c->s.output, PROGRESS_TARGET_YEAR - year, &bp))
        return json_null();
    ratio_format_bp(bp, buf);
    return json_string(buf);
}

static json_t *chains_json(const work *w, int32_t k, const char *only_chain)
{
    json_t *out = json_array();
    const cluster *c = &w->clusters[k];
    for (size_t i = 0; i < w->nchains; i++) {
        const chain *ch = &w->chains[i];
        if (ch->cluster != k || (only_chain && strcmp(only_chain, ch->code) != 0))
            continue;
        json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:o}", "code", ch->code, "name", ch->name, "output",
                                             ratio_money_json(ch->output), "share", ratio_json(ch->output, c->s.output)));
    }
    return out;
}

static json_t *cluster_json(const work *w, int32_t k, int year, const char *only_chain)
{
    const cluster *c = &w->clusters[k];
    int64_t growth = c->s.output - c->s.prior; /* both sums are non-negative and fit: no overflow */
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:I, s:o, s:o, s:o}", "code", c->code, "name", c->name, "output",
                     ratio_money_json(c->s.output), "prior_output", ratio_money_json(c->s.prior), "growth",
                     ratio_json(growth, c->s.prior), "above_scale_enterprises", (json_int_t)c->s.above_scale, "target_output_2025",
                     c->target_known ? ratio_money_json(c->target) : json_null(), "needed_growth", needed_json(c, year), "chains",
                     chains_json(w, k, only_chain));
}

/* The cluster a chain account sees: that of its chain, or none. */
static bool shown(const work *w, int32_t k, const char *only_chain)
{
    if (!only_chain)
        return true;
    int32_t ci = strmap_get(&w->chain_index, only_chain, strlen(only_chain));
    return ci >= 0 && w->chains[ci].cluster == k;
}

static void work_free(work *w)
{
    free(w->clusters);
    free(w->chains);
    strmap_free(&w->cluster_index);
    strmap_free(&w->chain_index);
    arena_free(&w->a);
}

int progress_run_on(store *st, const city *c, int year, const char *only_chain, json_t **out, lz_err *err)
{
    work w = {0};
    arena_init(&w.a, 1 << 14);
    int rc = analysis_sql_clusters(st, on_cluster, &w, err);
    if (rc == 0)
        rc = analysis_sql_chains(st, NULL, on_chain, &w, err);
    if (rc == 0)
        city_cluster_members(c, on_member, &w);
    if (rc == 0 && w.overflow)
        rc = err_set(err, LZ_EINPUT, "the year's output adds up past what the figures can hold");
    if (rc == 0) {
        json_t *list = json_array();
        for (size_t k = 0; k < w.nclusters; k++)
            if (shown(&w, (int32_t)k, only_chain))
                json_array_append_new(list, cluster_json(&w, (int32_t)k, year, only_chain));
        *out = json_pack("{s:i, s:i, s:o}", "year", year, "target_year", PROGRESS_TARGET_YEAR, "clusters", list);
    }
    work_free(&w);
    return rc;
}

int progress_run(store *st, int year, const char *only_chain, json_t **out, lz_err *err)
{
    city *c = NULL;
    int rc = city_load(st, year, CITY_GROWTH, &c, err);
    if (rc == 0)
        rc = progress_run_on(st, c, year, only_chain, out, err);
    city_free(c);
    return rc;
}
