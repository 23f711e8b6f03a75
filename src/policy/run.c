/*
 * run — evaluating a year: facts in, one result per subject and policy out.
 *
 * For each policy in force: the VM computes every node over a chunk of subjects, then each
 * subject's result is decided in the order the language documents —
 *   applies (out of scope: no result) -> require (first false: not eligible; else first unknown:
 *   undetermined) -> amount (approved amount missing: pending; tiers: first reached) -> bonuses ->
 *   one rounding half-up to the fen -> top-up (less earlier payments) -> caps (per award, per year,
 *   cumulative) -> pool (pro rata, largest remainder).
 * Yearly and cumulative caps accumulate in subject order while streaming, so the whole year is
 * one pass per policy; a pool needs the year's total claims and runs after it.
 */
#include "policy/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "core/strset.h"
#include "store/audit.h"
#include "store/facts_load.h"
#include "store/ledger.h"

policy_run *run_new(const policy_set *set, int year)
{
    policy_run *run = xcalloc(1, sizeof *run);
    run->set = set;
    run->year = year;
    arena_init(&run->mem, 1 << 16);
    return run;
}

void policy_run_free(policy_run *run)
{
    if (!run)
        return;
    for (size_t i = 0; i < 64; i++)
        free(run->symmap[i]);
    free(run->res);
    free(run->det);
    free(run->paid);
    facts_world_free(&run->w);
    arena_free(&run->mem);
    free(run);
}

int policy_run_year(const policy_run *run)
{
    return run->year;
}

size_t policy_run_count(const policy_run *run)
{
    return run->n;
}

const policy_result *policy_run_at(const policy_run *run, size_t i)
{
    return i < run->n ? &run->res[i] : NULL;
}

void run_add_paid(policy_run *run, const char *policy_id, const char *subject_id, const char *uscc, int year, int64_t fen,
                  const char *status)
{
    if (run->npaid == run->paidcap) {
        run->paidcap = run->paidcap ? run->paidcap * 2 : 64;
        run->paid = xrealloc(run->paid, run->paidcap * sizeof *run->paid);
    }
    run->paid[run->npaid++] = (ledger_award){.policy = arena_strndup(&run->mem, policy_id, strlen(policy_id)),
                                             .subject_id = arena_strndup(&run->mem, subject_id, strlen(subject_id)),
                                             .uscc = arena_strndup(&run->mem, uscc, strlen(uscc)),
                                             .year = year,
                                             .amount_fen = fen,
                                             .status = arena_strndup(&run->mem, status, strlen(status))};
}

bool run_in_scope(const policy *p, int year, const policy_filter *f)
{
    const rule *r = &p->r;
    if (r->described_only)
        return false;
    if (f && f->policy_id && strcmp(f->policy_id, r->id) != 0)
        return false;
    return (!r->valid_from || year >= r->valid_from) && (!r->valid_to || year <= r->valid_to);
}

static bool asked_for(const policy *p, const policy_filter *f)
{
    return !f || !f->policy_id || strcmp(f->policy_id, p->r.id) == 0;
}

static bool evaluated_for(const policy *p, int year, const policy_filter *f)
{
    return asked_for(p, f) && run_in_scope(p, year, NULL);
}

void run_needs(const policy_set *set, const policy_filter *f, facts_need *need)
{
    memset(need, 0, sizeof *need);
    for (size_t i = 0; i < set->n; i++) {
        const policy *p = set->items[i];
        if (!asked_for(p, f))
            continue;
        if (p->r.described_only)
            continue;
        need->kind[p->r.subject] = 1;
        for (size_t j = 0; j < p->prog.ncode; j++)
            if (p->prog.code[j].n->kind == N_FACT)
                need->fact[p->prog.code[j].n->fact] = 1;
        for (size_t c = 0; c < p->r.ncaps; c++)
            if (p->r.caps[c].by_fact >= 0)
                need->fact[p->r.caps[c].by_fact] = 1;
    }
}

void run_params(const policy *p, int year, pval *values, uint8_t *known)
{
    for (size_t i = 0; i < p->r.nparams; i++) {
        const param *pa = &p->r.params[i];
        known[i] = 0;
        values[i] = 0;
        for (size_t j = 0; j < pa->nvalues; j++) {
            const param_value *v = &pa->values[j];
            if ((!v->from_year || year >= v->from_year) && (!v->to_year || year <= v->to_year)) {
                values[i] = v->value->value;
                known[i] = 1;
            }
        }
    }
}

/* The common case of run_round_fen: v fits in 64 bits and the divisor is a power of ten there
 * too, so the division runs on 64-bit registers rather than through a 128-bit library call. */
