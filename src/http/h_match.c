/*
 * h_match — what an enterprise could get, the awards nobody has recorded, and the cockpit's
 * overview over HTTP: the same JSON the CLI's `match` and `overview` print (analysis/match.h,
 * analysis/overview.h), on the server's policies.
 *
 * An enterprise account reads its own USCC's matches only; an official reads the matches of an
 * enterprise within its read scope over enterprises (scope.c); anything else is 403. The
 * unclaimed list is a bureau's (its department's policies) or an admin's (every policy). The
 * overview is read by officials: a chain account gets its chain's figures, a division account its
 * division's projects; its figures are aggregates and name no enterprise, project or appeal.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/match.h"
#include "analysis/overview.h"
#include "core/date.h"
#include "http/handlers.h"
#include "http/scope.h"

/* The required ?year= and the optional ?lang=; a bad one fills rs and returns false. */
static bool match_query(http_req *rq, http_resp *rs, int *year, policy_lang *lang)
{
    const char *v = http_query(rq, "year"), *tag = http_query(rq, "lang");
    char *end = NULL;
    long y = v ? strtol(v, &end, 10) : 0;
    if (!v || *end || y < 1990 || y > 2100) {
        http_bad_field(rs, "year", "a year 1990..2100 is required");
        return false;
    }
    int l = tag ? policy_lang_parse(tag) : POLICY_ZH_CN;
    if (l < 0) {
        http_bad_field(rs, "lang", "zh-CN, zh-TW or en");
        return false;
    }
    *year = (int)y;
    *lang = (policy_lang)l;
    if (rq->policies)
        return true;
    http_problem(rs, 503, NULL, "no policies loaded: start the server with --policies DIR");
    return false;
}

static void respond(http_resp *rs, int rc, json_t *doc, const lz_err *err)
{
    if (rc < 0)
        http_fail(rs, err);
    else
        http_json(rs, 200, doc);
}

void h_enterprise_matches(http_req *rq, http_resp *rs)
{
    const char *uscc = rq->params[0];
    int year;
    policy_lang lang;
    if (!match_query(rq, rs, &year, &lang))
        return;
    cell key = cell_text(uscc, strlen(uscc));
    bool ok = false;
    lz_err err = {0};
    if (scope_enterprise_allowed(rq->st, rq->who, &key, &ok, &err) < 0) {
        http_fail(rs, &err);
        return;
    }
    if (!ok) {
        http_forbidden(rs, "an account reads the matches of the enterprises in its scope");
        return;
    }
    json_t *doc = NULL;
    int rc = match_enterprise(rq->policies, rq->st, year, uscc, lang, &doc, &err);
    respond(rs, rc, doc, &err);
}

void h_analysis_unclaimed(http_req *rq, http_resp *rs)
{
    int year;
    policy_lang lang;
    if (!match_query(rq, rs, &year, &lang))
        return;
    if (rq->who->role != ROLE_ADMIN && rq->who->role != ROLE_BUREAU) {
        http_forbidden(rs, "the unclaimed awards are read by a bureau (its policies) or an admin");
        return;
    }
    json_t *doc = NULL;
    lz_err err = {0};
    int rc = match_unclaimed(rq->policies, rq->st, year, rq->who->role == ROLE_BUREAU ? rq->who->scope : NULL, lang, &doc, &err);
    respond(rs, rc, doc, &err);
}

void h_analysis_overview(http_req *rq, http_resp *rs)
{
    int year;
    policy_lang lang;
    const char *day = http_query(rq, "date");
    int32_t date = date_today();
    char why[128];
    if (!match_query(rq, rs, &year, &lang))
        return;
    if (day && date_parse(day, strlen(day), &date, why, sizeof why) < 0) {
        http_bad_field(rs, "date", "a date YYYY-MM-DD, or none for today");
        return;
    }
    if (rq->who->role == ROLE_ENTERPRISE) {
        http_forbidden(rs, "the overview is read by officials");
        return;
    }
    overview_request o = {.year = year,
                          .date = date,
                          .chain = rq->who->role == ROLE_CHAIN ? rq->who->scope : NULL,
                          .division = rq->who->role == ROLE_DIVISION ? rq->who->scope : NULL,
                          .set = rq->policies,
                          .lang = lang};
    thresholds defaults;
    thresholds_defaults(&defaults);
    json_t *doc = NULL;
    lz_err err = {0};
    int rc = overview_run(rq->st, &o, rq->thresholds ? rq->thresholds : &defaults, &doc, &err);
    respond(rs, rc, doc, &err);
}
