/*
 * masters — scoring a chain's candidates for master (see masters.h). One read gathers a chain's
 * candidates (store/masters_sql.c), or for every chain the whole city read once (city.h, with
 * CITY_MASTERS: a chain at a time through the indexes cost a lookup per figure); then per chain: raw values, gates, min-max
 * normalisation, exact weighted sums and ranks, the same ranking again under each weight moved ±20%, and the batch. All arithmetic
 * is integer: normalised values in bp, sums in bp x bp.
 */
#include "analysis/masters.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/city.h"
#include "analysis/each_chain.h"
#include "analysis/id_map.h"
#include "analysis/ratio.h"
#include "core/arena.h"
#include "core/pair.h"
#include "core/sort_u64.h"
#include "core/strmap.h"
#include "store/analysis_sql.h"
#include "store/designations_sql.h"
#include "store/masters_sql.h"

#define K MASTERS_CRITERIA_COUNT
#define SUM_ONE ((int64_t)RATIO_ONE * RATIO_ONE) /* a weighted sum of 1.0000 */

typedef struct cand {
    const char *uscc, *name; /* the city's own (its rows have ids), else copies in the chain's arena */
    const char *gate;        /* a static string; NULL when all pass */
    int role;                /* MASTERS_ROLE_ */
    bool local;
    bool known[K];
    int64_t raw[K];
    int32_t norm[K]; /* bp: 0 .. 10000 */
    int64_t output;
    bool output_known;
    int64_t score;  /* the weighted sum under the criteria's weights (score_chain) */
    int rank;       /* 1.., 0 when gated */
    uint32_t place; /* its place among the scored (scored_set), or among the gated (gated), in USCC order */
} cand;

/* The scored (ungated) candidates of a chain in USCC order, as the rankings read them: each one's
 * place there is its number in a ranking's keys. */
typedef struct scored_set {
    size_t m;
    uint32_t *cand;  /* the candidate at each place */
    int64_t *score;  /* its weighted sum */
    int32_t *parts;  /* criterion k's part of the sum of place r (weight x normalised value, at
                        most 1.0000 x 1.0000) at parts[k * m + r] */
    uint32_t *gated; /* the gated candidates in USCC order */
    size_t ngated;
    uint8_t *watch;    /* 1 at the places whose rank under the weight moves is shown (watch_listed) */
    uint32_t *watched; /* those places */
    size_t nwatched;
    size_t cap; /* room in each, parts' K times */
} scored_set;

/* The keys of one ranking, and past the m sorted the sort's spare: room for cap in all. */
typedef struct ranking {
    uint64_t *keys;
    size_t cap;
} ranking;

/* A chain's candidates and the buffers that evaluate them. A thread going through many chains
 * keeps one (chain_run_reset): the buffers grow to the largest chain and are faulted in once,
 * where fresh ones per chain had the kernel zero a few hundred megabytes on a million candidates. */
typedef struct chain_run {
    cand *c;
    size_t n, cap;
    arena a;
    strmap index;  /* USCC -> its candidate, for the purchases of rows without ids */
    id_map *by_id; /* with ids: enterprise -> its candidate (the run's map, a generation per chain) */
    bool overflow;
    sort_u128_item *keyed; /* the candidates keyed by USCC in USCC order (in_uscc_order), and the sort's spare */
    size_t keyed_cap;
    scored_set s;
    ranking rk;
    uint32_t *moved; /* per listed candidate, the weight moves that change its rank (sensitivity) */
    size_t moved_cap;
    size_t *order; /* the evaluation's order (evaluation_order) */
    size_t order_cap;
    size_t *listed; /* the candidates the document lists, in the evaluation's order (choose) */
    size_t nlisted, listed_cap;
} chain_run;

typedef struct run {
    store *st;
    const city *city; /* every chain: the whole city read once; one chain: NULL, read through its index */
    int year;
    const masters_criteria *mc;
    const masters_listing *listing;
} run;

/* ---- raw values ---------------------------------------------------------------------------- */

static void set(cand *c, masters_criterion k, bool known, int64_t v)
{
    c->known[k] = known;
    c->raw[k] = known ? v : 0;
}

/* num / den in bp, known when both are and den > 0. */
static void set_ratio(cand *c, masters_criterion k, bool known, int64_t num, int64_t den)
{
    int64_t bp = 0;
    known = known && ratio_bp(num, den, &bp);
    set(c, k, known, bp);
}

/* Average yearly growth to the year from the earliest positive revenue of the three before. */
static void set_growth(cand *c, const masters_sql_figures *r)
{
    for (int years = 3; years >= 1; years--) {
        int64_t base = r->figure[MSF_REVENUE_1 + years - 1];
        if (r->known[MSF_REVENUE_1 + years - 1] && base > 0 && r->known[MSF_REVENUE]) {
            set_ratio(c, MC_GROWTH, true, r->figure[MSF_REVENUE] - base, base * years);
            return;
        }
    }
    set(c, MC_GROWTH, false, 0);
}

