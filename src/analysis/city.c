/*
 * city — the whole city in memory (see city.h). Loading: the chains, then every enterprise into
 * an array found by a hash of its USCC, the indicators onto it, the confirmed memberships sorted
 * by chain, segment and enterprise, each enterprise's list of distinct chains, and last each
 * supply link copied to the chains of its customer, grouped by chain.
 */
#include "analysis/city.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/strmap.h"

typedef struct ent {
    const char *uscc, *name, *division;
    bool local, output_known, prior_known, above_scale;
    int64_t output, prior;
    int32_t chains; /* head of its distinct chains in city.nodes, -1 when none */
} ent;

/* A confirmed membership of an enterprise of ents in a chain of chains. */
typedef struct mem {
    int32_t chain, ent;
    const char *segment, *role, *uscc; /* uscc: the enterprise's, for sorting */
} mem;

/* A supply link of the year counted in one chain. */
typedef struct buy {
    int32_t chain, supplier, customer;
    int64_t amount;
} buy;

typedef struct node {
    int32_t chain, next;
} node;

typedef struct chn {
    const char *code, *cluster;
    size_t mem_lo, mem_hi, buy_lo, buy_hi; /* its ranges of city.mems and city.buys */
} chn;

struct city {
    arena a;
    int year;
    ent *ents;
    size_t nents, entcap;
    strmap ent_index;
    chn *chains;
    size_t nchains, chcap;
    strmap chain_index;
    mem *mems;
    size_t nmems, memcap;
    buy *buys;
    size_t nbuys, buycap;
    node *nodes;
    size_t nnodes, nodecap;
    int32_t near_indicator, near_member, near_supplier; /* the enterprise of the previous row (ent_near) */
};

/* Room for one more element of size sz in *v of *n used and *cap allocated. */
static void *grow(void *v, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return v;
    *cap = *cap ? *cap * 2 : 1024;
    return xrealloc(v, *cap * sz);
}

static const char *copy(city *c, const char *s)
{
    return arena_strndup(&c->a, s, strlen(s));
}

static int32_t ent_of(const city *c, const char *uscc)
{
    return strmap_get(&c->ent_index, uscc, strlen(uscc));
}

/* The enterprise of uscc, tried first at *near and the one after it, then through the hash. The
 * tables are mostly stored grouped by enterprise and in the enterprises' order (an import writes a
 * sheet's rows in turn), so the previous row's enterprise or the next is a comparison in cache
 * where the hash costs two misses in a hundred megabytes. */
static int32_t ent_near(const city *c, const char *uscc, int32_t *near)
{
    for (int32_t k = *near; k >= 0 && k <= *near + 1 && (size_t)k < c->nents; k++)
        if (strcmp(c->ents[k].uscc, uscc) == 0)
            return *near = k;
    int32_t i = ent_of(c, uscc);
    if (i >= 0)
        *near = i;
    return i;
}

/* ---- loading ------------------------------------------------------------------------------- */

static int on_chain(void *ctx, const analysis_sql_chain *r)
{
    city *c = ctx;
    c->chains = grow(c->chains, c->nchains, &c->chcap, sizeof *c->chains);
    chn *ch = &c->chains[c->nchains];
    *ch = (chn){.code = copy(c, r->code), .cluster = copy(c, r->cluster)};
    strmap_put(&c->chain_index, ch->code, strlen(ch->code), (int32_t)c->nchains++);
    return 0;
}

static int on_enterprise(void *ctx, const analysis_sql_enterprise *r)
{
    city *c = ctx;
    c->ents = grow(c->ents, c->nents, &c->entcap, sizeof *c->ents);
    ent *e = &c->ents[c->nents];
    *e = (ent){
        .uscc = copy(c, r->uscc), .name = copy(c, r->name), .division = copy(c, r->division), .local = r->local, .chains = -1};
    if (strmap_put(&c->ent_index, e->uscc, strlen(e->uscc), (int32_t)c->nents) == (int32_t)c->nents)
        c->nents++;
    return 0;
}

