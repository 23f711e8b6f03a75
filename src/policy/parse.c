/*
 * parse — tokens to a `rule` (see ast.h and docs/policy-language.md).
 *
 * Every statement is one line that starts with a keyword; the parser dispatches on it. After an
 * error the rest of the line is skipped, so one run reports every bad line, not just the first.
 * Names in expressions are left unresolved here (a fact, parameter or `let`): check.c resolves
 * them once the whole file is read, so a `let` may use a parameter declared further down.
 */
#include "policy/ast.h"

#include <stdio.h>
#include <string.h>

#include "model/tables.h"

typedef struct parser {
    lexer lx;
    token tok;
    arena *mem;
    errlist *errors;
    const char *file;
    rule *r;
    int nerrors;
    bool in_tiers; /* after `amount tiers`: `when` and `otherwise` lines belong to it */
} parser;

/* Grows an arena-backed array by one slot (doubling), returning the new zeroed slot. */
static void *vec_push(arena *mem, void *arrp, size_t *n, size_t size)
{
    void **arr = arrp;
    if (*n == 0 || (*n & (*n - 1)) == 0) {
        size_t grown = *n < 4 ? 4 : *n * 2;
        void *fresh = arena_alloc(mem, grown * size);
        if (*n)
            memcpy(fresh, *arr, *n * size);
        *arr = fresh;
    }
    void *slot = (char *)*arr + (*n)++ * size;
    memset(slot, 0, size);
    return slot;
}

static void next(parser *ps)
{
    ps->tok = lex_next(&ps->lx);
}

static void error_at(parser *ps, const token *t, const char *what)
{
    rule_error(ps->errors, ps->file, t->line, t->col, "%s", what);
    ps->nerrors++;
}

static const char *tok_text(parser *ps, const token *t)
{
    switch (t->kind) {
    case TK_EOF:
        return "end of file";
    case TK_NEWLINE:
        return "end of line";
    default:
        return arena_printf(ps->mem, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->start);
    }
}

/* "expected X, found Y" at the current token. Always returns false so callers can `return expect_fail`. */
static bool expected(parser *ps, const char *what)
{
    char msg[256];
    snprintf(msg, sizeof msg, "expected %s, found %s", what, tok_text(ps, &ps->tok));
    error_at(ps, &ps->tok, msg);
    return false;
}

static bool is_word(const token *t, const char *w)
{
    return t->kind == TK_IDENT && t->len == strlen(w) && memcmp(t->start, w, t->len) == 0;
}

static bool accept_word(parser *ps, const char *w)
{
    if (!is_word(&ps->tok, w))
        return false;
    next(ps);
    return true;
}

static bool accept(parser *ps, tok_kind k)
{
    if (ps->tok.kind != k)
        return false;
    next(ps);
    return true;
}

static char *ident_text(parser *ps)
{
    return arena_strndup(ps->mem, ps->tok.start, ps->tok.len);
}

static void skip_line(parser *ps)
{
    while (ps->tok.kind != TK_NEWLINE && ps->tok.kind != TK_EOF)
        next(ps);
}

static bool end_of_line(parser *ps)
{
    if (ps->tok.kind == TK_NEWLINE || ps->tok.kind == TK_EOF)
        return true;
    return expected(ps, "end of line");
}

/* ---- expressions ------------------------------------------------------------------------- */

