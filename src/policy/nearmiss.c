/*
 * nearmiss — what stands between a subject and an award: the comparison that decided a failed
 * condition and its gap (a near miss when the gap is small against the threshold), and the facts
 * whose absence leaves a result undetermined. explain.c words the same findings for people; the
 * findings themselves are made here once, from the registers of the subject's program re-run.
 */
#include "policy/run.h"

#include <string.h>

const node *run_deciding_leaf(const rule *r, const vm_regs *regs, const node *n)
{
    if (n->kind == N_LET)
        return run_deciding_leaf(r, regs, r->lets[n->target].expr);
    if (n->kind != N_BINARY || n->logic == LOGIC_NONE)
        return n;
    const node *a = n->a, *b = n->b;
    bool a_false = vm_known(regs, a, 0) && !vm_get(regs, a, 0);
    if (n->logic == LOGIC_AND)
        return run_deciding_leaf(r, regs, a_false ? a : b);
    return run_deciding_leaf(r, regs, b);
}

const node *run_missing_leaf(const rule *r, const vm_regs *regs, const node *n)
{
    if (!n || vm_known(regs, n, 0))
        return NULL;
    if (n->kind == N_FACT || n->kind == N_PARAM || n->kind == N_FIRST_YEAR)
        return n;
    if (n->kind == N_LET)
        return run_missing_leaf(r, regs, r->lets[n->target].expr);
    const node *m = run_missing_leaf(r, regs, n->a);
    if (!m)
        m = run_missing_leaf(r, regs, n->b);
    for (size_t i = 0; !m && i < n->nargs; i++)
        m = run_missing_leaf(r, regs, n->args[i]);
    return m ? m : n;
}

pval run_side(const vm_regs *regs, const node *c, const node *side)
{
    return vm_get(regs, side, 0) * pval_pow10(c->scale - side->scale);
}

pval run_gap(const vm_regs *regs, const node *c, pval *unit_out)
{
    pval av = run_side(regs, c, c->a), rv = run_side(regs, c, c->b);
    pval unit = c->a->type == PT_MONEY ? pval_pow10(c->scale - 2) : 1; /* one fen, or one unit */
    *unit_out = unit;
    switch (c->op) {
    case TK_GE:
        return rv - av;
    case TK_GT:
        return rv - av + unit;
    case TK_LE:
        return av - rv;
    case TK_LT:
        return av - rv + unit;
    default:
        return 0;
    }
}

/* A comparison of amounts, numbers or percentages with an order (years are not measured by share). */
static bool ordered_comparison(const node *c)
{
    bool order = c->op == TK_GE || c->op == TK_GT || c->op == TK_LE || c->op == TK_LT;
    ptype t = c->a->type;
    return c->kind == N_BINARY && c->logic == LOGIC_NONE && order && (t == PT_MONEY || t == PT_NUMBER || t == PT_PERCENT);
}

static bool fill_gap(const vm_regs *regs, const node *c, int within_bp, policy_gap *gap)
{
    pval unit, short_by = run_gap(regs, c, &unit);
    pval value = run_side(regs, c, c->a), required = run_side(regs, c, c->b);
    pval magnitude = required < 0 ? -required : required;
    if (short_by <= 0 || magnitude == 0 || short_by * 10000 >= magnitude * within_bp)
        return false;
    if (!pval_fits64(value) || !pval_fits64(required) || !pval_fits64(short_by))
        return false;
    *gap = (policy_gap){.scale = c->scale, .value = (int64_t)value, .required = (int64_t)required, .shortfall = (int64_t)short_by};
    return true;
}

int policy_near_miss(const policy_run *run, size_t i, int within_bp, policy_lang lang, strbuf *label, policy_gap *gap)
{
    const policy_result *res = &run->res[i];
    const result_detail *det = &run->det[i];
    if (res->status != POLICY_NOT_ELIGIBLE || det->why != R_REQUIRE)
        return 0;
    const rule *r = &res->policy->r;
    const cond *c = &r->requires[det->index];
    pval params[RULE_MAX_PARAMS];
    uint8_t pknown[RULE_MAX_PARAMS];
    vm_regs regs;
    vm_regs_init(&regs, res->policy->prog.ncode);
    run_one(run, i, &regs, params, pknown);
    const node *leaf = vm_known(&regs, c->body, 0) ? run_deciding_leaf(r, &regs, c->body) : NULL;
    bool near = leaf && ordered_comparison(leaf) && vm_known(&regs, leaf, 0) && fill_gap(&regs, leaf, within_bp, gap);
    vm_regs_free(&regs);
    if (!near)
        return 0;
    size_t len;
    const char *part = rule_label_part(c->label, (int)lang, &len);
    strbuf_append(label, part, len);
    return 1;
}

/* Adds the label of the fact missing under n to out, unless it is there already. */
static size_t add_missing(const rule *r, const vm_regs *regs, const node *n, policy_lang lang, const char **out, size_t n_out,
                          size_t max)
{
    const node *m = run_missing_leaf(r, regs, n);
    if (!m || m->kind != N_FACT || n_out == max)
        return n_out;
    const char *label = facts_get(m->fact)->label[lang];
    for (size_t k = 0; k < n_out; k++)
        if (strcmp(out[k], label) == 0)
            return n_out;
    out[n_out] = label;
    return n_out + 1;
}

size_t policy_missing_facts(const policy_run *run, size_t i, policy_lang lang, const char **out, size_t max)
{
    const policy_result *res = &run->res[i];
    if (res->status != POLICY_UNDETERMINED)
        return 0;
    const rule *r = &res->policy->r;
    const result_detail *det = &run->det[i];
    pval params[RULE_MAX_PARAMS];
    uint8_t pknown[RULE_MAX_PARAMS];
    vm_regs regs;
    vm_regs_init(&regs, res->policy->prog.ncode);
    run_one(run, i, &regs, params, pknown);
    size_t n = 0;
    for (size_t c = 0; c < r->nrequires; c++)
        n = add_missing(r, &regs, r->requires[c].expr, lang, out, n, max);
    if (det->why == R_TIER_MISSING)
        n = add_missing(r, &regs, r->tiers[det->index].when, lang, out, n, max);
    else if (det->why == R_BONUS_MISSING)
        n = add_missing(r, &regs, r->bonuses[det->index].when, lang, out, n, max);
    else if (det->why == R_AMOUNT_MISSING && r->amount_kind != AMOUNT_TIERS)
        n = add_missing(r, &regs, r->amount, lang, out, n, max);
    else if (det->why == R_AMOUNT_MISSING && det->tier >= 0)
        n = add_missing(r, &regs, r->tiers[det->tier].amount, lang, out, n, max);
    vm_regs_free(&regs);
    return n;
}
