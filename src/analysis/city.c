/*
 * city — the whole city in memory (see city.h). Loading: the chains, then every enterprise into
 * an array found by a hash of its USCC, the indicators onto it, the confirmed memberships grouped
 * by chain and segment, each enterprise's list of distinct chains, and last each supply link
 * copied to the chains of its customer, grouped by chain. Loaded for the masters (CITY_MASTERS),
 * each enterprise also gets the criteria's figures of four years, and the links of customers
 * outside the city stay (the masters' purchases count them).
 *
 * A row is joined to its enterprise by a guess where the table comes in the enterprises' order
 * (ent_near), else by a hash lookup made a batch at a time (waiting): on a million rows in no
 * useful order (the indicators' packs come in USCC order), lookups one by one cost a cache miss
 * each, and a batch overlaps them.
 *
 * Inside a snapshot with a twin (store_read_begin_twin) the tables are read two at a time, the
 * second on the twin in a thread of its own: the memberships while the enterprises are read and
 * indexed, then the links while the memberships are placed and the indicators read. For the
 * masters and the clusters' growth the indicators are read in pieces (of their packs, or of the
 * table where a year has none: analysis_sql_plan_pieces), each thread taking the next one left
 * once its own step is done. The two threads write disjoint parts of the city (their own arrays and arenas,
 * other fields of an enterprise) and read only what the step before finished, or what the other
 * thread handed over through an atomic: the enterprises' index, which the memberships' thread
 * touches ahead of its writer (claim_index), and the inputs of placing the links, which the thread
 * that finishes the second of them places (links_input_ready).
 */
#include "analysis/city.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/pair.h"
#include "core/sort_u64.h"
#include "core/strmap.h"

typedef struct ent {
    const char *uscc;
    int64_t output, prior;
    int32_t chains; /* head of its distinct chains in city.nodes, -1 when none */
    bool local, output_known, prior_known, above_scale;
} ent;

/* An enterprise's name and division, beside ents when loaded with CITY_NAMES. */
typedef struct label {
    const char *name, *division;
} label;

/* A confirmed membership of an enterprise of ents in a chain of chains; segment and role number
 * city.words. */
typedef struct mem {
    int32_t chain, ent, segment, role;
} mem;

/* A confirmed membership as read, its segment and role numbered among city.words, before its
 * enterprise is looked up (the enterprises may still be being read). */
typedef struct raw_mem {
    int32_t chain, segment, role;
    int32_t ent;      /* its enterprise once looked up (place_members), -1 for none */
    const char *uscc; /* in city.b */
} raw_mem;

/* A link of the year from a known supplier to a known local customer, before it is copied to the
 * customer's chains (the memberships may still be being placed). */
typedef struct raw_link {
    int32_t supplier, customer;
    int64_t amount;
} raw_link;

/* A supply link of the year counted in one chain (the chain's range of city.buys holds it). */
typedef struct buy {
    int32_t supplier, customer;
    int64_t amount;
} buy;

typedef struct node {
    int32_t chain, next;
} node;

typedef struct chn {
    const char *code, *cluster;
    size_t mem_lo, mem_hi, buy_lo, buy_hi; /* its ranges of city.mems and city.buys */
} chn;

/* Where a table's previous row was found (ent_near), and whether its rows have been coming in the
 * enterprises' order, so that guessing is worth a comparison. */
typedef struct near {
    int32_t last;
    bool guess;
} near;

struct city {
    arena a, b; /* a: the enterprises' texts; b: the words and the memberships' codes as read */
    int year;
    unsigned parts;
    ent *ents;
    label *labels; /* beside ents, CITY_NAMES only */
    size_t labelcap;
    masters_sql_figures *figs; /* beside ents, CITY_MASTERS only */
    size_t figcap;
    atomic_bool ents_read;     /* the enterprises are read and indexed (the memberships' thread stops prefaulting) */
    atomic_bool index_wanted;  /* the enterprises are read: their index is to be written */
    atomic_int index_prefault; /* PREFAULT_: the memberships' thread's touching of the index */
    size_t nents, entcap;
    strmap ent_index;
    chn *chains;
    size_t nchains, chcap;
    strmap chain_index;
    mem *mems; /* sorted by chain and segment (place_members) */
    size_t nmems;
    buy *buys;
    node *nodes;
    size_t nnodes;
    analysis_sql_plan indicators; /* CITY_MASTERS, CITY_GROWTH: how the indicators are read in pieces */
    atomic_int indicators_next;   /* the next of the INDICATOR_PIECES pieces no thread has taken */
    atomic_int links_inputs;      /* of the links read and the memberships indexed, how many are done */
    const char **words;           /* segment codes and roles, each copied once */
    size_t nwords, wordcap;
    strmap word_index;
    raw_mem *raw_mems; /* the memberships read (read_memberships), until placed */
    size_t nraw_mems;
    raw_link *raw_links; /* the links read (read_links), until placed */
    size_t nraw_links;
};

