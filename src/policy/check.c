/*
 * check — names resolved, types and units checked (see ast.h for the value model).
 *
 * The point of the checker is that a policy officer's slip is caught when the file is loaded, with
 * its place, instead of paying a wrong amount: adding a percentage to money, comparing a year with
 * money, reading a yearly fact without saying which year, a test that sets a fact that does not
 * exist. Each node gets its type and, for money, percentages and numbers, the decimal scale its
 * integer carries; the compiler and the VM rely on these and check nothing again.
 */
#include "policy/ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { MAX_SCALE = 8 }; /* registers are 64-bit (vm_word): 10^8 leaves 9 x 10^10 whole units */

typedef struct checker {
    rule *r;
    arena *mem;
    errlist *errors;
    int nerrors;
    size_t lets_visible; /* lets defined above the one being checked */
    int in_first_year;
} checker;

static void fail(checker *c, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fail(checker *c, int line, int col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rule_error(c->errors, c->r->file, line, col, "%s", msg);
    c->nerrors++;
}

static bool numeric(ptype t)
{
    return t == PT_MONEY || t == PT_PERCENT || t == PT_NUMBER;
}

static bool is_count(const node *n)
{
    return n->type == PT_NUMBER && n->scale == 0;
}

static ptype fact_ptype(facts_type t, int *scale)
{
    *scale = 0;
    switch (t) {
    case FT_MONEY:
        *scale = 2;
        return PT_MONEY;
    case FT_COUNT:
        return PT_NUMBER;
    case FT_YEAR:
        return PT_YEAR;
    case FT_DECIMAL2:
        *scale = 2;
        return PT_NUMBER;
    case FT_BOOL:
        return PT_BOOL;
    case FT_DATE:
        return PT_DATE;
    case FT_TEXT:
        return PT_TEXT;
    case FT_LIST:
        return PT_LIST;
    }
    return PT_ERROR;
}

static facts_kind relation_kind(const rule *r, const char *relation, bool *ok)
{
    static const char *const words[FACTS_KINDS] = {NULL, "owner", "employer", "enterprise"};
    *ok = r->has_subject && words[r->subject] && strcmp(words[r->subject], relation) == 0;
    return FACTS_ENTERPRISE;
}

static void check_expr(checker *c, node *n);

static void resolve_name(checker *c, node *n)
{
    rule *r = c->r;
    if (n->related) {
        bool ok;
        facts_kind k = relation_kind(r, n->relation, &ok);
        if (!ok) {
            static const char *const hint[FACTS_KINDS] = {"an enterprise has no related subject", "write owner.FACT",
                                                          "write employer.FACT", "write enterprise.FACT"};
            fail(c, n->line, n->col, "'%s.' does not apply to this policy's subject (%s)", n->relation,
                 r->has_subject ? hint[r->subject] : "declare the subject first");
            return;
        }
        n->fact = facts_find(k, n->name);
        if (n->fact < 0)
            fail(c, n->line, n->col, "an enterprise has no fact '%s'", n->name);
        return;
    }
    if (strcmp(n->name, "year") == 0) {
        n->kind = N_YEAR;
        n->type = PT_YEAR;
        return;
    }
    if (strcmp(n->name, "y") == 0) {
        if (!c->in_first_year)
            fail(c, n->line, n->col, "'y' is the year being tried and exists only inside first_year(...)");
        n->kind = N_ITER;
        n->type = PT_YEAR;
        return;
    }
    for (size_t i = 0; i < c->lets_visible; i++) {
        if (strcmp(r->lets[i].name, n->name) == 0) {
            n->kind = N_LET;
            n->target = (int)i;
            n->type = r->lets[i].expr->type;
            n->scale = r->lets[i].expr->scale;
            return;
        }
    }
    for (size_t i = 0; i < r->nparams; i++) {
        if (strcmp(r->params[i].name, n->name) == 0) {
            n->kind = N_PARAM;
            n->target = (int)i;
            n->type = r->params[i].values[0].value->type;
            n->scale = r->params[i].values[0].value->scale;
            return;
        }
    }
    n->fact = r->has_subject ? facts_find(r->subject, n->name) : -1;
    if (n->fact < 0)
        fail(c, n->line, n->col, "unknown name '%s' (not a fact of a%s %s, a param or a let above)", n->name,
             r->has_subject && r->subject == FACTS_ENTERPRISE ? "n" : "", r->has_subject ? facts_kind_name(r->subject) : "subject");
}

static void check_fact(checker *c, node *n)
{
    if (n->kind == N_FACT)
        resolve_name(c, n);
    if (n->kind != N_FACT) {
        if (n->b)
            fail(c, n->line, n->col, "'%s' is not a yearly fact and takes no [year]", n->name);
        return;
    }
    if (n->fact < 0)
        return;
    const facts_def *d = facts_get(n->fact);
    n->type = fact_ptype(d->type, &n->scale);
    if (d->yearly && !n->b) {
        fail(c, n->line, n->col, "'%s' has a value per year: write %s[year - 1] (or another year)", n->name, n->name);
    } else if (!d->yearly && n->b) {
        fail(c, n->line, n->col, "'%s' is not a yearly fact and takes no [year]", n->name);
    } else if (n->b) {
        check_expr(c, n->b);
        if (n->b->type != PT_YEAR && n->b->type != PT_ERROR && !n->b->int_literal)
            fail(c, n->b->line, n->b->col, "the index of '%s' must be a year, found %s", n->name, ptype_name(n->b->type));
    }
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static void set_scale(checker *c, node *n, int scale)
{
    n->scale = scale;
    if (scale > MAX_SCALE) {
        fail(c, n->line, n->col, "too many decimals in this product (%d): split the computation", scale);
        n->type = PT_ERROR;
    }
}

static const char *op_verb(tok_kind op)
{
#define VERB(kind, text, shown, verb, ...)                                                                                         \
    case kind:                                                                                                                     \
        return verb;
    switch (op) {
        OP_LIST(OP_NONE, VERB, OP_NONE)
    default:
        return "compare";
    }
#undef VERB
}

static void check_additive(checker *c, node *n)
{
    node *a = n->a, *b = n->b;
    if (a->type == b->type && numeric(a->type)) {
        n->type = a->type;
        set_scale(c, n, max_int(a->scale, b->scale));
    } else if (a->type == PT_YEAR && is_count(b)) {
        n->type = PT_YEAR;
    } else if (n->op == TK_PLUS && is_count(a) && b->type == PT_YEAR) {
        n->type = PT_YEAR;
    } else if (n->op == TK_MINUS && a->type == PT_YEAR && b->type == PT_YEAR) {
        n->type = PT_NUMBER;
    } else if (a->type == PT_DATE && is_count(b)) {
        n->type = PT_DATE;
    } else {
        fail(c, n->line, n->col, "cannot %s %s %s %s", op_verb(n->op), ptype_name(b->type), n->op == TK_PLUS ? "to" : "from",
             ptype_name(a->type));
        n->type = PT_ERROR;
    }
}

static void check_product(checker *c, node *n)
{
    node *a = n->a, *b = n->b;
    /* money x percent, money x number, percent x percent, percent x number, number x number */
    static const struct {
        ptype a, b, out;
    } ok[] = {
        {PT_MONEY, PT_PERCENT, PT_MONEY},    {PT_MONEY, PT_NUMBER, PT_MONEY},   {PT_PERCENT, PT_PERCENT, PT_PERCENT},
        {PT_PERCENT, PT_NUMBER, PT_PERCENT}, {PT_NUMBER, PT_NUMBER, PT_NUMBER},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if ((a->type == ok[i].a && b->type == ok[i].b) || (a->type == ok[i].b && b->type == ok[i].a)) {
            n->type = ok[i].out;
            set_scale(c, n, a->scale + b->scale);
            return;
        }
    }
    fail(c, n->line, n->col, "cannot multiply %s by %s", ptype_name(a->type), ptype_name(b->type));
    n->type = PT_ERROR;
}

static bool comparable(const node *a, const node *b)
{
    if (a->type == b->type)
        return true;
    return (a->type == PT_YEAR && b->int_literal) || (b->type == PT_YEAR && a->int_literal);
}

static void check_comparison(checker *c, node *n)
{
    node *a = n->a, *b = n->b;
    n->type = PT_BOOL;
    if (!comparable(a, b)) {
        fail(c, n->line, n->col, "cannot compare %s with %s", ptype_name(a->type), ptype_name(b->type));
        n->type = PT_ERROR;
        return;
    }
    bool ordered = n->op != TK_EQ && n->op != TK_NE;
    if (ordered && (a->type == PT_BOOL || a->type == PT_TEXT || a->type == PT_LIST)) {
        fail(c, n->line, n->col, "%s values have no order: use == or !=", ptype_name(a->type));
        n->type = PT_ERROR;
        return;
    }
    if (a->type == PT_LIST) {
        fail(c, n->line, n->col, "compare a list with 'in': \"flag\" in flags");
        n->type = PT_ERROR;
        return;
    }
    n->scale = max_int(a->scale, b->scale); /* the scale both sides are compared at */
}

static void check_binary(checker *c, node *n)
{
    check_expr(c, n->a);
    check_expr(c, n->b);
    if (n->a->type == PT_ERROR || n->b->type == PT_ERROR) {
        n->type = PT_ERROR;
        return;
    }
    if (n->logic != LOGIC_NONE) {
        if (n->a->type != PT_BOOL || n->b->type != PT_BOOL) {
            node *bad = n->a->type != PT_BOOL ? n->a : n->b;
            fail(c, bad->line, bad->col, "'%s' needs a condition on each side, found %s", n->logic == LOGIC_AND ? "and" : "or",
                 ptype_name(bad->type));
            n->type = PT_ERROR;
            return;
        }
        n->type = PT_BOOL;
    } else if (n->op == TK_PLUS || n->op == TK_MINUS) {
        check_additive(c, n);
    } else if (n->op == TK_STAR) {
        check_product(c, n);
    } else {
        check_comparison(c, n);
    }
}

static void check_minmax(checker *c, node *n)
{
    n->type = PT_ERROR;
    for (size_t i = 0; i < n->nargs; i++)
        check_expr(c, n->args[i]);
    ptype t = n->args[0]->type;
    int scale = 0;
    for (size_t i = 0; i < n->nargs; i++) {
        node *a = n->args[i];
        if (a->type == PT_ERROR)
            return;
        if (a->type != t || !(numeric(t) || t == PT_YEAR || t == PT_DATE)) {
            fail(c, a->line, a->col, "%s() needs values of one kind (money, percent, number, year or date); found %s and %s",
                 n->kind == N_MIN ? "min" : "max", ptype_name(t), ptype_name(a->type));
            return;
        }
        scale = max_int(scale, a->scale);
    }
    n->type = t;
    n->scale = scale;
}

static void check_in(checker *c, node *n)
{
    check_expr(c, n->a);
    for (size_t i = 0; i < n->nargs; i++)
        check_expr(c, n->args[i]);
    n->type = PT_BOOL;
    if (n->a->type == PT_TEXT && n->nargs == 1 && n->args[0]->type == PT_LIST) {
        if (n->a->kind != N_LITERAL)
            fail(c, n->a->line, n->a->col, "write the flag in quotes: \"overseas_chinese_capital\" in flags");
        return;
    }
    if (n->a->type != PT_TEXT) {
        fail(c, n->line, n->col, "'in' tests text against a list of texts, found %s", ptype_name(n->a->type));
        n->type = PT_ERROR;
        return;
    }
    for (size_t i = 0; i < n->nargs; i++) {
        if (n->args[i]->kind != N_LITERAL || n->args[i]->type != PT_TEXT) {
            fail(c, n->args[i]->line, n->args[i]->col, "'in (...)' lists texts in quotes");
            n->type = PT_ERROR;
        }
    }
}

static void check_expr(checker *c, node *n)
{
    switch (n->kind) {
    case N_LITERAL:
        return;
    case N_FACT:
        check_fact(c, n);
        return;
    case N_BINARY:
        check_binary(c, n);
        return;
    case N_NOT:
        check_expr(c, n->a);
        n->type = PT_BOOL;
        if (n->a->type != PT_BOOL && n->a->type != PT_ERROR)
            fail(c, n->line, n->col, "'not' needs a condition, found %s", ptype_name(n->a->type));
        return;
    case N_NEG:
        check_expr(c, n->a);
        n->type = n->a->type;
        n->scale = n->a->scale;
        if (!numeric(n->a->type) && n->a->type != PT_ERROR) {
            fail(c, n->line, n->col, "cannot negate %s", ptype_name(n->a->type));
            n->type = PT_ERROR;
        }
        return;
    case N_MIN:
    case N_MAX:
        check_minmax(c, n);
        return;
    case N_KNOWN:
        check_expr(c, n->a);
        n->type = PT_BOOL;
        return;
    case N_FIRST_YEAR:
        c->in_first_year++;
        check_expr(c, n->a);
        c->in_first_year--;
        n->type = PT_YEAR;
        if (n->a->type != PT_BOOL && n->a->type != PT_ERROR)
            fail(c, n->a->line, n->a->col, "first_year(...) needs a condition on y, found %s", ptype_name(n->a->type));
        return;
    case N_DATE_YEAR:
        check_expr(c, n->a);
        n->type = PT_YEAR;
        if (n->a->type != PT_DATE && n->a->type != PT_ERROR) {
            fail(c, n->line, n->col, "'.year' takes the year of a date, found %s", ptype_name(n->a->type));
            n->type = PT_ERROR;
        }
        return;
    case N_IN:
        check_in(c, n);
        return;
    case N_PARAM: /* made by resolution, never parsed */
    case N_LET:
    case N_YEAR:
    case N_ITER:
        return;
    }
}

static void expect_type(checker *c, node *n, ptype want, const char *what)
{
    check_expr(c, n);
    if (n->type != want && n->type != PT_ERROR)
        fail(c, n->line, n->col, "%s must be %s, found %s", what, ptype_name(want), ptype_name(n->type));
}

/* ---- params ---- */

static node *literal_of(checker *c, const token *t)
{
    node *n = ast_literal(c->mem, t);
    if (n)
        return n;
    n = arena_alloc(c->mem, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = N_LITERAL;
    n->line = t->line;
    n->col = t->col;
    n->reg = -1;
    if (t->kind == TK_IDENT) {
        n->type = PT_BOOL;
        n->value = t->len == 4 && memcmp(t->start, "true", 4) == 0;
    } else {
        n->type = PT_ERROR;
    }
    return n;
}

static void check_params(checker *c)
{
    rule *r = c->r;
    if (r->nparams > RULE_MAX_PARAMS)
        fail(c, r->params[RULE_MAX_PARAMS].line, r->params[RULE_MAX_PARAMS].col, "at most %d parameters per policy",
             RULE_MAX_PARAMS);
    for (size_t i = 0; i < r->nparams; i++) {
        param *p = &r->params[i];
        int scale = 0;
        for (size_t j = 0; j < p->nvalues; j++) {
            param_value *v = &p->values[j];
            v->value = literal_of(c, &v->lit);
            if (v->value->type != p->values[0].value->type)
                fail(c, v->lit.line, v->lit.col, "every value of '%s' must be %s, found %s", p->name,
                     ptype_name(p->values[0].value->type), ptype_name(v->value->type));
            scale = max_int(scale, v->value->scale);
        }
        /* One scale for all values of a parameter, so the node that reads it has one scale. */
        p->info = arena_alloc(c->mem, p->nvalues * sizeof *p->info);
        for (size_t j = 0; j < p->nvalues; j++) {
            param_value *v = &p->values[j];
            v->value->value = pval_rescale(v->value->value, v->value->scale, scale);
            v->value->scale = scale;
            v->value->int_literal = false;
            p->info[j] = (policy_param_info){.name = p->name,
                                             .labels = {NULL, NULL, NULL},
                                             .value = v->text,
                                             .assumed = v->source.assumed,
                                             .maximum = v->maximum,
                                             .source = param_source_name(&v->source),
                                             .document = v->source.document,
                                             .document_date = v->source.document_date,
                                             .from_year = v->from_year,
                                             .to_year = v->to_year};
            rule_label_split(p->label, c->mem, p->info[j].labels);
        }
    }
}

/* ---- tests ---- */

static bool literal_fits(const node *lit, facts_type t)
{
    int scale;
    ptype want = fact_ptype(t, &scale);
    if (lit->type == PT_NUMBER && want == PT_NUMBER)
        return lit->scale <= scale;
    if (lit->type == PT_NUMBER && want == PT_YEAR) /* a year is written as a whole number */
        return lit->scale == 0;
    if (lit->type == PT_MONEY && want == PT_MONEY)
        return lit->scale == 2;
    if (lit->type == PT_TEXT && want == PT_LIST)
        return true;
    return lit->type == want;
}

static void check_test_fact(checker *c, test_fact *f)
{
    rule *r = c->r;
    facts_kind k = r->subject;
    if (f->subject) {
        bool ok;
        k = relation_kind(r, f->subject, &ok);
        if (!ok) {
            fail(c, f->line, f->col, "'%s.' does not apply to this policy's subject", f->subject);
            return;
        }
    }
    if (!f->subject && r->subject != FACTS_ENTERPRISE && strcmp(f->name, "uscc") == 0) {
        f->fact = TEST_USCC; /* the enterprise the subject belongs to */
        if (f->lit.kind != TK_STRING)
            fail(c, f->lit.line, f->lit.col, "uscc takes the enterprise's code in quotes");
        return;
    }
    f->fact = facts_find(k, f->name);
    if (f->fact < 0) {
        fail(c, f->line, f->col, "a%s %s has no fact '%s'", k == FACTS_ENTERPRISE || k == FACTS_EVENT ? "n" : "",
             facts_kind_name(k), f->name);
        return;
    }
    const facts_def *d = facts_get(f->fact);
    if (d->yearly && !f->year)
        fail(c, f->line, f->col, "'%s' has a value per year: write %s[2021] = ...", f->name, f->name);
    else if (!d->yearly && f->year)
        fail(c, f->line, f->col, "'%s' is not a yearly fact and takes no [year]", f->name);
    node *lit = literal_of(c, &f->lit);
    if (!literal_fits(lit, d->type))
        fail(c, f->lit.line, f->lit.col, "'%s' takes %s, found %s", f->name, ptype_name(fact_ptype(d->type, &(int){0})),
             ptype_name(lit->type));
}

static void check_tests(checker *c)
{
    rule *r = c->r;
    for (size_t i = 0; i < r->ntests; i++) {
        test_case *t = &r->tests[i];
        if (!t->year)
            fail(c, t->line, 1, "test \"%s\" needs 'year' (the award year)", t->name);
        if (!t->nsubjects)
            fail(c, t->line, 1, "test \"%s\" sets no facts and expects nothing", t->name);
        for (size_t s = 0; s < t->nsubjects; s++) {
            test_subject *ts = &t->subjects[s];
            for (size_t j = 0; j < ts->nfacts; j++)
                check_test_fact(c, &ts->facts[j]);
            if (!ts->has_expect)
                fail(c, ts->line, 1, "test \"%s\": subject %s has no 'expect'", t->name, ts->id);
        }
    }
}

/* ---- the whole rule ---- */

static void check_header(checker *c)
{
    rule *r = c->r;
    if (!r->id)
        fail(c, 1, 1, "missing 'policy ID' line");
    for (int i = 0; i < POLICY_LANGS; i++)
        if (!r->name[i])
            fail(c, 1, 1, "missing 'name %s \"...\"'", policy_lang_tag((policy_lang)i));
    if (!r->department)
        fail(c, 1, 1, "missing 'department \"...\"'");
    if (!r->clause)
        fail(c, 1, 1, "missing 'clause \"...\"' (quote the source)");
    if (!r->has_subject)
        fail(c, 1, 1, "missing 'subject' (enterprise, project, person or event)");
    if (r->valid_to && r->valid_to < r->valid_from)
        fail(c, 1, 1, "'valid %d to %d' ends before it starts", r->valid_from, r->valid_to);
    if (r->described_only)
        return;
    if (r->amount_kind == AMOUNT_NONE)
        fail(c, 1, 1, "missing 'amount' or 'grant' (or 'described_only' for a measure without an amount)");
    if (r->amount_kind == AMOUNT_TIERS && r->ntiers == 0)
        fail(c, 1, 1, "'amount tiers' needs 'when CONDITION: AMOUNT' lines");
    if (r->topup && r->amount_kind == AMOUNT_GRANT)
        fail(c, 1, 1, "'topup' applies to money, not to a grant");
    if (r->pool_total && r->pool_to < r->pool_from)
        fail(c, r->pool_line, 1, "the pool ends before it starts");
}

/* `per enterprise and FACT`: a text fact of the subject itself, one value per subject, and a
 * yearly cap (the ledger's earlier payments are not kept by that fact). */
static void check_cap_group(checker *c, cap_def *cp)
{
    if (!cp->by)
        return;
    cp->by_fact = c->r->has_subject ? facts_find(c->r->subject, cp->by) : -1;
    const facts_def *d = cp->by_fact >= 0 ? facts_get(cp->by_fact) : NULL;
    if (!d || d->yearly || (d->type != FT_TEXT && d->type != FT_LIST))
        fail(c, cp->line, cp->col, "'per enterprise and %s': %s is not a text fact of the subject with one value", cp->by, cp->by);
    else if (cp->kind != CAP_YEARLY)
        fail(c, cp->line, cp->col, "'per enterprise and %s' groups a yearly cap only", cp->by);
}

static void check_money_parts(checker *c)
{
    rule *r = c->r;
    if (r->amount)
        expect_type(c, r->amount, PT_MONEY, "the amount");
    for (size_t i = 0; i < r->ntiers; i++) {
        if (r->tiers[i].when)
            expect_type(c, r->tiers[i].when, PT_BOOL, "a tier's condition");
        expect_type(c, r->tiers[i].amount, PT_MONEY, "a tier's amount");
    }
    for (size_t i = 0; i < r->nbonuses; i++) {
        bonus *b = &r->bonuses[i];
        expect_type(c, b->when, PT_BOOL, "a bonus's condition");
        check_expr(c, b->amount);
        if (b->amount->type != PT_MONEY && b->amount->type != PT_PERCENT && b->amount->type != PT_ERROR)
            fail(c, b->amount->line, b->amount->col, "a bonus is money or a percentage of the amount, found %s",
                 ptype_name(b->amount->type));
    }
    for (size_t i = 0; i < r->ncaps; i++) {
        expect_type(c, r->caps[i].amount, PT_MONEY, "a cap");
        check_cap_group(c, &r->caps[i]);
    }
    if (r->pool_total)
        expect_type(c, r->pool_total, PT_MONEY, "a pool");
    if (r->amount_kind == AMOUNT_GRANT && (r->nbonuses || r->ncaps || r->pool_total))
        fail(c, 1, 1, "a grant has no bonus, cap or pool");
}

int rule_check(rule *r, arena *mem, errlist *errors)
{
    checker c = {.r = r, .mem = mem, .errors = errors};
    check_header(&c);
    check_params(&c);
    for (size_t i = 0; i < r->nlets; i++) {
        c.lets_visible = i;
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->lets[j].name, r->lets[i].name) == 0)
                fail(&c, r->lets[i].line, r->lets[i].col, "'%s' is already defined on line %d", r->lets[i].name, r->lets[j].line);
        check_expr(&c, r->lets[i].expr);
    }
    c.lets_visible = r->nlets;
    for (size_t i = 0; i < r->napplies; i++)
        expect_type(&c, r->applies[i].expr, PT_BOOL, "'applies'");
    for (size_t i = 0; i < r->nrequires; i++)
        expect_type(&c, r->requires[i].expr, PT_BOOL, "'require'");
    check_money_parts(&c);
    check_tests(&c);
    return c.nerrors;
}
