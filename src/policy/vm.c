/*
 * vm — runs a compiled policy over a chunk of subjects, one instruction at a time, each
 * instruction looping over the whole chunk (column-wise, like a vectorised query engine). The
 * interpretation cost is paid once per instruction per chunk, not per subject, which is why a
 * generic engine can stay close to a hand-written loop.
 *
 * Missing data: every register has a known flag. Arithmetic, comparisons, min and max of an unknown
 * value are unknown; `and`/`or` follow three-valued logic (false and unknown = false, true or
 * unknown = true), so a decisive fact settles a condition even when another fact is missing.
 * A list fact that is absent is the empty list; a fact with a default in the data contract takes it.
 * Arithmetic that overflows makes that row's value unknown and records the rule line in the
 * registers (vm_overflow_line): one subject's figure out of range is its own result, never the run's.
 */
#include "policy/ast.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"

void vm_regs_init(vm_regs *r, size_t ncode)
{
    r->ncode = ncode;
    r->v = xmalloc((ncode ? ncode : 1) * VM_CHUNK * sizeof *r->v);
    r->k = xcalloc((ncode ? ncode : 1) * VM_CHUNK, 1);
    r->filled = xcalloc(ncode ? ncode : 1, 1);
    r->ovf = xcalloc(VM_CHUNK, sizeof *r->ovf);
    r->ovf_const = 0;
    r->ovf_any = false;
}

void vm_regs_free(vm_regs *r)
{
    free(r->v);
    free(r->k);
    free(r->filled);
    free(r->ovf);
    memset(r, 0, sizeof *r);
}

typedef struct vm_state {
    const vm_ctx *c;
    size_t nrows; /* rows computed: the chunk's, or all VM_CHUNK for a constant */
    vm_regs *r;
    bool constant; /* computing a value the same for every subject */
} vm_state;

#define V(n) (st->r->v + (size_t)(n)->reg * VM_CHUNK)
#define K(n) (st->r->k + (size_t)(n)->reg * VM_CHUNK)

/* Row i overflowed at n's line (every row, for a constant). Returns false: the value's known flag. */
static bool ovf(vm_state *st, const node *n, size_t i)
{
    vm_regs *r = st->r;
    if (st->constant) {
        r->ovf_const = r->ovf_const ? r->ovf_const : n->line;
        return false;
    }
    r->ovf[i] = r->ovf[i] ? r->ovf[i] : n->line;
    r->ovf_any = true;
    return false;
}

static void fill_rows(vm_state *st, const node *n, pval v, bool known, size_t nrows)
{
    vm_word *out = V(n);
    uint8_t *k = K(n);
    if (known && !pval_fits64(v))
        for (size_t i = 0; i < nrows; i++)
            known = ovf(st, n, i);
    for (size_t i = 0; i < nrows; i++) {
        out[i] = known ? (vm_word)v : 0;
        k[i] = known;
    }
}

/* The common case: a numeric fact of the subject itself, present or not, no dictionary, no
 * default: one tight loop the compiler can keep in registers. */
static bool load_plain_fact(vm_state *st, const node *n)
{
    const vm_ctx *c = st->c;
    const facts_def *d = facts_get(n->fact);
    const facts_set *s = &c->w->sets[c->kind];
    const facts_col *col = &s->cols[n->fact];
    if (n->related || c->symmap[n->fact] || d->type == FT_LIST || !col->known || (d->has_default && d->yearly))
        return false;
    vm_word *out = V(n);
    uint8_t *k = K(n);
    const int64_t *v = col->v;
    const uint8_t *known = col->known;
    if (!d->yearly) {
        const uint8_t present = d->has_default; /* absent takes the default: known all the same */
        const vm_word dflt = d->default_value;
        for (size_t i = 0; i < c->nrows; i++) {
            size_t row = c->rows[i];
            k[i] = known[row] | present;
            out[i] = known[row] ? v[row] : dflt;
        }
        return true;
    }
    const vm_word *yv = V(n->b);
    const uint8_t *yk = K(n->b);
    const vm_word y0 = s->year0, ny = s->nyears;
    for (size_t i = 0; i < c->nrows; i++) {
        vm_word y = yv[i] - y0;
        size_t slot = c->rows[i] * (size_t)ny + (size_t)y;
        bool ok = yk[i] && y >= 0 && y < ny && known[slot];
        k[i] = ok;
        out[i] = ok ? v[slot] : 0;
    }
    return true;
}