/* Rows read whose enterprise is still to be looked up: a table read in no useful order hands its
 * keys over a batch at a time (strmap_get_many), so that their cache misses overlap. Each table
 * read at the same time has its own. */
enum { WAITING_MAX = 256, WAITING_KEY = 24 /* room for a USCC (18 bytes) */ };

typedef union waiting_row {
    raw_link link;                 /* a link of a known customer, waiting for its supplier */
    analysis_sql_indicator output; /* an output (its uscc not kept) */
    analysis_sql_yearly figures;   /* a year's figures for the masters (its uscc not kept) */
} waiting_row;

typedef struct reader reader;

typedef struct waiting {
    void (*take)(reader *rd, int32_t found, const waiting_row *row); /* a row whose enterprise was found */
    size_t n;
    char text[WAITING_MAX][WAITING_KEY];
    const char *keys[WAITING_MAX]; /* keys[k] is text[k] */
    size_t lens[WAITING_MAX];
    int32_t found[WAITING_MAX];
    waiting_row rows[WAITING_MAX];
} waiting;

/* A thread's read of one table into the city: where its previous row's enterprise was (ent_near),
 * the rows waiting for theirs, and what it gathers (links; memberships, with the previous one's
 * chain, segment and role) until the read ends and hands it to the city. On the reading thread's
 * stack: two threads reading at once then write their own memory row after row, not fields of the
 * city that share a cache line (which bounced between the cores and cost the overview a seventh of
 * its time). */
struct reader {
    city *c;
    near nr;
    waiting *w;
    raw_link *links;
    size_t nlinks, linkcap;
    raw_mem *mems;
    size_t nmems, memcap;
    int32_t last_chain, last_segment, last_role; /* chain_number's, word_number's */
};

static waiting *waiting_new(void (*take)(reader *rd, int32_t found, const waiting_row *row))
{
    waiting *w = xmalloc(sizeof *w);
    w->take = take;
    w->n = 0;
    for (size_t k = 0; k < WAITING_MAX; k++)
        w->keys[k] = w->text[k];
    return w;
}

/* Looks up the waiting rows' enterprises and hands over those found, in the order read. */
static void waiting_flush(reader *rd)
{
    waiting *w = rd->w;
    strmap_get_many(&rd->c->ent_index, w->keys, w->lens, w->n, w->found);
    for (size_t k = 0; k < w->n; k++)
        if (w->found[k] >= 0)
            w->take(rd, w->found[k], &w->rows[k]);
    w->n = 0;
}

/* Hands over what still waits when `flush` (the read went to its end), then frees the batch. */
static void waiting_end(reader *rd, bool flush)
{
    if (flush)
        waiting_flush(rd);
    free(rd->w);
    rd->w = NULL;
}

/* The row waits for the enterprise of key (one too long to wait is looked up at once). */
static void wait_for(reader *rd, const char *key, const waiting_row *row)
{
    waiting *w = rd->w;
    size_t n = strlen(key);
    if (n >= WAITING_KEY) {
        int32_t e = strmap_get(&rd->c->ent_index, key, n);
        if (e >= 0)
            w->take(rd, e, row);
        return;
    }
    memcpy(w->text[w->n], key, n);
    w->lens[w->n] = n;
    w->rows[w->n] = *row;
    if (++w->n == WAITING_MAX)
        waiting_flush(rd);
}

static const char *copy(city *c, const char *s)
{
    return arena_strndup(&c->a, s, strlen(s));
}

static int32_t ent_of(const city *c, const char *uscc)
{
    return strmap_get(&c->ent_index, uscc, strlen(uscc));
}

/* How far past the previous row's enterprise ent_near looks: a year's indicators skip the
 * enterprises with none that year. */
enum { NEAR_AHEAD = 8 };

