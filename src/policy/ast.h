/*
 * ast — what the phases of the policy engine hand each other (private to src/policy/).
 *
 *   lex.c      text -> tokens (line-oriented: a newline ends a statement outside parentheses)
 *   parse.c    tokens -> one `rule` per file: header fields, params, lets, conditions, amount, caps, tests
 *   check.c    names resolved, types and units checked, each node's value scale fixed
 *   compile.c  expression trees -> a linear program, one instruction per node (post-order)
 *   set.c      a directory of rule files -> one compiled set; text literals -> shared symbols
 *   vm.c       runs the program over a chunk of subjects at a time, column-wise
 *   run.c      conditions -> status; tiers, bonuses, rounding, top-up, caps, pools
 *   explain.c  the trace of one result, read back from the node registers of a one-row run
 *   tests.c, whatif.c  a rule file's own test cases, and facts from a JSON document, through run.c
 *
 * Values: every node yields a 64-bit integer (vm_word) plus a "known" flag per subject. A wider
 * intermediate (a sum rescaled to a common scale, a literal or parameter as written) is a 128-bit
 * pval, and one that does not fit back in 64 bits is an overflow, never a wrapped value. The node's
 * type says what the integer means; money and percentages carry a decimal scale fixed by the
 * checker (money 12.34 yuan is 1234 at scale 2; 10% is 10 at scale 2, i.e. 0.10), so arithmetic is
 * exact integer arithmetic and the one rounding happens in run.c (run_round_fen).
 */
#ifndef LZ_POLICY_AST_H
#define LZ_POLICY_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "model/facts.h"
#include "policy/op_list.h"
#include "policy/policy.h"

typedef __int128 pval;

/* ---- types ---- */
typedef enum ptype { PT_ERROR, PT_MONEY, PT_PERCENT, PT_NUMBER, PT_YEAR, PT_BOOL, PT_DATE, PT_TEXT, PT_LIST } ptype;
const char *ptype_name(ptype t);

/* ---- tokens ---- */
#define OP_KIND(kind, ...) kind,
typedef enum tok_kind {
    TK_EOF,
    TK_NEWLINE,
    TK_IDENT,
    TK_STRING,
    TK_NUMBER,
    TK_MONEY,
    TK_PERCENT,
    TK_DATE,
    OP_LIST(OP_KIND, OP_KIND, OP_KIND)
} tok_kind;
#undef OP_KIND

/* Whether op is one of OP_LIST's comparisons / arithmetic operators. */
static inline bool op_is_compare(tok_kind op)
{
#define OP_CASE(kind, ...) case kind:
    switch (op) {
        OP_LIST(OP_CASE, OP_NONE, OP_NONE)
        return true;
    default:
        return false;
    }
}
static inline bool op_is_arith(tok_kind op)
{
    switch (op) {
        OP_LIST(OP_NONE, OP_CASE, OP_NONE)
        return true;
    default:
        return false;
    }
#undef OP_CASE
}

typedef struct token {
    tok_kind kind;
    int line, col;
    const char *start; /* into the source text */
    size_t len;
    pval num;     /* TK_NUMBER / TK_MONEY / TK_PERCENT: digits without the point */
    int scale;    /* decimals of num (money: always >= 2) */
    int32_t days; /* TK_DATE */
    char *str;    /* TK_STRING: unescaped, arena-owned */
} token;

typedef struct lexer {
    const char *file, *src, *end, *p;
    int line, col;
    int depth; /* parentheses/brackets open: newlines inside are ignored */
    arena *mem;
    errlist *errors;
} lexer;

void lex_init(lexer *lx, const char *file, const char *src, size_t len, arena *mem, errlist *errors);
/* Next token; a lexical error is reported to lx->errors and the bad character skipped. */
token lex_next(lexer *lx);

/* ---- expressions ---- */
/* The node kinds, one row each (like jq's opcode_list.h): the enum is made from it, compile.c its
 * constancy, and the switches over kinds in check.c, vm.c and explain.c name every kind (no
 * `default`), so the compiler says which of them a new kind is missing from. The second column
 * is whether the node's value can be the same for every subject of a run (compile.c computes it
 * once): always, when its operands are, or never. */