/* A numeric fact of the related enterprise (`employer.revenue[year - 1]`): each row's value sits
 * somewhere else in a million-row column. All addresses are computed and prefetched first, so
 * the chunk's cache misses overlap instead of following one another. */
static bool load_related_fact(vm_state *st, const node *n)
{
    const vm_ctx *c = st->c;
    const facts_def *d = facts_get(n->fact);
    const facts_set *subj = &c->w->sets[c->kind], *src = &c->w->sets[FACTS_ENTERPRISE];
    const facts_col *col = &src->cols[n->fact];
    if (!n->related || c->symmap[n->fact] || d->type == FT_LIST || d->has_default || !col->known)
        return false;
    size_t slot[VM_CHUNK];
    uint8_t *k = K(n);
    const vm_word *yv = d->yearly ? V(n->b) : NULL;
    const uint8_t *yk = d->yearly ? K(n->b) : NULL;
    for (size_t i = 0; i < c->nrows; i++) {
        int64_t at = subj->link[c->rows[i]];
        vm_word y = d->yearly ? yv[i] - src->year0 : 0;
        k[i] = at >= 0 && (!d->yearly || (yk[i] && y >= 0 && y < src->nyears));
        slot[i] = k[i] ? (size_t)at * (size_t)(d->yearly ? src->nyears : 1) + (size_t)y : 0;
        __builtin_prefetch(&col->v[slot[i]]);
        __builtin_prefetch(&col->known[slot[i]]);
    }
    vm_word *out = V(n);
    for (size_t i = 0; i < c->nrows; i++) {
        k[i] &= col->known[slot[i]];
        out[i] = k[i] ? col->v[slot[i]] : 0;
    }
    return true;
}

static void load_fact(vm_state *st, const node *n)
{
    if (load_plain_fact(st, n) || load_related_fact(st, n))
        return;
    const vm_ctx *c = st->c;
    const facts_def *d = facts_get(n->fact);
    const facts_set *subj = &c->w->sets[c->kind];
    const facts_set *src = n->related ? &c->w->sets[FACTS_ENTERPRISE] : subj;
    const facts_col *col = &src->cols[n->fact];
    const int64_t *map = c->symmap[n->fact];
    vm_word *out = V(n);
    uint8_t *k = K(n);
    const vm_word *yv = n->b ? V(n->b) : NULL;
    const uint8_t *yk = n->b ? K(n->b) : NULL;
    for (size_t i = 0; i < c->nrows; i++) {
        size_t row = c->rows[i];
        int64_t at = n->related ? subj->link[row] : (int64_t)row;
        k[i] = 0;
        out[i] = 0;
        if (at < 0 || !col->known)
            goto absent;
        size_t slot = (size_t)at;
        if (d->yearly) {
            if (!yk[i] || yv[i] < src->year0 || yv[i] >= src->year0 + src->nyears)
                continue;
            slot = (size_t)at * (size_t)src->nyears + (size_t)(yv[i] - src->year0);
        }
        if (!col->known[slot])
            goto absent;
        k[i] = 1;
        out[i] = map ? map[col->v[slot]] : col->v[slot];
        continue;
    absent:
        if (d->type == FT_LIST)
            k[i] = 1; /* an absent list is the empty list */
        if (at >= 0 && d->has_default) {
            k[i] = 1; /* the data contract's default (an enterprise is local unless said otherwise) */
            out[i] = d->default_value;
        }
    }
}

/* Operands already at the result's scale (a product's scale is the sum of its factors'): 64-bit
 * arithmetic with the overflow checked, no rescaling. */
static bool arith_narrow(vm_state *st, const node *n)
{
    bool star = n->op == TK_STAR;
    if (!star && (n->a->scale != n->scale || n->b->scale != n->scale))
        return false;
    const vm_word *a = V(n->a), *b = V(n->b);
    const uint8_t *ka = K(n->a), *kb = K(n->b);
    vm_word *out = V(n);
    uint8_t *k = K(n);
    bool over = false;
    /* An overflowed row becomes unknown; which rows did is looked up after the loop, rarely. */
#define ARITH_ROWS(BUILTIN)                                                                                                        \
    for (size_t i = 0; i < st->nrows; i++) {                                                                                       \
        uint8_t bad = BUILTIN(a[i], b[i], &out[i]) & ka[i] & kb[i];                                                                \
        k[i] = ka[i] & kb[i] & !bad;                                                                                               \
        over |= bad;                                                                                                               \
    }                                                                                                                              \
    break
#define ARITH_CASE(kind, text, shown, verb, builtin)                                                                               \
    case kind:                                                                                                                     \
        ARITH_ROWS(builtin);
    switch (n->op) {
        OP_LIST(OP_NONE, ARITH_CASE, OP_NONE)
    default:
        break;
    }
#undef ARITH_CASE
#undef ARITH_ROWS
    for (size_t i = 0; over && i < st->nrows; i++)
        if (ka[i] & kb[i] & !k[i])
            ovf(st, n, i);
    return true;
}

