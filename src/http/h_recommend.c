/*
 * h_recommend — whom a chain should bring in, over HTTP: the same JSON document `lianzhang
 * targets recommend` prints (analysis/recommend.h).
 *
 * Who reads it: the accounts that work the chain's investment targets — an admin, a bureau, and a
 * chain account for its own chain (another chain's is 403: chains are public, so a 404 would hide
 * nothing). A division or enterprise account does not (403): the candidates and their buyers are
 * enterprises of every division and of none.
 */
#include <string.h>

#include "analysis/recommend.h"
#include "core/date.h"
#include "http/handlers.h"

/* Fills rs with a 403 and returns false unless the account may read chain's recommendations. */
static bool may_read(http_req *rq, http_resp *rs, const char *chain)
{
    switch (rq->who->role) {
    case ROLE_ADMIN:
    case ROLE_BUREAU:
        return true;
    case ROLE_CHAIN:
        if (strcmp(rq->who->scope, chain) == 0)
            return true;
        http_forbidden(rs, "a chain account reads its own chain's recommendations");
        return false;
    default:
        http_forbidden(rs, "recommendations are read by admin, bureau and chain accounts");
        return false;
    }
}

/* ?date= (default today) and ?lang= (default zh-CN) into r; false after a 400 naming the field. */
static bool query_date_lang(http_req *rq, http_resp *rs, recommend_request *r)
{
    const char *day = http_query(rq, "date"), *tag = http_query(rq, "lang");
    char why[128];
    r->date = date_today();
    if (day && date_parse(day, strlen(day), &r->date, why, sizeof why) < 0) {
        http_bad_field(rs, "date", "a date YYYY-MM-DD");
        return false;
    }
    int lang = tag ? policy_lang_parse(tag) : POLICY_ZH_CN;
    if (lang < 0) {
        http_bad_field(rs, "lang", "zh-CN, zh-TW or en");
        return false;
    }
    r->lang = (policy_lang)lang;
    return true;
}

void h_chain_recommendations(http_req *rq, http_resp *rs)
{
    recommend_request r = {.chain = rq->params[0]};
    if (!may_read(rq, rs, r.chain) || !h_analysis_year(rq, rs, &r.year) || !query_date_lang(rq, rs, &r))
        return;
    thresholds defaults;
    json_t *doc = NULL;
    lz_err err = {0};
    int rc = recommend_run(rq->st, &r, h_analysis_thresholds(rq, &defaults), &doc, &err);
    h_analysis_respond(rs, rc, doc, &err);
}