static int on_indicator(void *ctx, const analysis_sql_indicator *r)
{
    city *c = ctx;
    int32_t i = ent_near(c, r->uscc, &c->near_indicator);
    if (i < 0)
        return 0;
    ent *e = &c->ents[i];
    if (r->year == c->year) {
        e->output_known = r->output_known;
        e->output = r->output_fen;
        e->above_scale = r->above_scale;
    } else {
        e->prior_known = r->output_known;
        e->prior = r->output_fen;
    }
    return 0;
}

static int on_membership(void *ctx, const analysis_sql_membership *r)
{
    city *c = ctx;
    int32_t ch = strmap_get(&c->chain_index, r->chain, strlen(r->chain)), e = ent_near(c, r->uscc, &c->near_member);
    if (ch < 0 || e < 0)
        return 0; /* dangling: `lianzhang check` reports it */
    c->mems = grow(c->mems, c->nmems, &c->memcap, sizeof *c->mems);
    c->mems[c->nmems++] = (mem){ch, e, copy(c, r->segment), copy(c, r->role), c->ents[e].uscc};
    return 0;
}

/* The analyses' member order: chain, then segment, then enterprise (byte order, as SQLite's). */
static int by_chain_segment_uscc(const void *a, const void *b)
{
    const mem *x = a, *y = b;
    if (x->chain != y->chain)
        return x->chain < y->chain ? -1 : 1;
    int d = strcmp(x->segment, y->segment);
    return d ? d : strcmp(x->uscc, y->uscc);
}

/* Sorts the memberships, sets each chain's range and each enterprise's distinct chains. */
static void index_members(city *c)
{
    if (c->nmems)
        qsort(c->mems, c->nmems, sizeof *c->mems, by_chain_segment_uscc);
    for (size_t i = 0, j = 0; i < c->nchains; i++) {
        c->chains[i].mem_lo = j;
        for (; j < c->nmems && c->mems[j].chain == (int32_t)i; j++) {
            ent *e = &c->ents[c->mems[j].ent];
            if (e->chains >= 0 && c->nodes[e->chains].chain == (int32_t)i)
                continue; /* the chain's memberships come together: a repeat heads the list */
            c->nodes = grow(c->nodes, c->nnodes, &c->nodecap, sizeof *c->nodes);
            c->nodes[c->nnodes] = (node){(int32_t)i, e->chains};
            e->chains = (int32_t)c->nnodes++;
        }
        c->chains[i].mem_hi = j;
    }
}

static int on_link(void *ctx, const analysis_sql_link *r)
{
    city *c = ctx;
    int32_t cu = ent_of(c, r->customer), su = ent_near(c, r->supplier, &c->near_supplier);
    if (cu < 0 || su < 0 || !c->ents[cu].local)
        return 0;
    for (int32_t n = c->ents[cu].chains; n >= 0; n = c->nodes[n].next) {
        c->buys = grow(c->buys, c->nbuys, &c->buycap, sizeof *c->buys);
        c->buys[c->nbuys++] = (buy){c->nodes[n].chain, su, cu, r->amount_fen};
    }
    return 0;
}

/* Groups the purchases by chain (a counting sort) and sets each chain's range. */
static void index_buys(city *c)
{
    buy *sorted = xmalloc((c->nbuys ? c->nbuys : 1) * sizeof *sorted);
    size_t at = 0;
    for (size_t i = 0; i < c->nchains; i++)
        c->chains[i].buy_lo = c->chains[i].buy_hi = 0;
    for (size_t k = 0; k < c->nbuys; k++)
        c->chains[c->buys[k].chain].buy_hi++;
    for (size_t i = 0; i < c->nchains; i++) {
        size_t n = c->chains[i].buy_hi;
        c->chains[i].buy_lo = c->chains[i].buy_hi = at;
        at += n;
    }
    for (size_t k = 0; k < c->nbuys; k++)
        sorted[c->chains[c->buys[k].chain].buy_hi++] = c->buys[k];
    free(c->buys);
    c->buys = sorted;
}