#define NODE_LIST(X)                                                                                                               \
    X(N_LITERAL, NODE_CONST_ALWAYS)     /* number, money, percent, date, bool, text */                                             \
    X(N_PARAM, NODE_CONST_ALWAYS)       /* a named parameter (value resolved for the award year) */                                \
    X(N_LET, NODE_CONST_NEVER)          /* a named intermediate value (its register is its expression's) */                        \
    X(N_YEAR, NODE_CONST_ALWAYS)        /* the award year */                                                                       \
    X(N_ITER, NODE_CONST_NEVER)         /* `y`: the year being tried inside first_year(...) */                                     \
    X(N_FACT, NODE_CONST_NEVER)         /* a fact of the subject or a related subject; yearly facts take an index */               \
    X(N_BINARY, NODE_CONST_IF_OPERANDS) /* an operator of OP_LIST, and, or */                                                      \
    X(N_NOT, NODE_CONST_IF_OPERANDS)                                                                                               \
    X(N_NEG, NODE_CONST_IF_OPERANDS)                                                                                               \
    X(N_MIN, NODE_CONST_IF_OPERANDS)                                                                                               \
    X(N_MAX, NODE_CONST_IF_OPERANDS)                                                                                               \
    X(N_KNOWN, NODE_CONST_NEVER)           /* known(x): whether x has a value */                                                   \
    X(N_FIRST_YEAR, NODE_CONST_NEVER)      /* first_year(cond): the earliest year on record for which cond holds */                \
    X(N_DATE_YEAR, NODE_CONST_IF_OPERANDS) /* d.year */                                                                            \
    X(N_IN, NODE_CONST_NEVER)              /* a in (b, c, ...) for text; "x" in list */

typedef enum node_constancy { NODE_CONST_NEVER, NODE_CONST_ALWAYS, NODE_CONST_IF_OPERANDS } node_constancy;

#define NODE_KIND(kind, constancy) kind,
typedef enum node_kind { NODE_LIST(NODE_KIND) } node_kind;
#undef NODE_KIND

typedef enum logic_kind { LOGIC_NONE, LOGIC_AND, LOGIC_OR } logic_kind;

typedef struct node node;
struct node {
    node_kind kind;
    int line, col;
    tok_kind op;      /* N_BINARY: an operator of OP_LIST, or TK_IDENT for and/or (see `logic`) */
    logic_kind logic; /* N_BINARY: and, or; LOGIC_NONE for an operator */
    ptype type;
    int scale;            /* decimals of the value (money, percent, number) */
    bool int_literal;     /* a bare integer literal: may stand for a year or a count */
    pval value;           /* N_LITERAL */
    const char *name;     /* N_PARAM, N_LET, N_FACT (as written), text literal */
    int fact;             /* N_FACT: catalogue id */
    bool related;         /* N_FACT: of the subject's enterprise (employer., owner., enterprise.) */
    const char *relation; /* the word used */
    int target;           /* N_PARAM: param index; N_LET: let index */
    node *a, *b;          /* operands; N_FACT: b = year index for yearly facts */
    node **args;          /* N_MIN/N_MAX/N_IN: list */
    size_t nargs;
    int reg;       /* register (instruction index) after compile */
    bool constant; /* the same for every subject of a run: computed once (compile.c) */
};

/* ---- a rule file ---- */
/* Where a figure comes from: the article (neither field set), assumed, or confirmed by a document. */
typedef struct param_source {
    bool assumed;
    const char *document;      /* `confirmed "DOC" DATE`: the confirming document (文號), else NULL */
    const char *document_date; /* its date as written (YYYY-MM-DD) */
} param_source;

/* "article", "assumed" or "confirmed" (set.c). */
const char *param_source_name(const param_source *s);

typedef struct param_value {
    token lit;   /* the literal */
    node *value; /* as a checked literal node */
    int from_year, to_year;
    param_source source;
    bool maximum;     /* the source gives it as a maximum (不超過, 最高): the rule pays that maximum */
    const char *text; /* as written */
} param_value;

/* The parameters one policy may declare (check.c refuses more): explanations keep their values in
 * arrays of this size. */
enum { RULE_MAX_PARAMS = 64 };

typedef struct param {
    const char *name;
    const char *label; /* "zh-CN | zh-TW | en" as explanations name it; NULL: the name */
    int line, col;
    param_value *values;
    size_t nvalues;
    policy_param_info *info; /* one per value, for the catalogue */
} param;

typedef struct let_def {
    const char *name;
    const char *label; /* optional label for explanations */
    node *expr;
    int line, col;
} let_def;

typedef struct cond {
    const char *label;
    node *expr;  /* what is evaluated: `not guard or body` for a guarded condition, else the body */
    node *guard; /* `require "…" when GUARD: BODY`: the condition applies only when GUARD holds; NULL */
    node *body;  /* the condition proper (== expr when unguarded) */
    int line, col;
} cond;

