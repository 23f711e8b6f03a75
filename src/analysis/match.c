/*
 * match — an enterprise's policy matches and the city's unclaimed awards (see match.h). A year's
 * run of the policy engine gives the statuses; policy_near_miss and policy_missing_facts give
 * the gaps and the facts to supply; the ledger's awards of the year say what is claimed.
 */
#include "analysis/match.h"

#include <string.h>

#include "analysis/ratio.h"
#include "core/money.h"
#include "core/strset.h"

enum { MATCH_MAX_MISSING = 16 };

/* {policy, name, subject, subject_id[, amount or grant]}: what every list says of a result. */
static json_t *result_json(const policy_result *r, policy_lang lang, bool with_amount)
{
    policy_info in;
    policy_describe(r->policy, &in);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "policy", in.id, "name", in.name[lang], "subject", r->subject, "subject_id",
                          r->subject_id);
    if (with_amount && r->grant) /* an entitlement: a right, not money */
        json_object_set_new(o, "grant", json_string(r->grant));
    else if (with_amount)
        json_object_set_new(o, "amount", ratio_money_json(r->amount_fen));
    return o;
}

static json_t *fixed_json(int64_t v, int scale)
{
    char buf[48];
    fixed_format(v, scale, buf, sizeof buf);
    return json_string(buf);
}

static json_t *missing_json(const policy_run *run, size_t i, policy_lang lang)
{
    const char *labels[MATCH_MAX_MISSING];
    size_t n = policy_missing_facts(run, i, lang, labels, MATCH_MAX_MISSING);
    json_t *a = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(a, json_string(labels[k]));
    return a;
}

/* The near miss of result i as JSON, or NULL when it is none. */
static json_t *near_miss_json(const policy_run *run, size_t i, policy_lang lang)
{
    strbuf label;
    strbuf_init(&label);
    policy_gap gap;
    json_t *o = NULL;
    if (policy_near_miss(run, i, MATCH_NEAR_BP, lang, &label, &gap)) {
        policy_info in;
        policy_describe(policy_run_at(run, i)->policy, &in);
        o = json_pack("{s:s, s:s, s:s%, s:o, s:o, s:o}", "policy", in.id, "subject_id", policy_run_at(run, i)->subject_id,
                      "condition", label.data, label.len, "value", fixed_json(gap.value, gap.scale), "required",
                      fixed_json(gap.required, gap.scale), "shortfall", fixed_json(gap.shortfall, gap.scale));
    }
    strbuf_free(&label);
    return o;
}

static void add_result(json_t *doc, const policy_run *run, size_t i, policy_lang lang)
{
    const policy_result *r = policy_run_at(run, i);
    switch (r->status) {
    case POLICY_ELIGIBLE:
        json_array_append_new(json_object_get(doc, "eligible"), result_json(r, lang, true));
        break;
    case POLICY_PENDING:
        json_array_append_new(json_object_get(doc, "pending"), result_json(r, lang, false));
        break;
    case POLICY_UNDETERMINED: {
        json_t *o = result_json(r, lang, false);
        json_object_set_new(o, "missing", missing_json(run, i, lang));
        json_array_append_new(json_object_get(doc, "undetermined"), o);
        break;
    }
    default: {
        json_t *near = near_miss_json(run, i, lang);
        if (near)
            json_array_append_new(json_object_get(doc, "near_misses"), near);
    }
    }
}

int match_enterprise(const policy_set *set, store *st, int year, const char *uscc, policy_lang lang, json_t **out, lz_err *err)
{
    arena a;
    arena_init(&a, 4096);
    const char *name = NULL;
    policy_run *run = NULL;
    int rc = store_enterprise_name(st, uscc, &a, &name, err);
    if (rc == 0 && !name)
        rc = err_set(err, LZ_ENOTFOUND, "no enterprise with USCC %s", uscc);
    policy_filter f = {.uscc = uscc};
    if (rc == 0)
        rc = policy_run_store(set, st, year, &f, &run, err);
    if (rc == 0) {
        json_t *doc = json_pack("{s:i, s:s, s:s, s:[], s:[], s:[], s:[]}", "year", year, "uscc", uscc, "name", name, "eligible",
                                "pending", "undetermined", "near_misses");
        for (size_t i = 0; i < policy_run_count(run); i++)
            add_result(doc, run, i, lang);
        *out = doc;
    }
    policy_run_free(run);
    arena_free(&a);
    return rc;
}

/* ---- unclaimed ---- */

/* "policy\tsubject_id": one award's key. */
static void award_key(strbuf *b, const char *policy_id, const char *subject_id)
{
    strbuf_reset(b);
    strbuf_printf(b, "%s\t%s", policy_id, subject_id);
}

typedef struct claimed {
    strset keys;
    strbuf key;
} claimed;

static void add_claimed(void *ctx, const ledger_award *aw)
{
    claimed *c = ctx;
    award_key(&c->key, aw->policy, aw->subject_id);
    strset_add(&c->keys, c->key.data, c->key.len);
}

static json_t *unclaimed_list(const policy_run *run, claimed *c, const char *department, policy_lang lang)
{
    json_t *list = json_array();
    for (size_t i = 0; i < policy_run_count(run); i++) {
        const policy_result *r = policy_run_at(run, i);
        policy_info in;
        policy_describe(r->policy, &in);
        if (r->status != POLICY_ELIGIBLE || (department && strcmp(department, in.department) != 0))
            continue;
        award_key(&c->key, in.id, r->subject_id);
        if (!strset_add(&c->keys, c->key.data, c->key.len)) /* present: the ledger holds it */
            continue;
        json_t *o = result_json(r, lang, true);
        json_object_set_new(o, "department", json_string(in.department));
        json_object_set_new(o, "uscc", json_string(r->uscc));
        json_array_append_new(list, o);
    }
    return list;
}

int match_unclaimed(const policy_set *set, store *st, int year, const char *department, policy_lang lang, json_t **out, lz_err *err)
{
    claimed c;
    strset_init(&c.keys);
    strbuf_init(&c.key);
    policy_run *run = NULL;
    int rc = ledger_list(st, year, NULL, NULL, add_claimed, &c, err);
    if (rc == 0)
        rc = policy_run_store(set, st, year, NULL, &run, err);
    if (rc == 0)
        *out = json_pack("{s:i, s:s?, s:o}", "year", year, "department", department, "unclaimed",
                         unclaimed_list(run, &c, department, lang));
    policy_run_free(run);
    strbuf_free(&c.key);
    strset_free(&c.keys);
    return rc;
}