static void set_raw(cand *c, const masters_sql_figures *r)
{
    const bool *kn = r->known;
    const int64_t *f = r->figure;
    set(c, MC_REVENUE, kn[MSF_REVENUE], f[MSF_REVENUE]);
    set(c, MC_TAX_PAID, kn[MSF_TAX_PAID], f[MSF_TAX_PAID]);
    set(c, MC_LOCAL_PURCHASES, true, 0); /* added up from the purchases (on_purchase) */
    set(c, MC_RD_EXPENSE, kn[MSF_RD_EXPENSE], f[MSF_RD_EXPENSE]);
    set_ratio(c, MC_RD_INTENSITY, kn[MSF_RD_EXPENSE] && kn[MSF_REVENUE], f[MSF_RD_EXPENSE], f[MSF_REVENUE]);
    set_growth(c, r);
    set(c, MC_EMPLOYEES, kn[MSF_EMPLOYEES], f[MSF_EMPLOYEES]);
    set_ratio(c, MC_VALUE_ADDED_RATE, kn[MSF_VALUE_ADDED] && kn[MSF_OUTPUT], f[MSF_VALUE_ADDED], f[MSF_OUTPUT]);
    set(c, MC_ABOVE_SCALE_YEARS, true, masters_sql_above_scale_years(r));
    c->output_known = kn[MSF_OUTPUT];
    c->output = f[MSF_OUTPUT];
}

/* A text of a candidate row, kept while the chain is evaluated: the city's own live that long, a
 * query's are copied. */
static const char *kept(chain_run *cr, const masters_sql_candidate *r, const char *text)
{
    return r->id >= 0 ? text : arena_strdup(&cr->a, text);
}

static int on_candidate(void *ctx, const masters_sql_candidate *r)
{
    chain_run *cr = ctx;
    cr->c = xgrow(cr->c, cr->n, &cr->cap, sizeof *cr->c);
    cand *c = &cr->c[cr->n];
    *c = (cand){.uscc = kept(cr, r, r->uscc),
                .name = kept(cr, r, r->name),
                .role = r->role,
                .local = r->local,
                .gate = !r->local ? "local" : NULL};
    set_raw(c, &r->f);
    if (r->id >= 0)
        id_map_set(cr->by_id, r->id, (int32_t)cr->n);
    cr->n++;
    return 0;
}

/* The candidate of a purchase's customer or supplier (by id, or by USCC where the rows have no
 * ids), -1 when not one. */
static int32_t cand_of(const chain_run *cr, int32_t id, const char *uscc)
{
    return id >= 0 ? id_map_get(cr->by_id, id, -1) : strmap_get(&cr->index, uscc, strlen(uscc));
}

/* A purchase counts for its customer when the supplier is a local member of the chain. */
static int on_purchase(void *ctx, const masters_sql_purchase *r)
{
    chain_run *cr = ctx;
    int32_t cu = cand_of(cr, r->customer_id, r->customer), su = cand_of(cr, r->supplier_id, r->supplier);
    if (cu < 0 || su < 0 || !cr->c[su].local)
        return 0;
    int64_t *sum = &cr->c[cu].raw[MC_LOCAL_PURCHASES];
    cr->overflow = cr->overflow || __builtin_add_overflow(*sum, r->amount_fen, sum);
    return 0;
}

/* ---- reading a chain ----------------------------------------------------------------------- */

/* The candidates by USCC, for purchases without ids. */
static void index_candidates(chain_run *cr)
{
    strmap_reserve(&cr->index, cr->n);
    for (size_t i = 0; i < cr->n; i++)
        strmap_put(&cr->index, cr->c[i].uscc, strlen(cr->c[i].uscc), (int32_t)i);
}

/* Half the work of reading a chain through its indexes: the candidates of one half of the members
 * and the purchases of the other (the halves are not quite even: each thread gets a large part of
 * one kind and a small one of the other), kept (their texts copied) until both are in. */
typedef struct half_read {
    store *st;
    const char *chain;
    int year;
    masters_sql_part candidates, purchases;
    arena a;
    masters_sql_candidate *cands;
    size_t ncands, candcap;
    masters_sql_purchase *bought;
    size_t nbought, boughtcap;
    int rc;
    lz_err err;
} half_read;

static int keep_candidate(void *ctx, const masters_sql_candidate *r)
{
    half_read *h = ctx;
    h->cands = xgrow(h->cands, h->ncands, &h->candcap, sizeof *h->cands);
    masters_sql_candidate *c = &h->cands[h->ncands++];
    *c = *r;
    c->uscc = arena_strdup(&h->a, r->uscc);
    c->name = arena_strdup(&h->a, r->name);
    return 0;
}

static int keep_purchase(void *ctx, const masters_sql_purchase *r)
{
    half_read *h = ctx;
    h->bought = xgrow(h->bought, h->nbought, &h->boughtcap, sizeof *h->bought);
    h->bought[h->nbought++] =
        (masters_sql_purchase){arena_strdup(&h->a, r->customer), arena_strdup(&h->a, r->supplier), r->amount_fen, -1, -1};
    return 0;
}

static void read_half(void *arg)
{
    half_read *h = arg;
    h->rc = masters_sql_candidates(h->st, h->chain, h->year, h->candidates, keep_candidate, h, &h->err);
    if (h->rc == 0)
        h->rc = masters_sql_purchases(h->st, h->chain, h->year, h->purchases, keep_purchase, h, &h->err);
}