typedef struct tier {
    const char *label; /* `when "zh-CN | zh-TW | en" COND: AMOUNT`: how explanations name the tier; NULL */
    node *when;        /* NULL: `otherwise` */
    node *amount;
    int line, col;
} tier;

typedef struct bonus {
    const char *label;
    node *when;
    node *amount; /* money: added; percent: of the base amount */
    int line, col;
} bonus;

typedef enum cap_kind { CAP_AWARD, CAP_YEARLY, CAP_CUMULATIVE } cap_kind;
typedef struct cap_def {
    cap_kind kind;
    bool per_enterprise; /* group by enterprise instead of by subject */
    const char *by;      /* `per enterprise and FACT`: subjects of one enterprise with the same FACT share the cap */
    int by_fact;         /* catalogue id of `by` (check.c); -1 without */
    node *amount;
    int line, col;
} cap_def;

enum { TEST_USCC = -2 };
typedef struct test_fact {
    const char *subject; /* NULL: the test's subject; "employer"/"owner"/"enterprise": the related one */
    const char *name;    /* the fact as written */
    int fact;            /* catalogue id; TEST_USCC for the `uscc` line of a non-enterprise subject */
    int year;            /* yearly facts */
    token lit;
    int line, col;
} test_fact;

typedef struct test_subject {
    const char *id;
    test_fact *facts;
    size_t nfacts;
    struct {
        int year;
        int64_t fen;
    } * paid; /* earlier ledger payments of this subject */
    size_t npaid;
    bool has_expect;
    bool expect_none; /* `expect none`: out of the policy's scope, no result at all */
    policy_status expect;
    int64_t expect_fen;
    const char *expect_text; /* substring the explanation must contain (reason) */
    int line;
} test_subject;

typedef struct test_case {
    const char *name;
    int year;
    int line;
    test_subject *subjects;
    size_t nsubjects;
} test_case;

typedef enum amount_kind { AMOUNT_NONE, AMOUNT_EXPR, AMOUNT_APPROVED, AMOUNT_TIERS, AMOUNT_GRANT } amount_kind;

typedef struct rule {
    const char *file;
    char hash[17];
    const char *id;
    const char *name[3];
    const char *department;
    facts_kind subject;
    bool has_subject;
    int valid_from, valid_to;
    param_source valid_source; /* where the award years in force come from */
    const char *clause;
    const char *reading[3]; /* by policy_lang; English when only one is given */
    bool described_only;
    bool missing_not_eligible; /* `missing not_eligible`: a missing fact fails the condition */
    int64_t round_unit_fen;    /* `round UNIT MODE`: the amount's one rounding, to this unit (1: the fen) */
    bool round_down;           /* ... down ("不足萬元部分不計"); otherwise half-up */
    param *params;
    size_t nparams;
    let_def *lets;
    size_t nlets;
    cond *applies;
    size_t napplies;
    cond *requires;
    size_t nrequires;
    amount_kind amount_kind;
    node *amount; /* AMOUNT_EXPR / AMOUNT_APPROVED */
    tier *tiers;
    size_t ntiers;
    const char *grant[3]; /* AMOUNT_GRANT: what is allowed, by policy_lang */
    bool topup;
    bonus *bonuses;
    size_t nbonuses;
    cap_def *caps;
    size_t ncaps;
    node *pool_total;
    int pool_from, pool_to;
    int pool_line;
    test_case *tests;
    size_t ntests;
    int line_of_id;
} rule;

/* Parses one file into r (allocations from mem). Errors go to errors; returns the count of errors. */
/* A literal node for a number, money, percent, date or string token (allocated in mem); NULL for
 * any other token. Shared by the parser and by the checker's test-case facts. */
node *ast_literal(arena *mem, const token *t);
/* A label may give its languages as "zh-CN | zh-TW | en"; a single text serves all three. The part
 * for `lang` (a policy_lang): its start, and its length in *len. Borrowed from `label`. */
const char *rule_label_part(const char *label, int lang, size_t *len);
/* The same, copied into mem as three NUL-terminated strings (NULL when label is NULL). */
void rule_label_split(const char *label, arena *mem, const char *out[3]);

int rule_parse(const char *file, const char *text, size_t len, arena *mem, errlist *errors, rule *r);
/* Resolves names and checks types and units; returns the count of errors added. */
int rule_check(rule *r, arena *mem, errlist *errors);

