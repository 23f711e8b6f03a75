/*
 * lights — the project lights (see lights.h). A project's progress is kept as an exact fraction:
 * planned = elapsed / total days (clamped), actual = basis points, so "behind by at least 10
 * points" is planned_days x 10000 - actual x total >= 1000 x total, with no rounding anywhere
 * before the printed figures.
 */
#include "analysis/lights.h"

#include <string.h>

#include "analysis/ratio.h"
#include "core/date.h"
#include "store/analysis_sql.h"

static const char *const light_names[LIGHT_KINDS] = {"green", "yellow", "red", "cannot_tell"};

/* What a project lacks for a light, as bits of judged.missing, named in this order. */
enum { MISSING_STAGE = 1, MISSING_START = 2, MISSING_END = 4, MISSING_ORDER = 8 };
static const char *const missing_names[] = {"stage", "start_date", "planned_completion", "planned_completion after start_date"};

typedef struct judged {
    light light;
    int64_t actual_bp;
    bool dated;                  /* start and planned completion known, the one after the other */
    int64_t planned_days, total; /* planned progress = planned_days / total */
    int64_t days_late;           /* past the planned completion, not complete */
    unsigned missing;            /* LIGHT_CANNOT_TELL: what is missing, MISSING_ bits */
} judged;

/* Day number of a YYYY-MM-DD text, false when empty or not a date. */
static bool day_of(const char *s, int32_t *days)
{
    char why[64];
    return *s && date_parse(s, strlen(s), days, why, sizeof why) == 0;
}

/* Behind plan, in basis points x total days: planned - actual. */
static int64_t behind_scaled(const judged *j)
{
    return j->planned_days * RATIO_ONE - j->actual_bp * j->total;
}

static light light_of(const judged *j, const thresholds *th)
{
    if (j->actual_bp >= RATIO_ONE)
        return LIGHT_GREEN;
    if (j->days_late > 0 || behind_scaled(j) > th->p[TH_RED_ABOVE].value * j->total)
        return LIGHT_RED;
    return behind_scaled(j) >= th->p[TH_YELLOW_FROM].value * j->total ? LIGHT_YELLOW : LIGHT_GREEN;
}

static void judge(const analysis_sql_project *p, int32_t date, const thresholds *th, judged *j)
{
    *j = (judged){0};
    int stage = thresholds_stage_progress(p->stage);
    int32_t start = 0, end = 0;
    bool has_start = day_of(p->start_date, &start), has_end = day_of(p->planned_completion, &end);
    j->actual_bp = stage >= 0 ? th->p[stage].value : 0;
    j->dated = has_start && has_end && end > start;
    if (j->dated) {
        j->total = end - start;
        j->planned_days = date < start ? 0 : date > end ? j->total : date - start;
        j->days_late = date > end && j->actual_bp < RATIO_ONE ? date - end : 0;
    }
    if (stage < 0)
        j->missing |= MISSING_STAGE;
    if (j->actual_bp < RATIO_ONE || stage < 0)
        j->missing |=
            (has_start ? 0 : MISSING_START) | (has_end ? 0 : MISSING_END) | (has_start && has_end && !j->dated ? MISSING_ORDER : 0);
    j->light = j->missing ? LIGHT_CANNOT_TELL : light_of(j, th);
}

static json_t *missing_json(unsigned missing)
{
    json_t *out = json_array();
    for (size_t i = 0; i < sizeof missing_names / sizeof *missing_names; i++)
        if (missing & (1u << i))
            json_array_append_new(out, json_string(missing_names[i]));
    return out;
}

static json_t *text_or_null(const char *s)
{
    return *s ? json_string(s) : json_null();
}

static json_t *project_json(const analysis_sql_project *p, const judged *j)
{
    char actual[RATIO_FMT_MAX];
    ratio_format_bp(j->actual_bp, actual);
    json_t *planned = j->dated ? ratio_json(j->planned_days, j->total) : json_null();
    json_t *behind = j->dated ? ratio_json(behind_scaled(j), j->total * RATIO_ONE) : json_null();
    return json_pack("{s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:s, s:o, s:o, s:s, s:I}", "id", p->id, "name", p->name, "chain",
                     text_or_null(p->chain), "division", text_or_null(p->division), "stage", p->stage, "start_date",
                     text_or_null(p->start_date), "planned_completion", text_or_null(p->planned_completion), "actual_progress",
                     actual, "planned_progress", planned, "behind", behind, "light", light_names[j->light], "days_late",
                     (json_int_t)j->days_late);
}