static void half_free(half_read *h)
{
    free(h->cands);
    free(h->bought);
    arena_free(&h->a);
}

/* One chain's candidates and their purchases through the chain's indexes: in two halves at once
 * when the snapshot has a twin, for a chain of a hundred thousand members is a million index
 * lookups; else in one go. */
static int read_by_index(const run *r, const char *chain, chain_run *cr, lz_err *err)
{
    store *twin = store_twin(r->st);
    half_read halves[2] = {
        {.st = r->st, .chain = chain, .year = r->year, .candidates = MASTERS_SQL_FIRST_HALF, .purchases = MASTERS_SQL_SECOND_HALF},
        {.st = twin, .chain = chain, .year = r->year, .candidates = MASTERS_SQL_SECOND_HALF, .purchases = MASTERS_SQL_FIRST_HALF}};
    arena_init(&halves[0].a, 1 << 16);
    arena_init(&halves[1].a, 1 << 16);
    int rc = 0;
    if (twin && pair_run(read_half, &halves[0], read_half, &halves[1])) {
        for (int h = 0; h < 2 && rc == 0; h++) {
            rc = halves[h].rc;
            if (rc && err)
                *err = halves[h].err;
            for (size_t k = 0; rc == 0 && k < halves[h].ncands; k++)
                on_candidate(cr, &halves[h].cands[k]);
        }
        index_candidates(cr);
        for (int h = 0; h < 2 && rc == 0; h++)
            for (size_t k = 0; k < halves[h].nbought; k++)
                on_purchase(cr, &halves[h].bought[k]);
    } else {
        rc = masters_sql_candidates(r->st, chain, r->year, MASTERS_SQL_ALL, on_candidate, cr, err);
        index_candidates(cr);
        if (rc == 0)
            rc = masters_sql_purchases(r->st, chain, r->year, MASTERS_SQL_ALL, on_purchase, cr, err);
    }
    half_free(&halves[0]);
    half_free(&halves[1]);
    return rc;
}

/* The chain's candidates, each with its purchases of the year from the chain's local members. */
static int read_chain(const run *r, const char *chain, chain_run *cr, lz_err *err)
{
    int rc = 0;
    if (r->city) {
        city_masters_candidates(r->city, chain, on_candidate, cr);
        city_masters_purchases(r->city, chain, on_purchase, cr);
    } else {
        rc = read_by_index(r, chain, cr, err);
    }
    if (rc == 0 && cr->overflow)
        rc = err_set(err, LZ_EINPUT, "chain %s: a member's purchases of %d add up past what the figures can hold", chain, r->year);
    return rc;
}

/* Each local candidate's share of the local members' output; the revenue floor gate. */
static void finish_raw(chain_run *cr, const masters_criteria *mc)
{
    int64_t total = 0;
    for (size_t i = 0; i < cr->n; i++)
        if (!cr->c[i].gate && cr->c[i].output_known)
            total += cr->c[i].output;
    for (size_t i = 0; i < cr->n; i++) {
        cand *c = &cr->c[i];
        set_ratio(c, MC_OUTPUT_SHARE, c->output_known && !c->gate, c->output, total);
        if (!c->gate && (!c->known[MC_REVENUE] || c->raw[MC_REVENUE] < mc->p[MP_REVENUE_FLOOR].value))
            c->gate = "revenue_floor";
    }
}

/* ---- normalisation, sums and ranks --------------------------------------------------------- */

/* Every criterion's raw values min-max normalised among the ungated who have one: in two passes
 * over the candidates for all ten criteria, not two per criterion. */
static void normalise(chain_run *cr)
{
    bool any[K] = {false};
    int64_t lo[K] = {0}, hi[K] = {0};
    for (size_t i = 0; i < cr->n; i++) {
        const cand *c = &cr->c[i];
        for (int k = 0; k < K && !c->gate; k++) {
            if (!c->known[k])
                continue;
            lo[k] = any[k] && lo[k] < c->raw[k] ? lo[k] : c->raw[k];
            hi[k] = any[k] && hi[k] > c->raw[k] ? hi[k] : c->raw[k];
            any[k] = true;
        }
    }
    ratio_whole range[K];
    for (int k = 0; k < K; k++)
        range[k] = ratio_whole_of(hi[k] > lo[k] ? hi[k] - lo[k] : 1);
    for (size_t i = 0; i < cr->n; i++) {
        cand *c = &cr->c[i];
        for (int k = 0; k < K; k++) {
            if (c->gate || !c->known[k])
                c->norm[k] = 0;
            else if (hi[k] == lo[k])
                c->norm[k] = RATIO_ONE;
            else
                c->norm[k] = (int32_t)ratio_part_bp(&range[k], c->raw[k] - lo[k]);
        }
    }
}

static const char *uscc_of(const void *ctx, size_t i)
{
    return ((const chain_run *)ctx)->c[i].uscc;
}

/* Orders the candidates by USCC (byte order, SQLite's for text): equal scores are ranked by it and
 * the gated listed in it. They come in no particular order. at_place gives the candidate at each
 * place. */
