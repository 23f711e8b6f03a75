/*
 * recommend — whom to bring in (see recommend.h). The chain diagnosis gives each segment its
 * label; the chain's confirmed memberships place each supplier on its segments; the purchases of
 * the chain's masters and backbone enterprises from outside suppliers add up, one candidate per
 * supplier, which are then ranked. The stale targets are a separate read.
 */
#include "analysis/recommend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/diagnosis.h"
#include "analysis/ratio.h"
#include "core/date.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "store/analysis_sql.h"
#include "store/recommend_sql.h"

/* The diagnosis's labels in the order candidates rank; a supplier on no segment ranks after. */
static const char *const label_order[] = {"missing", "thin", "strong"};
enum { RANK_UNPLACED = sizeof label_order / sizeof label_order[0] };
static const char *const label_words[][3] = {
    {"缺失", "缺失", "missing"},
    {"薄弱", "薄弱", "thin"},
    {"较强", "較強", "strong"},
};

/* Reason templates by policy_lang; %1.. are the figures, in the order the caller gives them. */
enum reason { R_ON_SEGMENT, R_UNPLACED, R_BOUGHT, R_STALE };
static const char *const reasons[][3] = {
    [R_ON_SEGMENT] = {"位于本链%1环节（%2）", "位於本鏈%1環節（%2）", "on the chain's segment %1 (%2)"},
    [R_UNPLACED] = {"未列入本链任何环节", "未列入本鏈任何環節", "on no segment of the chain's map"},
    [R_BOUGHT] = {"%1%2于%3年向其采购%4元", "%1%2於%3年向其採購%4元", "%1 %2 bought %4 yuan from it in %3"},
    [R_STALE] = {"已%1天未更新（超过%2天）", "已%1天未更新（超過%2天）", "not updated for %1 days (more than %2)"},
};
static const char *const role_words[][3] = {
    {"链主", "鏈主", "chain master"},
    {"骨干企业", "骨幹企業", "backbone enterprise"},
};

/* One candidate supplier while the purchases add up. */
typedef struct cand {
    char *uscc, *name;
    int64_t amount;
    json_t *buyers;         /* [{"uscc", "name", "role", "amount"}] */
    json_t *bought;         /* a reason per buyer: who bought how much */
    json_t *segments, *why; /* set by place() */
    size_t by;              /* index in buyers of recommended_by */
    bool by_master;
    int64_t by_amount;
    int rank; /* the best label_order index of its segments, RANK_UNPLACED when on none */
} cand;

typedef struct work {
    const recommend_request *rq;
    cand *c;
    size_t n, cap;
    bool overflow;
    json_t *placed;   /* supplier uscc -> [segment code] */
    json_t *segments; /* segment code -> the diagnosis's segment object (borrowed from diag) */
} work;

static void reason(json_t *list, enum reason r, policy_lang lang, const char *const *args)
{
    ratio_append_reason(list, reasons[r][lang], args);
}

static int on_member(void *ctx, const analysis_sql_member *m)
{
    work *w = ctx;
    json_t *list = json_object_get(w->placed, m->uscc);
    if (!list)
        json_object_set_new(w->placed, m->uscc, list = json_array());
    json_array_append_new(list, json_string(m->segment));
    return 0;
}

static cand *new_cand(work *w, const recommend_sql_purchase *p)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 16;
        w->c = xrealloc(w->c, w->cap * sizeof *w->c);
    }
    cand *c = &w->c[w->n++];
    *c = (cand){.uscc = xstrdup(p->supplier), .name = xstrdup(p->supplier_name), .buyers = json_array(), .bought = json_array()};
    return c;
}

