/*
 * policy — the support-policy engine: rule files in, awards out, exactly to the fen, with reasons.
 *
 * A policy set is a directory of rule files (policies/<city>/NAME.policy, the language is described
 * in docs/policy-language.md). Loading parses, type-checks and compiles every file once; a set is
 * then immutable and may be shared by threads. Evaluating an award year loads the facts column by
 * column (from a store, or from a what-if JSON document), runs each policy over all its subjects
 * in one pass, and applies tiers, bonuses, the ledger's earlier payments, caps and budget pools. Explanations are produced on
 * demand for one result.
 *
 * Award year: an award "for year Y" is decided on the statistics of year Y-1.
 *
 * Ownership: a policy_set owns its policies; a policy_run owns its results and every string in
 * them (results borrow their policy from the set, which must outlive the run). Functions never
 * print; errors go into lz_err (or, for rule files, into an errlist as FILE:LINE:COL: message).
 */
#ifndef LZ_POLICY_H
#define LZ_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "store/ledger.h"
#include "store/store.h"

typedef struct policy_set policy_set;
typedef struct policy policy;
typedef struct policy_run policy_run;

/* A result's status, one row each: the enum and its names (the CSV contract's spelling, also the
 * words of a rule file's `expect`) are made from this list. */
#define POLICY_STATUS_LIST(X)                                                                                                      \
    X(POLICY_ELIGIBLE, "eligible")         /* amount decided */                                                                    \
    X(POLICY_PENDING, "pending")           /* eligible; the amount awaits a committee decision */                                  \
    X(POLICY_UNDETERMINED, "undetermined") /* a fact the decision needs is missing (named in the explanation) */                   \
    X(POLICY_NOT_ELIGIBLE, "not_eligible") /* with the first failing condition and its distance */

/* The languages of names, labels and explanations, with their tags. */
#define POLICY_LANG_LIST(X) X(POLICY_ZH_CN, "zh-CN") X(POLICY_ZH_TW, "zh-TW") X(POLICY_EN, "en")

#define POLICY_ENUM_ROW(value, name) value,
typedef enum policy_status { POLICY_STATUS_LIST(POLICY_ENUM_ROW) POLICY_STATUSES } policy_status;
typedef enum policy_lang { POLICY_LANG_LIST(POLICY_ENUM_ROW) POLICY_LANGS } policy_lang;
#undef POLICY_ENUM_ROW

/* "eligible", "pending", "undetermined", "not_eligible". */
const char *policy_status_name(policy_status s);
/* "zh-CN", "zh-TW", "en". */
const char *policy_lang_tag(policy_lang lang);
/* "zh-CN", "zh-TW", "en" -> language; -1 when unknown. */
int policy_lang_parse(const char *s);
/* A result's status and a subject kind ("enterprise", "project", ...) as words in `lang`. */
const char *policy_status_label(policy_status s, policy_lang lang);
const char *policy_subject_label(const char *subject, policy_lang lang);

/* ---- loading ---- */

/* Loads every *.policy file of dir (sorted by name). Rule errors are added to `errors` as
 * "FILE:LINE:COL: message", FILE named within dir, and make the call fail with LZ_EINPUT; err
 * gets a summary. */
int policy_set_load(const char *dir, policy_set **out, errlist *errors, lz_err *err);
/* Compiles one rule file held in memory (tests, fuzzing, `policy check FILE`). */
int policy_set_load_text(const char *name, const char *text, size_t len, policy_set **out, errlist *errors, lz_err *err);
void policy_set_free(policy_set *set);

size_t policy_set_count(const policy_set *set);
const policy *policy_set_at(const policy_set *set, size_t i);
const policy *policy_set_find(const policy_set *set, const char *id);

/* ---- the catalogue ---- */

typedef struct policy_param_info {
    const char *name;
    const char *labels[3];     /* by policy_lang: how people read it (起点固定资产投资); NULL: name */
    const char *value;         /* as written: "10%", "3000000.00 yuan" */
    bool assumed;              /* not from the source: show as such */
    bool maximum;              /* the source's maximum (不超過, 最高), paid as such: show as such */
    const char *source;        /* "article", "assumed" or "confirmed" */
    const char *document;      /* confirmed: the confirming document's number (文號); else NULL */
    const char *document_date; /* confirmed: its date, YYYY-MM-DD; else NULL */
    int from_year, to_year;    /* 0 = open */
} policy_param_info;

typedef struct policy_info {
    const char *id;      /* "miit.tech_upgrade" */
    const char *name[3]; /* by policy_lang */
    const char *department;
    const char *subject;             /* "enterprise", "project", "person", "event" */
    int valid_from, valid_to;        /* award years; 0 = open */
    const char *valid_source;        /* where those years come from: "article", "assumed" or "confirmed" */
    const char *valid_document;      /* confirmed: the document's number (文號); else NULL */
    const char *valid_document_date; /* confirmed: its date; else NULL */
    const char *clause;              /* quoted from the source */
    const char *reading;             /* the reading chosen (English), or NULL */
    const char *readings[3];         /* by policy_lang; the English one where a language has none */
    const char *file;                /* the rule file's name within its directory (no server path) */
    char hash[17];                   /* 64-bit FNV-1a of the file text, hex: identifies the version */
    bool described_only;             /* a measure the source names without an amount */
    bool entitlement;                /* grants a right (land rules), not money */
    const char *grants[3];           /* entitlements: what is allowed, by policy_lang; else NULL */
    size_t nparams;
    const policy_param_info *params;
    size_t ntests;
} policy_info;