/* x op y into *z; true on overflow of pval. */
static bool wide_op(tok_kind op, pval x, pval y, pval *z)
{
#define WIDE(kind, text, shown, verb, builtin)                                                                                     \
    case kind:                                                                                                                     \
        return builtin(x, y, z);
    switch (op) {
        OP_LIST(OP_NONE, WIDE, OP_NONE)
    default:
        return true; /* not arithmetic: the checker lets none through */
    }
#undef WIDE
}

/* Wide arithmetic: operands rescaled and combined as pval, the result checked to fit. */
static void arith(vm_state *st, const node *n)
{
    if (arith_narrow(st, n))
        return;
    const vm_word *a = V(n->a), *b = V(n->b);
    const uint8_t *ka = K(n->a), *kb = K(n->b);
    vm_word *out = V(n);
    uint8_t *k = K(n);
    pval fa = n->op == TK_STAR ? 1 : pval_pow10(n->scale - n->a->scale);
    pval fb = n->op == TK_STAR ? 1 : pval_pow10(n->scale - n->b->scale);
    for (size_t i = 0; i < st->nrows; i++) {
        k[i] = ka[i] && kb[i];
        out[i] = 0;
        if (!k[i])
            continue;
        pval x, y, z = 0;
        if (__builtin_mul_overflow((pval)a[i], fa, &x) || __builtin_mul_overflow((pval)b[i], fb, &y))
            k[i] = ovf(st, n, i);
        else if (wide_op(n->op, x, y, &z))
            k[i] = ovf(st, n, i);
        else if (!pval_fits64(z))
            k[i] = ovf(st, n, i);
        else
            out[i] = (vm_word)z;
    }
}

static bool cmp(tok_kind op, pval x, pval y)
{
#define CMP(kind, text, shown, c_op)                                                                                               \
    case kind:                                                                                                                     \
        return x c_op y;
    switch (op) {
        OP_LIST(CMP, OP_NONE, OP_NONE)
    default:
        return false; /* not a comparison: the checker lets none through */
    }
#undef CMP
}

static void compare(vm_state *st, const node *n)
{
    const vm_word *a = V(n->a), *b = V(n->b);
    const uint8_t *ka = K(n->a), *kb = K(n->b);
    vm_word *out = V(n);
    uint8_t *k = K(n);
    if (n->a->scale == n->b->scale) { /* no rescaling: nothing can overflow */
                                      /* One loop per operator, free of branches: this is the engine's most frequent instruction. */
#define COMPARE_ROWS(OP)                                                                                                           \
    for (size_t i = 0; i < st->nrows; i++) {                                                                                       \
        uint8_t both = ka[i] & kb[i];                                                                                              \
        k[i] = both;                                                                                                               \
        out[i] = both & (a[i] OP b[i]);                                                                                            \
    }                                                                                                                              \
    break
#define COMPARE_CASE(kind, text, shown, c_op)                                                                                      \
    case kind:                                                                                                                     \
        COMPARE_ROWS(c_op);
        switch (n->op) {
            OP_LIST(COMPARE_CASE, OP_NONE, OP_NONE)
        default:
            break;
        }
#undef COMPARE_CASE
#undef COMPARE_ROWS
        return;
    }
    /* Both sides at the comparison's scale. */
    pval fa = pval_pow10(n->scale - n->a->scale), fb = pval_pow10(n->scale - n->b->scale);
    for (size_t i = 0; i < st->nrows; i++) {
        pval x = 0, y = 0;
        k[i] = ka[i] && kb[i];
        if (k[i] && (__builtin_mul_overflow((pval)a[i], fa, &x) || __builtin_mul_overflow((pval)b[i], fb, &y)))
            k[i] = ovf(st, n, i);
        out[i] = k[i] && cmp(n->op, x, y);
    }
}