static void in_uscc_order(chain_run *cr)
{
    sort_u128_item *k = cr->keyed = xreserve(cr->keyed, 2 * cr->n, &cr->keyed_cap, sizeof *cr->keyed);
    for (size_t i = 0; i < cr->n; i++)
        k[i] = sort_u128_text_key(cr->c[i].uscc, i);
    sort_u128_texts(k, cr->n, k + cr->n, uscc_of, cr);
}

/* The candidate at place r of USCC order (in_uscc_order). */
static size_t at_place(const chain_run *cr, size_t r)
{
    return cr->keyed[r].value;
}

static void weights_of(const masters_criteria *mc, int64_t w[K])
{
    for (int k = 0; k < K; k++)
        w[k] = mc->p[k].value;
}

/* The scored candidates in USCC order with their sums and the criteria's parts of them; every
 * candidate's score, and rank 0 until ranked. */
static void score_chain(chain_run *cr, const masters_criteria *mc)
{
    scored_set *s = &cr->s;
    if (!s->cand || cr->n > s->cap) {
        s->cap = cr->n > s->cap ? cr->n : s->cap ? s->cap : 1;
        s->cand = xrealloc(s->cand, s->cap * sizeof *s->cand);
        s->score = xrealloc(s->score, s->cap * sizeof *s->score);
        s->parts = xrealloc(s->parts, s->cap * K * sizeof *s->parts);
        s->gated = xrealloc(s->gated, s->cap * sizeof *s->gated);
        s->watch = xrealloc(s->watch, s->cap * sizeof *s->watch);
        s->watched = xrealloc(s->watched, s->cap * sizeof *s->watched);
    }
    size_t m = 0;
    for (size_t i = 0; i < cr->n; i++) {
        cr->c[i].rank = 0;
        cr->c[i].score = 0;
        m += !cr->c[i].gate;
    }
    int64_t w[K];
    weights_of(mc, w);
    s->m = m;
    s->ngated = 0;
    size_t r = 0;
    enum { AHEAD = 8 }; /* the one pass in USCC order: a cache miss a candidate, fetched this far ahead */
    for (size_t u = 0; u < cr->n; u++) {
        if (u + AHEAD < cr->n) {
            const cand *next = &cr->c[at_place(cr, u + AHEAD)];
            __builtin_prefetch(&next->gate, 1);
            __builtin_prefetch(&next->norm, 1);
        }
        cand *c = &cr->c[at_place(cr, u)];
        if (c->gate) {
            c->place = (uint32_t)s->ngated;
            s->gated[s->ngated++] = (uint32_t)at_place(cr, u);
            continue;
        }
        c->place = (uint32_t)r;
        s->cand[r] = (uint32_t)at_place(cr, u);
        for (int k = 0; k < K; k++) {
            s->parts[(size_t)k * m + r] = (int32_t)(c->norm[k] * w[k]);
            c->score += (int64_t)c->norm[k] * w[k];
        }
        s->score[r++] = c->score;
    }
}

/* A scored candidate's position in a ranking as one number, so that sorting compares integers:
 * the sum's complement above (best first; a sum is at most 1.0000 x 1.0000 x 12, the largest
 * weight move, under 2^31) and its place among the scored in USCC order below (ties by USCC).
 * Keys are made in order of place, so sorting the upper half orders them whole. */
static uint64_t key_of(int64_t sum, size_t place)
{
    return (uint64_t)(UINT32_MAX - (uint32_t)sum) << 32 | (uint32_t)place;
}

static uint32_t place_of(uint64_t key)
{
    return (uint32_t)key;
}

/* Room for m keys and the sort's spare. */
static void ranking_reserve(ranking *rk, size_t m)
{
    rk->keys = xreserve(rk->keys, 2 * m, &rk->cap, sizeof *rk->keys);
}

static void sort_keys(ranking *rk, size_t m)
{
    sort_u64_above(rk->keys, m, rk->keys + m, 32);
}

/* Each scored candidate's rank under the criteria's own weights. */
static void rank_chain(chain_run *cr)
{
    const scored_set *s = &cr->s;
    ranking_reserve(&cr->rk, s->m);
    for (size_t r = 0; r < s->m; r++)
        cr->rk.keys[r] = key_of(s->score[r], r);
    sort_keys(&cr->rk, s->m);
    for (size_t pos = 0; pos < s->m; pos++)
        cr->c[s->cand[place_of(cr->rk.keys[pos])]].rank = (int)pos + 1;
}

/* The weight moves: criterion k moved by +20% is move 2k, by -20% move 2k + 1. */
#define MOVES (2 * K)

/* The key of place r under a weight move (rank_moves says why the sum is this). */
static inline uint64_t moved_key(const scored_set *s, int move, size_t r)
{
    int64_t part = s->parts[(size_t)(move / 2) * s->m + r];
    return key_of(10 * s->score[r] + (move % 2 ? -2 : 2) * part, r);
}

/* The weight moves [from, to) of a chain: for each watched candidate, the moves that change its
 * rank as bit 1 << move of moved[i] (its own array and keys: the two halves may run at once). */
typedef struct moves_job {
    const chain_run *cr;
    int from, to;
    ranking *rk;
    uint32_t *moved;
} moves_job;

