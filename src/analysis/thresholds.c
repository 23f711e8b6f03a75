/*
 * thresholds — the analyses' parameters: the defaults table, the file reader and the JSON that
 * shows each value with its source (see thresholds.h). The defaults are the figures the chain
 * leader's brief gives; none is in the article, so each is `assumed` until a department decides.
 */
#include "analysis/thresholds.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "analysis/ratio.h"
#include "core/money.h"
#include "core/strbuf.h"

typedef struct param_def {
    const char *name;
    bool ratio; /* basis points, written as "0.3000" or "30%"; else a count */
    int64_t value;
} param_def;

static const param_def defs[THRESHOLDS_COUNT] = {
    [TH_THIN_MAX_ENTERPRISES] = {"diagnosis.thin_max_enterprises", false, 2},
    [TH_THIN_SUPPLY_RATE] = {"diagnosis.thin_supply_rate", true, 3000},
    [TH_PROGRESS_PLANNED] = {"lights.progress.planned", true, 0},
    [TH_PROGRESS_SIGNED] = {"lights.progress.signed", true, 1000},
    [TH_PROGRESS_LAND] = {"lights.progress.land", true, 2000},
    [TH_PROGRESS_CONSTRUCTION] = {"lights.progress.construction", true, 5000},
    [TH_PROGRESS_COMPLETED] = {"lights.progress.completed", true, 10000},
    [TH_PROGRESS_PRODUCING] = {"lights.progress.producing", true, 10000},
    [TH_YELLOW_FROM] = {"lights.yellow_from", true, 1000},
    [TH_RED_ABOVE] = {"lights.red_above", true, 3000},
};

static const char *const source_names[] = {"article", "assumed", "confirmed"};
#define PROGRESS_PREFIX "lights.progress."

void thresholds_defaults(thresholds *t)
{
    memset(t, 0, sizeof *t);
    for (int i = 0; i < THRESHOLDS_COUNT; i++) {
        t->p[i].value = defs[i].value;
        t->p[i].source = THRESHOLDS_ASSUMED;
    }
}

const char *thresholds_name(thresholds_id id)
{
    return defs[id].name;
}

static int find(const char *name, size_t n)
{
    for (int i = 0; i < THRESHOLDS_COUNT; i++)
        if (strlen(defs[i].name) == n && memcmp(defs[i].name, name, n) == 0)
            return i;
    return -1;
}

int thresholds_stage_progress(const char *stage)
{
    char name[64];
    int n = snprintf(name, sizeof name, PROGRESS_PREFIX "%s", stage);
    return n > 0 && (size_t)n < sizeof name ? find(name, (size_t)n) : -1;
}

/* The next blank-separated word of *p: its start, its length (0 at the end). */
static size_t word(const char **p, const char **start)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
    *start = *p;
    while (**p && **p != ' ' && **p != '\t' && **p != '=')
        (*p)++;
    return (size_t)(*p - *start);
}

/* A count, a ratio ("0.3000") or a percentage ("30%") into *v. */
static int parse_value(const param_def *d, const char *s, size_t n, int64_t *v, char *why, size_t whylen)
{
    bool percent = n > 0 && s[n - 1] == '%';
    if (!d->ratio) {
        if (percent || fixed_parse(s, n, 0, false, v, why, whylen) < 0)
            return snprintf(why, whylen, "a whole number, not '%.*s'", (int)n, s), -1;
        return 0;
    }
    if (fixed_parse(s, percent ? n - 1 : n, percent ? 2 : RATIO_SCALE, false, v, why, whylen) < 0)
        return -1;
    if (*v > RATIO_ONE)
        return snprintf(why, whylen, "at most 100%% (1.0000), not '%.*s'", (int)n, s), -1;
    return 0;
}

/* One "NAME = VALUE SOURCE [DOCUMENT]" line into values. */
static int parse_line(const settings_form *form, thresholds_param *values, const char *line, char *why, size_t whylen)
{
    const char *p = line, *s;
    size_t n = word(&p, &s), id = 0;
    while (id < form->count && !(strlen(form->name(id)) == n && memcmp(form->name(id), s, n) == 0))
        id++;
    if (id == form->count)
        return snprintf(why, whylen, "unknown parameter '%.*s'", (int)n, s), -1;
    const char *name = form->name(id);
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '=')
        return snprintf(why, whylen, "expected '=' after %s", name), -1;
    n = word(&p, &s);
    thresholds_param v = {0};
    if (form->parse(id, s, n, &v.value, why, whylen) < 0)
        return -1;
    n = word(&p, &s);
    int src = -1;
    for (int i = 0; i < 3; i++)
        if (strlen(source_names[i]) == n && memcmp(source_names[i], s, n) == 0)
            src = i;
    if (src < 0)
        return snprintf(why, whylen, "%s: a source (article, assumed, confirmed) after the value", name), -1;
    while (*p == ' ' || *p == '\t')
        p++;
    if ((src == THRESHOLDS_CONFIRMED) != (*p != '\0'))
        return snprintf(why, whylen, "%s: a confirmed value names its document, and only a confirmed one", name), -1;
    v.source = (thresholds_source)src;
    snprintf(v.document, sizeof v.document, "%s", p);
    values[id] = v;
    return 0;
}

int settings_read(const char *path, const settings_form *form, thresholds_param *values, long *last_line, lz_err *err)
{
    strbuf b;
    strbuf_init(&b);
    int rc = strbuf_read_file(&b, path, err);
    char *save = NULL, why[256];
    long lineno = 0;
    *last_line = 0;
    for (char *line = rc == 0 ? b.data : NULL; rc == 0 && line; line = save) {
        save = strchr(line, '\n');
        if (save)
            *save++ = '\0';
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        size_t n = strlen(line);
        while (n > 0 && isspace((unsigned char)line[n - 1]))
            line[--n] = '\0';
        if (line[strspn(line, " \t")] == '\0')
            continue;
        *last_line = lineno;
        if (parse_line(form, values, line, why, sizeof why) < 0)
            rc = err_set(err, LZ_EINPUT, "%s:%ld: %s", path, lineno, why);
    }
    strbuf_free(&b);
    return rc;
}

json_t *settings_json(const thresholds_param *p, json_t *value)
{
    json_t *v = json_pack("{s:o, s:s}", "value", value, "source", source_names[p->source]);
    if (p->document[0])
        json_object_set_new(v, "document", json_string(p->document));
    return v;
}

static const char *threshold_name(size_t id)
{
    return defs[id].name;
}

static int parse_threshold(size_t id, const char *s, size_t n, int64_t *v, char *why, size_t whylen)
{
    return parse_value(&defs[id], s, n, v, why, whylen);
}

int thresholds_load(thresholds *t, const char *path, lz_err *err)
{
    static const settings_form form = {THRESHOLDS_COUNT, threshold_name, parse_threshold};
    thresholds next = *t;
    long last;
    int rc = settings_read(path, &form, next.p, &last, err);
    if (rc == 0)
        *t = next;
    return rc;
}

json_t *thresholds_json(const thresholds *t, const char *prefix)
{
    json_t *out = json_object();
    for (int i = 0; i < THRESHOLDS_COUNT; i++) {
        if (strncmp(defs[i].name, prefix, strlen(prefix)) != 0)
            continue;
        char buf[RATIO_FMT_MAX];
        ratio_format_bp(t->p[i].value, buf);
        json_object_set_new(out, defs[i].name,
                            settings_json(&t->p[i], defs[i].ratio ? json_string(buf) : json_integer(t->p[i].value)));
    }
    return out;
}