/* Adds one purchase to its supplier's candidate; rows come by supplier, then customer. */
static int on_purchase(void *ctx, const recommend_sql_purchase *p)
{
    work *w = ctx;
    cand *c = w->n && strcmp(w->c[w->n - 1].uscc, p->supplier) == 0 ? &w->c[w->n - 1] : new_cand(w, p);
    if (!money_add(c->amount, p->amount_fen, &c->amount))
        w->overflow = true;
    bool master = strcmp(p->role, "chain_master") == 0;
    if (json_array_size(c->buyers) == 0 || (master && !c->by_master) || (master == c->by_master && p->amount_fen > c->by_amount)) {
        c->by = json_array_size(c->buyers);
        c->by_master = master;
        c->by_amount = p->amount_fen;
    }
    json_array_append_new(c->buyers, json_pack("{s:s, s:s, s:s, s:o}", "uscc", p->customer, "name", p->customer_name, "role",
                                               p->role, "amount", ratio_money_json(p->amount_fen)));
    char year[16], amount[MONEY_FMT_MAX];
    snprintf(year, sizeof year, "%d", w->rq->year);
    money_format_grouped(p->amount_fen, amount);
    reason(c->bought, R_BOUGHT, w->rq->lang,
           (const char *const[]){role_words[master ? 0 : 1][w->rq->lang], p->customer_name, year, amount});
    return 0;
}

static int label_rank(const char *label)
{
    for (int i = 0; i < RANK_UNPLACED; i++)
        if (strcmp(label, label_order[i]) == 0)
            return i;
    return RANK_UNPLACED;
}

/* Sets the candidate's segments with their labels, its rank and its reasons: one for each
 * segment (or for none), then one for each buyer. */
static void place(const work *w, cand *c)
{
    json_t *code;
    size_t i;
    c->segments = json_array();
    c->why = json_array();
    c->rank = RANK_UNPLACED;
    json_array_foreach(json_object_get(w->placed, c->uscc), i, code)
    {
        json_t *seg = json_object_get(w->segments, json_string_value(code));
        const char *label = json_string_value(json_object_get(seg, "label")),
                   *name = json_string_value(json_object_get(seg, "name"));
        int rank = label_rank(label ? label : "");
        if (rank < c->rank)
            c->rank = rank;
        json_array_append_new(c->segments,
                              json_pack("{s:O, s:s, s:s}", "code", code, "name", name ? name : "", "label", label ? label : ""));
        if (rank < RANK_UNPLACED)
            reason(c->why, R_ON_SEGMENT, w->rq->lang, (const char *const[]){name ? name : "", label_words[rank][w->rq->lang]});
    }
    if (json_array_size(c->segments) == 0)
        reason(c->why, R_UNPLACED, w->rq->lang, NULL);
    json_array_extend(c->why, c->bought);
}

/* Missing before thin before strong before unplaced; then the larger amount; then the USCC. */
static int by_rank(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->amount != b->amount)
        return a->amount > b->amount ? -1 : 1;
    return strcmp(a->uscc, b->uscc);
}

static json_t *cand_json(const cand *c, size_t rank)
{
    json_t *by = json_array_get(c->buyers, c->by);
    return json_pack("{s:I, s:s, s:s, s:o, s:O, s:{s:O, s:O, s:s}, s:O, s:O}", "rank", (json_int_t)rank, "uscc", c->uscc, "name",
                     c->name, "amount", ratio_money_json(c->amount), "segments", c->segments, "recommended_by", "uscc",
                     json_object_get(by, "uscc"), "name", json_object_get(by, "name"), "role",
                     c->by_master ? "chain_master" : "backbone", "buyers", c->buyers, "reasons", c->why);
}

/* Places, ranks and writes out the candidates. New reference. */
static json_t *candidates_json(work *w)
{
    for (size_t i = 0; i < w->n; i++)
        place(w, &w->c[i]);
    if (w->n)
        qsort(w->c, w->n, sizeof *w->c, by_rank);
    json_t *out = json_array();
    for (size_t i = 0; i < w->n; i++)
        json_array_append_new(out, cand_json(&w->c[i], i + 1));
    return out;
}

