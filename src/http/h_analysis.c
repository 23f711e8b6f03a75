/*
 * h_analysis — the chain leader's analyses over HTTP: a chain's diagnosis, the project lights and
 * the clusters against their targets, each the same JSON document the CLI prints (src/analysis/).
 *
 * Who reads what follows the scope rules (scope.c): every official role reads them; an enterprise
 * account does not (403). A chain account reads its own chain's diagnosis only (another chain's
 * is 403: chains are public, so there is nothing to hide by a 404), the projects of its chain
 * (projects: chain column) and the cluster of its chain with that chain alone in its list; a
 * division account reads the projects of its division (projects: division column). Diagnoses and
 * cluster figures are aggregates and name no enterprise, except the customers a diagnosis lists on
 * request (?by=customer): a chain's own members, and for a division account only those located in
 * its division (enterprises: division column).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/diagnosis.h"
#include "analysis/lights.h"
#include "analysis/progress.h"
#include "core/date.h"
#include "http/handlers.h"

/* Refuses enterprise accounts: 403. Returns false then. */
static bool official(http_req *rq, http_resp *rs)
{
    if (rq->who->role != ROLE_ENTERPRISE)
        return true;
    http_forbidden(rs, "the analyses are read by officials");
    return false;
}

bool h_analysis_year(http_req *rq, http_resp *rs, int *year)
{
    const char *v = http_query(rq, "year");
    char *end = NULL;
    long y = v ? strtol(v, &end, 10) : 0;
    if (!v || *end || y < 1990 || y > 2100) {
        http_bad_field(rs, "year", "a year 1990..2100 is required");
        return false;
    }
    *year = (int)y;
    return true;
}

const struct thresholds *h_analysis_thresholds(const http_req *rq, struct thresholds *defaults)
{
    thresholds_defaults(defaults);
    return rq->thresholds ? rq->thresholds : defaults;
}

void h_analysis_respond(http_resp *rs, int rc, json_t *doc, const lz_err *err)
{
    if (rc < 0)
        http_fail(rs, err);
    else
        http_json(rs, 200, doc);
}

void h_chain_diagnosis(http_req *rq, http_resp *rs)
{
    const char *chain = rq->params[0];
    int year;
    if (!official(rq, rs) || !h_analysis_year(rq, rs, &year))
        return;
    if (rq->who->role == ROLE_CHAIN && strcmp(rq->who->scope, chain) != 0) {
        http_forbidden(rs, "a chain account reads its own chain's diagnosis");
        return;
    }
    const char *tag = http_query(rq, "lang");
    int lang = tag ? policy_lang_parse(tag) : POLICY_ZH_CN;
    if (lang < 0) {
        http_bad_field(rs, "lang", "zh-CN, zh-TW or en");
        return;
    }
    const char *by = http_query(rq, "by");
    if (by && strcmp(by, "customer") != 0) {
        http_bad_field(rs, "by", "customer, or nothing");
        return;
    }
    diagnosis_request d = {.year = year,
                           .chain = chain,
                           .lang = (policy_lang)lang,
                           .by_customer = by != NULL,
                           .customer_division = rq->who->role == ROLE_DIVISION ? rq->who->scope : NULL};
    thresholds defaults;
    json_t *doc = NULL;
    lz_err err = {0};
    int rc = diagnosis_run(rq->st, &d, h_analysis_thresholds(rq, &defaults), &doc, &err);
    h_analysis_respond(rs, rc, doc, &err);
}

void h_analysis_projects(http_req *rq, http_resp *rs)
{
    const char *day = http_query(rq, "date");
    int32_t date;
    char why[128];
    if (!official(rq, rs))
        return;
    if (!day || date_parse(day, strlen(day), &date, why, sizeof why) < 0) {
        http_bad_field(rs, "date", "a date YYYY-MM-DD is required");
        return;
    }
    lights_filter f = {.chain = rq->who->role == ROLE_CHAIN ? rq->who->scope : NULL,
                       .division = rq->who->role == ROLE_DIVISION ? rq->who->scope : NULL};
    thresholds defaults;
    json_t *doc = NULL;
    lz_err err = {0};
    int rc = lights_run(rq->st, date, &f, h_analysis_thresholds(rq, &defaults), &doc, &err);
    h_analysis_respond(rs, rc, doc, &err);
}

void h_analysis_clusters(http_req *rq, http_resp *rs)
{
    int year;
    if (!official(rq, rs) || !h_analysis_year(rq, rs, &year))
        return;
    json_t *doc = NULL;
    lz_err err = {0};
    int rc = progress_run(rq->st, year, rq->who->role == ROLE_CHAIN ? rq->who->scope : NULL, &doc, &err);
    h_analysis_respond(rs, rc, doc, &err);
}