static bool round_narrow(pval v, int scale, int64_t *fen)
{
    if (scale <= 2 || scale > 18 || !pval_fits64(v))
        return false;
    int64_t x = (int64_t)v, d = (int64_t)pval_pow10(scale - 2);
    int64_t q = x / d, rem = x % d;
    if (rem < 0)
        rem = -rem;
    if (rem >= d - rem) /* 2 * rem >= d without overflow */
        q += x < 0 ? -1 : 1;
    *fen = q;
    return true;
}

bool run_round_fen(pval v, int scale, int64_t *fen)
{
    if (round_narrow(v, scale, fen))
        return true;
    pval q;
    if (scale <= 2) {
        if (__builtin_mul_overflow(v, pval_pow10(2 - scale), &q))
            return false;
    } else {
        pval d = pval_pow10(scale - 2);
        q = v / d;
        pval rem = v % d;
        if (rem < 0)
            rem = -rem;
        if (2 * rem >= d)
            q += v < 0 ? -1 : 1;
    }
    if (!pval_fits64(q))
        return false;
    *fen = (int64_t)q;
    return true;
}

/* ---- symbols of text facts ---- */

static void map_symbols(policy_run *run)
{
    for (size_t f = 0; f < facts_catalog_count; f++) {
        const facts_def *d = facts_get(f);
        const facts_col *c = &run->w.sets[d->kind].cols[f];
        if ((d->type != FT_TEXT && d->type != FT_LIST) || !c->loaded)
            continue;
        free(run->symmap[f]); /* a run evaluated again maps afresh */
        int64_t *map = xcalloc(c->ndict + 1, sizeof *map);
        for (size_t i = 0; i < c->ndict; i++) {
            if (d->type == FT_TEXT) {
                map[i] = symtab_lookup(&run->set->syms, c->dict[i]);
                continue;
            }
            char *items = xstrdup(c->dict[i]), *save = NULL;
            for (char *t = strtok_r(items, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
                int sym = symtab_lookup(&run->set->syms, t);
                if (sym > 0 && sym < 63)
                    map[i] |= (int64_t)1 << sym;
            }
            free(items);
        }
        run->symmap[f] = map;
    }
}

/* ---- one policy ---- */

typedef struct eval {
    policy_run *run;
    const policy *p;
    const rule *r;
    const facts_set *s;
    pval *params;
    uint8_t *pknown;
    int64_t *paid_subject, *paid_ent, pool_used;
    int64_t **cap_sum; /* per cap: this year's running total per group */
    int32_t **group;   /* per cap `per enterprise and FACT`: each subject's group; NULL otherwise */
    int64_t pool_total;
    bool pool_known;
    vm_regs regs;
    vm_ctx ctx;
} eval;

static void append(policy_run *run, const policy_result *res, const result_detail *det)
{
    if (run->n == run->cap) {
        run->cap = run->cap ? run->cap * 2 : 1024;
        run->res = xrealloc(run->res, run->cap * sizeof *run->res);
        run->det = xrealloc(run->det, run->cap * sizeof *run->det);
    }
    run->res[run->n] = *res;
    run->det[run->n++] = *det;
}

static bool reg_true(const eval *e, const node *n, size_t i)
{
    return vm_known(&e->regs, n, i) && vm_get(&e->regs, n, i) != 0;
}

static policy_status missing_status(const eval *e)
{
    return e->r->missing_not_eligible ? POLICY_NOT_ELIGIBLE : POLICY_UNDETERMINED;
}

/* require lines: the first false one decides; failing that, the first unknown one. */
static bool check_requires(const eval *e, size_t i, policy_result *res, result_detail *det)
{
    int unknown = -1;
    for (size_t j = 0; j < e->r->nrequires; j++) {
        const node *c = e->r->requires[j].expr;
        if (!vm_known(&e->regs, c, i)) {
            if (unknown < 0)
                unknown = (int)j;
        } else if (!vm_get(&e->regs, c, i)) {
            res->status = POLICY_NOT_ELIGIBLE;
            det->why = R_REQUIRE;
            det->index = (int)j;
            return false;
        }
    }
    if (unknown >= 0) {
        res->status = missing_status(e);
        det->why = R_REQUIRE;
        det->index = unknown;
        return false;
    }
    return true;
}

static bool fail(policy_result *res, result_detail *det, policy_status st, reason_code why, int index)
{
    res->status = st;
    det->why = why;
    det->index = index;
    return false;
}

/* The base amount before bonuses: *v at *scale. */
static bool base_amount(const eval *e, size_t i, policy_result *res, result_detail *det, pval *v, int *scale)
{
    const rule *r = e->r;
    const node *amount = r->amount;
    if (r->amount_kind == AMOUNT_TIERS) {
        amount = NULL;
        for (size_t t = 0; t < r->ntiers && !amount; t++) {
            const node *w = r->tiers[t].when;
            if (w && !vm_known(&e->regs, w, i))
                return fail(res, det, missing_status(e), R_TIER_MISSING, (int)t);
            if (!w || vm_get(&e->regs, w, i)) {
                amount = r->tiers[t].amount;
                det->tier = (int)t;
            }
        }
        if (!amount)
            return fail(res, det, POLICY_NOT_ELIGIBLE, R_TIER_NONE, (int)r->ntiers - 1);
    }
    if (!vm_known(&e->regs, amount, i))
        return fail(res, det, r->amount_kind == AMOUNT_APPROVED ? POLICY_PENDING : POLICY_UNDETERMINED, R_AMOUNT_MISSING, 0);
    *v = vm_get(&e->regs, amount, i);
    *scale = amount->scale;
    return true;
}

/* The rule's one rounding of the amount: to its unit (the fen unless a `round` line says
 * otherwise), half-up or down. */
static bool round_amount(const rule *r, pval v, int scale, int64_t *fen)
{
    if (r->round_unit_fen == 1 && !r->round_down)
        return run_round_fen(v, scale, fen);
    if (scale < 2 && __builtin_mul_overflow(v, pval_pow10(2 - scale), &v))
        return false;
    pval d = pval_pow10(scale > 2 ? scale - 2 : 0) * r->round_unit_fen, q = v / d;
    if (!r->round_down && 2 * (v % d) >= d)
        q++;
    q *= r->round_unit_fen;
    if (!pval_fits64(q))
        return false;
    *fen = (int64_t)q;
    return true;
}

static bool add_bonuses(const eval *e, size_t i, policy_result *res, result_detail *det, pval base, int base_scale, pval *total,
                        int *scale)
{
    pval sum = base;
    int s = base_scale;
    for (size_t b = 0; b < e->r->nbonuses; b++) {
        const bonus *bo = &e->r->bonuses[b];
        if (!vm_known(&e->regs, bo->when, i) || !vm_known(&e->regs, bo->amount, i))
            return fail(res, det, POLICY_UNDETERMINED, R_BONUS_MISSING, (int)b);
        if (!vm_get(&e->regs, bo->when, i))
            continue;
        pval x = vm_get(&e->regs, bo->amount, i);
        int xs = bo->amount->scale;
        if (bo->amount->type == PT_PERCENT) { /* a percentage of the base amount */
            if (__builtin_mul_overflow(base, x, &x))
                return fail(res, det, POLICY_UNDETERMINED, R_OVERFLOW, bo->amount->line);
            xs += base_scale;
        }
        int to = s > xs ? s : xs;
        if (__builtin_add_overflow(sum * pval_pow10(to - s), x * pval_pow10(to - xs), &sum))
            return fail(res, det, POLICY_UNDETERMINED, R_OVERFLOW, bo->amount->line);
        s = to;
    }
    *total = sum;
    *scale = s;
    return true;
}

static size_t cap_group(const eval *e, size_t c, size_t row, const result_detail *det)
{
    if (e->group[c])
        return (size_t)e->group[c][row];
    return e->r->caps[c].per_enterprise ? (size_t)det->enterprise : row;
}

/* `per enterprise and FACT`: each subject's group, numbered in order of first appearance; the
 * subjects of one enterprise with the same value (or both without one) share a group. */
static int32_t *cap_groups(const eval *e, const cap_def *cp, size_t *ngroups)
{
    const facts_col *col = &e->s->cols[cp->by_fact];
    int32_t *g = xmalloc((e->s->n + 1) * sizeof *g);
    strmap seen = {0};
    arena keys;
    arena_init(&keys, 1 << 12);
    *ngroups = 0;
    for (size_t i = 0; i < e->s->n; i++) {
        int32_t ent = e->r->subject == FACTS_ENTERPRISE ? (int32_t)i : e->s->link[i];
        long long v = col->loaded && col->known[i] ? (long long)col->v[i] : -1;
        const char *k = arena_printf(&keys, "%d:%lld", ent, v);
        g[i] = strmap_put(&seen, k, strlen(k), (int32_t)*ngroups);
        *ngroups += g[i] == (int32_t)*ngroups;
    }
    strmap_free(&seen);
    arena_free(&keys);
    return g;
}

/* What earlier years paid to group g (a subject or an enterprise); none recorded at all: NULL. */
static int64_t paid_before(const int64_t *paid, size_t g)
{
    return paid ? paid[g] : 0;
}

/* Top-up, then caps in the order written; false when nothing is left to pay. */
static bool apply_caps(eval *e, size_t i, size_t row, policy_result *res, result_detail *det)
{
    const rule *r = e->r;
    int64_t fen = res->amount_fen;
    if (r->topup) {
        det->paid_before = paid_before(e->paid_subject, row);
        fen -= det->paid_before;
        if (fen <= 0)
            return fail(res, det, POLICY_NOT_ELIGIBLE, R_TOPUP, 0);
    }
    for (size_t c = 0; c < r->ncaps; c++) {
        const cap_def *cp = &r->caps[c];
        int64_t limit;
        if (!vm_known(&e->regs, cp->amount, i))
            return fail(res, det, POLICY_UNDETERMINED, R_CAP_MISSING, (int)c);
        if (!run_round_fen(vm_get(&e->regs, cp->amount, i), cp->amount->scale, &limit))
            return fail(res, det, POLICY_UNDETERMINED, R_OVERFLOW, cp->amount->line);
        if (cp->kind != CAP_AWARD) {
            if (cp->per_enterprise && det->enterprise < 0)
                return fail(res, det, POLICY_UNDETERMINED, R_CAP_MISSING, (int)c);
            size_t g = cap_group(e, c, row, det);
            /* A subject has one result per policy and year: only an enterprise's several subjects
             * share a running total within the year. */
            int64_t used = cp->per_enterprise ? e->cap_sum[c][g] : 0;
            if (cp->kind == CAP_CUMULATIVE) {
                int64_t before = paid_before(cp->per_enterprise ? e->paid_ent : e->paid_subject, g);
                det->paid_before = before;
                used += before;
            }
            limit -= used;
            if (limit <= 0)
                return fail(res, det, POLICY_NOT_ELIGIBLE, cp->kind == CAP_YEARLY ? R_YEARLY_CAP : R_CUMULATIVE_CAP, (int)c);
        }
        if (fen > limit) {
            fen = limit;
            det->caps |= 1u << c;
        }
    }
    for (size_t c = 0; c < r->ncaps; c++)
        if (r->caps[c].kind != CAP_AWARD && r->caps[c].per_enterprise)
            e->cap_sum[c][cap_group(e, c, row, det)] += fen;
    res->amount_fen = fen;
    return true;
}

static void result_init(const eval *e, size_t row, policy_result *res, result_detail *det)
{
    const rule *r = e->r;
    *res = (policy_result){.policy = e->p,
                           .subject = facts_kind_name(r->subject),
                           .subject_id = e->s->ids[row],
                           .uscc = e->s->uscc[row],
                           .status = POLICY_ELIGIBLE};
    *det =
        (result_detail){.subject = row, .enterprise = r->subject == FACTS_ENTERPRISE ? (int32_t)row : e->s->link[row], .tier = -1};
}

/* A subject a require line already failed: not eligible there, whatever the rest would say. */
static void decide_failed(eval *e, size_t row, int require)
{
    policy_result res;
    result_detail det;
    result_init(e, row, &res, &det);
    fail(&res, &det, POLICY_NOT_ELIGIBLE, R_REQUIRE, require);
    append(e->run, &res, &det);
}

/* The amount expression a result used: its tier's, or the rule's. */
static const node *amount_node(const rule *r, const result_detail *det)
{
    return r->amount_kind == AMOUNT_TIERS ? r->tiers[det->tier].amount : r->amount;
}

/* Whether the result rests on a value left unknown: the scope (kept only because an overflow
 * left it open), the require line that decided, or a missing amount, tier, bonus or cap. A
 * result decided by known values stands even when another value of the row overflowed. */
static bool hinges_on_unknown(const eval *e, size_t i, const result_detail *det)
{
    for (size_t j = 0; j < e->p->prog.nconj; j++)
        if (!vm_known(&e->regs, e->p->prog.conj[j], i))
            return true;
    switch (det->why) {
    case R_REQUIRE:
        return !vm_known(&e->regs, e->r->requires[det->index].expr, i);
    case R_AMOUNT_MISSING:
    case R_TIER_MISSING:
    case R_BONUS_MISSING:
    case R_CAP_MISSING:
        return true;
    default:
        return false;
    }
}

static void decide(eval *e, size_t i, size_t row)
{
    const rule *r = e->r;
    policy_result res;
    result_detail det;
    result_init(e, row, &res, &det);
    if (r->pool_total && !e->pool_known && vm_known(&e->regs, r->pool_total, i))
        e->pool_known = run_round_fen(vm_get(&e->regs, r->pool_total, i), r->pool_total->scale, &e->pool_total);
    if (check_requires(e, i, &res, &det)) {
        if (r->amount_kind == AMOUNT_GRANT) {
            res.grant = r->grant[POLICY_EN];
        } else {
            pval base, total;
            int bs, ts;
            if (base_amount(e, i, &res, &det, &base, &bs) && add_bonuses(e, i, &res, &det, base, bs, &total, &ts)) {
                if (!round_amount(r, total, ts, &res.amount_fen))
                    fail(&res, &det, POLICY_UNDETERMINED, R_OVERFLOW, amount_node(r, &det)->line);
                else {
                    det.computed_fen = res.amount_fen;
                    if (apply_caps(e, i, row, &res, &det))
                        det.claim_fen = res.amount_fen;
                }
            }
        }
    }
    if (vm_overflow_line(&e->regs, i) && hinges_on_unknown(e, i, &det))
        fail(&res, &det, POLICY_UNDETERMINED, R_OVERFLOW, vm_overflow_line(&e->regs, i));
    if (res.status != POLICY_ELIGIBLE)
        res.amount_fen = 0;
    append(e->run, &res, &det);
}

/* Earlier payments of this policy, by subject and by enterprise, and what its pool has paid. */
static void load_paid(eval *e)
{
    const policy_run *run = e->run;
    const facts_set *ent = &run->w.sets[FACTS_ENTERPRISE];
    bool by_subject = e->r->topup, by_enterprise = false;
    for (size_t c = 0; c < e->r->ncaps; c++) {
        by_subject |= e->r->caps[c].kind == CAP_CUMULATIVE && !e->r->caps[c].per_enterprise;
        by_enterprise |= e->r->caps[c].kind == CAP_CUMULATIVE && e->r->caps[c].per_enterprise;
    }
    bool any = false;
    for (size_t k = 0; k < run->npaid && !any; k++)
        any = strcmp(run->paid[k].policy, e->r->id) == 0 && run->paid[k].year < run->year;
    /* Only the totals a top-up or cumulative cap will read, and only when something was paid: a
     * million-entry array is not free, nor are the page faults of reading it (paid_before()). */
    by_subject &= any;
    by_enterprise &= any;
    e->paid_subject = by_subject ? xcalloc(e->s->n + 1, sizeof(int64_t)) : NULL;
    e->paid_ent = by_enterprise ? xcalloc(ent->n + 1, sizeof(int64_t)) : NULL;
    for (size_t k = 0; k < run->npaid; k++) {
        const ledger_award *a = &run->paid[k];
        if (strcmp(a->policy, e->r->id) != 0 || a->year >= run->year)
            continue;
        int32_t i = e->paid_subject ? facts_lookup(&run->w, e->r->subject, a->subject_id) : -1;
        if (i >= 0)
            e->paid_subject[i] += a->amount_fen;
        int32_t en = e->paid_ent ? facts_lookup(&run->w, FACTS_ENTERPRISE, a->uscc) : -1;
        if (en >= 0)
            e->paid_ent[en] += a->amount_fen;
        if (e->r->pool_total && a->year >= e->r->pool_from && a->year <= e->r->pool_to)
            e->pool_used += a->amount_fen;
    }
}

/* Claims above what the pool has left are scaled pro rata; the fen lost to flooring go one each
 * to the largest remainders (ties: the earlier subject), so the pool is used to the fen. */
static void allocate_pool(eval *e, size_t first)
{
    policy_run *run = e->run;
    const rule *r = e->r;
    if (!r->pool_total || run->year < r->pool_from || run->year > r->pool_to)
        return;
    int64_t left = e->pool_total - e->pool_used;
    pval claims = 0;
    for (size_t i = first; i < run->n; i++)
        if (run->res[i].status == POLICY_ELIGIBLE)
            claims += run->res[i].amount_fen;
    for (size_t i = first; i < run->n; i++) {
        run->det[i].pool_fen = left;
        run->det[i].pool_claims_fen = (int64_t)claims;
    }
    if (claims <= left)
        return;
    size_t m = 0;
    pval given = 0;
    size_t *order = xmalloc((run->n - first + 1) * sizeof *order);
    pval *rem = xmalloc((run->n - first + 1) * sizeof *rem);
    for (size_t i = first; i < run->n; i++) {
        if (run->res[i].status != POLICY_ELIGIBLE)
            continue;
        if (left <= 0) {
            fail(&run->res[i], &run->det[i], POLICY_NOT_ELIGIBLE, R_POOL_EMPTY, 0);
            run->res[i].amount_fen = 0;
            continue;
        }
        pval x = (pval)run->det[i].claim_fen * left;
        run->res[i].amount_fen = (int64_t)(x / claims);
        given += x / claims;
        rem[i - first] = x % claims;
        order[m++] = i;
    }
    for (pval extra = left > 0 ? left - given : 0; extra > 0; extra--) {
        size_t best = 0;
        for (size_t j = 1; j < m; j++)
            if (rem[order[j] - first] > rem[order[best] - first])
                best = j;
        run->res[order[best]].amount_fen++;
        rem[order[best] - first] = -1;
    }
    free(order);
    free(rem);
}

/* Keeps the active rows at positions sel[0..n) (registers up to `upto`, subject indexes, and
 * their place among the chunk's subjects in scope, when given). */
static void keep_rows(eval *e, size_t upto, const size_t *sel, size_t n, size_t *rows, size_t *place)
{
    vm_regs_select(&e->regs, upto, sel, n);
    for (size_t t = 0; t < n; t++) {
        rows[t] = rows[sel[t]];
        if (place)
            place[t] = place[sel[t]];
    }
    e->ctx.nrows = n;
}

/* A conjunct left unknown by an overflow: whether the subject is in scope is undetermined, and
 * its result says so rather than leaving it out. */
static uint8_t overflowed(const eval *e, const node *n, size_t i)
{
    return vm_overflow_line(&e->regs, i) && !vm_known(&e->regs, n, i);
}

/* The rows whose conjunct c is known true (or, with_overflow, left open by an overflow) into
 * sel; returns how many. Called with a constant with_overflow, so the common case compiles to
 * the loop without it: no branch per subject either way. */
static inline size_t select_rows(const eval *e, const node *c, size_t *sel, bool with_overflow)
{
    size_t kept = 0;
    for (size_t i = 0; i < e->ctx.nrows; i++) {
        sel[kept] = i;
        kept += (size_t)reg_true(e, c, i) + (with_overflow && overflowed(e, c, i)); /* never both: known or not */
    }
    return kept;
}

/* Narrows the chunk to its subjects in scope, one conjunct of the applies lines at a time: each
 * is computed only for the subjects the previous ones kept. Returns how many are left. */
static size_t in_scope(eval *e, size_t *rows, size_t *sel)
{
    const program *prog = &e->p->prog;
    size_t from = 0;
    for (size_t j = 0; j < prog->nconj && e->ctx.nrows; j++) {
        vm_run(&e->ctx, &e->regs, from, prog->conj_end[j]);
        from = prog->conj_end[j];
        size_t kept = e->regs.ovf_any ? select_rows(e, prog->conj[j], sel, true) : select_rows(e, prog->conj[j], sel, false);
        if (kept < e->ctx.nrows)
            keep_rows(e, from, sel, kept, rows, NULL);
    }
    return e->ctx.nrows;
}

/* One chunk, narrowing as it goes: scope first, then each require line, each step computed only
 * for the subjects still in play (a subject a condition rejects needs nothing more computed); the
 * amount, bonuses and caps last. Results come out in subject order. */
static void eval_chunk(eval *e, size_t *rows, size_t *sel)
{
    const program *prog = &e->p->prog;
    size_t scope_rows[VM_CHUNK], place[VM_CHUNK];
    int dropped_at[VM_CHUNK];
    vm_regs_new_chunk(&e->regs);
    size_t k = in_scope(e, rows, sel);
    for (size_t j = 0; j < k; j++) {
        place[j] = j;
        dropped_at[j] = -1;
        /* Each result names its subject: fetch the scattered ids while the require lines run. */
        __builtin_prefetch(&e->s->ids[rows[j]]);
        __builtin_prefetch(&e->s->uscc[rows[j]]);
    }
    memcpy(scope_rows, rows, k * sizeof *rows);
    size_t active = k, from = prog->nscope;
    for (size_t q = 0; q < e->r->nrequires && active; q++) {
        vm_run(&e->ctx, &e->regs, from, prog->req_end[q]);
        from = prog->req_end[q];
        const node *c = e->r->requires[q].expr;
        size_t n = 0;
        for (size_t a = 0; a < active; a++) {
            if (vm_known(&e->regs, c, a) && !vm_get(&e->regs, c, a))
                dropped_at[place[a]] = (int)q;
            else
                sel[n++] = a;
        }
        if (n < active)
            keep_rows(e, from, sel, n, rows, place);
        active = n;
    }
    if (active)
        vm_run(&e->ctx, &e->regs, from, prog->ncode);
    for (size_t j = 0, a = 0; j < k; j++) {
        if (dropped_at[j] >= 0) {
            decide_failed(e, scope_rows[j], dropped_at[j]);
        } else {
            decide(e, a, rows[a]);
            a++;
        }
    }
}

static void eval_policy(policy_run *run, const policy *p)
{
    eval e = {.run = run, .p = p, .r = &p->r, .s = &run->w.sets[p->r.subject]};
    e.params = xcalloc(p->r.nparams + 1, sizeof *e.params);
    e.pknown = xcalloc(p->r.nparams + 1, 1);
    run_params(p, run->year, e.params, e.pknown);
    load_paid(&e);
    e.cap_sum = xcalloc(p->r.ncaps + 1, sizeof *e.cap_sum);
    e.group = xcalloc(p->r.ncaps + 1, sizeof *e.group);
    size_t nent = run->w.sets[FACTS_ENTERPRISE].n;
    for (size_t c = 0; c < p->r.ncaps; c++) {
        size_t ngroups = nent;
        if (p->r.caps[c].by_fact >= 0)
            e.group[c] = cap_groups(&e, &p->r.caps[c], &ngroups);
        e.cap_sum[c] = p->r.caps[c].per_enterprise ? xcalloc(ngroups + 1, sizeof(int64_t)) : NULL;
    }
    vm_regs_init(&e.regs, p->prog.ncode);
    size_t rows[VM_CHUNK], sel[VM_CHUNK];
    e.ctx = (vm_ctx){.prog = &p->prog,
                     .w = &run->w,
                     .kind = p->r.subject,
                     .symmap = (const int64_t **)run->symmap,
                     .year = run->year,
                     .params = e.params,
                     .param_known = e.pknown,
                     .rows = rows};
    size_t first = run->n;
    for (size_t base = 0; base < e.s->n; base += VM_CHUNK) {
        size_t m = e.s->n - base < VM_CHUNK ? e.s->n - base : VM_CHUNK;
        for (size_t i = 0; i < m; i++)
            rows[i] = base + i;
        e.ctx.nrows = m;
        eval_chunk(&e, rows, sel);
    }
    allocate_pool(&e, first);
    vm_regs_free(&e.regs);
    for (size_t c = 0; c < p->r.ncaps; c++) {
        free(e.cap_sum[c]);
        free(e.group[c]);
    }
    free(e.cap_sum);
    free(e.group);
    free(e.paid_subject);
    free(e.paid_ent);
    free(e.params);
    free(e.pknown);
}

/* Results of other enterprises were needed for pools; keep only what f asks for. */
static void keep_asked(policy_run *run, const policy_filter *f)
{
    size_t k = 0;
    for (size_t i = 0; i < run->n; i++) {
        if ((f->uscc && strcmp(run->res[i].uscc, f->uscc) != 0) || !run_in_scope(run->res[i].policy, run->year, f))
            continue;
        run->res[k] = run->res[i];
        run->det[k++] = run->det[i];
    }
    run->n = k;
}

int run_evaluate_scope(policy_run *run, const run_scope *scope, lz_err *err)
{
    (void)err; /* nothing in evaluating fails: an arithmetic overflow is its subject's result */
    map_symbols(run);
    for (size_t i = 0; i < run->set->n; i++)
        if (scope->in(run->set->items[i], run->year, scope->ctx))
            eval_policy(run, run->set->items[i]);
    return 0;
}

typedef struct filter_ctx {
    const policy_set *set;
    const policy_filter *f;
} filter_ctx;

static bool filter_scope(const policy *p, int year, void *ctx)
{
    const filter_ctx *fc = ctx;
    return evaluated_for(p, year, fc->f);
}

int run_evaluate(policy_run *run, const policy_filter *f, lz_err *err)
{
    filter_ctx fc = {run->set, f};
    run_scope scope = {filter_scope, &fc};
    int rc = run_evaluate_scope(run, &scope, err);
    if (rc == 0 && f && (f->uscc || f->policy_id))
        keep_asked(run, f);
    if (rc == 0 && f && f->uscc)
        run->one_enterprise = true;
    if (rc == 0 && f && f->policy_id)
        run->only_policy = arena_strndup(&run->mem, f->policy_id, strlen(f->policy_id));
    return rc;
}

/* ---- explain support: one subject again, registers kept ---- */

void run_one(const policy_run *run, size_t i, vm_regs *regs, pval *params, uint8_t *pknown)
{
    run_subject(run, run->res[i].policy, run->det[i].subject, regs, params, pknown);
}

void run_subject(const policy_run *run, const policy *p, size_t row, vm_regs *regs, pval *params, uint8_t *pknown)
{
    size_t rows[1] = {row};
    run_params(p, run->year, params, pknown);
    vm_ctx ctx = {.prog = &p->prog,
                  .w = &run->w,
                  .kind = p->r.subject,
                  .symmap = (const int64_t **)run->symmap,
                  .year = run->year,
                  .params = params,
                  .param_known = pknown,
                  .rows = rows,
                  .nrows = 1};
    vm_run(&ctx, regs, 0, p->prog.ncode);
}

/* ---- from the store ---- */

const char *run_stored_text(const policy_run *run, arena *a, const char *table_name, const char *id, int year, const char *col)
{
    const table *t = tables_find(table_name);
    int c = t ? table_column_index(t, col) : -1;
    if (!run->st || c < 0)
        return NULL;
    cell key[2] = {cell_text(id, strlen(id)), cell_int(year)};
    cell *row = arena_alloc(a, t->ncols * sizeof *row);
    bool found = false;
    lz_err err = {0};
    if (store_get(run->st, t, key, a, row, &found, &err) != 0 || !found || row[c].kind != CELL_TEXT || !row[c].n)
        return NULL;
    return row[c].s;
}

static void collect_paid(void *ctx, const ledger_award *a)
{
    run_add_paid(ctx, a->policy, a->subject_id, a->uscc, a->year, a->amount_fen, a->status);
}

static bool needs_everyone(const policy_set *set, int year, const policy_filter *f)
{
    for (size_t i = 0; i < set->n; i++)
        if (evaluated_for(set->items[i], year, f) && set->items[i]->r.pool_total)
            return true;
    return false;
}

/* What the earlier year's run leaves in the ledger if it were recorded: its awards, except where
 * the ledger holds one already reviewed or later for the same subject, which recording keeps. */
typedef struct carry {
    policy_run *run;
    int year;
    strset kept; /* policy + subject id of the ledger's awards of `year` that recording keeps */
} carry;

/* Adds "policy, subject" to the set; false when it was there already. */
static bool add_award_key(strset *set, const char *policy_id, const char *subject_id)
{
    char key[512];
    int n = snprintf(key, sizeof key, "%s\x1f%s", policy_id, subject_id);
    return strset_add(set, key, (size_t)n < sizeof key ? (size_t)n : sizeof key - 1);
}

static void collect_kept(void *ctx, const ledger_award *a)
{
    carry *c = ctx;
    if (a->year != c->year || strcmp(a->status, "computed") == 0)
        return;
    collect_paid(c->run, a);
    add_award_key(&c->kept, a->policy, a->subject_id);
}

static int carry_paid(policy_run *run, store *st, const policy_run *earlier, lz_err *err)
{
    for (size_t k = 0; k < earlier->npaid; k++)
        collect_paid(run, &earlier->paid[k]);
    carry c = {.run = run, .year = earlier->year};
    strset_init(&c.kept);
    int rc = ledger_paid(st, earlier->year + 1, collect_kept, &c, err);
    for (size_t i = 0; i < earlier->n && rc == 0; i++) {
        const policy_result *r = &earlier->res[i];
        if (r->status == POLICY_ELIGIBLE && add_award_key(&c.kept, r->policy->r.id, r->subject_id))
            run_add_paid(run, r->policy->r.id, r->subject_id, r->uscc, earlier->year, r->amount_fen, "computed");
    }
    strset_free(&c.kept);
    return rc;
}

static int run_store(const policy_set *set, store *st, int year, const policy_filter *f, const policy_run *earlier,
                     policy_run **out, lz_err *err)
{
    facts_need need;
    run_needs(set, f, &need);
    policy_run *run = run_new(set, year);
    const char *only = f && f->uscc && !needs_everyone(set, year, f) ? f->uscc : NULL;
    run->st = st;
    char head[AUDIT_HASH_HEX];
    /* first: outside a snapshot a change made while the facts are read is then seen as after them */
    int rc = audit_head(st, head, &run->facts_seq, err);
    if (rc == 0)
        rc = facts_load(st, year, &need, only, &run->w, err);
    if (rc == 0)
        rc = earlier ? carry_paid(run, st, earlier, err) : ledger_paid(st, year, collect_paid, run, err);
    if (rc == 0)
        rc = run_evaluate(run, f, err);
    if (rc) {
        policy_run_free(run);
        return rc;
    }
    *out = run;
    return 0;
}

int policy_run_store(const policy_set *set, store *st, int year, const policy_filter *f, policy_run **out, lz_err *err)
{
    return run_store(set, st, year, f, NULL, out, err);
}

int policy_run_store_after(const policy_set *set, store *st, const policy_run *earlier, const policy_filter *f, policy_run **out,
                           lz_err *err)
{
    return run_store(set, st, earlier->year + 1, f, earlier, out, err);
}