/* The watched candidates' ranks under each move. A move multiplies every weight by 10 and
 * criterion k's by 12 (move 2k) or 8 (move 2k + 1): every sum is then ten times its score plus or
 * minus twice k's part of it, and renormalising the weights would divide every sum alike, which
 * ranks need not do. A watched candidate's rank is 1 + the number of keys below its own, so only
 * the keys up to the highest watched one are sorted: for a listing of the first hundred, a few
 * hundred of a hundred thousand. */
static void rank_moves(void *arg)
{
    const moves_job *j = arg;
    const scored_set *s = &j->cr->s;
    ranking_reserve(j->rk, s->m);
    uint64_t *keys = j->rk->keys;
    for (int move = j->from; move < j->to && s->nwatched; move++) {
        uint64_t highest = 0;
        for (size_t w = 0; w < s->nwatched; w++) {
            uint64_t key = moved_key(s, move, s->watched[w]);
            highest = key > highest ? key : highest;
        }
        size_t below = 0;
        for (size_t r = 0; r < s->m; r++) {
            keys[below] = moved_key(s, move, r);
            below += keys[below] <= highest;
        }
        sort_keys(j->rk, below);
        for (size_t pos = 0; pos < below; pos++) {
            uint32_t r = place_of(keys[pos]);
            if (s->watch[r] && j->cr->c[s->cand[r]].rank != (int)pos + 1)
                j->moved[s->cand[r]] |= 1u << move;
        }
    }
}

/* The moves' rankings in two halves at once, the second with keys and moves of its own; false,
 * having done nothing, when no thread could start. */
static bool moves_in_halves(chain_run *cr)
{
    ranking other_rk = {0};
    uint32_t *other = xcalloc(cr->n ? cr->n : 1, sizeof *other);
    moves_job first = {cr, 0, MOVES / 2, &cr->rk, cr->moved}, second = {cr, MOVES / 2, MOVES, &other_rk, other};
    bool ran = pair_run(rank_moves, &first, rank_moves, &second);
    for (size_t i = 0; ran && i < cr->n; i++)
        cr->moved[i] |= other[i];
    free(other);
    free(other_rk.keys);
    return ran;
}

/* Watches the listed candidates that are scored (a gated one has no rank to move). */
static void watch_listed(chain_run *cr)
{
    scored_set *s = &cr->s;
    memset(s->watch, 0, s->m * sizeof *s->watch);
    s->nwatched = 0;
    for (size_t l = 0; l < cr->nlisted; l++) {
        const cand *c = &cr->c[cr->listed[l]];
        if (!c->gate) {
            s->watch[c->place] = 1;
            s->watched[s->nwatched++] = c->place;
        }
    }
}

/* For each listed candidate, the weight moves that change its rank (cr->moved): twenty rankings,
 * half of them on a second thread when asked and one can start. */
static void sensitivity(chain_run *cr, bool two_threads)
{
    cr->moved = xreserve(cr->moved, cr->n, &cr->moved_cap, sizeof *cr->moved);
    memset(cr->moved, 0, cr->n * sizeof *cr->moved);
    watch_listed(cr);
    if (!two_threads || !moves_in_halves(cr))
        rank_moves(&(moves_job){cr, 0, MOVES, &cr->rk, cr->moved});
}

static json_t *moves_json(uint32_t moved)
{
    json_t *out = json_array();
    for (int move = 0; move < MOVES; move++)
        if (moved & (1u << move))
            json_array_append_new(out, json_sprintf("%s%s20%%", masters_criteria_name(move / 2), move % 2 ? "-" : "+"));
    return out;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static json_t *raw_json(const cand *c, masters_criterion k)
{
    char buf[RATIO_FMT_MAX];
    if (!c->known[k])
        return json_null();
    switch (k) {
    case MC_REVENUE:
    case MC_TAX_PAID:
    case MC_LOCAL_PURCHASES:
    case MC_RD_EXPENSE:
        return ratio_money_json(c->raw[k]);
    case MC_EMPLOYEES:
    case MC_ABOVE_SCALE_YEARS:
        return json_integer(c->raw[k]);
    default:
        ratio_format_bp(c->raw[k], buf);
        return json_string(buf);
    }
}

static json_t *candidate_json(const cand *c, const masters_criteria *mc, uint32_t moved)
{
    json_t *crit = json_object();
    for (int k = 0; k < K; k++) {
        json_t *v = json_pack("{s:o}", "raw", raw_json(c, k));
        json_object_set_new(v, "normalised", c->gate ? json_null() : ratio_json(c->norm[k], RATIO_ONE));
        json_object_set_new(v, "contribution", c->gate ? json_null() : ratio_json(c->norm[k] * mc->p[k].value, SUM_ONE));
        json_object_set_new(crit, masters_criteria_name(k), v);
    }
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "uscc", c->uscc, "name", c->name, "role",
                     masters_sql_role_name(c->role), "gate", c->gate ? json_string(c->gate) : json_null(), "rank",
                     c->gate ? json_null() : json_integer(c->rank), "score", c->gate ? json_null() : ratio_json(c->score, SUM_ONE),
                     "criteria", crit, "sensitivity", moves_json(moved));
}