/* The enterprise of uscc. A table stored grouped by enterprise in the enterprises' order (an import
 * writes a sheet's rows in turn) finds it at the previous row's enterprise or a few after: a
 * comparison or two in cache where the hash costs two misses in a hundred megabytes. Guessing
 * starts once two rows in turn were found that way and stops at the first miss, so a table in
 * another order costs a few wasted comparisons per run of luck, not per row. */
static int32_t ent_near(const city *c, const char *uscc, near *nr)
{
    for (int32_t k = nr->last; nr->guess && k <= nr->last + NEAR_AHEAD && (size_t)k < c->nents; k++)
        if (strcmp(c->ents[k].uscc, uscc) == 0)
            return nr->last = k;
    int32_t i = ent_of(c, uscc);
    nr->guess = i >= 0 && i >= nr->last && i <= nr->last + NEAR_AHEAD;
    if (i >= 0)
        nr->last = i;
    return i;
}

/* ---- loading ------------------------------------------------------------------------------- */

static int on_chain(void *ctx, const analysis_sql_chain *r)
{
    city *c = ctx;
    c->chains = xgrow(c->chains, c->nchains, &c->chcap, sizeof *c->chains);
    chn *ch = &c->chains[c->nchains];
    *ch = (chn){.code = copy(c, r->code), .cluster = copy(c, r->cluster)};
    strmap_put(&c->chain_index, ch->code, strlen(ch->code), (int32_t)c->nchains++);
    return 0;
}

static int on_enterprise(void *ctx, const analysis_sql_enterprise *r)
{
    city *c = ctx;
    c->ents = xgrow(c->ents, c->nents, &c->entcap, sizeof *c->ents);
    ent *e = &c->ents[c->nents];
    *e = (ent){.uscc = copy(c, r->uscc), .local = r->local, .chains = -1};
    if (c->parts & CITY_NAMES) {
        c->labels = xgrow(c->labels, c->nents, &c->labelcap, sizeof *c->labels);
        c->labels[c->nents] = (label){*r->name ? copy(c, r->name) : "", *r->division ? copy(c, r->division) : ""};
    }
    c->nents++;
    return 0;
}

/* The name and division of enterprise e, "" without CITY_NAMES. */
static label label_of(const city *c, int32_t e)
{
    return c->labels ? c->labels[e] : (label){"", ""};
}

/* The USCC index of the enterprises, built at once (strmap_put_all overlaps the cache misses of a
 * million inserts); the USCC is the table's key, so each is there once. */
static void index_enterprises(city *c)
{
    const char **keys = xmalloc((c->nents ? c->nents : 1) * sizeof *keys);
    for (size_t i = 0; i < c->nents; i++)
        keys[i] = c->ents[i].uscc;
    strmap_put_all(&c->ent_index, keys, c->nents, 0);
    free(keys);
}

/* The output of the year (with its above-size flag) or of the year before. */
static void set_output(ent *e, bool of_the_year, bool known, int64_t fen, bool above_scale)
{
    if (of_the_year) {
        e->output_known = known;
        e->output = fen;
        e->above_scale = above_scale;
    } else {
        e->prior_known = known;
        e->prior = fen;
    }
}

static void add_indicator(city *c, int32_t e, const analysis_sql_indicator *r)
{
    set_output(&c->ents[e], r->year == c->year, r->output_known, r->output_fen, r->above_scale);
}

static int on_indicator(void *ctx, const analysis_sql_indicator *r)
{
    reader *rd = ctx;
    int32_t i = ent_near(rd->c, r->uscc, &rd->nr);
    if (i >= 0)
        add_indicator(rd->c, i, r);
    return 0;
}

static void take_indicator(reader *rd, int32_t found, const waiting_row *row)
{
    add_indicator(rd->c, found, &row->output);
}

static void take_output(reader *rd, int32_t found, const waiting_row *row)
{
    set_output(&rd->c->ents[found], true, row->output.output_known, row->output.output_fen, false);
}

/* An output read in no useful order (the year's through the index, in the outputs' order; the
 * packs' rows, in USCC order): it waits for a batch, which take_output or take_indicator takes. */
static int on_output(void *ctx, const analysis_sql_indicator *r)
{
    wait_for(ctx, r->uscc, &(waiting_row){.output = *r});
    return 0;
}

/* A row of the four years' indicators: the output as on_indicator, and the figures. Each year of
 * an enterprise writes fields of its own, so two threads may add rows of one enterprise at once
 * (where a piece ends amid its rows). */
