/*
 * compile — expression trees to one linear program per policy, and the symbol table.
 *
 * Every node becomes one instruction in post-order, so an instruction's operands are always
 * computed before it and its result lives in register = its index. The VM therefore needs no
 * stack and the explanation can read any node's value after a run. A `let` is compiled once, just
 * before the first condition that uses it (so a value only the require lines read is computed only
 * for the subjects in scope); every use of its name aliases that register. first_year(cond) is
 * emitted before its condition's instructions, which it runs itself once per year on record.
 */
#include "policy/ast.h"

#include <string.h>

typedef struct emitter {
    program *prog;
    size_t cap;
    rule *r;
} emitter;

/* Literals, parameters, the award year and arithmetic on them do not depend on the subject
 * (NODE_LIST says which kinds). */
static bool is_constant(const node *n)
{
#define CONSTANCY(kind, constancy) [kind] = constancy,
    static const node_constancy constancy[] = {NODE_LIST(CONSTANCY)};
#undef CONSTANCY
    if (constancy[n->kind] != NODE_CONST_IF_OPERANDS)
        return constancy[n->kind] == NODE_CONST_ALWAYS;
    if ((n->a && !n->a->constant) || (n->b && !n->b->constant))
        return false;
    for (size_t i = 0; i < n->nargs; i++)
        if (!n->args[i]->constant)
            return false;
    return true;
}

static size_t emit(emitter *e, node *n)
{
    n->constant = is_constant(n);
    if (e->prog->ncode == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 64;
        e->prog->code = xrealloc(e->prog->code, e->cap * sizeof *e->prog->code);
    }
    size_t at = e->prog->ncode++;
    e->prog->code[at] = (vm_insn){.n = n};
    n->reg = (int)at;
    return at;
}

static void compile_expr(emitter *e, node *n)
{
    switch (n->kind) {
    case N_LET:
        n->reg = e->r->lets[n->target].expr->reg;
        return;
    case N_FIRST_YEAR: {
        size_t at = emit(e, n);
        size_t before = e->prog->ncode;
        compile_expr(e, n->a);
        e->prog->code[at].nsub = (int)(e->prog->ncode - before);
        return;
    }
    default:
        break;
    }
    if (n->a)
        compile_expr(e, n->a);
    if (n->b)
        compile_expr(e, n->b);
    for (size_t i = 0; i < n->nargs; i++)
        if (n->args[i] != n->a)
            compile_expr(e, n->args[i]);
    emit(e, n);
}

static void compile_lets_used(emitter *e, const node *n);

/* A let's expression, once (reg < 0: not yet compiled), after the lets it uses itself. */
static void compile_let(emitter *e, size_t i)
{
    node *x = e->r->lets[i].expr;
    if (x->reg >= 0)
        return;
    compile_lets_used(e, x);
    compile_expr(e, x);
}

/* Compiles, ahead of n, every let n refers to that is not compiled yet: at the top level, never
 * inside a first_year() condition that runs once per year. */
static void compile_lets_used(emitter *e, const node *n)
{
    if (!n)
        return;
    if (n->kind == N_LET) {
        compile_let(e, n->target);
        return;
    }
    compile_lets_used(e, n->a);
    compile_lets_used(e, n->b);
    for (size_t i = 0; i < n->nargs; i++)
        if (n->args[i] != n->a)
            compile_lets_used(e, n->args[i]);
}

static void compile_top(emitter *e, node *n)
{
    compile_lets_used(e, n);
    compile_expr(e, n);
}

static bool is_and(const node *n)
{
    return n->kind == N_BINARY && n->logic == LOGIC_AND;
}

/* The conjuncts of an applies line, left to right, each a separately computed segment. */
static void compile_conjuncts(emitter *e, node *n, arena *mem)
{
    if (is_and(n)) {
        compile_conjuncts(e, n->a, mem);
        compile_conjuncts(e, n->b, mem);
        return;
    }
    compile_top(e, n);
    program *prog = e->prog;
    if (prog->nconj % 8 == 0) { /* grown in steps of 8 in the arena; the old block stays there */
        const node **conj = arena_alloc(mem, (prog->nconj + 8) * sizeof *conj);
        size_t *end = arena_alloc(mem, (prog->nconj + 8) * sizeof *end);
        if (prog->nconj) {
            memcpy(conj, prog->conj, prog->nconj * sizeof *conj);
            memcpy(end, prog->conj_end, prog->nconj * sizeof *end);
        }
        prog->conj = conj;
        prog->conj_end = end;
    }
    prog->conj[prog->nconj] = n;
    prog->conj_end[prog->nconj++] = prog->ncode;
}

/* The `and` nodes above the conjuncts, whose operands are all computed by now. */
static void compile_and_spine(emitter *e, node *n)
{
    if (!is_and(n))
        return;
    compile_and_spine(e, n->a);
    compile_and_spine(e, n->b);
    emit(e, n);
}

static void compile_opt(emitter *e, node *n)
{
    if (n)
        compile_top(e, n);
}

void program_compile(rule *r, program *prog, arena *mem)
{
    emitter e = {.prog = prog, .r = r};
    memset(prog, 0, sizeof *prog);
    for (size_t i = 0; i < r->nparams; i++)
        for (size_t j = 0; j < r->params[i].nvalues; j++)
            r->params[i].values[j].value->reg = -1;
    for (size_t i = 0; i < r->nlets; i++)
        r->lets[i].expr->reg = -1;
    for (size_t i = 0; i < r->napplies; i++)
        compile_conjuncts(&e, r->applies[i].expr, mem);
    for (size_t i = 0; i < r->napplies; i++)
        compile_and_spine(&e, r->applies[i].expr);
    prog->nscope = prog->ncode;
    prog->req_end = arena_alloc(mem, (r->nrequires + 1) * sizeof *prog->req_end);
    for (size_t i = 0; i < r->nrequires; i++) {
        compile_top(&e, r->requires[i].expr);
        prog->req_end[i] = prog->ncode;
    }
    compile_opt(&e, r->amount);
    for (size_t i = 0; i < r->ntiers; i++) {
        compile_opt(&e, r->tiers[i].when);
        compile_top(&e, r->tiers[i].amount);
    }
    for (size_t i = 0; i < r->nbonuses; i++) {
        compile_top(&e, r->bonuses[i].when);
        compile_top(&e, r->bonuses[i].amount);
    }
    for (size_t i = 0; i < r->ncaps; i++)
        compile_top(&e, r->caps[i].amount);
    compile_opt(&e, r->pool_total);
    for (size_t i = 0; i < r->nlets; i++) /* used by nothing, still shown in explanations */
        compile_let(&e, i);
}

/* ---- symbols ---- */

int symtab_lookup(const symtab *t, const char *s)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->names[i], s) == 0)
            return (int)i + 1;
    return 0;
}

int symtab_intern(symtab *t, const char *s)
{
    int id = symtab_lookup(t, s);
    if (id)
        return id;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->names = xrealloc(t->names, t->cap * sizeof *t->names);
    }
    t->names[t->n++] = xstrdup(s);
    return (int)t->n;
}