/* The evaluation's order as candidates' indexes (cr->order): the ranked by rank (1..m, each once),
 * then the gated in USCC order. */
static void evaluation_order(chain_run *cr)
{
    size_t *order = cr->order = xreserve(cr->order, cr->n, &cr->order_cap, sizeof *cr->order);
    for (size_t i = 0; i < cr->n; i++)
        if (cr->c[i].rank > 0)
            order[(size_t)cr->c[i].rank - 1] = i;
    for (size_t g = 0; g < cr->s.ngated; g++)
        order[cr->s.m + g] = cr->s.gated[g];
}

/* A candidate's position in the evaluation's order. */
static size_t position_of(const chain_run *cr, const cand *c)
{
    return c->rank > 0 ? (size_t)c->rank - 1 : cr->s.m + c->place;
}

/* Whether the proposal waiting in pending names the candidate. */
static bool is_pending(json_t *pending, const cand *c)
{
    size_t i;
    json_t *d;
    json_array_foreach(pending, i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "uscc")), c->uscc) == 0)
            return true;
    }
    return false;
}

/* What a chain's document shows besides its candidates: the current masters and reserve masters,
 * the batch proposed and its reserves (USCCs in the evaluation's order), and how many are scored. */
typedef struct showing {
    json_t *masters, *reserve_masters, *proposed, *reserves;
    int64_t open;
    size_t scored;
} showing;

static int by_position(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The positions, in order, of the candidates listed wherever they rank: the current masters and
 * reserve masters, the one named, those of pending decisions. A pass over the candidates as they
 * lie: a pass in the evaluation's order would cost a cache miss each. */
static size_t *must_see(const chain_run *cr, const masters_listing *l, json_t *pending, size_t *n)
{
    size_t *at = NULL, cap = 0;
    bool by_uscc = l->uscc || json_array_size(pending) > 0;
    *n = 0;
    for (size_t i = 0; i < cr->n; i++) {
        const cand *c = &cr->c[i];
        if (c->role == MASTERS_ROLE_CHAIN_MASTER || c->role == MASTERS_ROLE_RESERVE_MASTER ||
            (by_uscc && ((l->uscc && strcmp(l->uscc, c->uscc) == 0) || is_pending(pending, c)))) {
            at = xgrow(at, *n, &cap, sizeof *at);
            at[(*n)++] = position_of(cr, c);
        }
    }
    if (*n > 1)
        qsort(at, *n, sizeof *at, by_position);
    return at;
}

/* Fills sh and the candidates the document lists (cr->listed, in the evaluation's order): the
 * first `top`, and wherever they rank the batch proposed and its reserves and those must_see
 * finds. */
static void choose(chain_run *cr, const masters_criteria *mc, const masters_listing *l, json_t *pending, showing *sh)
{
    *sh = (showing){json_array(), json_array(), json_array(), json_array(), 0, cr->s.m};
    const size_t *order = cr->order;
    size_t nseen, *seen = must_see(cr, l, pending, &nseen);
    for (size_t k = 0; k < nseen; k++) {
        const cand *c = &cr->c[order[seen[k]]];
        if (c->role == MASTERS_ROLE_CHAIN_MASTER)
            json_array_append_new(sh->masters, json_string(c->uscc));
        else if (c->role == MASTERS_ROLE_RESERVE_MASTER)
            json_array_append_new(sh->reserve_masters, json_string(c->uscc));
    }
    sh->open = mc->p[MP_BATCH_SIZE].value - (int64_t)json_array_size(sh->masters);
    sh->open = sh->open > 0 ? sh->open : 0;
    int64_t reserves = mc->p[MP_BATCH_RESERVES].value;
    cr->listed = xreserve(cr->listed, cr->n, &cr->listed_cap, sizeof *cr->listed);
    cr->nlisted = 0;
    size_t k = 0, top = l->top < cr->n ? l->top : cr->n;
    /* the scored come first: the batch is among them, and needs no more of them once full */
    for (size_t pos = 0; pos < cr->n; pos++) {
        bool full = (int64_t)json_array_size(sh->proposed) >= sh->open && (int64_t)json_array_size(sh->reserves) >= reserves;
        if (pos >= top && (full || pos >= cr->s.m)) {
            for (; k < nseen; k++) /* the rest of those that must be seen */
                if (seen[k] >= pos)
                    cr->listed[cr->nlisted++] = order[seen[k]];
            break;
        }
        const cand *c = &cr->c[order[pos]];
        bool placed = false;
        if (!c->gate && c->role != MASTERS_ROLE_CHAIN_MASTER && !full) {
            if ((placed = (int64_t)json_array_size(sh->proposed) < sh->open))
                json_array_append_new(sh->proposed, json_string(c->uscc));
            else if ((placed = (int64_t)json_array_size(sh->reserves) < reserves))
                json_array_append_new(sh->reserves, json_string(c->uscc));
        }
        for (; k < nseen && seen[k] < pos; k++)
            ;
        if (pos < top || placed || (k < nseen && seen[k] == pos))
            cr->listed[cr->nlisted++] = order[pos];
    }
    free(seen);
}

/* The chain's document: what sh shows, the listed candidates in the evaluation's order and how
 * many there are in all. */
static json_t *chain_json(const chain_run *cr, const analysis_sql_chain *ch, const masters_criteria *mc, const showing *sh,
                          json_t *pending)
{
    json_t *cands = json_array();
    for (size_t l = 0; l < cr->nlisted; l++)
        json_array_append_new(cands, candidate_json(&cr->c[cr->listed[l]], mc, cr->moved[cr->listed[l]]));
    return json_pack("{s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:I, s:I, s:o, s:O}", "code", ch->code, "name", ch->name, "masters",
                     sh->masters, "reserve_masters", sh->reserve_masters, "open", (json_int_t)sh->open, "proposed", sh->proposed,
                     "reserves", sh->reserves, "candidates_total", (json_int_t)cr->n, "candidates_scored", (json_int_t)sh->scored,
                     "candidates", cands, "pending", pending);
}

/* ---- decisions waiting ---------------------------------------------------------------------- */

static int pending_one(void *ctx, const designation *d)
{
    json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)d->id, "uscc", d->uscc, "kind", d->kind,
                                         "proposed_by", d->proposed_by));
    return 0;
}

