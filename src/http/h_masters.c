/*
 * h_masters — who should lead a chain, over HTTP: GET /api/v1/chains/{code}/masters?year=Y
 * answers the JSON document `lianzhang masters evaluate --chain CODE --format json` prints
 * (analysis/masters.c), by the server's criteria file or the defaults.
 *
 * Scope as the other analyses (h_analysis.c): every official role reads it; a chain account only
 * its own chain (another is 403: chains are public); an enterprise account never (403).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/masters.h"
#include "http/handlers.h"

void h_chain_masters(http_req *rq, http_resp *rs)
{
    const char *chain = rq->params[0], *v = http_query(rq, "year");
    if (rq->who->role == ROLE_ENTERPRISE) {
        http_forbidden(rs, "the analyses are read by officials");
        return;
    }
    if (rq->who->role == ROLE_CHAIN && strcmp(rq->who->scope, chain) != 0) {
        http_forbidden(rs, "a chain account reads its own chain's masters");
        return;
    }
    char *end = NULL;
    long year = v ? strtol(v, &end, 10) : 0;
    if (!v || *end || year < 1990 || year > 2100) {
        http_bad_field(rs, "year", "a year 1990..2100 is required");
        return;
    }
    masters_criteria defaults;
    masters_criteria_defaults(&defaults);
    json_t *doc = NULL;
    lz_err err = {0};
    int rc = masters_run(rq->st, (int)year, chain, rq->masters_criteria ? rq->masters_criteria : &defaults, &doc, &err);
    if (rc < 0)
        http_fail(rs, &err);
    else
        http_json(rs, 200, doc);
}