static void work_free(work *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->c[i].uscc);
        free(w->c[i].name);
        json_decref(w->c[i].buyers);
        json_decref(w->c[i].bought);
        json_decref(w->c[i].segments);
        json_decref(w->c[i].why);
    }
    free(w->c);
    json_decref(w->placed);
    json_decref(w->segments);
}

/* ---- stale targets ------------------------------------------------------------------------- */

typedef struct stale {
    const recommend_request *rq;
    json_t *list;
} stale;

static json_t *text_or_null(const char *s)
{
    return *s ? json_string(s) : json_null();
}

static int on_target(void *ctx, const recommend_sql_target *t)
{
    stale *s = ctx;
    int32_t updated = 0;
    char why[8], days[24], limit[24];
    date_parse(t->updated, strlen(t->updated), &updated, why, sizeof why);
    snprintf(days, sizeof days, "%ld", (long)(s->rq->date - updated));
    snprintf(limit, sizeof limit, "%d", RECOMMEND_STALE_DAYS);
    json_t *reasons_list = json_array();
    reason(reasons_list, R_STALE, s->rq->lang, (const char *const[]){days, limit});
    json_array_append_new(s->list,
                          json_pack("{s:s, s:s, s:o, s:s, s:o, s:s, s:I, s:o}", "id", t->id, "name", t->name, "segment",
                                    text_or_null(t->segment), "stage", t->stage, "owner", text_or_null(t->owner), "updated",
                                    t->updated, "days_idle", (json_int_t)(s->rq->date - updated), "reasons", reasons_list));
    return 0;
}

/* The chain's targets idle more than RECOMMEND_STALE_DAYS days on rq->date, into *out. */
static int stale_targets(store *st, const recommend_request *rq, json_t **out, lz_err *err)
{
    char before[DATE_LEN + 1];
    date_format(rq->date - RECOMMEND_STALE_DAYS, before);
    stale s = {rq, json_array()};
    int rc = recommend_sql_stale_targets(st, rq->chain, before, on_target, &s, err);
    if (rc < 0) {
        json_decref(s.list);
        return rc;
    }
    *out = s.list;
    return 0;
}

/* ---- the run ------------------------------------------------------------------------------- */

/* Indexes the diagnosed chain's segments by code into w->segments; returns the chain's name. */
static const char *index_segments(work *w, json_t *chain)
{
    json_t *seg;
    size_t i;
    w->segments = json_object();
    json_array_foreach(json_object_get(chain, "segments"), i, seg)
        json_object_set(w->segments, json_string_value(json_object_get(seg, "code")), seg);
    return json_string_value(json_object_get(chain, "name"));
}

int recommend_run(store *st, const recommend_request *rq, const thresholds *th, json_t **out, lz_err *err)
{
    json_t *diag = NULL, *stale_list = NULL;
    diagnosis_request drq = {.year = rq->year, .chain = rq->chain, .lang = rq->lang};
    int rc = diagnosis_run(st, &drq, th, &diag, err);
    if (rc < 0)
        return rc;
    work w = {.rq = rq, .placed = json_object()};
    const char *name = index_segments(&w, json_array_get(json_object_get(diag, "chains"), 0));
    rc = analysis_sql_members(st, rq->chain, rq->year, on_member, &w, err);
    if (rc == 0)
        rc = recommend_sql_purchases(st, rq->chain, rq->year, on_purchase, &w, err);
    if (rc == 0 && w.overflow)
        rc = err_set(err, LZ_EINPUT, "chain %s: the purchases from one supplier add up past what the figures can hold", rq->chain);
    if (rc == 0)
        rc = stale_targets(st, rq, &stale_list, err);
    if (rc == 0) {
        char date[DATE_LEN + 1];
        date_format(rq->date, date);
        *out = json_pack("{s:i, s:s, s:{s:s, s:s}, s:o, s:o}", "year", rq->year, "date", date, "chain", "code", rq->chain, "name",
                         name ? name : "", "candidates", candidates_json(&w), "stale_targets", stale_list);
    }
    work_free(&w);
    json_decref(diag);
    return rc;
}