static void logic(vm_state *st, const node *n)
{
    const vm_word *a = V(n->a), *b = V(n->b);
    const uint8_t *ka = K(n->a), *kb = K(n->b);
    vm_word *out = V(n);
    uint8_t *k = K(n);
    const uint8_t decisive = n->logic == LOGIC_OR; /* `or`: a known true decides; `and`: a known false */
    for (size_t i = 0; i < st->nrows; i++) {
        uint8_t decided = (ka[i] & (a[i] == decisive)) | (kb[i] & (b[i] == decisive));
        k[i] = decided | (ka[i] & kb[i]);
        out[i] = decided == decisive; /* decided: the decisive value; otherwise its opposite */
    }
}

static void unary(vm_state *st, const node *n)
{
    const vm_word *a = V(n->a);
    const uint8_t *ka = K(n->a);
    vm_word *out = V(n);
    uint8_t *k = K(n);
    for (size_t i = 0; i < st->nrows; i++) {
        switch (n->kind) {
        case N_NOT:
            out[i] = !a[i];
            k[i] = ka[i];
            break;
        case N_NEG:
            k[i] = ka[i];
            out[i] = 0;
            if (ka[i] && a[i] == INT64_MIN)
                k[i] = ovf(st, n, i);
            else if (ka[i])
                out[i] = -a[i];
            break;
        case N_KNOWN:
            out[i] = ka[i];
            k[i] = 1;
            break;
        default: { /* N_DATE_YEAR */
            int y = 0, m, d;
            if (ka[i])
                date_to_ymd((int32_t)a[i], &y, &m, &d);
            out[i] = y;
            k[i] = ka[i];
        }
        }
    }
}

static void minmax(vm_state *st, const node *n)
{
    vm_word *out = V(n);
    uint8_t *k = K(n);
    for (size_t i = 0; i < st->nrows; i++) {
        bool all = true, any = false;
        out[i] = 0;
        for (size_t j = 0; j < n->nargs; j++) {
            const node *a = n->args[j];
            if (!K(a)[i]) {
                all = false;
                continue;
            }
            pval x = (pval)V(a)[i] * pval_pow10(n->scale - a->scale);
            if (!pval_fits64(x)) {
                all = ovf(st, n, i);
                continue;
            }
            if (!any || (n->kind == N_MIN ? x < out[i] : x > out[i]))
                out[i] = (vm_word)x;
            any = true;
        }
        k[i] = all; /* the minimum of values one of which is unknown is unknown */
    }
}

static void in_list(vm_state *st, const node *n)
{
    const vm_word *a = V(n->a);
    const uint8_t *ka = K(n->a);
    vm_word *out = V(n);
    uint8_t *k = K(n);
    bool list = n->args[0]->type == PT_LIST;
    for (size_t i = 0; i < st->nrows; i++) {
        k[i] = ka[i];
        out[i] = 0;
        if (list) {
            k[i] = ka[i] && K(n->args[0])[i];
            out[i] = a[i] > 0 && a[i] < 63 && ((V(n->args[0])[i] >> a[i]) & 1);
            continue;
        }
        for (size_t j = 0; j < n->nargs && k[i]; j++)
            if (a[i] == n->args[j]->value)
                out[i] = 1;
    }
}

static void run_range(vm_state *st, size_t from, size_t to);

/* first_year(fact[y]) of a yes/no fact: each subject's years lie side by side, so scan them in
 * place instead of running the condition once per year over the chunk. */
static bool first_year_of_fact(vm_state *st, const node *n)
{
    const node *f = n->a;
    if (f->kind != N_FACT || f->related || !f->b || f->b->kind != N_ITER || f->type != PT_BOOL)
        return false;
    const vm_ctx *c = st->c;
    const facts_set *s = &c->w->sets[c->kind];
    const facts_col *col = &s->cols[f->fact];
    vm_word *out = V(n);
    uint8_t *k = K(n);
    int last = c->w->year - s->year0; /* years before the award year */
    if (last > s->nyears)
        last = s->nyears;
    for (size_t i = 0; i < c->nrows; i++) {
        k[i] = 0;
        out[i] = 0;
        const size_t base = c->rows[i] * (size_t)s->nyears;
        for (int y = 0; col->known && y < last; y++) {
            if (col->known[base + (size_t)y] && col->v[base + (size_t)y]) {
                k[i] = 1;
                out[i] = s->year0 + y;
                break;
            }
        }
    }
    return true;
}