static void add_figures(city *c, int32_t e, const analysis_sql_yearly *r)
{
    int back = c->year - r->year;
    if (back <= 1)
        set_output(&c->ents[e], back == 0, r->known[MSF_OUTPUT], r->fen[MSF_OUTPUT], r->above_scale);
    masters_sql_add_year(&c->figs[e], back, r->known, r->fen, r->above_scale);
}

static int on_figures(void *ctx, const analysis_sql_yearly *r)
{
    reader *rd = ctx;
    int32_t i = ent_near(rd->c, r->uscc, &rd->nr);
    if (i >= 0)
        add_figures(rd->c, i, r);
    return 0;
}

static void take_figures(reader *rd, int32_t found, const waiting_row *row)
{
    add_figures(rd->c, found, &row->figures);
}

/* Figures from the packs, in USCC order rather than the enterprises': they wait for a batch. */
static int on_packed_figures(void *ctx, const analysis_sql_yearly *r)
{
    wait_for(ctx, r->uscc, &(waiting_row){.figures = *r});
    return 0;
}

/* The word's one copy in the city and its number: a million memberships name a few dozen segments
 * and four roles. */
static int32_t intern(city *c, const char *s)
{
    size_t n = strlen(s);
    int32_t id = strmap_get(&c->word_index, s, n);
    if (id < 0) {
        c->words = xgrow(c->words, c->nwords, &c->wordcap, sizeof *c->words);
        c->words[c->nwords] = arena_strndup(&c->b, s, n);
        id = strmap_put(&c->word_index, c->words[c->nwords], n, (int32_t)c->nwords);
        c->nwords++;
    }
    return id;
}

/* The number of a membership's chain (-1: none such), segment or role: the previous row's when
 * the text is the same, as it mostly is in a table written a chain's segment at a time. */
static int32_t chain_number(reader *rd, const char *code)
{
    const city *c = rd->c;
    if (rd->last_chain < 0 || strcmp(code, c->chains[rd->last_chain].code) != 0)
        rd->last_chain = strmap_get(&c->chain_index, code, strlen(code));
    return rd->last_chain;
}

static int32_t word_number(city *c, const char *s, int32_t *last)
{
    if (*last < 0 || strcmp(s, c->words[*last]) != 0)
        *last = intern(c, s);
    return *last;
}

static int on_membership(void *ctx, const analysis_sql_membership *r)
{
    reader *rd = ctx;
    city *c = rd->c;
    int32_t ch = chain_number(rd, r->chain);
    if (ch < 0)
        return 0; /* dangling: `lianzhang check` reports it */
    rd->mems = xgrow(rd->mems, rd->nmems, &rd->memcap, sizeof *rd->mems);
    rd->mems[rd->nmems++] = (raw_mem){.chain = ch,
                                      .segment = word_number(c, r->segment, &rd->last_segment),
                                      .role = word_number(c, r->role, &rd->last_role),
                                      .uscc = arena_strndup(&c->b, r->uscc, strlen(r->uscc))};
    return 0;
}

typedef struct numbered_word {
    const char *word;
    int32_t id;
} numbered_word;

static int by_word(const void *a, const void *b)
{
    return strcmp(((const numbered_word *)a)->word, ((const numbered_word *)b)->word);
}

/* Each word's rank among the words in byte order (by its number): the order of segment codes. */
static int32_t *word_ranks(const city *c)
{
    size_t n = c->nwords ? c->nwords : 1;
    numbered_word *order = xmalloc(n * sizeof *order);
    int32_t *rank = xmalloc(n * sizeof *rank);
    for (size_t i = 0; i < c->nwords; i++)
        order[i] = (numbered_word){c->words[i], (int32_t)i};
    qsort(order, c->nwords, sizeof *order, by_word);
    for (size_t i = 0; i < c->nwords; i++)
        rank[order[i].id] = (int32_t)i;
    free(order);
    return rank;
}

/* The memberships as read, each on its enterprise (those of no enterprise left out: `lianzhang
 * check` reports them), sorted by chain and segment code straight from the rows read (a counting
 * sort), in the order read within each. */