void policy_describe(const policy *p, policy_info *out);

/* Runs the policy's own test cases; appends one line per case ("ok - NAME" or
 * "not ok - NAME: why") to report. Returns the number of failed cases. */
int policy_run_tests(const policy_set *set, const policy *p, strbuf *report);

/* ---- evaluating a year ---- */

typedef struct policy_filter {
    const char *policy_id; /* only this policy (NULL: all) */
    const char *uscc;      /* only this enterprise's subjects (NULL: all) */
} policy_filter;

typedef struct policy_result {
    const policy *policy; /* borrowed from the set */
    const char *subject;  /* "enterprise", "project", "person", "event" */
    const char *subject_id;
    const char *uscc; /* the enterprise the award is listed under */
    policy_status status;
    int64_t amount_fen; /* eligible: the award; otherwise 0 */
    const char *grant;  /* entitlement policies: what is allowed; NULL for money */
} policy_result;

/* Evaluates every policy in force in `year` (optionally filtered) on the store's facts, reading
 * earlier payments, cumulative caps and pools from the ledger. Nothing is written. */
int policy_run_store(const policy_set *set, store *st, int year, const policy_filter *f, policy_run **out, lz_err *err);
/* The year after `earlier`'s, as if `earlier` had been recorded first: its awards count as
 * earlier payments in place of the ledger's awards of its year, except those the ledger holds as
 * reviewed or later, which recording would keep (and which count instead). Nothing is written:
 * `awards --years` decides several years in one run this way. */
int policy_run_store_after(const policy_set *set, store *st, const policy_run *earlier, const policy_filter *f, policy_run **out,
                           lz_err *err);
/* The same on facts given as JSON (see docs/policy-language.md, "what-if"); no database at all.
 * Earlier payments may be given in the document ("paid"). */
int policy_run_whatif(const policy_set *set, const char *json, size_t len, int year, const policy_filter *f, policy_run **out,
                      lz_err *err);
void policy_run_free(policy_run *run);

int policy_run_year(const policy_run *run);
size_t policy_run_count(const policy_run *run);
const policy_result *policy_run_at(const policy_run *run, size_t i);

/* The human-readable trace of result i: each condition with the values used, the clause, the
 * parameters with their source (assumed ones flagged), the arithmetic, caps and pool scaling. */
int policy_explain(const policy_run *run, size_t i, policy_lang lang, strbuf *out, lz_err *err);
/* Why policy `policy_id` gives the enterprise `uscc` no result in the run's year: not in force
 * that year, no subject of its kind on record, or, per subject, the part of the policy's scope
 * (`applies`) that leaves it out. The run must hold that enterprise's facts. */
int policy_explain_scope(const policy_run *run, const char *policy_id, const char *uscc, policy_lang lang, strbuf *out,
                         lz_err *err);

/* ---- near misses and missing facts (nearmiss.c) ---- */

/* A failed comparison's figures, exact, at `scale` decimals (of a yuan for money). */
typedef struct policy_gap {
    int scale;
    int64_t value;     /* the subject's figure */
    int64_t required;  /* the threshold it is compared with */
    int64_t shortfall; /* what is short (>=, >) or over (<=, <); a strict comparison counts one more unit */
} policy_gap;

/* Whether result i is a near miss: not eligible on a condition whose deciding comparison (>=, >,
 * <=, <, on money, numbers or percentages) fails by less than within_bp / 10000 of the required
 * value. Returns 1 and fills *gap and appends the condition's label in lang to label; else 0. */
int policy_near_miss(const policy_run *run, size_t i, int within_bp, policy_lang lang, strbuf *label, policy_gap *gap);
/* The facts whose absence leaves result i undetermined (the first missing one of each unknown
 * condition, and of the amount, tier or bonus that could not be decided), as labels in lang,
 * each once, at most max of them into out. The labels are borrowed from the facts catalogue
 * (static). Returns how many; 0 for a result that is not undetermined. */
size_t policy_missing_facts(const policy_run *run, size_t i, policy_lang lang, const char **out, size_t max);

/* ---- the ledger ---- */

/* What recording changed: counts and one line per difference (store/ledger.h). */
typedef ledger_diff policy_ledger_diff;

/* Records the run in the ledger (one transaction): a run row with the policy file hashes, and one
 * award per result that is not `not_eligible`, in status `computed`. Recomputing a year is
 * idempotent; awards already reviewed or later are left as they are. diff (may be NULL) says what
 * changed since the last run (free it with ledger_diff_free). Appends an audit entry.
 * A run filtered to one policy records (and withdraws) that policy's awards only.
 * Refused for a run filtered to one enterprise (it would withdraw everyone else's awards), and
 * (LZ_ECONFLICT, nothing written) when the data changed after the run read its facts: an audit
 * entry other than a sign-in or an account's own change came after (ledger_record). */
int policy_ledger_record(store *st, const policy_run *run, const char *actor, const char *via, policy_ledger_diff *diff,
                         lz_err *err);

#endif
