/*
 * h_masters — who should lead a chain, over HTTP: GET /api/v1/chains/{code}/masters?year=Y
 * answers the JSON document `lianzhang masters evaluate --chain CODE --format json` prints
 * (analysis/masters.c), by the server's criteria file or the defaults.
 *
 * Scope as the other analyses (h_analysis.c): every official role reads it; a chain account only
 * its own chain (another is 403: chains are public); an enterprise account never (403).
 *
 * The designation decision (workflow/designations.h): POST .../masters/decisions proposes, GET
 * lists a chain's decisions (read like the evaluation), POST /api/v1/masters/decisions/{id}/
 * transition approves, rejects or withdraws; who may write is the workflow's rule.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/masters.h"
#include "core/date.h"
#include "workflow/designations.h"
#include "http/handlers.h"

/* Whether who reads chain's masters: false after filling rs with the 403. */
static bool may_read(http_req *rq, http_resp *rs, const char *chain)
{
    if (rq->who->role == ROLE_ENTERPRISE) {
        http_forbidden(rs, "the analyses are read by officials");
        return false;
    }
    if (rq->who->role == ROLE_CHAIN && strcmp(rq->who->scope, chain) != 0) {
        http_forbidden(rs, "a chain account reads its own chain's masters");
        return false;
    }
    return true;
}

static const masters_criteria *criteria_of(const http_req *rq, masters_criteria *defaults)
{
    masters_criteria_defaults(defaults);
    return rq->masters_criteria ? rq->masters_criteria : defaults;
}

void h_chain_masters(http_req *rq, http_resp *rs)
{
    const char *chain = rq->params[0], *v = http_query(rq, "year");
    if (!may_read(rq, rs, chain))
        return;
    char *end = NULL;
    long year = v ? strtol(v, &end, 10) : 0;
    if (!v || *end || year < 1990 || year > 2100) {
        http_bad_field(rs, "year", "a year 1990..2100 is required");
        return;
    }
    const char *top_text = http_query(rq, "top");
    masters_listing listing = {.top = MASTERS_TOP_DEFAULT};
    if (top_text && !masters_top_parse(top_text, &listing.top)) {
        http_bad_field(rs, "top", "a number of candidates 0..1000000 or 'all'");
        return;
    }
    masters_criteria defaults;
    json_t *doc = NULL;
    lz_err err = {0};
    int rc = masters_run(rq->st, (int)year, chain, criteria_of(rq, &defaults), &listing, &doc, &err);
    if (rc < 0)
        http_fail(rs, &err);
    else
        http_json(rs, 200, doc);
}

/* ---- the designation decision ------------------------------------------------------------- */

static void respond_decision(http_req *rq, http_resp *rs, int status, int64_t id)
{
    designation d;
    bool found = false;
    lz_err err = {0};
    if (designations_sql_get(rq->st, id, rq->a, &d, &found, &err) < 0)
        http_fail(rs, &err);
    else
        http_json(rs, status, designations_json(&d));
}

/* The proposal's fields from body into p (strings borrowed from body); false after a 400. */
static bool proposal_fields(http_resp *rs, json_t *body, designations_proposal *p, char date[DATE_LEN + 1])
{
    static const char *const fields[] = {"enterprise", "kind", "batch", "date", "year", "reason", NULL};
    bool bad = http_only_fields(body, fields, rs) < 0;
    p->uscc = bad ? NULL : http_string_field(body, "enterprise", true, rs, &bad);
    p->kind = bad ? NULL : http_string_field(body, "kind", true, rs, &bad);
    p->batch = bad ? NULL : http_string_field(body, "batch", true, rs, &bad);
    p->date = bad ? NULL : http_string_field(body, "date", false, rs, &bad);
    p->reason = bad ? NULL : http_string_field(body, "reason", false, rs, &bad);
    json_t *year = json_object_get(body, "year");
    if (!bad && (!json_is_integer(year) || json_integer_value(year) < 1990 || json_integer_value(year) > 2100)) {
        http_bad_field(rs, "year", "the year of the evaluation the proposal is based on, 1990..2100");
        bad = true;
    }
    p->year = bad ? 0 : (int)json_integer_value(year);
    if (!bad && !p->date) {
        date_format(date_today(), date);
        p->date = date;
    }
    return !bad;
}

void h_master_propose(http_req *rq, http_resp *rs)
{
    designations_proposal p = {.chain = rq->params[0]};
    char date[DATE_LEN + 1];
    json_t *body = http_body_object(rq, rs);
    if (body && proposal_fields(rs, body, &p, date)) {
        masters_criteria defaults;
        lz_err err = {0};
        int64_t id = 0;
        const char *via = arena_printf(rq->a, "%s %s", rq->method, rq->path);
        if (designations_propose(rq->st, rq->who, &p, criteria_of(rq, &defaults), via, &id, &err) < 0)
            http_fail(rs, &err);
        else
            respond_decision(rq, rs, 201, id);
    }
    json_decref(body);
}

void h_master_decisions(http_req *rq, http_resp *rs)
{
    const char *chain = rq->params[0], *status = http_query(rq, "status");
    if (!may_read(rq, rs, chain))
        return;
    json_t *list = NULL;
    lz_err err = {0};
    if (designations_list_json(rq->st, chain, status, &list, &err) < 0)
        http_fail(rs, &err);
    else
        http_json(rs, 200, json_pack("{s:s, s:o}", "chain", chain, "items", list));
}

void h_master_decision_transition(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"to", "reason", NULL};
    char *end = NULL;
    long long id = strtoll(rq->params[0], &end, 10);
    if (*end || id <= 0) {
        http_not_found(rs, "no such decision");
        return;
    }
    json_t *body = http_body_object(rq, rs);
    bool bad = !body || http_only_fields(body, fields, rs) < 0;
    const char *to = bad ? NULL : http_string_field(body, "to", true, rs, &bad);
    const char *reason = bad ? NULL : http_string_field(body, "reason", false, rs, &bad);
    lz_err err = {0};
    const char *via = arena_printf(rq->a, "%s %s", rq->method, rq->path);
    if (!bad && designations_decide(rq->st, rq->who, id, to, reason, via, &err) < 0)
        http_fail(rs, &err);
    else if (!bad)
        respond_decision(rq, rs, 200, id);
    json_decref(body);
}
