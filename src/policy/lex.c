/*
 * lex — rule-file text to tokens.
 *
 * The language is line-oriented so that a file reads like a form: a newline ends a statement,
 * except inside parentheses or brackets where a long condition may wrap. `#` starts a comment.
 * Literals carry their unit: `10%`, `3000000.00 yuan`, `300万元` (also 萬元, 亿元/億元, 元), dates
 * `2021-06-30`, strings "…". Numbers may group digits with `_`. Columns count characters (UTF-8
 * code points), so FILE:LINE:COL points where an editor does.
 */
#include "policy/ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"

void lex_init(lexer *lx, const char *file, const char *src, size_t len, arena *mem, errlist *errors)
{
    *lx = (lexer){.file = file, .src = src, .end = src + len, .p = src, .line = 1, .col = 1, .mem = mem, .errors = errors};
}

static bool at_end(const lexer *lx)
{
    return lx->p >= lx->end;
}

/* Advances one byte, counting columns per code point (continuation bytes do not count). */
static void advance(lexer *lx)
{
    if (*lx->p == '\n') {
        lx->line++;
        lx->col = 1;
    } else if (((unsigned char)*lx->p & 0xC0) != 0x80) {
        lx->col++;
    }
    lx->p++;
}

static bool starts(const lexer *lx, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(lx->end - lx->p) >= n && memcmp(lx->p, s, n) == 0;
}

static bool is_ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void skip(lexer *lx, size_t n)
{
    while (n-- > 0 && !at_end(lx))
        advance(lx);
}

/* A yuan unit after a number (optionally after spaces): returns its power of ten and length
 * including the spaces, or -1. */
static int money_unit(const lexer *lx, size_t *len)
{
    static const struct {
        const char *word;
        int pow;
        bool ident;
    } units[] = {
        {"yuan", 0, true}, {"元", 0, false}, {"万元", 4, false}, {"萬元", 4, false}, {"亿元", 8, false}, {"億元", 8, false},
    };
    const char *q = lx->p;
    while (q < lx->end && *q == ' ')
        q++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].word);
        if ((size_t)(lx->end - q) < n || memcmp(q, units[i].word, n) != 0)
            continue;
        if (units[i].ident && q + n < lx->end && (is_ident_start(q[n]) || is_digit(q[n])))
            continue;
        *len = (size_t)(q - lx->p) + n;
        return units[i].pow;
    }
    return -1;
}

static bool date_ahead(const lexer *lx)
{
    static const char shape[] = "dddd-dd-dd";
    if (lx->end - lx->p < 10)
        return false;
    for (int i = 0; i < 10; i++)
        if (shape[i] == 'd' ? !is_digit(lx->p[i]) : lx->p[i] != '-')
            return false;
    return lx->end - lx->p == 10 || !is_digit(lx->p[10]);
}

static token lex_number(lexer *lx, token t)
{
    pval v = 0;
    int digits = 0, decimals = -1;
    bool overflow = false;
    while (!at_end(lx) &&
           (is_digit(*lx->p) || *lx->p == '_' || (*lx->p == '.' && decimals < 0 && lx->p + 1 < lx->end && is_digit(lx->p[1])))) {
        char c = *lx->p;
        advance(lx);
        if (c == '_')
            continue;
        if (c == '.') {
            decimals = 0;
            continue;
        }
        if (++digits > 24)
            overflow = true;
        else
            v = v * 10 + (c - '0');
        if (decimals >= 0)
            decimals++;
    }
    int scale = decimals < 0 ? 0 : decimals;
    if (overflow)
        rule_error(lx->errors, lx->file, t.line, t.col, "number has more than 24 digits");
    size_t ulen;
    int pow;
    if (!at_end(lx) && *lx->p == '%') {
        advance(lx);
        t.kind = TK_PERCENT;
        t.num = v;
        t.scale = scale + 2;
    } else if ((pow = money_unit(lx, &ulen)) >= 0) {
        skip(lx, ulen);
        t.kind = TK_MONEY;
        int target = scale - pow < 2 ? 2 : scale - pow;
        t.num = v * pval_pow10(pow - scale + target);
        t.scale = target;
    } else {
        t.kind = TK_NUMBER;
        t.num = v;
        t.scale = scale;
    }
    t.len = (size_t)(lx->p - t.start);
    return t;
}

