/*
 * diagnosis — the chain diagnosis (see diagnosis.h). Every chain reads the whole city once
 * (city.h); one chain alone reads its own rows through the chain's index. Then one chain at a
 * time: its segments, then its confirmed members (placing each enterprise on its segments and
 * adding up local output), then the purchases of its local members, each added to the supplier's segments and to the flow
 * between the supplier's and the customer's segments. Labels and breaks follow from those sums.
 * Every sum is exact: money in int64 fen with overflow checked, concentration in 128 bits.
 */
#include "analysis/diagnosis.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/city.h"
#include "analysis/each_chain.h"
#include "analysis/id_map.h"
#include "analysis/ratio.h"
#include "core/arena.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "store/analysis_sql.h"

typedef enum label { LABEL_MISSING, LABEL_THIN, LABEL_STRONG } label;
static const char *const label_names[] = {"missing", "thin", "strong"};

/* Reason templates by policy_lang; %1.. are the figures, in the order the caller gives them. */
enum reason { R_MISSING, R_FEW, R_LOW_RATE, R_ENOUGH, R_RATE_OK, R_NO_PURCHASES };
static const char *const reasons[][3] = {
    [R_MISSING] = {"本环节没有本地企业", "本環節沒有本地企業", "no local enterprise on the segment"},
    [R_FEW] = {"本地企业仅%1家（不超过%2家为薄弱）", "本地企業僅%1家（不超過%2家為薄弱）",
               "only %1 local enterprise(s) (thin at %2 or fewer)"},
    [R_LOW_RATE] = {"本地配套率%1，低于%2（采购%3元，其中本地%4元）", "本地配套率%1，低於%2（採購%3元，其中本地%4元）",
                    "local supply rate %1 below %2 (purchases %3 yuan, of which local %4 yuan)"},
    [R_ENOUGH] = {"本地企业%1家（多于%2家）", "本地企業%1家（多於%2家）", "%1 local enterprises (more than %2)"},
    [R_RATE_OK] = {"本地配套率%1，不低于%2", "本地配套率%1，不低於%2", "local supply rate %1, not below %2"},
    [R_NO_PURCHASES] = {"本年度无采购记录", "本年度無採購記錄", "no purchases in the year"},
};

typedef struct seg {
    const char *code, *name, *stage, *feeds;
    int64_t local_firms, output, top1, purchases, local_purchases;
    unsigned __int128 sumsq; /* sum of squared outputs of local firms, for the HHI */
} seg;

typedef struct place {
    int32_t seg;
    struct place *next;
} place;

typedef struct firm {
    const char *uscc, *name, *division, *role; /* role: its chain master or backbone role, else NULL */
    bool local, counted;                       /* counted: its output is in the chain's already */
    int32_t first_segment;                     /* members come by segment: its first is its lowest */
    place *on;
    int64_t purchases, local_purchases; /* as a customer */
} firm;

typedef struct work {
    arena a;
    seg *segs;
    size_t nsegs, segcap;
    strmap seg_index, firm_index, unplaced_index;
    firm *firms;
    size_t nfirms, firmcap;
    int64_t *flow;       /* nsegs x nsegs: purchases from a supplier on row to a customer on column */
    uint8_t *local_flow; /* nsegs x nsegs: some of that flow is local */
    int64_t purchases, local_purchases, output, unplaced, unplaced_local;
    int32_t last_supplier, last_customer; /* the firms of the previous purchase, -1 when none */
    int32_t last_segment;                 /* the previous member's segment, -1 when none */
    /* Rows with ids (the whole city's): each enterprise's firm by id, or a FIRM_ value (the run's
     * map, a generation per chain); the strmaps serve the rows without. */
    id_map *by_id;
    size_t unplaced_suppliers;
    bool overflow;
} work;

enum { FIRM_NONE = -1, FIRM_UNPLACED = -2 }; /* not one; counted among the unplaced suppliers */

static int32_t firm_by_id(const work *w, int32_t id)
{
    return id_map_get(w->by_id, id, FIRM_NONE);
}

static void set_firm_by_id(work *w, int32_t id, int32_t index)
{
    id_map_set(w->by_id, id, index);
}