static void place_members(city *c)
{
    int32_t *rank = word_ranks(c);
    size_t groups = c->nchains * c->nwords, *next = xcalloc(groups + 1, sizeof *next);
    near nr = {0};
    for (size_t j = 0; j < c->nraw_mems; j++) {
        raw_mem *r = &c->raw_mems[j];
        r->ent = ent_near(c, r->uscc, &nr);
        if (r->ent >= 0)
            next[(size_t)r->chain * c->nwords + (size_t)rank[r->segment] + 1]++;
    }
    for (size_t g = 0; g < groups; g++)
        next[g + 1] += next[g];
    c->nmems = next[groups];
    c->mems = xmalloc((c->nmems ? c->nmems : 1) * sizeof *c->mems);
    for (size_t j = 0; j < c->nraw_mems; j++) {
        const raw_mem *r = &c->raw_mems[j];
        if (r->ent >= 0)
            c->mems[next[(size_t)r->chain * c->nwords + (size_t)rank[r->segment]]++] =
                (mem){.chain = r->chain, .ent = r->ent, .segment = r->segment, .role = r->role};
    }
    free(next);
    free(rank);
    free(c->raw_mems);
    c->raw_mems = NULL;
}

/* Sets each chain's range of the memberships and each enterprise's distinct chains (a node per
 * enterprise and chain: at most one per membership). */
static void index_members(city *c)
{
    c->nodes = xmalloc((c->nmems ? c->nmems : 1) * sizeof *c->nodes);
    for (size_t i = 0, j = 0; i < c->nchains; i++) {
        c->chains[i].mem_lo = j;
        for (; j < c->nmems && c->mems[j].chain == (int32_t)i; j++) {
            ent *e = &c->ents[c->mems[j].ent];
            if (e->chains >= 0 && c->nodes[e->chains].chain == (int32_t)i)
                continue; /* the chain's memberships come together: a repeat heads the list */
            c->nodes[c->nnodes] = (node){(int32_t)i, e->chains};
            e->chains = (int32_t)c->nnodes++;
        }
        c->chains[i].mem_hi = j;
    }
}

static void take_link(reader *rd, int32_t supplier, const waiting_row *row)
{
    rd->links = xgrow(rd->links, rd->nlinks, &rd->linkcap, sizeof *rd->links);
    rd->links[rd->nlinks++] = (raw_link){supplier, row->link.customer, row->link.amount};
}

/* A link's customer is found near the previous one's (the table is stored by customer); its
 * supplier waits for a batch. */
static int on_link(void *ctx, const analysis_sql_link *r)
{
    reader *rd = ctx;
    const city *c = rd->c;
    int32_t cu = ent_near(c, r->customer, &rd->nr);
    if (cu < 0 || (!c->ents[cu].local && !(c->parts & CITY_MASTERS)))
        return 0;
    wait_for(rd, r->supplier, &(waiting_row){.link = {-1, cu, r->amount_fen}});
    return 0;
}

/* Each link copied to every chain its customer is a member of, grouped by chain (a counting sort
 * straight from the links): each chain's range of city.buys. */
static void place_links(city *c)
{
    for (size_t i = 0; i < c->nchains; i++)
        c->chains[i].buy_hi = 0;
    for (size_t k = 0; k < c->nraw_links; k++)
        for (int32_t n = c->ents[c->raw_links[k].customer].chains; n >= 0; n = c->nodes[n].next)
            c->chains[c->nodes[n].chain].buy_hi++;
    size_t at = 0;
    for (size_t i = 0; i < c->nchains; i++) {
        size_t n = c->chains[i].buy_hi;
        c->chains[i].buy_lo = c->chains[i].buy_hi = at;
        at += n;
    }
    c->buys = xmalloc((at ? at : 1) * sizeof *c->buys);
    for (size_t k = 0; k < c->nraw_links; k++) {
        const raw_link *l = &c->raw_links[k];
        for (int32_t n = c->ents[l->customer].chains; n >= 0; n = c->nodes[n].next)
            c->buys[c->chains[c->nodes[n].chain].buy_hi++] = (buy){l->supplier, l->customer, l->amount};
    }
    free(c->raw_links);
    c->raw_links = NULL;
}

/* ---- the steps of loading, two at a time on a twin ----------------------------------------- */

typedef int (*step_fn)(city *c, store *st, lz_err *err);

/* The memberships are read sooner than the enterprises, and their thread then touches, a huge page
 * at a time, the zeroed memory the enterprises' thread and the next step write: the kernel's
 * zeroing of it on first touch (a tenth of a second of one core and more on a million
 * enterprises) then costs nobody's time. It stops at the first step after `stop`. */