typedef struct run {
    int32_t date;
    const lights_filter *f;
    const thresholds *th;
    json_t *projects, *red, *cannot_tell;
    json_t *by_chain, *by_division; /* key -> {green, yellow, red, cannot_tell} in first-seen order */
} run;

static void count(json_t *groups, const char *key, light l)
{
    json_t *g = json_object_get(groups, key);
    if (!g) {
        g = json_pack("{s:i, s:i, s:i, s:i}", light_names[LIGHT_GREEN], 0, light_names[LIGHT_YELLOW], 0, light_names[LIGHT_RED], 0,
                      light_names[LIGHT_CANNOT_TELL], 0);
        json_object_set_new(groups, key, g);
    }
    json_t *n = json_object_get(g, light_names[l]);
    json_integer_set(n, json_integer_value(n) + 1);
}

static bool selected(const char *want, const char *value)
{
    return !want || strcmp(want, value) == 0;
}

/* Judges p when the filter selects it; false when it does not. */
static bool judge_selected(const lights_filter *f, int32_t date, const thresholds *th, const analysis_sql_project *p, judged *j)
{
    if (!selected(f->chain, p->chain) || !selected(f->division, p->division))
        return false;
    judge(p, date, th, j);
    return true;
}

static int on_project(void *ctx, const analysis_sql_project *p)
{
    run *r = ctx;
    judged j;
    if (!judge_selected(r->f, r->date, r->th, p, &j))
        return 0;
    json_t *row = project_json(p, &j);
    json_array_append(r->projects, row);
    if (j.light == LIGHT_RED)
        json_array_append(r->red, row);
    if (j.light == LIGHT_CANNOT_TELL)
        json_array_append_new(r->cannot_tell,
                              json_pack("{s:s, s:s, s:o, s:o, s:o}", "id", p->id, "name", p->name, "chain", text_or_null(p->chain),
                                        "division", text_or_null(p->division), "missing", missing_json(j.missing)));
    json_decref(row);
    count(r->by_chain, p->chain, j.light);
    count(r->by_division, p->division, j.light);
    return 0;
}

/* {key: counts} as [{name: key or null, counts...}]. Takes the reference. */
static json_t *groups_json(json_t *groups, const char *name)
{
    json_t *out = json_array(), *counts;
    const char *key;
    json_object_foreach(groups, key, counts)
    {
        json_t *g = json_deep_copy(counts);
        json_object_set_new(g, name, text_or_null(key));
        json_array_append_new(out, g);
    }
    json_decref(groups);
    return out;
}

typedef struct tally {
    int32_t date;
    const lights_filter *f;
    const thresholds *th;
    int64_t *counts;
} tally;

static int count_project(void *ctx, const analysis_sql_project *p)
{
    tally *t = ctx;
    judged j;
    if (judge_selected(t->f, t->date, t->th, p, &j))
        t->counts[j.light]++;
    return 0;
}

int lights_count(store *st, int32_t date, const lights_filter *f, const thresholds *th, int64_t counts[LIGHT_KINDS], lz_err *err)
{
    memset(counts, 0, LIGHT_KINDS * sizeof *counts);
    return analysis_sql_projects(st, count_project, &(tally){date, f, th, counts}, err);
}

const char *lights_name(light l)
{
    return light_names[l];
}

int lights_run(store *st, int32_t date, const lights_filter *f, const thresholds *th, json_t **out, lz_err *err)
{
    run r = {date, f, th, json_array(), json_array(), json_array(), json_object(), json_object()};
    int rc = analysis_sql_projects(st, on_project, &r, err);
    char day[DATE_LEN + 1];
    date_format(date, day);
    json_t *doc = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "date", day, "thresholds", thresholds_json(th, "lights."),
                            "projects", r.projects, "by_chain", groups_json(r.by_chain, "chain"), "by_division",
                            groups_json(r.by_division, "division"), "red", r.red, "cannot_tell", r.cannot_tell);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return 0;
}
