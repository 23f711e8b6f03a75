/*
 * router — the route table and path matching (see router.h).
 */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "http/handlers.h"

/* Specific routes before the generic table routes that would also match their path. */
const route router_routes[] = {
    {"GET", "/healthz", h_health, ROUTE_PUBLIC, "Health and version"},
    {"GET", "/api/v1/openapi.json", h_openapi, ROUTE_PUBLIC, "This API's OpenAPI 3.1 document"},
    {"POST", "/api/v1/session", h_session_create, ROUTE_PUBLIC | ROUTE_JSON_BODY,
     "Sign in: sets the session cookie, returns the CSRF token"},
    {"GET", "/api/v1/session", h_session_get, 0, "The signed-in account"},
    {"DELETE", "/api/v1/session", h_session_delete, 0, "Sign out"},
    {"PUT", "/api/v1/session/lang", h_session_lang, ROUTE_JSON_BODY,
     "Remember the UI language of the signed-in account: {lang} (zh-CN, zh-TW or en); answers the session"},
    {"POST", "/api/v1/session/password", h_session_password, ROUTE_JSON_BODY,
     "Change one's own password: {current, new}; every other session ends, this one gets a fresh token"},
    {"GET", "/api/v1/accounts", h_accounts_list, 0,
     "Every account with its role, scope, language and whether it is disabled (admin)"},
    {"POST", "/api/v1/accounts", h_account_create, ROUTE_JSON_BODY,
     "Create an account (admin): {name, role, scope, password}, checked like `lianzhang user add`; a taken name is 409"},
    {"POST", "/api/v1/accounts/{name}/unlock", h_account_unlock, 0, "Lift an account's sign-in throttle (admin)"},
    {"POST", "/api/v1/accounts/{name}/disable", h_account_disable, 0,
     "Disable an account (admin; not one's own): it cannot sign in and its sessions end"},
    {"POST", "/api/v1/accounts/{name}/enable", h_account_enable, 0, "Enable a disabled account again (admin)"},
    {"POST", "/api/v1/accounts/{name}/password", h_account_password, ROUTE_JSON_BODY,
     "A new password for another account (admin): {password}, or {} for a generated one answered once; its sessions end"},
    {"GET", "/api/v1/export/{table}", h_table_export, 0, "Download a table's rows (CSV, JSON or XLSX), filtered like a list"},
    {"POST", "/api/v1/import/{table}", h_table_import, ROUTE_FILE_BODY,
     "Upload CSV or XLSX rows: all or nothing; ?unit=万元 (or 亿元, wan, yi): amounts in that unit"},
    {"GET", "/api/v1/enterprises/{uscc}", h_enterprise_get, ROUTE_CACHED,
     "One enterprise with its indicators and chain memberships"},
    {"GET", "/api/v1/chains/{code}/map", h_chain_map, ROUTE_CACHED,
     "A chain's map: segments, supply edges, enterprises per segment"},
    {"GET", "/api/v1/chains/{code}/diagnosis", h_chain_diagnosis, 0,
     "A chain's diagnosis in a year: local supply rate, segments labelled missing/thin/strong with reasons, breaks (?year, lang)"},
    {"GET", "/api/v1/chains/{code}/masters", h_chain_masters, ROUTE_TWIN,
     "A chain's candidates for master in a year: each criterion normalised and weighted, score, rank, gates, batch "
     "(?year; ?top=N|all lists ranks 1..N, 100 unless asked, besides whoever holds a place)"},
    {"POST", "/api/v1/chains/{code}/masters/decisions", h_master_propose, ROUTE_JSON_BODY,
     "Propose a designation decision: {enterprise, kind: master|reserve|leave-reserve|revoke, batch, date, year, reason}; "
     "a designation must pass the gates of that year's evaluation"},
    {"GET", "/api/v1/chains/{code}/masters/decisions", h_master_decisions, 0,
     "A chain's designation decisions with their status, proposer and decider (?status)"},
    {"POST", "/api/v1/masters/decisions/{id}/transition", h_master_decision_transition, ROUTE_JSON_BODY,
     "Decide a proposal: {to: approved|rejected|withdrawn, reason}; the approver is not the proposer, and approval records "
     "the designation event, the memberships' role and the key-enterprise directory entry in one transaction"},
    {"GET", "/api/v1/chains/{code}/recommendations", h_chain_recommendations, 0,
     "Whom a chain should bring in: outside suppliers of its masters and backbone firms ranked by the segment they fill, "
     "and its targets idle over 90 days (?year, date, lang)"},
    {"POST", "/api/v1/chains/{code}/recommendations/accept", h_recommendation_accept, ROUTE_JSON_BODY,
     "Accept a candidate as an investment target recommended by its chain master: {year, supplier, segment}"},
    {"GET", "/api/v1/analysis/projects", h_analysis_projects, 0,
     "Project lights on a date: green/yellow/red or cannot tell, counts per chain and division, the red list (?date)"},
    {"GET", "/api/v1/analysis/clusters", h_analysis_clusters, ROUTE_TWIN,
     "Each cluster's output against its 2025 target, with the yearly growth still needed (?year)"},
    {"GET", "/api/v1/enterprises/{uscc}/matches", h_enterprise_matches, 0,
     "What an enterprise could get in an award year: eligible, pending, undetermined with the facts to supply, near misses (?year, "
     "lang)"},
    {"GET", "/api/v1/analysis/unclaimed", h_analysis_unclaimed, 0,
     "Eligible results of an award year with no award recorded (免申即享): a bureau's policies, or all for an admin (?year, lang)"},
    {"GET", "/api/v1/analysis/overview", h_analysis_overview, ROUTE_CACHED | ROUTE_TWIN,
     "The cockpit's figures: clusters, chain health, projects by light, targets by stage, appeals, awards (?year, date)"},
    {"POST", "/api/v1/appeals/escalate", h_appeals_escalate, 0,
     "Escalate every overdue appeal now (admin; the server also does it periodically)"},
    {"POST", "/api/v1/appeals/{id}/transition", h_appeal_transition, ROUTE_JSON_BODY, "Move an appeal: {to, note, outcome}"},
    {"POST", "/api/v1/appeals/{id}/rating", h_appeal_rate, ROUTE_JSON_BODY,
     "The enterprise rates a resolved appeal: {rating 1-5, comment}"},
    {"GET", "/api/v1/appeals/{id}/history", h_appeal_history, 0, "An appeal with its dated status history and rating"},
    {"GET", "/api/v1/appeal-deadlines", h_deadlines_list, 0, "Working days allowed per appeal category"},
    {"GET", "/api/v1/calendar", h_calendar_list, 0, "Years of the official working-day calendar loaded"},
    {"PUT", "/api/v1/calendar/{year}", h_calendar_set, ROUTE_FILE_BODY,
     "Replace a year of the official calendar (admin): CSV date,kind,name with kind holiday or workday"},
    {"PUT", "/api/v1/appeal-deadlines/{category}", h_deadline_set, ROUTE_JSON_BODY,
     "Set a category's deadline (admin): {working_days}"},
    {"POST", "/api/v1/targets/{id}/contacts", h_target_contact, ROUTE_JSON_BODY,
     "Record a contact with a target, moving its stage: {date, stage, note}"},
    {"GET", "/api/v1/targets/{id}/contacts", h_target_contacts, 0, "A target with its log of contacts"},
    {"GET", "/api/v1/policies", h_policies, 0,
     "The policy catalogue: parameters with their source (article, assumed, or confirmed with its document)"},
    {"GET", "/api/v1/policies/{id}/tests", h_policy_tests, 0,
     "A policy's own test cases (what `lianzhang policy test` runs): inputs, expected result, and whether each passes now"},
    {"GET", "/api/v1/awards", h_awards_list, 0,
     "Awards in the ledger, paged with a total: ?year, policy, department, uscc, status, limit, cursor"},
    {"GET", "/api/v1/awards/export", h_awards_export, 0,
     "Download the awards the list shows, filtered alike (?year, policy, department, uscc, status) as CSV or XLSX "
     "(?format=csv|xlsx; Chinese headers, ?lang=en: column names)"},
    {"POST", "/api/v1/awards/compute", h_awards_compute, ROUTE_JSON_BODY,
     "Compute a year's awards into the ledger: {year, policy}"},
    {"GET", "/api/v1/awards/{id}", h_award_get, 0, "One award with its explanation (?lang=zh-CN|zh-TW|en)"},
    {"GET", "/api/v1/awards/{id}/history", h_award_history, 0,
     "Every move of an award: status from and to, who, when, the note; seen by whoever sees the award"},
    {"POST", "/api/v1/awards/{id}/transition", h_award_transition, ROUTE_JSON_BODY,
     "Sign off an award: {to: reviewed|approved|paid|rejected, reason}"},
    {"GET", "/api/v1/audit", h_audit_list, 0,
     "The audit log, newest first (admin): ?actor, target, since, until (dates, inclusive), limit, cursor"},
    {"POST", "/api/v1/whatif", h_whatif, ROUTE_JSON_BODY | ROUTE_LARGE_JSON,
     "What-if: facts in, results and explanations out (?year=Y); nothing stored"},
    {"POST", "/api/v1/public/whatif", h_whatif_public, ROUTE_PUBLIC | ROUTE_JSON_BODY,
     "The public calculator: what-if without an account, as /whatif but up to 64 KiB and 30 a minute per client address"},
    {"GET", "/api/v1/{table}", h_table_list, ROUTE_CACHED, "List rows: filters, search, sort, cursor pagination"},
    {"POST", "/api/v1/{table}", h_table_create, ROUTE_JSON_BODY, "Create a row"},
    {"GET", "/api/v1/{table}/{key*}", h_table_get, ROUTE_CACHED, "One row by its key"},
    {"PATCH", "/api/v1/{table}/{key*}", h_table_update, ROUTE_JSON_BODY, "Update fields of a row"},
    {"DELETE", "/api/v1/{table}/{key*}", h_table_delete, 0, "Delete a row (refused while other rows reference it)"},
};
const size_t router_nroutes = sizeof router_routes / sizeof router_routes[0];