static void prefault(void *p, size_t n, const atomic_bool *stop)
{
    enum { STEP = 2 << 20 };
    unsigned char *at = p, *end = at + n;
    for (; at < end && !atomic_load(stop); at += STEP)
        memset(at, 0, (size_t)(end - at) < STEP ? (size_t)(end - at) : STEP);
}

/* The enterprises' index is written by the enterprises' thread once they are read: the prefault
 * of it runs only before that (its state goes IDLE -> BUSY -> OFF, or IDLE -> OFF unstarted). */
enum { PREFAULT_IDLE, PREFAULT_BUSY, PREFAULT_OFF };

/* Makes the index room for about n enterprises and touches it. */
static void prefault_index(city *c, size_t n)
{
    int idle = PREFAULT_IDLE;
    if (!atomic_compare_exchange_strong(&c->index_prefault, &idle, PREFAULT_BUSY))
        return;
    strmap_reserve(&c->ent_index, n);
    prefault(c->ent_index.slots, c->ent_index.cap * sizeof *c->ent_index.slots, &c->index_wanted);
    atomic_store(&c->index_prefault, PREFAULT_OFF);
}

/* Stops the index's prefault, waiting out the huge page being touched (a millisecond or so). */
static void claim_index(city *c)
{
    atomic_store(&c->index_wanted, true);
    int idle = PREFAULT_IDLE;
    if (atomic_compare_exchange_strong(&c->index_prefault, &idle, PREFAULT_OFF))
        return;
    while (atomic_load(&c->index_prefault) != PREFAULT_OFF) {
        /* the other thread is inside one memset and stops after it */
    }
}

static int read_enterprises(city *c, store *st, lz_err *err)
{
    int rc = analysis_sql_enterprises(st, c->parts & CITY_NAMES, on_enterprise, c, err);
    claim_index(c);
    if (rc == 0)
        index_enterprises(c);
    atomic_store(&c->ents_read, true);
    return rc;
}

/* The memberships, on the thread with time to spare: it then allocates and touches what the
 * enterprises' thread and the next step fill (prefault), sized by the memberships, about one per
 * enterprise (counting the enterprises would cost a walk of an index). */
static int read_memberships(city *c, store *st, lz_err *err)
{
    reader rd = {.c = c, .last_chain = -1, .last_segment = -1, .last_role = -1};
    int rc = analysis_sql_memberships(st, on_membership, &rd, err);
    c->raw_mems = rd.mems;
    c->nraw_mems = rd.nmems;
    if (rc == 0)
        prefault_index(c, rd.nmems);
    if (rc == 0 && (c->parts & CITY_MASTERS)) { /* the figures are first written in the next step */
        c->figcap = rd.nmems ? rd.nmems : 1;
        c->figs = xcalloc(c->figcap, sizeof *c->figs);
        prefault(c->figs, c->figcap * sizeof *c->figs, &c->ents_read);
    }
    return rc;
}

/* The figures of every enterprise read, zero (allocated ahead for as many as the memberships). */
static void size_figures(city *c)
{
    if ((c->parts & CITY_MASTERS) && c->nents > c->figcap) {
        c->figs = xrealloc(c->figs, c->nents * sizeof *c->figs);
        memset(c->figs + c->figcap, 0, (c->nents - c->figcap) * sizeof *c->figs);
        c->figcap = c->nents;
    }
}

/* The indicators in this many pieces (CITY_MASTERS, CITY_GROWTH): the two threads come to them
 * after steps of different lengths (placing the memberships, reading the links), and each takes
 * the next piece left until none is. */
enum { INDICATOR_PIECES = 16 };

static bool in_pieces(const city *c)
{
    return c->parts & (CITY_MASTERS | CITY_GROWTH);
}

/* The pieces no thread has taken yet, one after the other: the masters' figures of four years, or
 * the output of the year and the year before with the above-size flags. */
static int read_indicator_pieces(city *c, store *st, lz_err *err)
{
    bool masters = c->parts & CITY_MASTERS, packed = c->indicators.packed;
    reader rd = {.c = c, .w = packed ? waiting_new(masters ? take_figures : take_indicator) : NULL};
    int rc = 0;
    for (int k; rc == 0 && (k = atomic_fetch_add(&c->indicators_next, 1)) < INDICATOR_PIECES;)
        rc = masters ? analysis_sql_figures_piece(st, &c->indicators, k, INDICATOR_PIECES, packed ? on_packed_figures : on_figures,
                                                  &rd, err)
                     : analysis_sql_indicators_piece(st, &c->indicators, k, INDICATOR_PIECES, packed ? on_output : on_indicator,
                                                     &rd, err);
    if (packed)
        waiting_end(&rd, rc == 0);
    return rc;
}