static node *new_node(parser *ps, node_kind k, const token *at)
{
    node *n = arena_alloc(ps->mem, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = k;
    n->line = at->line;
    n->col = at->col;
    n->reg = -1;
    return n;
}

static node *parse_expr(parser *ps);

node *ast_literal(arena *mem, const token *t)
{
    static const ptype types[] = {
        [TK_NUMBER] = PT_NUMBER, [TK_MONEY] = PT_MONEY, [TK_PERCENT] = PT_PERCENT, [TK_DATE] = PT_DATE, [TK_STRING] = PT_TEXT};
    if (t->kind != TK_NUMBER && t->kind != TK_MONEY && t->kind != TK_PERCENT && t->kind != TK_DATE && t->kind != TK_STRING)
        return NULL;
    node *n = arena_alloc(mem, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = N_LITERAL;
    n->line = t->line;
    n->col = t->col;
    n->reg = -1;
    n->type = types[t->kind];
    if (t->kind == TK_DATE) {
        n->value = t->days;
    } else if (t->kind == TK_STRING) {
        n->name = t->str;
    } else {
        n->value = t->num;
        n->scale = t->scale;
        n->int_literal = t->kind == TK_NUMBER && t->scale == 0;
    }
    return n;
}

static node *literal_node(parser *ps, const token *t)
{
    return ast_literal(ps->mem, t);
}

static bool parse_args(parser *ps, node *n, size_t min, size_t max)
{
    if (!accept(ps, TK_LPAREN))
        return expected(ps, "'('");
    for (;;) {
        node *a = parse_expr(ps);
        if (!a)
            return false;
        *(node **)vec_push(ps->mem, &n->args, &n->nargs, sizeof(node *)) = a;
        if (accept(ps, TK_RPAREN))
            break;
        if (!accept(ps, TK_COMMA))
            return expected(ps, "',' or ')'");
    }
    if (n->nargs < min || n->nargs > max) {
        char msg[128];
        snprintf(msg, sizeof msg, "takes %zu to %zu arguments, found %zu", min, max, n->nargs);
        error_at(ps, &(token){.line = n->line, .col = n->col}, msg);
        return false;
    }
    return true;
}

static node *parse_call(parser *ps, const token *name)
{
    static const struct {
        const char *name;
        node_kind k;
        size_t min, max;
    } calls[] = {
        {"min", N_MIN, 2, 16},
        {"max", N_MAX, 2, 16},
        {"known", N_KNOWN, 1, 1},
        {"first_year", N_FIRST_YEAR, 1, 1},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        if (!is_word(name, calls[i].name))
            continue;
        node *n = new_node(ps, calls[i].k, name);
        if (!parse_args(ps, n, calls[i].min, calls[i].max))
            return NULL;
        n->a = n->args[0];
        return n;
    }
    char msg[128];
    snprintf(msg, sizeof msg, "unknown function '%.*s' (functions: min, max, known, first_year)", (int)name->len, name->start);
    error_at(ps, name, msg);
    return NULL;
}

static bool is_relation(const token *t)
{
    return is_word(t, "employer") || is_word(t, "owner") || is_word(t, "enterprise");
}

static node *parse_name(parser *ps)
{
    token name = ps->tok;
    next(ps);
    if (ps->tok.kind == TK_LPAREN)
        return parse_call(ps, &name);
    if (is_word(&name, "true") || is_word(&name, "false")) {
        node *n = new_node(ps, N_LITERAL, &name);
        n->type = PT_BOOL;
        n->value = is_word(&name, "true");
        return n;
    }
    node *n = new_node(ps, N_FACT, &name);
    if (is_relation(&name) && ps->tok.kind == TK_DOT) {
        next(ps);
        if (ps->tok.kind != TK_IDENT) {
            expected(ps, "a fact name after the relation");
            return NULL;
        }
        n->related = true;
        n->relation = arena_strndup(ps->mem, name.start, name.len);
        n->name = ident_text(ps);
        next(ps);
        return n;
    }
    n->name = arena_strndup(ps->mem, name.start, name.len);
    return n;
}

static node *parse_primary(parser *ps)
{
    token t = ps->tok;
    switch (t.kind) {
    case TK_NUMBER:
    case TK_MONEY:
    case TK_PERCENT:
    case TK_DATE:
    case TK_STRING:
        next(ps);
        return literal_node(ps, &t);
    case TK_IDENT:
        return parse_name(ps);
    case TK_LPAREN: {
        next(ps);
        node *n = parse_expr(ps);
        if (!n)
            return NULL;
        if (!accept(ps, TK_RPAREN)) {
            expected(ps, "')'");
            return NULL;
        }
        return n;
    }
    default:
        expected(ps, "a value, a name or '('");
        return NULL;
    }
}

static node *parse_postfix(parser *ps)
{
    node *n = parse_primary(ps);
    while (n) {
        token t = ps->tok;
        if (accept(ps, TK_LBRACKET)) {
            if (n->kind != N_FACT || n->b) {
                error_at(ps, &t, "only a yearly fact takes a [year]");
                return NULL;
            }
            n->b = parse_expr(ps);
            if (!n->b)
                return NULL;
            if (!accept(ps, TK_RBRACKET)) {
                expected(ps, "']'");
                return NULL;
            }
        } else if (accept(ps, TK_DOT)) {
            if (!accept_word(ps, "year")) {
                expected(ps, "'year' after '.' (the year of a date)");
                return NULL;
            }
            node *y = new_node(ps, N_DATE_YEAR, &t);
            y->a = n;
            n = y;
        } else {
            break;
        }
    }
    return n;
}

static node *parse_unary(parser *ps)
{
    token t = ps->tok;
    if (accept(ps, TK_MINUS)) {
        node *n = new_node(ps, N_NEG, &t);
        n->a = parse_unary(ps);
        return n->a ? n : NULL;
    }
    return parse_postfix(ps);
}

static node *binary(parser *ps, const token *op, node *a, node *b)
{
    if (!b)
        return NULL;
    node *n = new_node(ps, N_BINARY, op);
    n->op = op->kind;
    n->a = a;
    n->b = b;
    return n;
}

static node *parse_mul(parser *ps)
{
    node *n = parse_unary(ps);
    while (n && ps->tok.kind == TK_STAR) {
        token op = ps->tok;
        next(ps);
        n = binary(ps, &op, n, parse_unary(ps));
    }
    return n;
}

static node *parse_add(parser *ps)
{
    node *n = parse_mul(ps);
    while (n && (ps->tok.kind == TK_PLUS || ps->tok.kind == TK_MINUS)) {
        token op = ps->tok;
        next(ps);
        n = binary(ps, &op, n, parse_mul(ps));
    }
    return n;
}

static node *parse_in(parser *ps, node *lhs, const token *at)
{
    node *n = new_node(ps, N_IN, at);
    n->a = lhs;
    if (ps->tok.kind == TK_LPAREN) {
        if (!parse_args(ps, n, 1, 64))
            return NULL;
    } else {
        node *b = parse_add(ps);
        if (!b)
            return NULL;
        *(node **)vec_push(ps->mem, &n->args, &n->nargs, sizeof(node *)) = b;
    }
    return n;
}

static node *parse_cmp(parser *ps)
{
    node *n = parse_add(ps);
    if (!n)
        return NULL;
    token op = ps->tok;
    if (op_is_compare(op.kind)) {
        next(ps);
        n = binary(ps, &op, n, parse_add(ps));
    } else if (accept_word(ps, "in")) {
        n = parse_in(ps, n, &op);
    }
    if (n && op_is_compare(ps->tok.kind)) {
        error_at(ps, &ps->tok, "comparisons do not chain: write 'a <= b and b <= c'");
        return NULL;
    }
    return n;
}

static node *parse_not(parser *ps)
{
    token t = ps->tok;
    if (accept_word(ps, "not")) {
        node *n = new_node(ps, N_NOT, &t);
        n->a = parse_not(ps);
        return n->a ? n : NULL;
    }
    return parse_cmp(ps);
}

static node *parse_logic(parser *ps, const char *word, logic_kind logic, node *(*sub)(parser *))
{
    node *n = sub(ps);
    while (n && is_word(&ps->tok, word)) {
        token op = ps->tok;
        next(ps);
        n = binary(ps, &op, n, sub(ps));
        if (n)
            n->logic = logic;
    }
    return n;
}

static node *parse_and(parser *ps)
{
    return parse_logic(ps, "and", LOGIC_AND, parse_not);
}

static node *parse_expr(parser *ps)
{
    return parse_logic(ps, "or", LOGIC_OR, parse_and);
}

/* ---- labels ------------------------------------------------------------------------------ */

const char *rule_label_part(const char *label, int lang, size_t *len)
{
    const char *part = label;
    for (int i = 0; i < lang; i++) {
        const char *bar = strstr(part, " | ");
        if (!bar)
            break;
        part = bar + 3;
    }
    const char *end = strstr(part, " | ");
    *len = end ? (size_t)(end - part) : strlen(part);
    return part;
}

void rule_label_split(const char *label, arena *mem, const char *out[3])
{
    for (int lang = 0; lang < 3; lang++) {
        size_t len = 0;
        const char *part = label ? rule_label_part(label, lang, &len) : NULL;
        out[lang] = part ? arena_strndup(mem, part, len) : NULL;
    }
}

/* ---- statements -------------------------------------------------------------------------- */

static bool parse_string(parser *ps, const char **out, const char *what)
{
    if (ps->tok.kind != TK_STRING)
        return expected(ps, what);
    *out = ps->tok.str;
    next(ps);
    return true;
}

static bool parse_year(parser *ps, int *out)
{
    if (ps->tok.kind != TK_NUMBER || ps->tok.scale != 0 || ps->tok.num < TABLES_YEAR_MIN || ps->tok.num > TABLES_YEAR_MAX)
        return expected(ps, "a year (" TABLES_YEARS("..") ")");
    *out = (int)ps->tok.num;
    next(ps);
    return true;
}

/* a policy id: words joined by '.' */
static bool parse_dotted(parser *ps, const char **out)
{
    if (ps->tok.kind != TK_IDENT)
        return expected(ps, "a policy id like miit.tech_upgrade");
    char buf[256];
    size_t n = 0;
    for (;;) {
        if (ps->tok.kind != TK_IDENT || n + ps->tok.len + 2 > sizeof buf)
            return expected(ps, "a word of the policy id");
        memcpy(buf + n, ps->tok.start, ps->tok.len);
        n += ps->tok.len;
        next(ps);
        if (!accept(ps, TK_DOT))
            break;
        buf[n++] = '.';
    }
    *out = arena_strndup(ps->mem, buf, n);
    return true;
}

/* A language tag (zh-CN, zh-TW, en) as policy_lang; -1 when the next word is none. */
static int parse_lang_tag(parser *ps)
{
    char tag[16] = "";
    if (ps->tok.kind == TK_IDENT && ps->tok.len < 8) {
        memcpy(tag, ps->tok.start, ps->tok.len);
        tag[ps->tok.len] = 0;
        next(ps);
        if (accept(ps, TK_MINUS) && ps->tok.kind == TK_IDENT && ps->tok.len < 6) {
            size_t n = strlen(tag);
            tag[n] = '-';
            memcpy(tag + n + 1, ps->tok.start, ps->tok.len);
            tag[n + 1 + ps->tok.len] = 0;
            next(ps);
        }
    }
    return policy_lang_parse(tag);
}

static bool stmt_name(parser *ps)
{
    int lang = parse_lang_tag(ps);
    if (lang < 0)
        return expected(ps, "a language: zh-CN, zh-TW or en");
    return parse_string(ps, &ps->r->name[lang], "the name in quotes");
}

static bool stmt_subject(parser *ps)
{
    int k = ps->tok.kind == TK_IDENT ? facts_kind_parse(ident_text(ps)) : -1;
    if (k < 0)
        return expected(ps, "enterprise, project, person or event");
    ps->r->subject = (facts_kind)k;
    ps->r->has_subject = true;
    next(ps);
    return true;
}

/* Where a figure comes from: `article`, `assumed`, or `confirmed "DOC" DATE`. */
static bool parse_source(parser *ps, param_source *src)
{
    if (accept_word(ps, "assumed")) {
        src->assumed = true;
        return true;
    }
    if (accept_word(ps, "confirmed")) {
        if (!parse_string(ps, &src->document, "the confirming document's number in quotes (文號)"))
            return false;
        if (ps->tok.kind != TK_DATE)
            return expected(ps, "the confirming document's date (2021-06-01)");
        src->document_date = arena_strndup(ps->mem, ps->tok.start, ps->tok.len);
        next(ps);
        return true;
    }
    if (!accept_word(ps, "article"))
        return expected(ps, "the source: article, assumed or confirmed \"DOC\" DATE");
    return true;
}

static bool stmt_valid(parser *ps)
{
    rule *r = ps->r;
    if (accept_word(ps, "from")) {
        if (!parse_year(ps, &r->valid_from))
            return false;
    } else {
        if (!parse_year(ps, &r->valid_from))
            return false;
        if (!accept_word(ps, "to"))
            return expected(ps, "'to'");
        if (!parse_year(ps, &r->valid_to))
            return false;
    }
    return parse_source(ps, &r->valid_source);
}

static const char *join_text(parser *ps, const char *old, const char *add)
{
    return old ? arena_printf(ps->mem, "%s\n%s", old, add) : add;
}

static bool stmt_text(parser *ps, const char **field)
{
    const char *s = NULL;
    if (!parse_string(ps, &s, "text in quotes"))
        return false;
    *field = join_text(ps, *field, s);
    return true;
}

static bool is_literal_token(tok_kind k)
{
    return k == TK_NUMBER || k == TK_MONEY || k == TK_PERCENT || k == TK_DATE || k == TK_STRING;
}

static bool stmt_param(parser *ps)
{
    if (ps->tok.kind != TK_IDENT)
        return expected(ps, "a parameter name");
    token at = ps->tok;
    const char *name = ident_text(ps), *label = NULL;
    next(ps);
    if (ps->tok.kind == TK_STRING && !parse_string(ps, &label, "the parameter's label"))
        return false;
    if (!accept(ps, TK_ASSIGN))
        return expected(ps, "'='");
    if (!is_literal_token(ps->tok.kind))
        return expected(ps, "a value with its unit (10%, 3000000.00 yuan, 2021, \"65\")");
    param_value pv = {.lit = ps->tok, .text = arena_strndup(ps->mem, ps->tok.start, ps->tok.len)};
    next(ps);
    if (!parse_source(ps, &pv.source))
        return false;
    pv.maximum = accept_word(ps, "maximum");
    if (accept_word(ps, "from") && !parse_year(ps, &pv.from_year))
        return false;
    if (accept_word(ps, "to") && !parse_year(ps, &pv.to_year))
        return false;
    rule *r = ps->r;
    param *p = NULL;
    for (size_t i = 0; i < r->nparams; i++)
        if (strcmp(r->params[i].name, name) == 0)
            p = &r->params[i];
    if (!p) {
        p = vec_push(ps->mem, &r->params, &r->nparams, sizeof *p);
        p->name = name;
        p->line = at.line;
        p->col = at.col;
    }
    if (label)
        p->label = label;
    *(param_value *)vec_push(ps->mem, &p->values, &p->nvalues, sizeof pv) = pv;
    return true;
}

static bool stmt_let(parser *ps)
{
    if (ps->tok.kind != TK_IDENT)
        return expected(ps, "a name");
    let_def *l = vec_push(ps->mem, &ps->r->lets, &ps->r->nlets, sizeof *l);
    l->name = ident_text(ps);
    l->line = ps->tok.line;
    l->col = ps->tok.col;
    next(ps);
    if (ps->tok.kind == TK_STRING) {
        l->label = ps->tok.str;
        next(ps);
    }
    if (!accept(ps, TK_ASSIGN))
        return expected(ps, "'='");
    l->expr = parse_expr(ps);
    return l->expr != NULL;
}

/* `when GUARD:` before a condition: it is evaluated as `not GUARD or BODY`, so a condition that does
 * not apply (yet) passes, while explanations can say it does not apply rather than that it is met. */
static bool parse_guard(parser *ps, cond *c)
{
    if (!accept_word(ps, "when"))
        return true;
    if (!(c->guard = parse_expr(ps)))
        return false;
    if (!accept(ps, TK_COLON))
        return expected(ps, "':' before the condition");
    return true;
}

static node *guarded(parser *ps, node *guard, node *body)
{
    token at = {.kind = TK_IDENT, .line = guard->line, .col = guard->col};
    node *not_guard = new_node(ps, N_NOT, &at);
    not_guard->a = guard;
    node *n = binary(ps, &at, not_guard, body);
    if (n)
        n->logic = LOGIC_OR;
    return n;
}

/* `require ["label"] [when GUARD:] EXPR` and `applies EXPR`; without a label the source text is the
 * label. */
static bool stmt_cond(parser *ps, cond **list, size_t *n, bool may_guard)
{
    cond *c = vec_push(ps->mem, list, n, sizeof *c);
    c->line = ps->tok.line;
    c->col = ps->tok.col;
    if (ps->tok.kind == TK_STRING) {
        c->label = ps->tok.str;
        next(ps);
    }
    if (may_guard && !parse_guard(ps, c))
        return false;
    const char *start = ps->tok.start;
    c->body = c->expr = parse_expr(ps);
    if (!c->expr)
        return false;
    if (c->guard && !(c->expr = guarded(ps, c->guard, c->body)))
        return false;
    if (!c->label) {
        const char *end = ps->tok.start;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        c->label = arena_strndup(ps->mem, start, (size_t)(end - start));
    }
    return true;
}

static bool stmt_amount(parser *ps)
{
    rule *r = ps->r;
    if (r->amount_kind != AMOUNT_NONE) {
        error_at(ps, &ps->tok, "a policy has one amount (or one grant)");
        return false;
    }
    if (accept_word(ps, "tiers")) {
        r->amount_kind = AMOUNT_TIERS;
        ps->in_tiers = true;
        return true;
    }
    r->amount_kind = accept_word(ps, "approved") ? AMOUNT_APPROVED : AMOUNT_EXPR;
    r->amount = parse_expr(ps);
    return r->amount != NULL;
}

static bool stmt_tier(parser *ps, bool otherwise)
{
    if (!ps->in_tiers) {
        error_at(ps, &ps->tok, "'when' and 'otherwise' lines follow 'amount tiers'");
        return false;
    }
    tier *t = vec_push(ps->mem, &ps->r->tiers, &ps->r->ntiers, sizeof *t);
    t->line = ps->tok.line;
    t->col = ps->tok.col;
    if (ps->tok.kind == TK_STRING && !parse_string(ps, &t->label, "the tier's label"))
        return false;
    if (!otherwise && !(t->when = parse_expr(ps)))
        return false;
    if (!accept(ps, TK_COLON))
        return expected(ps, "':' before the amount");
    t->amount = parse_expr(ps);
    return t->amount != NULL;
}

static bool stmt_bonus(parser *ps)
{
    bonus *b = vec_push(ps->mem, &ps->r->bonuses, &ps->r->nbonuses, sizeof *b);
    b->line = ps->tok.line;
    b->col = ps->tok.col;
    if (!parse_string(ps, &b->label, "the bonus's label in quotes"))
        return false;
    if (!accept_word(ps, "when"))
        return expected(ps, "'when'");
    if (!(b->when = parse_expr(ps)))
        return false;
    if (!accept(ps, TK_COLON))
        return expected(ps, "':' before the bonus amount");
    b->amount = parse_expr(ps);
    return b->amount != NULL;
}

static bool stmt_cap(parser *ps)
{
    cap_def *c = vec_push(ps->mem, &ps->r->caps, &ps->r->ncaps, sizeof *c);
    c->line = ps->tok.line;
    c->col = ps->tok.col;
    if (accept_word(ps, "award"))
        c->kind = CAP_AWARD;
    else if (accept_word(ps, "yearly"))
        c->kind = CAP_YEARLY;
    else if (accept_word(ps, "cumulative"))
        c->kind = CAP_CUMULATIVE;
    else
        return expected(ps, "award, yearly or cumulative");
    if (!(c->amount = parse_expr(ps)))
        return false;
    c->by_fact = -1;
    if (accept_word(ps, "per")) {
        if (c->kind == CAP_AWARD || !accept_word(ps, "enterprise"))
            return expected(ps, "'enterprise' after 'per' (yearly and cumulative caps only)");
        c->per_enterprise = true;
        if (accept_word(ps, "and")) {
            if (ps->tok.kind != TK_IDENT)
                return expected(ps, "the fact that tells the subjects' groups apart (per enterprise and detail)");
            c->by = ident_text(ps);
            next(ps);
        }
    }
    return true;
}

static bool stmt_pool(parser *ps)
{
    rule *r = ps->r;
    r->pool_line = ps->tok.line;
    if (!(r->pool_total = parse_expr(ps)))
        return false;
    if (!accept_word(ps, "from"))
        return expected(ps, "'from' and the pool's first year");
    if (!parse_year(ps, &r->pool_from))
        return false;
    if (!accept_word(ps, "to"))
        return expected(ps, "'to' and the pool's last year");
    return parse_year(ps, &r->pool_to);
}

/* `round 1 yuan half_up`, `round 1万元 down`: the unit the amount is rounded to, once. */
static bool stmt_round(parser *ps)
{
    static const int64_t units[] = {1, 100, 10000, 1000000}; /* fen, yuan, 100 yuan, 萬元 */
    const token t = ps->tok;
    int64_t fen = -1;
    if (t.kind == TK_MONEY && t.num % pval_pow10(t.scale - 2) == 0)
        fen = (int64_t)(t.num / pval_pow10(t.scale - 2));
    bool known = false;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        known |= fen == units[i];
    if (!known)
        return expected(ps, "the unit to round to: 0.01 yuan, 1 yuan, 100 yuan or 1万元");
    next(ps);
    ps->r->round_unit_fen = fen;
    if (accept_word(ps, "down"))
        ps->r->round_down = true;
    else if (!accept_word(ps, "half_up"))
        return expected(ps, "half_up or down");
    return true;
}

static bool stmt_missing(parser *ps)
{
    if (accept_word(ps, "not_eligible")) {
        ps->r->missing_not_eligible = true;
        return true;
    }
    if (accept_word(ps, "undetermined"))
        return true;
    return expected(ps, "not_eligible or undetermined");
}

/* ---- test cases ---- */

static bool test_expect(parser *ps, test_subject *s)
{
    int st = -1;
    if (accept_word(ps, "none")) {
        s->has_expect = s->expect_none = true;
        return true;
    }
    for (int i = 0; i < POLICY_STATUSES; i++)
        if (accept_word(ps, policy_status_name((policy_status)i)))
            st = i;
    if (st < 0)
        return expected(ps, "eligible, pending, undetermined, not_eligible or none");
    s->has_expect = true;
    s->expect = (policy_status)st;
    if (st == POLICY_ELIGIBLE) {
        if (ps->tok.kind != TK_MONEY)
            return expected(ps, "the expected amount (3000000.00 yuan)");
        if (ps->tok.scale != 2)
            return expected(ps, "an amount in whole fen");
        s->expect_fen = (int64_t)ps->tok.num;
        next(ps);
    }
    if (ps->tok.kind == TK_STRING) {
        s->expect_text = ps->tok.str;
        next(ps);
    }
    return true;
}

static bool test_fact_line(parser *ps, test_subject *s)
{
    test_fact *f = vec_push(ps->mem, &s->facts, &s->nfacts, sizeof *f);
    f->line = ps->tok.line;
    f->col = ps->tok.col;
    f->fact = -1;
    if (is_relation(&ps->tok)) {
        f->subject = ident_text(ps);
        next(ps);
        if (!accept(ps, TK_DOT))
            return expected(ps, "'.' after the relation");
    }
    if (ps->tok.kind != TK_IDENT)
        return expected(ps, "a fact name");
    f->name = ident_text(ps); /* resolved in check.c */
    next(ps);
    if (accept(ps, TK_LBRACKET)) {
        if (!parse_year(ps, &f->year))
            return false;
        if (!accept(ps, TK_RBRACKET))
            return expected(ps, "']'");
    }
    if (!accept(ps, TK_ASSIGN))
        return expected(ps, "'='");
    if (!is_literal_token(ps->tok.kind) && !is_word(&ps->tok, "true") && !is_word(&ps->tok, "false"))
        return expected(ps, "a value");
    f->lit = ps->tok;
    next(ps);
    return true;
}

static bool test_paid(parser *ps, test_subject *s)
{
    int year = 0;
    if (!parse_year(ps, &year))
        return false;
    if (ps->tok.kind != TK_MONEY || ps->tok.scale != 2)
        return expected(ps, "the amount paid (500000.00 yuan)");
    size_t n = s->npaid;
    void *arr = s->paid;
    vec_push(ps->mem, &arr, &n, sizeof s->paid[0]);
    s->paid = arr;
    s->paid[s->npaid].year = year;
    s->paid[s->npaid].fen = (int64_t)ps->tok.num;
    s->npaid = n;
    next(ps);
    return true;
}

static test_subject *test_new_subject(parser *ps, test_case *t, const char *id, int line)
{
    test_subject *s = vec_push(ps->mem, &t->subjects, &t->nsubjects, sizeof *s);
    s->id = id;
    s->line = line;
    return s;
}

static bool test_line(parser *ps, test_case *t)
{
    if (accept_word(ps, "year"))
        return parse_year(ps, &t->year);
    if (accept_word(ps, "subject")) {
        const char *id = NULL;
        int line = ps->tok.line;
        if (!parse_string(ps, &id, "the subject's id in quotes"))
            return false;
        test_new_subject(ps, t, id, line);
        return true;
    }
    test_subject *s = t->nsubjects ? &t->subjects[t->nsubjects - 1] : test_new_subject(ps, t, "S1", ps->tok.line);
    if (accept_word(ps, "expect"))
        return test_expect(ps, s);
    if (accept_word(ps, "paid"))
        return test_paid(ps, s);
    return test_fact_line(ps, s);
}

static void stmt_test(parser *ps)
{
    test_case *t = vec_push(ps->mem, &ps->r->tests, &ps->r->ntests, sizeof *t);
    t->line = ps->tok.line;
    if (!parse_string(ps, &t->name, "the test's name in quotes") || !end_of_line(ps))
        skip_line(ps);
    for (;;) {
        while (accept(ps, TK_NEWLINE))
            ;
        if (ps->tok.kind == TK_EOF) {
            rule_error(ps->errors, ps->file, t->line, 1, "test \"%s\" has no 'end'", t->name ? t->name : "");
            ps->nerrors++;
            return;
        }
        if (accept_word(ps, "end"))
            return;
        if (!test_line(ps, t) || !end_of_line(ps))
            skip_line(ps);
    }
}

/* ---- the statement table ---- */

static bool stmt_policy(parser *ps)
{
    ps->r->line_of_id = ps->tok.line;
    return parse_dotted(ps, &ps->r->id);
}
static bool stmt_department(parser *ps)
{
    return stmt_text(ps, &ps->r->department);
}
static bool stmt_clause(parser *ps)
{
    return stmt_text(ps, &ps->r->clause);
}
/* `reading "…"` is English; `reading zh-CN "…"` and `reading zh-TW "…"` give the Chinese. */
static bool stmt_reading(parser *ps)
{
    if (ps->tok.kind == TK_STRING)
        return stmt_text(ps, &ps->r->reading[POLICY_EN]);
    int lang = parse_lang_tag(ps);
    if (lang < 0)
        return expected(ps, "the reading in quotes, or a language (zh-CN, zh-TW, en) and the reading");
    return stmt_text(ps, &ps->r->reading[lang]);
}
static bool stmt_applies(parser *ps)
{
    return stmt_cond(ps, &ps->r->applies, &ps->r->napplies, false);
}
static bool stmt_require(parser *ps)
{
    return stmt_cond(ps, &ps->r->requires, &ps->r->nrequires, true);
}
static bool stmt_when(parser *ps)
{
    return stmt_tier(ps, false);
}
static bool stmt_otherwise(parser *ps)
{
    return stmt_tier(ps, true);
}
static bool stmt_grant(parser *ps)
{
    if (ps->r->amount_kind != AMOUNT_NONE) {
        error_at(ps, &ps->tok, "a policy has one amount (or one grant)");
        return false;
    }
    ps->r->amount_kind = AMOUNT_GRANT;
    const char *grant = NULL;
    if (!parse_string(ps, &grant, "what is granted, in quotes (\"zh-CN | zh-TW | en\")"))
        return false;
    rule_label_split(grant, ps->mem, ps->r->grant);
    return true;
}
static bool stmt_topup(parser *ps)
{
    ps->r->topup = true;
    return true;
}
static bool stmt_described(parser *ps)
{
    ps->r->described_only = true;
    return true;
}

static const struct {
    const char *word;
    bool (*parse)(parser *);
} statements[] = {
    {"policy", stmt_policy},
    {"name", stmt_name},
    {"department", stmt_department},
    {"subject", stmt_subject},
    {"valid", stmt_valid},
    {"clause", stmt_clause},
    {"reading", stmt_reading},
    {"param", stmt_param},
    {"let", stmt_let},
    {"applies", stmt_applies},
    {"require", stmt_require},
    {"amount", stmt_amount},
    {"when", stmt_when},
    {"otherwise", stmt_otherwise},
    {"grant", stmt_grant},
    {"topup", stmt_topup},
    {"bonus", stmt_bonus},
    {"cap", stmt_cap},
    {"pool", stmt_pool},
    {"missing", stmt_missing},
    {"round", stmt_round},
    {"described_only", stmt_described},
};

static void statement(parser *ps)
{
    if (accept_word(ps, "test")) {
        ps->in_tiers = false;
        stmt_test(ps);
        return;
    }
    for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++) {
        if (!is_word(&ps->tok, statements[i].word))
            continue;
        bool tier_line = strcmp(statements[i].word, "when") == 0 || strcmp(statements[i].word, "otherwise") == 0;
        if (!tier_line && strcmp(statements[i].word, "amount") != 0)
            ps->in_tiers = false;
        next(ps);
        if (!statements[i].parse(ps) || !end_of_line(ps))
            skip_line(ps);
        return;
    }
    expected(ps, "a statement (policy, name, subject, param, let, applies, require, amount, cap, test, ...)");
    skip_line(ps);
}

int rule_parse(const char *file, const char *text, size_t len, arena *mem, errlist *errors, rule *r)
{
    parser ps = {.mem = mem, .errors = errors, .file = file, .r = r};
    memset(r, 0, sizeof *r);
    r->file = file;
    r->round_unit_fen = 1;
    size_t before = errors->total;
    lex_init(&ps.lx, file, text, len, mem, errors);
    next(&ps);
    while (ps.tok.kind != TK_EOF) {
        if (accept(&ps, TK_NEWLINE))
            continue;
        statement(&ps);
    }
    return (int)(errors->total - before);
}