/* The browser UI: every path the app routes on the client answers its page (h_web.c), so that a
 * bookmark or a reload lands on the right page. Tried only for a path outside /api/. */
const route router_web_routes[] = {
    {"GET", "/assets/{name}", h_web_asset, ROUTE_PUBLIC, "The UI's hashed files"},
    {"GET", "/", h_web_page, ROUTE_PUBLIC, "Cockpit"},
    {"GET", "/login", h_web_page, ROUTE_PUBLIC, "Sign in"},
    {"GET", "/chains/{code}", h_web_page, ROUTE_PUBLIC, "Chain map"},
    {"GET", "/enterprises", h_web_page, ROUTE_PUBLIC, "Enterprises"},
    {"GET", "/enterprises/{uscc}", h_web_page, ROUTE_PUBLIC, "One enterprise"},
    {"GET", "/projects", h_web_page, ROUTE_PUBLIC, "Projects"},
    {"GET", "/targets", h_web_page, ROUTE_PUBLIC, "Investment targets"},
    {"GET", "/appeals", h_web_page, ROUTE_PUBLIC, "Appeals"},
    {"GET", "/appeals/{id}", h_web_page, ROUTE_PUBLIC, "One appeal"},
    {"GET", "/policies", h_web_page, ROUTE_PUBLIC, "Policies"},
    {"GET", "/policies/{id}", h_web_page, ROUTE_PUBLIC, "One policy"},
    {"GET", "/calculator", h_web_page, ROUTE_PUBLIC, "Calculator"},
    {"GET", "/awards", h_web_page, ROUTE_PUBLIC, "Awards"},
    {"GET", "/masters", h_web_page, ROUTE_PUBLIC, "Chain masters"},
    {"GET", "/admin/import", h_web_page, ROUTE_PUBLIC, "Import"},
    {"GET", "/admin/users", h_web_page, ROUTE_PUBLIC, "Users"},
    {"GET", "/admin/audit", h_web_page, ROUTE_PUBLIC, "Audit log"},
};
const size_t router_web_nroutes = sizeof router_web_routes / sizeof router_web_routes[0];