/* The output of the year alone (diagnosis), else pieces of the indicators (the other thread reads
 * the rest). */
static int read_indicators(city *c, store *st, lz_err *err)
{
    if (in_pieces(c))
        return read_indicator_pieces(c, st, err);
    reader rd = {.c = c, .w = waiting_new(take_output)};
    int rc = analysis_sql_outputs(st, c->year, on_output, &rd, err);
    waiting_end(&rd, rc == 0);
    return rc;
}

/* One of place_links' two inputs is ready: the thread that finishes the second places the links
 * before it reads its pieces of the indicators, so that placing them is shared out with the pieces
 * rather than run after them on one core. */
static void links_input_ready(city *c)
{
    if (atomic_fetch_add(&c->links_inputs, 1) == 1)
        place_links(c);
}

static int place_members_read_indicators(city *c, store *st, lz_err *err)
{
    place_members(c);
    index_members(c);
    links_input_ready(c);
    return read_indicators(c, st, err);
}

/* The year's links; then, for the masters and the clusters' growth, pieces of the indicators. */
static int read_links(city *c, store *st, lz_err *err)
{
    reader rd = {.c = c, .w = waiting_new(take_link), .linkcap = c->nents ? c->nents : 1}; /* about one a year per enterprise */
    rd.links = xmalloc(rd.linkcap * sizeof *rd.links);
    int rc = analysis_sql_links(st, c->year, on_link, &rd, err);
    waiting_end(&rd, rc == 0);
    c->raw_links = rd.links;
    c->nraw_links = rd.nlinks;
    if (rc == 0)
        links_input_ready(c);
    if (rc == 0 && in_pieces(c))
        rc = read_indicator_pieces(c, st, err);
    return rc;
}

typedef struct step_job {
    city *c;
    store *st;
    step_fn fn;
    int rc;
    lz_err err;
} step_job;

static void run_step(void *arg)
{
    step_job *j = arg;
    j->rc = j->fn(j->c, j->st, &j->err);
}

/* first on st and, at the same time, second on the twin; without a twin (or a thread) one after
 * the other on st. The first error of either. */
static int two_steps(city *c, store *st, step_fn first, store *twin, step_fn second, lz_err *err)
{
    step_job here = {.c = c, .st = st, .fn = first}, there = {.c = c, .st = twin, .fn = second};
    if (!twin || !pair_run(run_step, &here, run_step, &there)) {
        int rc = first(c, st, err);
        return rc ? rc : second(c, st, err);
    }
    step_job *failed = here.rc ? &here : there.rc ? &there : NULL;
    if (failed && err)
        *err = failed->err;
    return failed ? failed->rc : 0;
}

