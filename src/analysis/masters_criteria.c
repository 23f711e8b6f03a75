/*
 * masters_criteria — the masters' criteria: the defaults table, the file reader and the JSON that
 * shows each value with its source (see masters_criteria.h). The defaults weigh the article's six
 * criteria at 80% together and the four assumed ones at 20%; every figure is assumed until a
 * department decides.
 */
#include "analysis/masters_criteria.h"

#include <stdio.h>
#include <string.h>

#include "analysis/ratio.h"
#include "core/money.h"

typedef enum kind { RATIO, MONEY, COUNT } kind;

typedef struct param_def {
    const char *name, *label;
    kind kind;
    int64_t value;
} param_def;

static const param_def defs[MASTERS_PARAMS_COUNT] = {
    [MC_REVENUE] = {"weight.revenue", "主营业务规模", RATIO, 2000},
    [MC_TAX_PAID] = {"weight.tax_paid", "财政贡献", RATIO, 1500},
    [MC_OUTPUT_SHARE] = {"weight.output_share", "行业地位", RATIO, 1500},
    [MC_LOCAL_PURCHASES] = {"weight.local_purchases", "产业链带动能力", RATIO, 1000},
    [MC_RD_EXPENSE] = {"weight.rd_expense", "研发实力（投入）", RATIO, 500},
    [MC_RD_INTENSITY] = {"weight.rd_intensity", "研发实力（强度）", RATIO, 500},
    [MC_GROWTH] = {"weight.growth", "成长潜力", RATIO, 1000},
    [MC_EMPLOYEES] = {"weight.employees", "就业贡献", RATIO, 1000},
    [MC_VALUE_ADDED_RATE] = {"weight.value_added_rate", "增加值率", RATIO, 500},
    [MC_ABOVE_SCALE_YEARS] = {"weight.above_scale_years", "规上连续性", RATIO, 500},
    [MP_REVENUE_FLOOR] = {"gate.revenue_floor", "营业收入门槛", MONEY, 0},
    [MP_BATCH_SIZE] = {"batch.size", "链主数", COUNT, 3},
    [MP_BATCH_RESERVES] = {"batch.reserves", "后备链主数", COUNT, 2},
};

void masters_criteria_defaults(masters_criteria *c)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < MASTERS_PARAMS_COUNT; i++) {
        c->p[i].value = defs[i].value;
        c->p[i].source = THRESHOLDS_ASSUMED;
    }
}

const char *masters_criteria_name(masters_criterion k)
{
    return defs[k].name + strlen("weight.");
}

const char *masters_criteria_label(masters_criterion k)
{
    return defs[k].label;
}

/* A ratio or percentage in bp, an amount of yuan in fen, or a count into *v. */
static int parse_value(const param_def *d, const char *s, size_t n, int64_t *v, char *why, size_t whylen)
{
    bool percent = n > 0 && s[n - 1] == '%';
    if (d->kind != RATIO && percent)
        return snprintf(why, whylen, "%s: a %s, not '%.*s'", d->name, d->kind == MONEY ? "sum of yuan" : "whole number", (int)n, s),
               -1;
    if (d->kind == COUNT)
        return fixed_parse(s, n, 0, false, v, why, whylen);
    if (d->kind == MONEY)
        return money_parse(s, n, false, v, why, whylen);
    if (fixed_parse(s, percent ? n - 1 : n, percent ? 2 : RATIO_SCALE, false, v, why, whylen) < 0)
        return -1;
    if (*v > RATIO_ONE)
        return snprintf(why, whylen, "%s: at most 100%%, not '%.*s'", d->name, (int)n, s), -1;
    return 0;
}

static const char *criterion_name(size_t id)
{
    return defs[id].name;
}

static int parse_criterion(size_t id, const char *s, size_t n, int64_t *v, char *why, size_t whylen)
{
    return parse_value(&defs[id], s, n, v, why, whylen);
}

/* The weights' sum in bp. */
static int64_t weight_sum(const masters_criteria *c)
{
    int64_t sum = 0;
    for (int i = 0; i < MASTERS_CRITERIA_COUNT; i++)
        sum += c->p[i].value;
    return sum;
}

int masters_criteria_load(masters_criteria *c, const char *path, lz_err *err)
{
    static const settings_form form = {MASTERS_PARAMS_COUNT, criterion_name, parse_criterion};
    masters_criteria next = *c;
    long last; /* the last line with a parameter: where the sum is checked */
    int rc = settings_read(path, &form, next.p, &last, err);
    if (rc == 0 && weight_sum(&next) != RATIO_ONE) {
        char sum[RATIO_FMT_MAX];
        ratio_format_bp(weight_sum(&next), sum);
        rc = err_set(err, LZ_EINPUT, "%s:%ld: the weights sum to %s, not 1.0000 (100%%)", path, last, sum);
    }
    if (rc == 0)
        *c = next;
    return rc;
}

json_t *masters_criteria_json(const masters_criteria *c)
{
    json_t *out = json_object();
    for (int i = 0; i < MASTERS_PARAMS_COUNT; i++) {
        char buf[RATIO_FMT_MAX];
        ratio_format_bp(c->p[i].value, buf);
        json_t *value = defs[i].kind == RATIO   ? json_string(buf)
                        : defs[i].kind == MONEY ? ratio_money_json(c->p[i].value)
                                                : json_integer(c->p[i].value);
        json_object_set_new(out, defs[i].name, settings_json(&c->p[i], value));
    }
    return out;
}