/* Any other GET outside the API: the app's page with 404, and the app shows its not-found page. */
static const route web_missing = {"GET", "/*", h_web_missing, ROUTE_PUBLIC, "Not found"};

#define MAX_SEGS 16

/* Splits a copy of path on '/' (empty segments dropped). Returns the count, or -1 if too many. */
static int split(char *p, char **segs)
{
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(p, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (n == MAX_SEGS)
            return -1;
        segs[n++] = tok;
    }
    return n;
}

/* The next segment of a pattern: its start in *seg and its length (0 at the end); *p moves past it. */
static size_t next_segment(const char **p, const char **seg)
{
    while (**p == '/')
        (*p)++;
    *seg = *p;
    while (**p && **p != '/')
        (*p)++;
    return (size_t)(*p - *seg);
}

static bool segment_is(const char *seg, size_t n, const char *text)
{
    return strlen(text) == n && memcmp(seg, text, n) == 0;
}

/* Walks the pattern in place: every request tries up to every route, so nothing is copied. */
static bool match(const char *pattern, char *const *segs, int nsegs, const char **params, size_t *nparams)
{
    const char *p = pattern, *ps;
    size_t n = 0, len;
    int i = 0;
    for (; (len = next_segment(&p, &ps)) > 0; i++) {
        if (segment_is(ps, len, "{key*}")) {
            if (i >= nsegs || nsegs - i > HTTP_MAX_PARAMS - (int)n)
                return false;
            for (int j = i; j < nsegs; j++)
                params[n++] = segs[j];
            *nparams = n;
            return true;
        }
        if (i >= nsegs)
            return false;
        if (segment_is(ps, len, "{table}")) {
            if (!tables_find(segs[i]))
                return false;
            params[n++] = segs[i];
        } else if (ps[0] == '{') {
            params[n++] = segs[i];
        } else if (!segment_is(ps, len, segs[i])) {
            return false;
        }
    }
    *nparams = n;
    return i == nsegs;
}