static bool add(work *w, int64_t *sum, int64_t v)
{
    if (!money_add(*sum, v, sum))
        w->overflow = true;
    return !w->overflow;
}

static const char *copy(work *w, const char *s)
{
    return arena_strndup(&w->a, s, strlen(s));
}

static int on_segment(void *ctx, const analysis_sql_segment *r)
{
    work *w = ctx;
    if (w->nsegs == w->segcap) {
        w->segcap = w->segcap ? w->segcap * 2 : 16;
        w->segs = xrealloc(w->segs, w->segcap * sizeof *w->segs);
    }
    seg *s = &w->segs[w->nsegs];
    *s = (seg){.code = copy(w, r->code), .name = copy(w, r->name), .stage = copy(w, r->stage), .feeds = copy(w, r->feeds)};
    strmap_put(&w->seg_index, s->code, strlen(s->code), (int32_t)w->nsegs++);
    return 0;
}

/* A text of a member row, kept while the chain is diagnosed: the city's own live that long (a
 * row with an id is the city's), a query's are copied. */
static const char *kept(work *w, const analysis_sql_member *r, const char *text)
{
    return r->id >= 0 ? text : copy(w, text);
}

/* The firm of an enterprise (by its id, or by its USCC where the rows have no ids), or a negative
 * FIRM_ value. */
static int32_t firm_find(const work *w, int32_t id, const char *uscc)
{
    return id >= 0 ? firm_by_id(w, id) : strmap_get(&w->firm_index, uscc, strlen(uscc));
}

/* The firm of a member, added when new (its USCC copied into the arena). */
static firm *firm_of(work *w, const analysis_sql_member *r)
{
    int32_t i = firm_find(w, r->id, r->uscc);
    if (i >= 0)
        return &w->firms[i];
    if (w->nfirms == w->firmcap) {
        w->firmcap = w->firmcap ? w->firmcap * 2 : 64;
        w->firms = xrealloc(w->firms, w->firmcap * sizeof *w->firms);
    }
    firm *f = &w->firms[w->nfirms];
    *f = (firm){.uscc = kept(w, r, r->uscc), .local = r->local, .first_segment = w->last_segment};
    if (r->id >= 0)
        set_firm_by_id(w, r->id, (int32_t)w->nfirms++);
    else
        strmap_put(&w->firm_index, f->uscc, strlen(f->uscc), (int32_t)w->nfirms++);
    return f;
}

/* The roles whose own supply rate the chain leader follows: chain masters first, then backbone.
 * Only those firms are listed by name, so only theirs are copied. */
static void note_role(work *w, firm *f, const analysis_sql_member *r)
{
    if (strcmp(r->role, "chain_master") != 0 && (f->role || strcmp(r->role, "backbone") != 0))
        return;
    f->role = kept(w, r, r->role);
    if (!f->name) {
        f->name = kept(w, r, r->name);
        f->division = kept(w, r, r->division);
    }
}

static void add_output(work *w, seg *s, firm *f, int64_t output)
{
    s->local_firms++;
    if (!add(w, &s->output, output))
        return;
    if (output > s->top1)
        s->top1 = output;
    unsigned __int128 sq = (unsigned __int128)output * (unsigned __int128)output;
    if (__builtin_add_overflow(s->sumsq, sq, &s->sumsq))
        w->overflow = true;
    if (!f->counted && add(w, &w->output, output))
        f->counted = true;
}

/* The segment of a member's code: members come by segment, so the previous member's is compared
 * before the hash. */
static int32_t segment_of(work *w, const char *code)
{
    if (w->last_segment < 0 || strcmp(w->segs[w->last_segment].code, code) != 0)
        w->last_segment = strmap_get(&w->seg_index, code, strlen(code));
    return w->last_segment;
}

static int on_member(void *ctx, const analysis_sql_member *r)
{
    work *w = ctx;
    int32_t si = segment_of(w, r->segment);
    if (si < 0)
        return 0; /* a dangling segment: `lianzhang check` reports it */
    firm *f = firm_of(w, r);
    note_role(w, f, r);
    place *p = arena_alloc(&w->a, sizeof *p);
    *p = (place){si, f->on};
    f->on = p;
    if (r->local)
        add_output(w, &w->segs[si], f, r->output_known ? r->output_fen : 0);
    return w->overflow;
}

