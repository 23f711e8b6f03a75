/*
 * tests — running a policy's own test cases (`lianzhang policy test`).
 *
 * Each case builds a small world from the facts it states (subjects, their enterprise, yearly
 * values, earlier payments), evaluates the award year through the same path as a real run, and
 * compares status, amount and, when given, a phrase of the English explanation. The same cases
 * are given as data with their outcome to the API (tests.h).
 */
#include "policy/tests.h"

#include "policy/run.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"

static void world_years(const test_case *t, int *year0)
{
    *year0 = t->year - 1;
    for (size_t s = 0; s < t->nsubjects; s++)
        for (size_t j = 0; j < t->subjects[s].nfacts; j++) {
            int y = t->subjects[s].facts[j].year;
            if (y && y < *year0)
                *year0 = y;
        }
}

static const char *subject_uscc(const test_subject *s, facts_kind kind, char *buf, size_t len)
{
    for (size_t j = 0; j < s->nfacts; j++)
        if (s->facts[j].fact == TEST_USCC)
            return s->facts[j].lit.str;
    if (kind == FACTS_ENTERPRISE)
        return s->id;
    snprintf(buf, len, "ENT-%s", s->id);
    return buf;
}

static int put_fact(facts_world *w, facts_kind kind, size_t i, const test_fact *f, lz_err *err)
{
    const token *t = &f->lit;
    if (t->kind == TK_STRING)
        return facts_put_text(w, kind, i, f->fact, f->year, t->str, err);
    int64_t v = t->kind == TK_DATE ? t->days : t->kind == TK_IDENT ? (t->len == 4) : (int64_t)t->num;
    if (facts_get(f->fact)->type == FT_DECIMAL2 && t->kind == TK_NUMBER)
        v = (int64_t)(t->num * pval_pow10(2 - t->scale));
    return facts_put_int(w, kind, i, f->fact, f->year, v, err);
}

/* Adds the case's subjects (and the enterprises they belong to) to the run's world. */
static int build(policy_run *run, const rule *r, const test_case *t, lz_err *err)
{
    int year0;
    world_years(t, &year0);
    facts_world_init(&run->w, t->year, year0, t->year - year0);
    for (size_t s = 0; s < t->nsubjects; s++) {
        const test_subject *ts = &t->subjects[s];
        char buf[128];
        const char *uscc = subject_uscc(ts, r->subject, buf, sizeof buf);
        size_t i = facts_set_add(&run->w, r->subject, ts->id, uscc);
        size_t e = i;
        if (r->subject != FACTS_ENTERPRISE) {
            int32_t found = facts_lookup(&run->w, FACTS_ENTERPRISE, uscc);
            e = found >= 0 ? (size_t)found : facts_set_add(&run->w, FACTS_ENTERPRISE, uscc, uscc);
        }
        for (size_t j = 0; j < ts->nfacts; j++) {
            const test_fact *f = &ts->facts[j];
            if (f->fact == TEST_USCC)
                continue;
            int rc = f->subject ? put_fact(&run->w, FACTS_ENTERPRISE, e, f, err) : put_fact(&run->w, r->subject, i, f, err);
            if (rc)
                return err_wrap(err, "line %d", f->line);
        }
        for (size_t j = 0; j < ts->npaid; j++)
            run_add_paid(run, r->id, ts->id, uscc, ts->paid[j].year, ts->paid[j].fen, "paid");
    }
    facts_world_link(&run->w);
    return 0;
}

static const policy_result *find_result(const policy_run *run, const policy *p, const char *id, size_t *at)
{
    for (size_t i = 0; i < run->n; i++)
        if (run->res[i].policy == p && strcmp(run->res[i].subject_id, id) == 0) {
            *at = i;
            return &run->res[i];
        }
    return NULL;
}

/* Compares one subject's outcome; appends why it differs to `why` (empty when it matches). */
static void compare(const policy_run *run, const policy *p, const test_subject *ts, strbuf *why)
{
    size_t at = 0;
    const policy_result *res = find_result(run, p, ts->id, &at);
    char got[64], want[64];
    if (ts->expect_none || !res) {
        if (ts->expect_none != !res)
            strbuf_printf(why, "%s: expected %s, got %s", ts->id, ts->expect_none ? "no result" : policy_status_name(ts->expect),
                          res ? policy_status_name(res->status) : "no result (out of scope)");
        return;
    }
    money_format_grouped(res->amount_fen, got);
    money_format_grouped(ts->expect_fen, want);
    if (res->status != ts->expect || (ts->expect == POLICY_ELIGIBLE && res->amount_fen != ts->expect_fen)) {
        strbuf_printf(why, "%s: expected %s %s, got %s %s", ts->id, policy_status_name(ts->expect),
                      ts->expect == POLICY_ELIGIBLE ? want : "", policy_status_name(res->status),
                      res->status == POLICY_ELIGIBLE ? got : "");
        return;
    }
    if (!ts->expect_text)
        return;
    strbuf text;
    strbuf_init(&text);
    lz_err err;
    if (policy_explain(run, at, POLICY_EN, &text, &err) != 0)
        strbuf_printf(why, "%s: explanation failed: %s", ts->id, err.msg);
    else if (!strstr(text.data ? text.data : "", ts->expect_text))
        strbuf_printf(why, "%s: explanation lacks \"%s\":\n%s", ts->id, ts->expect_text, text.data ? text.data : "");
    strbuf_free(&text);
}