/* Reports "FILE:LINE:COL: message" into errors. */
void rule_error(errlist *errors, const char *file, int line, int col, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- the compiled program ---- */
enum { VM_CHUNK = 256 };

typedef struct vm_insn {
    node *n;  /* the node this instruction computes (its register is its index) */
    int nsub; /* N_FIRST_YEAR: the condition's instructions follow, this many */
} vm_insn;

typedef struct program {
    vm_insn *code;
    size_t ncode;
    size_t nscope; /* instructions [0, nscope) decide `applies`: the conditions and the lets they use */
    /* The applies lines cut at their top-level `and`s: conjunct j is computed by instructions
     * [conj_end[j-1] (or 0), conj_end[j]), and a subject is in scope when every conjunct is known
     * true. The `and` nodes joining them come last, in [conj_end[nconj-1], nscope): explanations
     * read them, a batch run need not compute them. */
    const node **conj;
    size_t *conj_end, nconj;
    size_t *req_end; /* instructions [req_end[j-1] (or nscope), req_end[j]) compute require j */
} program;

/* Compiles every expression of r into one program (lets, applies, requires, amount, tiers,
 * bonuses, caps). Each node's `reg` is set. */
void program_compile(rule *r, program *prog, arena *mem);

/* Symbols: text literals of all rules and text facts map to small integers, lists to bitmasks. */
typedef struct symtab {
    char **names;
    size_t n, cap;
} symtab;
int symtab_intern(symtab *t, const char *s);       /* adds when new; returns the id (>= 1) */
int symtab_lookup(const symtab *t, const char *s); /* 0 when not a known symbol */

/* A register value. 64 bits hold any money in fen at the scales a rule may reach (the checker
 * caps a product's decimals), and keep the per-row loops narrow enough for the compiler to
 * vectorise; a wider intermediate is computed as pval and refused as an overflow if it does not
 * fit. */
typedef int64_t vm_word;

/* Registers of one chunk: value and known flag per node and row. */
typedef struct vm_regs {
    vm_word *v; /* ncode * VM_CHUNK */
    uint8_t *k;
    uint8_t *filled; /* per register: a constant (literal, parameter, year) already filled for every row */
    size_t ncode;
    /* Arithmetic overflow makes a value unknown, and its subject's result says where: per row of
     * the chunk the rule line of its first overflow (0: none), and the line of an overflow in a
     * value the same for every subject (a parameter's product), which counts for every row. */
    int32_t *ovf;
    int ovf_const;
    bool ovf_any; /* some row of the chunk has ovf set */
} vm_regs;

typedef struct vm_ctx {
    const program *prog;
    const facts_world *w;
    facts_kind kind;
    const int64_t **symmap; /* per fact id: dictionary index -> symbol id or list bitmask */
    int year;
    const pval *params; /* per param index: value for this year (scaled to the param's node scale) */
    const uint8_t *param_known;
    const size_t *rows; /* subject indexes of the chunk */
    size_t nrows;
    int iter_year; /* N_ITER */
} vm_ctx;

void vm_regs_init(vm_regs *r, size_t ncode);
void vm_regs_free(vm_regs *r);
/* Starts a chunk: no row has overflowed yet. */
void vm_regs_new_chunk(vm_regs *r);
/* Runs instructions [from, to) of the program over ctx->rows. A row whose arithmetic overflows
 * gets an unknown value there and its rule line in r->ovf (vm_overflow_line). */
void vm_run(const vm_ctx *ctx, vm_regs *r, size_t from, size_t to);
/* Keeps rows sel[0..n) of the chunk (in order) in registers [0, upto): after the scope
 * conditions, the rest of the program runs only on the subjects in scope. */
void vm_regs_select(vm_regs *r, size_t upto, const size_t *sel, size_t n);

static inline pval vm_get(const vm_regs *r, const node *n, size_t row)
{
    return r->v[(size_t)n->reg * VM_CHUNK + row];
}
static inline bool vm_known(const vm_regs *r, const node *n, size_t row)
{
    return r->k[(size_t)n->reg * VM_CHUNK + row] != 0;
}
/* The rule line where the row's arithmetic first overflowed; 0: it did not. */
static inline int vm_overflow_line(const vm_regs *r, size_t row)
{
    return r->ovf[row];
}

pval pval_pow10(int e);
/* True when v fits in 64 bits (a register, an amount in fen). */
static inline bool pval_fits64(pval v)
{
    return v >= INT64_MIN && v <= INT64_MAX;
}
/* Rescales v from scale `from` to `to` (to >= from). */
static inline pval pval_rescale(pval v, int from, int to)
{
    return to > from ? v * pval_pow10(to - from) : v;
}

/* ---- the loaded set (policy.h's opaque types) ---- */
struct policy {
    rule r;
    program prog;
    policy_info info;
    size_t index;
};

struct policy_set {
    policy **items;
    size_t n;
    symtab syms;
    arena mem;
};

#endif