static void add_flow(work *w, const place *from, const firm *customer, const analysis_sql_purchase *r)
{
    for (const place *to = customer ? customer->on : NULL; to; to = to->next) {
        size_t k = (size_t)from->seg * w->nsegs + (size_t)to->seg;
        add(w, &w->flow[k], r->amount_fen);
        w->local_flow[k] |= r->supplier_local;
    }
}

/* The firm of a purchase's supplier or customer: one chain's purchases come grouped by supplier,
 * so without ids the previous purchase's firm is compared before the hash. */
static int32_t firm_index_of(const work *w, int32_t id, const char *uscc, int32_t *last)
{
    if (id < 0 && *last >= 0 && strcmp(w->firms[*last].uscc, uscc) == 0)
        return *last;
    int32_t i = firm_find(w, id, uscc);
    if (i >= 0)
        *last = i;
    return i;
}

/* Counts the supplier of a purchase placed on none of the chain's segments, once. */
static void note_unplaced(work *w, const analysis_sql_purchase *r)
{
    if (r->supplier_id >= 0) {
        w->unplaced_suppliers += firm_by_id(w, r->supplier_id) != FIRM_UNPLACED;
        set_firm_by_id(w, r->supplier_id, FIRM_UNPLACED);
        return;
    }
    size_t n = strlen(r->supplier), before = w->unplaced_index.count;
    strmap_put(&w->unplaced_index, arena_strndup(&w->a, r->supplier, n), n, 0);
    w->unplaced_suppliers += w->unplaced_index.count != before;
}

static int on_purchase(void *ctx, const analysis_sql_purchase *r)
{
    work *w = ctx;
    add(w, &w->purchases, r->amount_fen);
    if (r->supplier_local)
        add(w, &w->local_purchases, r->amount_fen);
    int32_t fi = firm_index_of(w, r->supplier_id, r->supplier, &w->last_supplier);
    int32_t ci = firm_index_of(w, r->customer_id, r->customer, &w->last_customer);
    if (ci >= 0) {
        add(w, &w->firms[ci].purchases, r->amount_fen);
        if (r->supplier_local)
            add(w, &w->firms[ci].local_purchases, r->amount_fen);
    }
    if (fi < 0) {
        note_unplaced(w, r);
        add(w, &w->unplaced, r->amount_fen);
        if (r->supplier_local)
            add(w, &w->unplaced_local, r->amount_fen);
        return w->overflow;
    }
    for (const place *p = w->firms[fi].on; p; p = p->next) {
        seg *s = &w->segs[p->seg];
        add(w, &s->purchases, r->amount_fen);
        if (r->supplier_local)
            add(w, &s->local_purchases, r->amount_fen);
        add_flow(w, p, ci >= 0 ? &w->firms[ci] : NULL, r);
    }
    return w->overflow;
}

/* ---- judging and writing ------------------------------------------------------------------ */

static void reason(json_t *list, enum reason r, policy_lang lang, const char *const *args)
{
    ratio_append_reason(list, reasons[r][lang], args);
}

/* The segment's label, with a reason per rule that fired (and, when strong, why no rule did). */
static label judge(const seg *s, const thresholds *th, policy_lang lang, json_t *why)
{
    int64_t max_firms = th->p[TH_THIN_MAX_ENTERPRISES].value, min_rate = th->p[TH_THIN_SUPPLY_RATE].value;
    char firms[24], limit[24], rate[RATIO_FMT_MAX], floor_rate[RATIO_FMT_MAX], all[MONEY_FMT_MAX], local[MONEY_FMT_MAX];
    snprintf(firms, sizeof firms, "%lld", (long long)s->local_firms);
    snprintf(limit, sizeof limit, "%lld", (long long)max_firms);
    ratio_format(s->local_purchases, s->purchases, rate);
    ratio_format_bp(min_rate, floor_rate);
    money_format_grouped(s->purchases, all);
    money_format_grouped(s->local_purchases, local);
    if (s->local_firms == 0) {
        reason(why, R_MISSING, lang, NULL);
        return LABEL_MISSING;
    }
    bool few = s->local_firms <= max_firms;
    bool low = s->purchases > 0 && (__int128)s->local_purchases * RATIO_ONE < (__int128)min_rate * s->purchases;
    if (few)
        reason(why, R_FEW, lang, (const char *const[]){firms, limit});
    if (low)
        reason(why, R_LOW_RATE, lang, (const char *const[]){rate, floor_rate, all, local});
    if (few || low)
        return LABEL_THIN;
    reason(why, R_ENOUGH, lang, (const char *const[]){firms, limit});
    if (s->purchases > 0)
        reason(why, R_RATE_OK, lang, (const char *const[]){rate, floor_rate});
    else
        reason(why, R_NO_PURCHASES, lang, NULL);
    return LABEL_STRONG;
}

