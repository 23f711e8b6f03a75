/*
 * h_tables — what the generic table handlers share with the resource handlers built on them
 * (one enterprise, the chain map, workflows): scoped reads and audited writes of one row.
 */
#ifndef LZ_H_TABLES_H
#define LZ_H_TABLES_H

#include "exchange/import.h"
#include "http/http.h"
#include "model/tables.h"

/* Reads the row that path segments address (the key columns, in order) into row (text in the
 * request arena), if the caller may read it. Otherwise fills rs (400 bad key, 404 missing or out
 * of scope) and returns -1. */
int tables_load_visible(http_req *rq, http_resp *rs, const table *t, const char *const *segs, size_t nsegs, cell *row);
/* The rows of t matching conds and the caller's read scope, as a JSON array (NULL with rs filled
 * on failure). conds has room for one more condition. */
json_t *tables_scan_visible(http_req *rq, http_resp *rs, const table *t, store_cond *conds, size_t nconds);
/* The same, written as a JSON array into out (the hot read path). */
int tables_scan_visible_text(http_req *rq, http_resp *rs, const table *t, store_cond *conds, size_t nconds, strbuf *out);
/* Responds with one row as JSON. */
void tables_respond_row(http_resp *rs, int status, const table *t, const cell *row);
/* The row as the API shows it, serialised for the audit log (request arena). */
char *tables_row_text(http_req *rq, const table *t, const cell *row);
/* Writes one row given as a JSON object through the importer (all field checks, references,
 * cross-field rules) inside the caller's transaction. On bad input fills rs (400 with field
 * errors) and returns LZ_ERESPONDED; LZ_EINTERNAL with err set when the store failed. */
int tables_write_json(http_req *rq, http_resp *rs, const table *t, json_t *obj, lz_err *err);

/* Whether the account may write some rows of t (its scope's write rule is not "none"); fills rs
 * with a 403 and returns false when not. */
bool tables_may_write_some(http_req *rq, http_resp *rs, const table *t);
/* The generic create route's write of one new row given as a JSON object (body, taken), once
 * the caller has checked that the account may write t at all: the scope of its fields, the
 * table's hook, 409 when the key exists, the importer's checks, the audit entry, then 201 with
 * the row. Every outcome is in rs. */
void tables_create_json(http_req *rq, http_resp *rs, const table *t, json_t *body);

/* Per-table rules of the generic create (old == NULL), update and delete (body == NULL) routes,
 * beyond field checks, the scope and the workflow's rule of who sets which field
 * (store/workflow.h), which run first. On a create a hook may fill in what the server sets; on an
 * update or delete it only checks. On refusal it fills rs and returns -1. */
typedef int (*table_hook)(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old);
int appeals_before_write(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old);     /* h_appeals.c */
int targets_before_write(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old);     /* h_targets.c */
int memberships_before_write(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old); /* h_chains.c */
int events_before_write(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old);      /* h_awards.c */

/* "2024-05-18T09:30:00Z" (request arena): when a workflow step happened. */
const char *tables_now_utc(http_req *rq);

/* A download's format by its name (csv, xlsx, json), or -1; and its media type. Shared by every
 * export route. */
int tables_format_from(const char *name);
const char *tables_media_type(sheet_format f);

/* The condition "uscc is a confirmed member of chain *code" on enterprises (the same membership
 * scope counts). code is borrowed. */
store_cond tables_chain_members(const cell *code);

#endif