static token lex_date(lexer *lx, token t)
{
    char why[128];
    int32_t days = 0;
    if (date_parse(lx->p, 10, &days, why, sizeof why) != 0)
        rule_error(lx->errors, lx->file, t.line, t.col, "bad date: %s", why);
    skip(lx, 10);
    t.kind = TK_DATE;
    t.days = days;
    t.len = 10;
    return t;
}

static token lex_string(lexer *lx, token t)
{
    advance(lx); /* opening quote */
    char *buf = arena_alloc(lx->mem, (size_t)(lx->end - lx->p) + 1);
    size_t n = 0;
    for (;;) {
        if (at_end(lx) || *lx->p == '\n') {
            rule_error(lx->errors, lx->file, t.line, t.col, "string not closed before the end of the line");
            break;
        }
        char c = *lx->p;
        advance(lx);
        if (c == '"')
            break;
        if (c == '\\' && !at_end(lx) && (*lx->p == '"' || *lx->p == '\\')) {
            c = *lx->p;
            advance(lx);
        }
        buf[n++] = c;
    }
    buf[n] = 0;
    t.kind = TK_STRING;
    t.str = buf;
    t.len = (size_t)(lx->p - t.start);
    return t;
}

static void skip_blank(lexer *lx)
{
    while (!at_end(lx)) {
        char c = *lx->p;
        if (c == ' ' || c == '\t' || c == '\r' || (c == '\n' && lx->depth > 0)) {
            advance(lx);
        } else if (c == '#') {
            while (!at_end(lx) && *lx->p != '\n')
                advance(lx);
        } else {
            break;
        }
    }
}

static token punct(lexer *lx, token t)
{
#define PUNCT_ROW(kind, text, ...) {text, kind},
    static const struct {
        const char *s;
        tok_kind k;
    } ops[] = {OP_LIST(PUNCT_ROW, PUNCT_ROW, PUNCT_ROW)};
#undef PUNCT_ROW
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (!starts(lx, ops[i].s))
            continue;
        size_t n = strlen(ops[i].s);
        skip(lx, n);
        t.kind = ops[i].k;
        t.len = n;
        if (t.kind == TK_LPAREN || t.kind == TK_LBRACKET)
            lx->depth++;
        else if ((t.kind == TK_RPAREN || t.kind == TK_RBRACKET) && lx->depth > 0)
            lx->depth--;
        return t;
    }
    return t;
}

token lex_next(lexer *lx)
{
    for (;;) {
        skip_blank(lx);
        token t = {.kind = TK_EOF, .line = lx->line, .col = lx->col, .start = lx->p};
        if (at_end(lx))
            return t;
        char c = *lx->p;
        if (c == '\n') {
            advance(lx);
            t.kind = TK_NEWLINE;
            t.len = 1;
            return t;
        }
        if (is_ident_start(c)) {
            while (!at_end(lx) && (is_ident_start(*lx->p) || is_digit(*lx->p)))
                advance(lx);
            t.kind = TK_IDENT;
            t.len = (size_t)(lx->p - t.start);
            return t;
        }
        if (is_digit(c))
            return date_ahead(lx) ? lex_date(lx, t) : lex_number(lx, t);
        if (c == '"')
            return lex_string(lx, t);
        token p = punct(lx, t);
        if (p.len > 0)
            return p;
        /* One whole code point is reported and skipped, so the message shows what was written. */
        size_t n = 1;
        while (lx->p + n < lx->end && ((unsigned char)lx->p[n] & 0xC0) == 0x80)
            n++;
        rule_error(lx->errors, lx->file, t.line, t.col, "unexpected character '%.*s'", (int)n, lx->p);
        skip(lx, n);
    }
}

void rule_error(errlist *errors, const char *file, int line, int col, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    errlist_add(errors, "%s:%d:%d: %s", file, line, col, msg);
}

pval pval_pow10(int e)
{
    pval p = 1;
    while (e-- > 0)
        p *= 10;
    return p;
}

const char *ptype_name(ptype t)
{
    static const char *const names[] = {"invalid", "money", "percent", "number", "year", "bool", "date", "text", "list"};
    return names[t];
}