/* A case runs its own policy only. */
static bool test_scope(const policy *q, int year, void *ctx)
{
    return q == ctx && run_in_scope(q, year, NULL);
}

/* Runs case t of p; why receives what differs (empty when it passes). */
static void run_case(const policy_set *set, const policy *p, const test_case *t, strbuf *why)
{
    run_scope only = {test_scope, (void *)p};
    policy_run *run = run_new(set, t->year);
    lz_err err = {0};
    if (build(run, &p->r, t, &err) != 0 || run_evaluate_scope(run, &only, &err) != 0)
        strbuf_printf(why, "%s", err.msg);
    for (size_t s = 0; s < t->nsubjects && why->len == 0; s++)
        compare(run, p, &t->subjects[s], why);
    policy_run_free(run);
}

int policy_run_tests(const policy_set *set, const policy *p, strbuf *report)
{
    int failed = 0;
    for (size_t c = 0; c < p->r.ntests; c++) {
        const test_case *t = &p->r.tests[c];
        strbuf why;
        strbuf_init(&why);
        run_case(set, p, t, &why);
        if (why.len) {
            failed++;
            strbuf_printf(report, "not ok - %s: %s: %s\n", p->r.id, t->name, why.data);
        } else {
            strbuf_printf(report, "ok - %s: %s\n", p->r.id, t->name);
        }
        strbuf_free(&why);
    }
    return failed;
}

/* ---- the cases as data ----------------------------------------------------------------------- */

static json_t *yuan(int64_t fen)
{
    char text[MONEY_FMT_MAX];
    money_format(fen, text);
    return json_string(text);
}

static json_t *expect_json(const test_subject *ts)
{
    if (!ts->has_expect)
        return json_null();
    const char *status = ts->expect_none ? "none" : policy_status_name(ts->expect);
    bool amount = !ts->expect_none && ts->expect == POLICY_ELIGIBLE;
    return json_pack("{s:s, s:o, s:s?}", "status", status, "amount", amount ? yuan(ts->expect_fen) : json_null(), "text",
                     ts->expect_text);
}

/* A fact's literal as the rule file states it (the file's text is gone once compiled): a string's
 * text, a date, true/false, a number with its decimals (a percentage with its sign). */
static json_t *literal_json(const token *t)
{
    char buf[64];
    switch (t->kind) {
    case TK_STRING:
        return json_string(t->str);
    case TK_DATE:
        date_format(t->days, buf);
        return json_string(buf);
    case TK_IDENT:
        return json_string(t->len == 4 ? "true" : "false");
    default:
        (t->kind == TK_MONEY ? fixed_format : fixed_format_short)((int64_t)t->num, t->scale, buf, sizeof buf - 1);
        if (t->kind == TK_PERCENT)
            strcat(buf, "%");
        return json_string(buf);
    }
}

static json_t *subject_json(const test_subject *ts)
{
    json_t *inputs = json_array(), *paid = json_array();
    for (size_t j = 0; j < ts->nfacts; j++) {
        const test_fact *f = &ts->facts[j];
        json_t *value = literal_json(&f->lit);
        json_array_append_new(inputs, json_pack("{s:s?, s:s, s:o, s:o}", "of", f->subject, "fact", f->name, "year",
                                                f->year ? json_integer(f->year) : json_null(), "value", value));
    }
    for (size_t j = 0; j < ts->npaid; j++)
        json_array_append_new(paid, json_pack("{s:i, s:o}", "year", ts->paid[j].year, "amount", yuan(ts->paid[j].fen)));
    return json_pack("{s:s, s:o, s:o, s:o}", "id", ts->id, "inputs", inputs, "paid", paid, "expect", expect_json(ts));
}

json_t *policy_tests_json(const policy_set *set, const policy *p)
{
    json_t *cases = json_array();
    for (size_t c = 0; c < p->r.ntests; c++) {
        const test_case *t = &p->r.tests[c];
        json_t *subjects = json_array();
        for (size_t s = 0; s < t->nsubjects; s++)
            json_array_append_new(subjects, subject_json(&t->subjects[s]));
        strbuf why;
        strbuf_init(&why);
        run_case(set, p, t, &why);
        json_array_append_new(cases, json_pack("{s:s, s:i, s:i, s:b, s:o, s:o}", "name", t->name, "year", t->year, "line", t->line,
                                               "passed", why.len == 0, "failure", why.len ? json_string(why.data) : json_null(),
                                               "subjects", subjects));
        strbuf_free(&why);
    }
    return cases;
}