int city_load(store *st, int year, unsigned parts, city **out, lz_err *err)
{
    city *c = xcalloc(1, sizeof *c);
    c->parts = parts;
    arena_init(&c->a, 8 << 20); /* blocks large enough for huge pages: a million names and codes */
    arena_init(&c->b, 8 << 20);
    c->year = year;
    atomic_init(&c->indicators_next, 0);
    atomic_init(&c->links_inputs, 0);
    atomic_init(&c->ents_read, false);
    atomic_init(&c->index_wanted, false);
    atomic_init(&c->index_prefault, PREFAULT_IDLE);
    int rc = analysis_sql_chains(st, NULL, on_chain, c, err);
    if (rc == 0 && in_pieces(c))
        rc = analysis_sql_plan_pieces(st, year, c->parts & CITY_MASTERS ? 3 : 1, &c->indicators, err);
    if (rc == 0) {
        rc = two_steps(c, st, read_enterprises, store_twin(st), read_memberships, err);
        size_figures(c);
    }
    if (rc == 0)
        rc = two_steps(c, st, place_members_read_indicators, store_twin(st), read_links, err);
    if (rc < 0) {
        city_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void city_free(city *c)
{
    if (!c)
        return;
    free(c->ents);
    free(c->labels);
    free(c->figs);
    free(c->chains);
    free(c->mems);
    free(c->buys);
    free(c->nodes);
    free(c->words);
    free(c->raw_mems);
    free(c->raw_links);
    strmap_free(&c->word_index);
    strmap_free(&c->ent_index);
    strmap_free(&c->chain_index);
    arena_free(&c->a);
    arena_free(&c->b);
    free(c);
}

/* ---- the rows ------------------------------------------------------------------------------ */

bool city_named(const city *c)
{
    return c->parts & CITY_NAMES;
}

size_t city_enterprises(const city *c)
{
    return c->nents;
}

static const chn *chain_of(const city *c, const char *code)
{
    int32_t i = strmap_get(&c->chain_index, code, strlen(code));
    return i >= 0 ? &c->chains[i] : NULL;
}

size_t city_chain_memberships(const city *c, const char *chain)
{
    const chn *ch = chain_of(c, chain);
    return ch ? ch->mem_hi - ch->mem_lo : 0;
}

int city_members(const city *c, const char *chain, int (*fn)(void *ctx, const analysis_sql_member *r), void *ctx)
{
    const chn *ch = chain_of(c, chain);
    for (size_t j = ch ? ch->mem_lo : 0; ch && j < ch->mem_hi; j++) {
        const mem *m = &c->mems[j];
        const ent *e = &c->ents[m->ent];
        label l = label_of(c, m->ent);
        analysis_sql_member r = {.chain = ch->code,
                                 .segment = c->words[m->segment],
                                 .uscc = e->uscc,
                                 .role = c->words[m->role],
                                 .name = l.name,
                                 .division = l.division,
                                 .local = e->local,
                                 .output_known = e->output_known,
                                 .output_fen = e->output,
                                 .id = m->ent};
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
        if (!c->ents[b->customer].local)
            continue; /* kept for the masters (CITY_MASTERS) */
        analysis_sql_purchase r = {ch->code, s->uscc, c->ents[b->customer].uscc, b->amount, s->local, b->supplier, b->customer};
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

/* ---- the masters' rows (CITY_MASTERS) ------------------------------------------------------ */

int city_masters_candidates(const city *c, const char *chain, int (*fn)(void *ctx, const masters_sql_candidate *r), void *ctx)
{
    const chn *ch = chain_of(c, chain);
    if (!ch || !c->figs)
        return 0;
    /* The chain's memberships by enterprise (a radix sort of enterprise and role rank): an
     * enterprise's come together, its highest role first. */
    size_t n = ch->mem_hi - ch->mem_lo;
    uint64_t *order = xmalloc((n ? n : 1) * sizeof *order), *scratch = xmalloc((n ? n : 1) * sizeof *scratch);
    int *role_rank = xmalloc((c->nwords ? c->nwords : 1) * sizeof *role_rank); /* by word: a few dozen */
    for (size_t w = 0; w < c->nwords; w++)
        role_rank[w] = masters_sql_role_rank(c->words[w]);
    for (size_t j = 0; j < n; j++) {
        const mem *m = &c->mems[ch->mem_lo + j];
        order[j] = (uint64_t)m->ent << 8 | (uint64_t)role_rank[m->role];
    }
    free(role_rank);
    sort_u64(order, n, scratch);
    int rc = 0;
    for (size_t j = 0; j < n && rc == 0; j++) {
        int32_t e = (int32_t)(order[j] >> 8);
        if (j > 0 && (int32_t)(order[j - 1] >> 8) == e)
            continue;
        const ent *en = &c->ents[e];
        masters_sql_candidate r = {.uscc = en->uscc,
                                   .name = label_of(c, e).name,
                                   .role = (int)(order[j] & 0xff),
                                   .local = en->local,
                                   .f = c->figs[e],
                                   .id = e};
        rc = fn(ctx, &r);
    }
    free(order);
    free(scratch);
    return rc;
}

int city_masters_purchases(const city *c, const char *chain, int (*fn)(void *ctx, const masters_sql_purchase *r), void *ctx)
{
    const chn *ch = chain_of(c, chain);
    for (size_t k = ch && c->figs ? ch->buy_lo : 0; ch && c->figs && k < ch->buy_hi; k++) {
        const buy *b = &c->buys[k];
        masters_sql_purchase r = {c->ents[b->customer].uscc, c->ents[b->supplier].uscc, b->amount, b->customer, b->supplier};
        int rc = fn(ctx, &r);
        if (rc)
            return rc;
    }
    return 0;
}
