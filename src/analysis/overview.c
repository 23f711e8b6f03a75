/*
 * overview — the cockpit's figures (see overview.h): three analyses summed and three aggregate
 * reads, one document.
 */
#include "analysis/overview.h"

#include <stdio.h>
#include <string.h>

#include "analysis/city.h"
#include "analysis/diagnosis.h"
#include "analysis/lights.h"
#include "analysis/progress.h"
#include "analysis/ratio.h"
#include "core/date.h"
#include "store/overview_sql.h"

/* ---- the analyses, summed ---- */

/* Per chain: its code, name, local supply rate and how many segments carry each label. */
static json_t *chain_health(json_t *diagnosis)
{
    json_t *list = json_array(), *c;
    size_t i;
    json_array_foreach(json_object_get(diagnosis, "chains"), i, c)
    {
        json_t *labels = json_pack("{s:i, s:i, s:i}", "missing", 0, "thin", 0, "strong", 0), *seg;
        size_t k;
        json_array_foreach(json_object_get(c, "segments"), k, seg)
        {
            const char *label = json_string_value(json_object_get(seg, "label"));
            json_t *n = label ? json_object_get(labels, label) : NULL;
            if (n)
                json_integer_set(n, json_integer_value(n) + 1);
        }
        json_array_append_new(list, json_pack("{s:O, s:O, s:O, s:o}", "code", json_object_get(c, "code"), "name",
                                              json_object_get(c, "name"), "local_supply_rate",
                                              json_object_get(c, "local_supply_rate"), "labels", labels));
    }
    return list;
}

/* The projects per light: green, yellow, red and cannot_tell. */
static json_t *project_lights(const int64_t counts[LIGHT_KINDS])
{
    json_t *out = json_object();
    for (light l = LIGHT_GREEN; l < LIGHT_KINDS; l++)
        json_object_set_new(out, lights_name(l), json_integer(counts[l]));
    return out;
}

/* ---- the aggregate reads ---- */

static void add_stage(void *ctx, const overview_sql_stage *r)
{
    json_array_append_new(ctx, json_pack("{s:s, s:I, s:o}", "stage", r->stage, "targets", (json_int_t)r->targets,
                                         "expected_investment", ratio_money_json(r->expected_investment_fen)));
}

static json_t *appeals_json(const overview_sql_appeals *a)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "open", (json_int_t)a->open, "overdue", (json_int_t)a->overdue,
                     "closed_on_time", (json_int_t)a->closed_on_time, "closed_late", (json_int_t)a->closed_late, "ratings",
                     (json_int_t)a->ratings, "average_rating", ratio_json(a->rating_sum, a->ratings));
}

typedef struct award_sums {
    const policy_set *set;
    policy_lang lang;
    json_t *policies;    /* [{policy, name, department, decided, decided_amount, paid, paid_amount}] */
    json_t *departments; /* {department: {decided, decided_amount, paid, paid_amount}} */
} award_sums;

/* Adds n awards of amount fen to the counters of o under `what` (decided or paid). */
static void add_to(json_t *o, const char *what, int64_t n, int64_t fen)
{
    char amount_key[32];
    snprintf(amount_key, sizeof amount_key, "%s_fen", what);
    json_t *count = json_object_get(o, what), *amount = json_object_get(o, amount_key);
    json_integer_set(count, json_integer_value(count) + n);
    json_integer_set(amount, json_integer_value(amount) + fen);
}

static json_t *sums_object(void)
{
    return json_pack("{s:i, s:i, s:i, s:i}", "decided", 0, "decided_fen", 0, "paid", 0, "paid_fen", 0);
}