/* The route of table t for method and the split path, as router_match. */
static const route *match_table(const route *t, size_t nroutes, const char *want, char *const *segs, int nsegs, const char **params,
                                size_t *nparams, int *status, char *allow, size_t allowlen)
{
    size_t used = 0;
    for (size_t i = 0; i < nroutes; i++) {
        const route *r = &t[i];
        if (!match(r->pattern, segs, nsegs, params, nparams))
            continue;
        if (strcmp(r->method, want) == 0)
            return r;
        *status = 405;
        if (!strstr(allow, r->method))
            used += (size_t)snprintf(allow + used, used < allowlen ? allowlen - used : 0, "%s%s%s", used ? ", " : "", r->method,
                                     strcmp(r->method, "GET") == 0 ? ", HEAD" : "");
    }
    return NULL;
}

const route *router_match(const char *method, const char *path, arena *a, const char **params, size_t *nparams, int *status,
                          char *allow, size_t allowlen)
{
    char *segs[MAX_SEGS];
    int nsegs = split(arena_strndup(a, path, strlen(path)), segs);
    *status = 404;
    allow[0] = '\0';
    if (nsegs < 0)
        return NULL;
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    bool api = nsegs > 0 && (strcmp(segs[0], "api") == 0 || strcmp(segs[0], "healthz") == 0);
    const route *r = match_table(router_routes, router_nroutes, want, segs, nsegs, params, nparams, status, allow, allowlen);
    if (r || api || *status != 404)
        return r;
    r = match_table(router_web_routes, router_web_nroutes, want, segs, nsegs, params, nparams, status, allow, allowlen);
    if (!r && *status == 404 && strcmp(want, "GET") == 0) {
        *nparams = 0;
        return &web_missing;
    }
    return r;
}

size_t router_body_limit(const route *r)
{
    if (r->flags & ROUTE_FILE_BODY)
        return ROUTE_FILE_LIMIT;
    if (r->flags & ROUTE_JSON_BODY)
        return (r->flags & ROUTE_LARGE_JSON) ? ROUTE_LARGE_JSON_LIMIT : ROUTE_JSON_LIMIT;
    return 0;
}
