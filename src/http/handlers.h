/*
 * handlers — every route's handler, grouped by the file that implements it. The route table
 * (router.c) is the only caller.
 */
#ifndef LZ_HANDLERS_H
#define LZ_HANDLERS_H

#include "http/http.h"

/* h_meta.c: health, version, the OpenAPI document */
void h_health(http_req *rq, http_resp *rs);
void h_openapi(http_req *rq, http_resp *rs);

/* h_session.c: sign in, sign out, who am I */
void h_session_create(http_req *rq, http_resp *rs);
void h_session_delete(http_req *rq, http_resp *rs);
void h_session_get(http_req *rq, http_resp *rs);

/* h_tables.c: every data table through its descriptor */
void h_table_list(http_req *rq, http_resp *rs);
void h_table_get(http_req *rq, http_resp *rs);
void h_table_create(http_req *rq, http_resp *rs);
void h_table_update(http_req *rq, http_resp *rs);
void h_table_delete(http_req *rq, http_resp *rs);
void h_table_export(http_req *rq, http_resp *rs);
void h_table_import(http_req *rq, http_resp *rs);

/* h_chains.c: one enterprise with its indicators and chains; a chain's map */
void h_enterprise_get(http_req *rq, http_resp *rs);
void h_chain_map(http_req *rq, http_resp *rs);

/* h_analysis.c: a chain's diagnosis, the project lights, the clusters against their targets */
void h_chain_diagnosis(http_req *rq, http_resp *rs);
void h_analysis_projects(http_req *rq, http_resp *rs);
void h_analysis_clusters(http_req *rq, http_resp *rs);
/* h_masters.c: who should lead a chain, by the ten criteria */
void h_chain_masters(http_req *rq, http_resp *rs);
/* ... and the designation decision: propose, list a chain's decisions, approve/reject/withdraw */
void h_master_propose(http_req *rq, http_resp *rs);
void h_master_decisions(http_req *rq, http_resp *rs);
void h_master_decision_transition(http_req *rq, http_resp *rs);
/* ... and what the analyses' handlers share: the required ?year= 1990..2100 (false after filling
 * rs with a 400 naming it); the server's thresholds, else defaults filled with the built-in ones;
 * the document as 200 (taking doc), or err as its status. */
struct thresholds;
bool h_analysis_year(http_req *rq, http_resp *rs, int *year);
const struct thresholds *h_analysis_thresholds(const http_req *rq, struct thresholds *defaults);
void h_analysis_respond(http_resp *rs, int rc, json_t *doc, const lz_err *err);

/* h_recommend.c: whom a chain should bring in */
void h_chain_recommendations(http_req *rq, http_resp *rs);
void h_recommendation_accept(http_req *rq, http_resp *rs);

/* h_appeals.c: the appeal workflow */
void h_appeal_transition(http_req *rq, http_resp *rs);
void h_appeal_rate(http_req *rq, http_resp *rs);
void h_appeal_history(http_req *rq, http_resp *rs);
void h_appeals_escalate(http_req *rq, http_resp *rs);
void h_deadlines_list(http_req *rq, http_resp *rs);
void h_deadline_set(http_req *rq, http_resp *rs);

/* h_calendar.c: the official working-day calendar */
void h_calendar_list(http_req *rq, http_resp *rs);
void h_calendar_set(http_req *rq, http_resp *rs);

/* h_targets.c: contacts with investment targets */
void h_target_contact(http_req *rq, http_resp *rs);
void h_target_contacts(http_req *rq, http_resp *rs);

/* h_awards.c: policies, awards, what-if */
void h_policies(http_req *rq, http_resp *rs);
void h_policy_tests(http_req *rq, http_resp *rs);
void h_awards_list(http_req *rq, http_resp *rs);
void h_awards_export(http_req *rq, http_resp *rs);
void h_award_get(http_req *rq, http_resp *rs);
void h_award_history(http_req *rq, http_resp *rs);
void h_audit_list(http_req *rq, http_resp *rs);
void h_session_password(http_req *rq, http_resp *rs);
void h_session_lang(http_req *rq, http_resp *rs);
void h_accounts_list(http_req *rq, http_resp *rs);
void h_account_create(http_req *rq, http_resp *rs);
void h_account_disable(http_req *rq, http_resp *rs);
void h_account_enable(http_req *rq, http_resp *rs);
void h_account_password(http_req *rq, http_resp *rs);
void h_account_unlock(http_req *rq, http_resp *rs);
void h_awards_compute(http_req *rq, http_resp *rs);
void h_award_transition(http_req *rq, http_resp *rs);
void h_whatif(http_req *rq, http_resp *rs);
void h_whatif_public(http_req *rq, http_resp *rs);

/* h_match.c: what an enterprise could get; eligible awards not yet recorded; the overview */
void h_enterprise_matches(http_req *rq, http_resp *rs);
void h_analysis_unclaimed(http_req *rq, http_resp *rs);
void h_analysis_overview(http_req *rq, http_resp *rs);

/* h_web.c: the browser UI, its page for every app path and its built-in files (assets.h) */
void h_web_page(http_req *rq, http_resp *rs);
void h_web_missing(http_req *rq, http_resp *rs); /* the page with 404: the app shows its not-found page */
void h_web_asset(http_req *rq, http_resp *rs);
/* Whether an Accept-Encoding header value (NULL: none) accepts gzip, by RFC 9110's rules. */
bool web_accepts_gzip(const char *accept);

#endif