static void add_award(void *ctx, const overview_sql_award *r)
{
    award_sums *s = ctx;
    const policy *p = s->set ? policy_set_find(s->set, r->policy) : NULL;
    policy_info in = {.department = NULL};
    if (p)
        policy_describe(p, &in);
    const char *dept = in.department ? in.department : "";
    size_t n = json_array_size(s->policies);
    json_t *last = n ? json_array_get(s->policies, n - 1) : NULL;
    if (!last || strcmp(json_string_value(json_object_get(last, "policy")), r->policy) != 0) {
        last = sums_object();
        json_object_set_new(last, "policy", json_string(r->policy));
        json_object_set_new(last, "name", p ? json_string(in.name[s->lang]) : json_null());
        json_object_set_new(last, "department", json_string(dept));
        json_array_append_new(s->policies, last);
    }
    json_t *d = json_object_get(s->departments, dept);
    if (!d)
        json_object_set_new(s->departments, dept, d = sums_object());
    bool rejected = strcmp(r->status, "rejected") == 0, paid = strcmp(r->status, "paid") == 0;
    for (json_t *o = last; o; o = o == last ? d : NULL) {
        if (!rejected)
            add_to(o, "decided", r->awards, r->amount_fen);
        if (paid)
            add_to(o, "paid", r->awards, r->amount_fen);
    }
}

/* The fen counters as yuan strings, in place. */
static void money_fields(json_t *o)
{
    static const char *const keys[][2] = {{"decided_fen", "decided_amount"}, {"paid_fen", "paid_amount"}};
    for (size_t k = 0; k < 2; k++) {
        json_object_set_new(o, keys[k][1], ratio_money_json(json_integer_value(json_object_get(o, keys[k][0]))));
        json_object_del(o, keys[k][0]);
    }
}

static json_t *department_list(json_t *departments)
{
    json_t *list = json_array(), *v;
    const char *k;
    json_object_foreach(departments, k, v)
    {
        money_fields(v);
        json_object_set_new(v, "department", json_string(k));
        json_array_append(list, v);
    }
    return list;
}

static int awards_part(store *st, const overview_request *rq, json_t *doc, lz_err *err)
{
    award_sums s = {rq->set, rq->lang, json_array(), json_object()};
    int rc = overview_sql_awards(st, rq->chain, rq->year, add_award, &s, err);
    json_t *p;
    size_t i;
    json_array_foreach(s.policies, i, p) money_fields(p);
    json_object_set_new(doc, "awards", s.policies);
    json_object_set_new(doc, "departments", department_list(s.departments));
    json_decref(s.departments);
    return rc;
}

/* ---- the document ---- */

static int analyses_part(store *st, const overview_request *rq, const thresholds *th, json_t *doc, lz_err *err)
{
    json_t *clusters = NULL, *diagnosis = NULL;
    int64_t lights[LIGHT_KINDS];
    city *c = NULL;
    int rc = city_load(st, rq->year, CITY_GROWTH, &c, err); /* once for both analyses of the whole city */
    diagnosis_request d = {.year = rq->year, .chain = rq->chain, .lang = rq->lang, .city = c};
    lights_filter f = {.chain = rq->chain, .division = rq->division};
    if (rc == 0)
        rc = progress_run_on(st, c, rq->year, rq->chain, &clusters, err);
    if (rc == 0)
        rc = diagnosis_run(st, &d, th, &diagnosis, err);
    city_free(c);
    if (rc == 0)
        rc = lights_count(st, rq->date, &f, th, lights, err);
    if (rc == 0) {
        json_object_set(doc, "clusters", json_object_get(clusters, "clusters"));
        json_object_set_new(doc, "chains", chain_health(diagnosis));
        json_object_set_new(doc, "projects", project_lights(lights));
    }
    json_decref(clusters);
    json_decref(diagnosis);
    return rc;
}

int overview_work_lists(store *st, const overview_request *rq, json_t *doc, lz_err *err)
{
    char day[DATE_LEN + 1];
    date_format(rq->date, day);
    json_t *stages = json_array();
    overview_sql_appeals appeals = {0};
    int rc = overview_sql_targets(st, rq->chain, add_stage, stages, err);
    json_object_set_new(doc, "targets", stages);
    if (rc == 0)
        rc = overview_sql_appeals_on(st, rq->chain, day, &appeals, err);
    json_object_set_new(doc, "appeals", appeals_json(&appeals));
    return rc == 0 ? awards_part(st, rq, doc, err) : rc;
}

int overview_run(store *st, const overview_request *rq, const thresholds *th, json_t **out, lz_err *err)
{
    char day[DATE_LEN + 1];
    date_format(rq->date, day);
    json_t *doc = json_pack("{s:i, s:s}", "year", rq->year, "date", day);
    int rc = analyses_part(st, rq, th, doc, err);
    if (rc == 0)
        rc = overview_work_lists(st, rq, doc, err);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return 0;
}