int city_load(store *st, int year, city **out, lz_err *err)
{
    city *c = xcalloc(1, sizeof *c);
    arena_init(&c->a, 8 << 20); /* blocks large enough for huge pages: a million names and codes */
    c->year = year;
    size_t n = 0;
    int rc = analysis_sql_chains(st, NULL, on_chain, c, err);
    if (rc == 0)
        rc = analysis_sql_enterprise_count(st, &n, err);
    if (rc == 0) {
        strmap_reserve(&c->ent_index, n);
        c->entcap = c->memcap = c->nodecap = c->buycap = n ? n : 1; /* about one of each per enterprise */
        c->ents = xmalloc(c->entcap * sizeof *c->ents);
        c->mems = xmalloc(c->memcap * sizeof *c->mems);
        c->nodes = xmalloc(c->nodecap * sizeof *c->nodes);
        c->buys = xmalloc(c->buycap * sizeof *c->buys);
        rc = analysis_sql_enterprises(st, on_enterprise, c, err);
    }
    if (rc == 0)
        rc = analysis_sql_indicators(st, year, on_indicator, c, err);
    if (rc == 0)
        rc = analysis_sql_memberships(st, on_membership, c, err);
    if (rc == 0) {
        index_members(c);
        rc = analysis_sql_links(st, year, on_link, c, err);
    }
    if (rc < 0) {
        city_free(c);
        return rc;
    }
    index_buys(c);
    *out = c;
    return 0;
}

void city_free(city *c)
{
    if (!c)
        return;
    free(c->ents);
    free(c->chains);
    free(c->mems);
    free(c->buys);
    free(c->nodes);
    strmap_free(&c->ent_index);
    strmap_free(&c->chain_index);
    arena_free(&c->a);
    free(c);
}

/* ---- the rows ------------------------------------------------------------------------------ */

static const chn *chain_of(const city *c, const char *code)
{
    int32_t i = strmap_get(&c->chain_index, code, strlen(code));
    return i >= 0 ? &c->chains[i] : NULL;
}

int city_members(const city *c, const char *chain, int (*fn)(void *ctx, const analysis_sql_member *r), void *ctx)
{
    const chn *ch = chain_of(c, chain);
    for (size_t j = ch ? ch->mem_lo : 0; ch && j < ch->mem_hi; j++) {
        const mem *m = &c->mems[j];
        const ent *e = &c->ents[m->ent];
        analysis_sql_member r = {.chain = ch->code,
                                 .segment = m->segment,
                                 .uscc = e->uscc,
                                 .role = m->role,
                                 .name = e->name,
                                 .division = e->division,
                                 .local = e->local,
                                 .output_known = e->output_known,
                                 .output_fen = e->output};
        int rc = fn(ctx, &r);
        if (rc)
            return rc;
    }
    return 0;
}

int city_purchases(const city *c, const char *chain, int (*fn)(void *ctx, const analysis_sql_purchase *r), void *ctx)
{
    const chn *ch = chain_of(c, chain);
    for (size_t k = ch ? ch->buy_lo : 0; ch && k < ch->buy_hi; k++) {
        const buy *b = &c->buys[k];
        const ent *s = &c->ents[b->supplier];
        analysis_sql_purchase r = {ch->code, s->uscc, c->ents[b->customer].uscc, b->amount, s->local};
        int rc = fn(ctx, &r);
        if (rc)
            return rc;
    }
    return 0;
}

int city_cluster_members(const city *c, int (*fn)(void *ctx, const city_cluster_member *r), void *ctx)
{
    for (size_t i = 0; i < c->nents; i++) {
        const ent *e = &c->ents[i];
        for (int32_t n = e->local ? e->chains : -1; n >= 0; n = c->nodes[n].next) {
            const chn *ch = &c->chains[c->nodes[n].chain];
            city_cluster_member r = {ch->cluster,    ch->code,  e->uscc,  e->output_known,
                                     e->prior_known, e->output, e->prior, e->above_scale};
            int rc = fn(ctx, &r);
            if (rc)
                return rc;
        }
    }
    return 0;
}