/* HHI on output shares, 0..10000, rounded half-up; null without output (or past 128 bits). */
static json_t *hhi_json(const seg *s)
{
    if (s->output <= 0)
        return json_null();
    unsigned __int128 den = (unsigned __int128)s->output * (unsigned __int128)s->output, num;
    if (__builtin_mul_overflow(s->sumsq, (unsigned __int128)2 * RATIO_ONE, &num) || __builtin_add_overflow(num, den, &num))
        return json_null();
    return json_integer((json_int_t)(num / (2 * den)));
}

static json_t *segment_json(const work *w, const seg *s, const thresholds *th, policy_lang lang)
{
    json_t *why = json_array();
    label l = judge(s, th, lang, why);
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "code", s->code, "name", s->name, "stage",
                     s->stage, "label", label_names[l], "reasons", why, "local_enterprises", (json_int_t)s->local_firms, "output",
                     ratio_money_json(s->output), "output_share", ratio_json(s->output, w->output), "top1_share",
                     ratio_json(s->top1, s->output), "hhi", hhi_json(s), "purchases", ratio_money_json(s->purchases),
                     "local_purchases", ratio_money_json(s->local_purchases), "local_supply_rate",
                     ratio_json(s->local_purchases, s->purchases));
}

/* The `feeds` edges of the chain with no local purchase along them. */
static json_t *breaks_json(const work *w)
{
    json_t *out = json_array();
    for (size_t i = 0; i < w->nsegs; i++) {
        for (const char *p = w->segs[i].feeds; *p;) {
            size_t n = strcspn(p, ";");
            int32_t j = strmap_get(&w->seg_index, p, n);
            if (j >= 0 && !w->local_flow[i * w->nsegs + (size_t)j])
                json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "from", w->segs[i].code, "to", w->segs[j].code, "purchases",
                                                     ratio_money_json(w->flow[i * w->nsegs + (size_t)j])));
            p += n + (p[n] == ';');
        }
    }
    return out;
}

/* Firms by their lowest segment, then USCC in byte order. */
static int by_segment_uscc(const void *a, const void *b)
{
    const firm *x = *(const firm *const *)a, *y = *(const firm *const *)b;
    if (x->first_segment != y->first_segment)
        return x->first_segment < y->first_segment ? -1 : 1;
    return strcmp(x->uscc, y->uscc);
}

/* The local chain masters and backbone enterprises as customers, each with its own rate, by
 * segment and USCC (the members of one segment come in no particular order). */
static json_t *customers_json(const work *w, const char *division)
{
    const firm **listed = xmalloc((w->nfirms ? w->nfirms : 1) * sizeof *listed);
    size_t n = 0;
    for (size_t i = 0; i < w->nfirms; i++) {
        const firm *f = &w->firms[i];
        if (f->role && f->local && (!division || strcmp(division, f->division) == 0))
            listed[n++] = f;
    }
    qsort(listed, n, sizeof *listed, by_segment_uscc);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        const firm *f = listed[i];
        json_array_append_new(out,
                              json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "uscc", f->uscc, "name", f->name, "role", f->role,
                                        "division", *f->division ? json_string(f->division) : json_null(), "purchases",
                                        ratio_money_json(f->purchases), "local_purchases", ratio_money_json(f->local_purchases),
                                        "local_supply_rate", ratio_json(f->local_purchases, f->purchases)));
    }
    free(listed);
    return out;
}