/* The chain's proposals waiting for a second official (workflow/designations.h). */
static int pending_of(store *st, const char *chain, json_t **out, lz_err *err)
{
    *out = json_array();
    return designations_sql_list(st, chain, DESIGNATIONS_SQL_PENDING, pending_one, *out, err);
}

/* ---- the run ------------------------------------------------------------------------------- */

static void chain_run_init(chain_run *cr, id_map *by_id)
{
    *cr = (chain_run){.by_id = by_id};
    arena_init(&cr->a, 1 << 16);
}

/* Ready for the next chain: no candidates, the buffers kept. */
static void chain_run_reset(chain_run *cr)
{
    cr->n = 0;
    cr->overflow = false;
    arena_reset(&cr->a);
    strmap_free(&cr->index);
    if (cr->by_id)
        id_map_next(cr->by_id);
}

static void chain_run_free(chain_run *cr)
{
    free(cr->c);
    free(cr->keyed);
    free(cr->s.cand);
    free(cr->s.score);
    free(cr->s.parts);
    free(cr->s.gated);
    free(cr->s.watch);
    free(cr->s.watched);
    free(cr->rk.keys);
    free(cr->moved);
    free(cr->order);
    free(cr->listed);
    strmap_free(&cr->index);
    arena_free(&cr->a);
}

/* Evaluates one chain in cr (reset first), its pending decisions read already; its sensitivity's
 * rankings on two threads when `two_threads`. */
static int evaluate_chain(const run *r, chain_run *cr, const analysis_sql_chain *ch, json_t *pending, bool two_threads,
                          json_t **doc, lz_err *err)
{
    chain_run_reset(cr);
    int rc = read_chain(r, ch->code, cr, err);
    if (rc == 0) {
        finish_raw(cr, r->mc);
        normalise(cr);
        in_uscc_order(cr);
        score_chain(cr, r->mc);
        rank_chain(cr);
        evaluation_order(cr);
        showing sh;
        choose(cr, r->mc, r->listing, pending, &sh);
        sensitivity(cr, two_threads);
        *doc = chain_json(cr, ch, r->mc, &sh, pending);
    }
    return rc;
}

/* Evaluates one chain read through its indexes (each_chain's callback). */
static int on_chain(void *ctx, const analysis_sql_chain *ch, json_t **doc, lz_err *err)
{
    const run *r = ctx;
    json_t *pending = NULL;
    chain_run cr;
    chain_run_init(&cr, NULL);
    int rc = pending_of(r->st, ch->code, &pending, err);
    if (rc == 0)
        rc = evaluate_chain(r, &cr, ch, pending, true, doc, err);
    chain_run_free(&cr);
    json_decref(pending);
    return rc;
}

/* ---- every chain from the city, two at a time ---------------------------------------------- */

/* A chain to evaluate, with what the snapshot had for it (read before the threads start: one
 * connection serves one thread), and its document or error once evaluated. */
typedef struct chain_task {
    analysis_sql_chain ch; /* texts in the tasks' arena */
    json_t *pending;
    size_t size; /* its confirmed memberships */
    json_t *doc;
    int rc;
    lz_err err;
} chain_task;

typedef struct chain_tasks {
    const run *r;
    arena a;
    chain_task *t;
    size_t n, cap;
    size_t *largest_first; /* the tasks' indexes, the largest chain first */
    atomic_size_t next;    /* the next of those no thread has taken */
} chain_tasks;

static int add_task(void *ctx, const analysis_sql_chain *ch)
{
    chain_tasks *ts = ctx;
    ts->t = xgrow(ts->t, ts->n, &ts->cap, sizeof *ts->t);
    ts->t[ts->n++] =
        (chain_task){.ch = {arena_strdup(&ts->a, ch->code), arena_strdup(&ts->a, ch->name), arena_strdup(&ts->a, ch->cluster)}};
    return 0;
}

/* One thread's share: the next task not taken until none is left, with the thread's own id map
 * (city.h ids; the city itself is only read) and buffers. */