/* Tries every year on record in order; the first year whose condition is known true wins. */
static void first_year(vm_state *st, size_t pc)
{
    const node *n = st->c->prog->code[pc].n;
    if (first_year_of_fact(st, n))
        return;
    const node *test = n->a;
    vm_ctx *c = (vm_ctx *)st->c; /* iter_year is the one field the VM itself moves */
    const facts_set *s = &c->w->sets[c->kind];
    vm_word *out = V(n);
    uint8_t *k = K(n);
    memset(k, 0, c->nrows);
    int saved = c->iter_year;
    for (int y = s->year0; y < c->w->year; y++) {
        c->iter_year = y;
        run_range(st, pc + 1, pc + 1 + (size_t)st->c->prog->code[pc].nsub);
        for (size_t i = 0; i < c->nrows; i++) {
            if (!k[i] && K(test)[i] && V(test)[i]) {
                k[i] = 1;
                out[i] = y;
            }
        }
    }
    c->iter_year = saved;
}

static void exec(vm_state *st, const node *n)
{
    const vm_ctx *c = st->c;
    switch (n->kind) {
    case N_LITERAL:
        fill_rows(st, n, n->value, true, st->nrows);
        break;
    case N_PARAM:
        fill_rows(st, n, c->params[n->target], c->param_known[n->target], st->nrows);
        break;
    case N_YEAR:
        fill_rows(st, n, c->year, true, st->nrows);
        break;
    case N_ITER:
        fill_rows(st, n, c->iter_year, true, st->nrows);
        break;
    case N_FACT:
        load_fact(st, n);
        break;
    case N_BINARY:
        if (n->logic != LOGIC_NONE)
            logic(st, n);
        else if (op_is_arith(n->op))
            arith(st, n);
        else
            compare(st, n);
        break;
    case N_NOT:
    case N_NEG:
    case N_KNOWN:
    case N_DATE_YEAR:
        unary(st, n);
        break;
    case N_MIN:
    case N_MAX:
        minmax(st, n);
        break;
    case N_IN:
        in_list(st, n);
        break;
    case N_LET:        /* no instruction of its own */
    case N_FIRST_YEAR: /* run by run_range */
        break;
    }
}

/* A value that is the same for every subject of the run is computed once, for every row of the
 * chunk, and skipped in later chunks: interpretation cost goes to what varies by subject. */
static void exec_constant(vm_state *st, const node *n)
{
    if (st->r->filled[n->reg])
        return;
    size_t nrows = st->nrows;
    st->nrows = VM_CHUNK;
    st->constant = true;
    exec(st, n);
    st->constant = false;
    st->nrows = nrows;
    st->r->filled[n->reg] = 1;
}

static void run_range(vm_state *st, size_t from, size_t to)
{
    for (size_t pc = from; pc < to; pc++) {
        const vm_insn *in = &st->c->prog->code[pc];
        if (in->n->kind == N_FIRST_YEAR) {
            first_year(st, pc);
            pc += (size_t)in->nsub;
        } else if (in->n->constant) {
            exec_constant(st, in->n);
        } else {
            exec(st, in->n);
        }
    }
}

void vm_regs_new_chunk(vm_regs *r)
{
    if (r->ovf_any)
        memset(r->ovf, 0, VM_CHUNK * sizeof *r->ovf);
    r->ovf_any = false;
}

void vm_run(const vm_ctx *ctx, vm_regs *r, size_t from, size_t to)
{
    vm_state st = {.c = ctx, .nrows = ctx->nrows, .r = r};
    run_range(&st, from, to);
    for (size_t i = 0; r->ovf_const && i < ctx->nrows; i++) {
        r->ovf[i] = r->ovf[i] ? r->ovf[i] : r->ovf_const;
        r->ovf_any = true;
    }
}

void vm_regs_select(vm_regs *r, size_t upto, const size_t *sel, size_t n)
{
    for (size_t reg = 0; reg < upto; reg++) {
        vm_word *v = r->v + reg * VM_CHUNK;
        uint8_t *k = r->k + reg * VM_CHUNK;
        for (size_t j = 0; j < n; j++) { /* sel is increasing, so j <= sel[j]: in place is safe */
            v[j] = v[sel[j]];
            k[j] = k[sel[j]];
        }
    }
    for (size_t j = 0; r->ovf_any && j < n; j++)
        r->ovf[j] = r->ovf[sel[j]];
}
