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

typedef enum light { GREEN, YELLOW, RED, CANNOT_TELL, LIGHTS } light;
static const char *const light_names[LIGHTS] = {"green", "yellow", "red", "cannot_tell"};

typedef struct judged {
    light light;
    int64_t actual_bp;
    bool dated;                  /* start and planned completion known, the one after the other */
    int64_t planned_days, total; /* planned progress = planned_days / total */
    int64_t days_late;           /* past the planned completion, not complete */
    json_t *missing;             /* CANNOT_TELL: what is missing */
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
        return GREEN;
    if (j->days_late > 0 || behind_scaled(j) > th->p[TH_RED_ABOVE].value * j->total)
        return RED;
    return behind_scaled(j) >= th->p[TH_YELLOW_FROM].value * j->total ? YELLOW : GREEN;
}

static void judge(const analysis_sql_project *p, int32_t date, const thresholds *th, judged *j)
{
    *j = (judged){.missing = json_array()};
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
        json_array_append_new(j->missing, json_string("stage"));
    if (j->actual_bp < RATIO_ONE || stage < 0) {
        if (!has_start)
            json_array_append_new(j->missing, json_string("start_date"));
        if (!has_end)
            json_array_append_new(j->missing, json_string("planned_completion"));
        if (has_start && has_end && !j->dated)
            json_array_append_new(j->missing, json_string("planned_completion after start_date"));
    }
    j->light = json_array_size(j->missing) > 0 ? CANNOT_TELL : light_of(j, th);
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
        g = json_pack("{s:i, s:i, s:i, s:i}", light_names[GREEN], 0, light_names[YELLOW], 0, light_names[RED], 0,
                      light_names[CANNOT_TELL], 0);
        json_object_set_new(groups, key, g);
    }
    json_t *n = json_object_get(g, light_names[l]);
    json_integer_set(n, json_integer_value(n) + 1);
}

static bool selected(const char *want, const char *value)
{
    return !want || strcmp(want, value) == 0;
}

static int on_project(void *ctx, const analysis_sql_project *p)
{
    run *r = ctx;
    if (!selected(r->f->chain, p->chain) || !selected(r->f->division, p->division))
        return 0;
    judged j;
    judge(p, r->date, r->th, &j);
    json_t *row = project_json(p, &j);
    json_array_append(r->projects, row);
    if (j.light == RED)
        json_array_append(r->red, row);
    if (j.light == CANNOT_TELL)
        json_array_append_new(r->cannot_tell,
                              json_pack("{s:s, s:s, s:o, s:o, s:o}", "id", p->id, "name", p->name, "chain", text_or_null(p->chain),
                                        "division", text_or_null(p->division), "missing", json_incref(j.missing)));
    json_decref(row);
    json_decref(j.missing);
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
