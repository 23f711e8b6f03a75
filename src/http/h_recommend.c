/*
 * h_recommend — whom a chain should bring in, over HTTP: the same JSON document `lianzhang
 * targets recommend` prints (analysis/recommend.h).
 *
 * Who reads it: the accounts that work the chain's investment targets — an admin, a bureau, and a
 * chain account for its own chain (another chain's is 403: chains are public, so a 404 would hide
 * nothing). A division or enterprise account does not (403): the candidates and their buyers are
 * enterprises of every division and of none.
 *
 * Accepting a candidate (POST .../recommendations/accept, {year, supplier, segment}) creates an
 * investment target through the generic create route's write (h_tables.h: scope, 409 on an
 * existing key, the importer's checks, the audit entry with the account): id "CHAIN-USCC", so
 * that the same supplier accepted twice for a chain is 409; the supplier's name; the chain; the
 * segment asked for, else the candidate's first; recommended_by the candidate's; stage lead;
 * updated today. Who may: those who may read it and write targets (scope.c: an admin, and a
 * chain account for its own chain; a bureau reads targets but does not write them: 403).
 */
#include <string.h>

#include "analysis/recommend.h"
#include "core/date.h"
#include "http/h_tables.h"
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

/* The candidate of doc whose USCC or name is supplier, or NULL. Borrowed from doc. */
static json_t *find_candidate(json_t *doc, const char *supplier)
{
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(doc, "candidates"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "uscc")), supplier) == 0 ||
            strcmp(json_string_value(json_object_get(c, "name")), supplier) == 0)
            return c;
    }
    return NULL;
}

/* The target row accepting candidate c for chain creates (new reference). */
static json_t *target_row(http_req *rq, const char *chain, json_t *c, json_t *segment)
{
    char today[DATE_LEN + 1];
    date_format(date_today(), today);
    json_t *row = json_pack("{s:s, s:O, s:s, s:O, s:s, s:s}", "id",
                            arena_printf(rq->a, "%s-%s", chain, json_string_value(json_object_get(c, "uscc"))), "name",
                            json_object_get(c, "name"), "chain", chain, "recommended_by",
                            json_object_get(json_object_get(c, "recommended_by"), "uscc"), "stage", "lead", "updated", today);
    json_t *seg = json_is_string(segment) ? segment : json_object_get(json_array_get(json_object_get(c, "segments"), 0), "code");
    if (seg)
        json_object_set(row, "segment", seg);
    return row;
}

/* Reads {year, supplier, segment} into r and *supplier; false after a 400 naming the field. */
static bool accept_fields(http_resp *rs, json_t *body, recommend_request *r, const char **supplier)
{
    json_t *year = json_object_get(body, "year"), *segment = json_object_get(body, "segment");
    *supplier = json_string_value(json_object_get(body, "supplier"));
    if (!json_is_integer(year) || json_integer_value(year) < 1990 || json_integer_value(year) > 2100) {
        http_bad_field(rs, "year", "the year of the purchases, 1990..2100");
        return false;
    }
    if (!*supplier) {
        http_bad_field(rs, "supplier", "the candidate's USCC or name");
        return false;
    }
    if (segment && !json_is_string(segment)) {
        http_bad_field(rs, "segment", "a segment code of the chain");
        return false;
    }
    r->year = (int)json_integer_value(year);
    return true;
}

void h_recommendation_accept(http_req *rq, http_resp *rs)
{
    recommend_request r = {.chain = rq->params[0], .date = date_today(), .lang = POLICY_ZH_CN};
    const char *supplier;
    const table *targets = tables_find("targets");
    json_t *body = may_read(rq, rs, r.chain) && tables_may_write_some(rq, rs, targets) ? http_body_object(rq, rs) : NULL,
           *doc = NULL;
    if (!body || !accept_fields(rs, body, &r, &supplier)) {
        json_decref(body);
        return;
    }
    thresholds defaults;
    lz_err err = {0};
    json_t *c = NULL;
    if (recommend_run(rq->st, &r, h_analysis_thresholds(rq, &defaults), &doc, &err) < 0)
        http_fail(rs, &err);
    else if (!(c = find_candidate(doc, supplier)))
        http_not_found(rs, "no such candidate for the chain in that year");
    else
        tables_create_json(rq, rs, targets, target_row(rq, r.chain, c, json_object_get(body, "segment")));
    json_decref(doc);
    json_decref(body);
}