static json_t *chain_json(const work *w, const analysis_sql_chain *c, const thresholds *th, const diagnosis_request *rq)
{
    json_t *segs = json_array();
    for (size_t i = 0; i < w->nsegs; i++)
        json_array_append_new(segs, segment_json(w, &w->segs[i], th, rq->lang));
    json_t *unplaced = json_pack("{s:o, s:o, s:o, s:I}", "purchases", ratio_money_json(w->unplaced), "local_purchases",
                                 ratio_money_json(w->unplaced_local), "local_supply_rate",
                                 ratio_json(w->unplaced_local, w->unplaced), "suppliers", (json_int_t)w->unplaced_suppliers);
    json_t *out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "code", c->code, "name", c->name, "purchases",
                            ratio_money_json(w->purchases), "local_purchases", ratio_money_json(w->local_purchases),
                            "local_supply_rate", ratio_json(w->local_purchases, w->purchases), "output",
                            ratio_money_json(w->output), "unplaced", unplaced, "segments", segs, "breaks", breaks_json(w));
    if (rq->by_customer)
        json_object_set_new(out, "customers", customers_json(w, rq->customer_division));
    return out;
}

static void work_free(work *w)
{
    free(w->segs);
    free(w->firms);
    free(w->flow);
    free(w->local_flow);
    strmap_free(&w->seg_index);
    strmap_free(&w->firm_index);
    strmap_free(&w->unplaced_index);
    arena_free(&w->a);
}

typedef struct run {
    store *st;
    const city *city; /* every chain: the whole city read once; one chain: NULL, read through its index */
    const diagnosis_request *rq;
    const thresholds *th;
    id_map by_id; /* with the city: its enterprises' firms in the chain at hand (work.by_id) */
} run;

/* Diagnoses one chain (each_chain's callback). */
static int on_chain(void *ctx, const analysis_sql_chain *c, json_t **doc, lz_err *err)
{
    run *r = ctx;
    work w = {.last_supplier = -1, .last_customer = -1, .last_segment = -1};
    arena_init(&w.a, 1 << 14);
    w.by_id = &r->by_id;
    id_map_next(&r->by_id);
    int rc = analysis_sql_segments(r->st, c->code, on_segment, &w, err);
    if (rc == 0 && r->city)
        city_members(r->city, c->code, on_member, &w);
    else if (rc == 0)
        rc = analysis_sql_members(r->st, c->code, r->rq->year, on_member, &w, err);
    if (rc == 0) {
        w.flow = xcalloc(w.nsegs * w.nsegs + 1, sizeof *w.flow);
        w.local_flow = xcalloc(w.nsegs * w.nsegs + 1, 1);
        if (r->city)
            city_purchases(r->city, c->code, on_purchase, &w);
        else
            rc = analysis_sql_purchases(r->st, c->code, r->rq->year, on_purchase, &w, err);
    }
    if (rc == 0 && w.overflow)
        rc = err_set(err, LZ_EINPUT, "chain %s: the year's output or purchases add up past what the figures can hold", c->code);
    if (rc == 0)
        *doc = chain_json(&w, c, r->th, r->rq);
    work_free(&w);
    return rc;
}

int diagnosis_run(store *st, const diagnosis_request *rq, const thresholds *th, json_t **out, lz_err *err)
{
    const char *chain = rq->chain;
    city *own = NULL;
    int rc = chain || rq->city ? 0 : city_load(st, rq->year, rq->by_customer ? CITY_NAMES : 0, &own, err);
    if (rc < 0)
        return rc;
    run r = {.st = st, .city = chain ? NULL : rq->city ? rq->city : own, .rq = rq, .th = th};
    if (r.city)
        id_map_init(&r.by_id, city_enterprises(r.city));
    json_t *chains = NULL;
    rc = each_chain(st, chain, on_chain, &r, &chains, err);
    if (r.city)
        id_map_free(&r.by_id);
    city_free(own);
    if (rc < 0)
        return rc;
    *out = json_pack("{s:i, s:o, s:o}", "year", rq->year, "thresholds", thresholds_json(th, "diagnosis."), "chains", chains);
    return 0;
}
