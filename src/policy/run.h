/*
 * run — a year's evaluation, shared by run.c (deciding), explain.c (tracing one result),
 * whatif.c and tests.c (building the facts) and record.c (writing it into the ledger). Private to
 * src/policy/.
 */
#ifndef LZ_POLICY_RUN_H
#define LZ_POLICY_RUN_H

#include "policy/ast.h"
#include "store/ledger.h"

typedef struct facts_need facts_need; /* store/facts_load.h: which facts a run loads */

typedef enum reason {
    R_NONE,
    R_REQUIRE,        /* index = the condition */
    R_AMOUNT_MISSING, /* the amount's facts are missing */
    R_TIER_NONE,      /* no tier reached; index = the lowest tier */
    R_TIER_MISSING,   /* index = the tier whose condition is unknown */
    R_BONUS_MISSING,  /* index = the bonus */
    R_CAP_MISSING,    /* index = the cap whose value is unknown */
    R_TOPUP,          /* the highest tier reached was already paid */
    R_YEARLY_CAP,     /* index = the cap */
    R_CUMULATIVE_CAP, /* index = the cap */
    R_POOL_EMPTY,
    R_OVERFLOW /* index = the rule line where the subject's figures overflowed the arithmetic */
} reason_code;

typedef struct result_detail {
    size_t subject;     /* index in the world's set of the policy's subject kind */
    int32_t enterprise; /* index of the enterprise it is listed under, -1 if not loaded */
    reason_code why;
    int index;
    int tier;                          /* tier chosen, -1 */
    int64_t computed_fen;              /* the amount rounded once, before top-up, caps and pool */
    int64_t paid_before;               /* earlier payments that top-up or a cumulative cap counted */
    int64_t claim_fen;                 /* before pool scaling */
    int64_t pool_fen, pool_claims_fen; /* what the pool had left and what all claims asked */
    unsigned caps;                     /* bit i: cap i reduced the amount */
} result_detail;

struct policy_run {
    const policy_set *set;
    int year;
    facts_world w;
    int64_t *symmap[FACTS_MAX]; /* per fact id: dictionary index -> symbol (text) or bitmask (list) */
    policy_result *res;
    result_detail *det;
    size_t n, cap;
    ledger_award *paid; /* earlier payments (ledger, what-if document or test case) */
    store *st;          /* the store the facts came from (borrowed; NULL for what-if and tests): names for explanations */
    int64_t facts_seq;  /* the audit log's last entry before the facts were read (ledger_run.facts_seq) */
    size_t npaid, paidcap;
    arena mem;
    bool one_enterprise;     /* filtered to one enterprise: not recordable */
    const char *only_policy; /* filtered to this policy: recording touches its awards only */
};

/* A run with an empty world; the caller fills run->w (facts_world_init / facts_load) and paid. */
policy_run *run_new(const policy_set *set, int year);
/* An earlier award that counts as paid for top-up, cumulative caps and pools; `status` is the
 * ledger's (paid, or computed|reviewed|approved: decided but not yet paid out). */
void run_add_paid(policy_run *run, const char *policy, const char *subject_id, const char *uscc, int year, int64_t fen,
                  const char *status);
/* The facts the policies in scope read. */
void run_needs(const policy_set *set, const policy_filter *f, facts_need *need);
/* Evaluates every policy in scope over run->w; results only for what f asks for. */
int run_evaluate(policy_run *run, const policy_filter *f, lz_err *err);
/* The same with any choice of policies (a test case: its policy alone). */
typedef struct run_scope {
    bool (*in)(const policy *p, int year, void *ctx);
    void *ctx;
} run_scope;
int run_evaluate_scope(policy_run *run, const run_scope *scope, lz_err *err);
/* True when policy p is in force in `year` and selected by f. */
bool run_in_scope(const policy *p, int year, const policy_filter *f);

/* Parameter values of p for the run's year (arrays of p->r.nparams). */
void run_params(const policy *p, int year, pval *values, uint8_t *known);
/* Runs p's program for the one subject of result i into regs (VM_CHUNK registers, row 0). */
void run_one(const policy_run *run, size_t i, vm_regs *regs, pval *params, uint8_t *pknown);
/* The same for subject `row` of p's subject kind, whether or not it has a result (its scope). */
void run_subject(const policy_run *run, const policy *p, size_t row, vm_regs *regs, pval *params, uint8_t *pknown);

/* Column `col` of the row of `table_name` with key (id[, year]) in the store the run's facts came
 * from, as text copied into a (explanations name subjects by it); NULL when the run has no store,
 * the row is not there or the column is empty. */
const char *run_stored_text(const policy_run *run, arena *a, const char *table_name, const char *id, int year, const char *col);

/* What a subject's registers say about its conditions (nearmiss.c; explain.c words them). The
 * comparison that decided a false condition n: the first false part of an `and`, the last of an
 * `or`. The first missing fact or parameter under n (n itself when the unknown is not a fact's),
 * or NULL when n is known. */
const node *run_deciding_leaf(const rule *r, const vm_regs *regs, const node *n);
const node *run_missing_leaf(const rule *r, const vm_regs *regs, const node *n);
/* Side `side` (c->a or c->b) of comparison c at c's scale. */
pval run_side(const vm_regs *regs, const node *c, const node *side);
/* The gap between a failed comparison's sides at c's scale: what is short (>=, >) or over (<=, <),
 * counting the one unit (a fen for money) a strict comparison also needs; 0 for = and !=. *unit_out
 * gets that unit. */
pval run_gap(const vm_regs *regs, const node *c, pval *unit_out);

/* Rounds v (at `scale` decimals of a yuan) half-up to fen; false on overflow of int64. */
bool run_round_fen(pval v, int scale, int64_t *fen);

#endif