static void evaluate_tasks(void *arg)
{
    chain_tasks *ts = arg;
    id_map by_id;
    id_map_init(&by_id, city_enterprises(ts->r->city));
    chain_run cr;
    chain_run_init(&cr, &by_id);
    for (size_t i; (i = atomic_fetch_add(&ts->next, 1)) < ts->n;) {
        chain_task *t = &ts->t[ts->largest_first[i]];
        t->rc = evaluate_chain(ts->r, &cr, &t->ch, t->pending, false, &t->doc, &t->err);
    }
    chain_run_free(&cr);
    id_map_free(&by_id);
}

/* The tasks' indexes, the largest chain first: a large chain taken last would leave the other
 * thread idle while it runs. Sorted as one number each, the size's complement above the index. */
static size_t *largest_first(const chain_tasks *ts)
{
    size_t n = ts->n ? ts->n : 1;
    uint64_t *key = xmalloc(2 * n * sizeof *key);
    for (size_t i = 0; i < ts->n; i++)
        key[i] = (uint64_t)(UINT32_MAX - (uint32_t)ts->t[i].size) << 32 | (uint32_t)i;
    sort_u64(key, ts->n, key + n);
    size_t *order = xmalloc(n * sizeof *order);
    for (size_t i = 0; i < ts->n; i++)
        order[i] = (uint32_t)key[i];
    free(key);
    return order;
}

/* Every chain in code order from the city: the chains and their pending decisions read first,
 * then the chains evaluated on two threads (a chain's own work is mostly one thread's: two
 * chains at once keep both cores busy), the documents gathered in order. */
static int every_chain(const run *r, json_t **chains, lz_err *err)
{
    chain_tasks ts = {.r = r};
    arena_init(&ts.a, 1 << 12);
    atomic_init(&ts.next, 0);
    int rc = analysis_sql_chains(r->st, NULL, add_task, &ts, err);
    for (size_t i = 0; rc == 0 && i < ts.n; i++) {
        rc = pending_of(r->st, ts.t[i].ch.code, &ts.t[i].pending, err);
        ts.t[i].size = city_chain_memberships(r->city, ts.t[i].ch.code);
    }
    ts.largest_first = largest_first(&ts);
    if (rc == 0 && !pair_run(evaluate_tasks, &ts, evaluate_tasks, &ts))
        evaluate_tasks(&ts);
    *chains = rc == 0 ? json_array() : NULL;
    for (size_t i = 0; i < ts.n; i++) {
        chain_task *t = &ts.t[i];
        if (rc == 0 && t->rc) {
            rc = t->rc;
            if (err)
                *err = t->err;
        }
        if (rc == 0)
            json_array_append_new(*chains, t->doc);
        else
            json_decref(t->doc);
        json_decref(t->pending);
    }
    if (rc < 0) {
        json_decref(*chains);
        *chains = NULL;
    }
    free(ts.t);
    free(ts.largest_first);
    arena_free(&ts.a);
    return rc;
}

/* Names the listed candidates of every chain's document, the city having been read without names:
 * a million names cost a tenth of reading it, and the documents list a few hundred. */
static int name_listed(store *st, json_t *chains, lz_err *err)
{
    arena a;
    arena_init(&a, 1 << 12);
    size_t i, j;
    json_t *doc, *one;
    int rc = 0;
    json_array_foreach(chains, i, doc)
    {
        json_array_foreach(json_object_get(doc, "candidates"), j, one)
        {
            const char *name = NULL;
            if (rc == 0)
                rc = store_enterprise_name(st, json_string_value(json_object_get(one, "uscc")), &a, &name, err);
            if (name)
                json_object_set_new(one, "name", json_string(name));
        }
    }
    arena_free(&a);
    return rc;
}

bool masters_top_parse(const char *v, size_t *top)
{
    if (strcmp(v, "all") == 0) {
        *top = MASTERS_TOP_ALL;
        return true;
    }
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (end == v || *end || errno || n < 0 || n > 1000000)
        return false;
    *top = (size_t)n;
    return true;
}

int masters_run_on(store *st, const city *loaded, int year, const char *chain, const masters_criteria *c,
                   const masters_listing *listing, json_t **out, lz_err *err)
{
    run r = {.st = st, .city = chain ? NULL : loaded, .year = year, .mc = c, .listing = listing};
    json_t *chains = NULL;
    int rc = r.city ? every_chain(&r, &chains, err) : each_chain(st, chain, on_chain, &r, &chains, err);
    if (rc == 0 && r.city && !city_named(r.city))
        rc = name_listed(st, chains, err);
    if (rc < 0) {
        json_decref(chains);
        return rc;
    }
    *out = json_pack("{s:i, s:o, s:o}", "year", year, "criteria", masters_criteria_json(c), "chains", chains);
    return 0;
}

int masters_run(store *st, int year, const char *chain, const masters_criteria *c, const masters_listing *listing, json_t **out,
                lz_err *err)
{
    city *own = NULL;
    int rc = chain ? 0 : city_load(st, year, CITY_MASTERS, &own, err);
    if (rc == 0)
        rc = masters_run_on(st, own, year, chain, c, listing, out, err);
    city_free(own);
    return rc;
}
