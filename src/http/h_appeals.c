/*
 * h_appeals — the appeal (訴求) workflow: open -> accepted -> in_progress -> resolved -> closed,
 * only by the moves of store/workflow.c; an appeal past its due date is escalated to its chain's
 * leader by a periodic sweep (and on demand by an admin, workflow/appeals.c), visibly (status `escalated`)
 * and on record (history and audit). The due date comes from the category's deadline in working days
 * of the official calendar (store/calendar.h), counted from the server's date of the request that
 * raised it. The enterprise that raised an appeal rates the outcome once it is resolved. Who sets
 * which field and who makes which move are the workflow's rules (store/workflow.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "exchange/export.h"
#include "http/h_tables.h"
#include "http/handlers.h"
#include "http/scope.h"
#include "store/audit.h"
#include "store/workflow.h"
#include "workflow/appeals.h"

static const char *str(json_t *row, const char *name)
{
    const char *s = json_string_value(json_object_get(row, name));
    return s ? s : "";
}

static const char *today_text(http_req *rq)
{
    char *buf = arena_alloc(rq->a, DATE_LEN + 1);
    date_format(date_today(), buf);
    return buf;
}

/* ---- generic create / update of appeals ------------------------------------------------------ */

/* A new appeal starts open on the server's date, with its due date from the category's deadline
 * (an admin may give another; workflow_may_set has refused everyone else's). */
static int prepare_new(http_req *rq, http_resp *rs, json_t *body)
{
    const char *opened = today_text(rq);
    json_object_set_new(body, "status", json_string("open"));
    json_object_set_new(body, "opened", json_string(opened));
    json_t *due = json_object_get(body, "due");
    if (due && !json_is_null(due))
        return 0;
    int32_t day;
    int fallback_year;
    lz_err err = {0};
    if (workflow_due_date(rq->st, json_string_value(json_object_get(body, "category")), date_today(), &day, &fallback_year, &err) <
        0) {
        http_fail(rs, &err);
        return -1;
    }
    if (fallback_year)
        http_header_add(
            rs, "Warning",
            arena_printf(rq->a, "199 lianzhang \"no official calendar for %d: due counted Monday to Friday\"", fallback_year));
    char buf[DATE_LEN + 1];
    date_format(day, buf);
    json_object_set_new(body, "due", json_string(buf));
    return 0;
}

int appeals_before_write(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old)
{
    (void)t;
    return old ? 0 : prepare_new(rq, rs, body);
}

/* ---- transitions ----------------------------------------------------------------------------- */

/* Writes the appeal row `after` (status changed) with its history entry and audit, in the open
 * transaction. */
static int record_move(http_req *rq, http_resp *rs, const table *t, json_t *before, json_t *after, const char *note, lz_err *err)
{
    int rc = tables_write_json(rq, rs, t, after, err);
    char *b = rc == 0 ? json_dumps(before, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *a = rc == 0 ? json_dumps(after, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    const char *id = str(after, "id");
    if (rc == 0)
        rc = workflow_appeal_log(rq->st, id, tables_now_utc(rq), rq->who->name, str(before, "status"), str(after, "status"), note,
                                 err);
    if (rc == 0) {
        audit_entry e = {.actor = rq->who->name,
                         .via = arena_printf(rq->a, "%s %s", rq->method, rq->path),
                         .target = arena_printf(rq->a, "appeals/%s", id),
                         .before = b,
                         .after = a};
        rc = audit_append(rq->st, &e, err);
    }
    free(b);
    free(a);
    return rc;
}

/* Loads the appeal of the path for a change by this account: visible (404) and writable (403). */
static json_t *load_appeal(http_req *rq, http_resp *rs, const table *t)
{
    cell row[TABLES_MAX_COLS];
    if (tables_load_visible(rq, rs, t, rq->params, 1, row) < 0)
        return NULL;
    bool ok = false;
    lz_err err = {0};
    if (scope_row_allowed(rq->st, t, scope_write_rule(t, rq->who), rq->who, row, &ok, &err) < 0) {
        http_fail(rs, &err);
        return NULL;
    }
    if (!ok) {
        http_forbidden(rs, arena_printf(rq->a, "a %s account cannot act on this appeal", account_role_name(rq->who->role)));
        return NULL;
    }
    return export_row_json(t, row);
}

/* Checks the move and builds the row after it; NULL with rs filled when refused. */
static json_t *moved(http_req *rq, http_resp *rs, json_t *before, const char *to, const char *outcome)
{
    lz_err err = {0};
    if (workflow_appeal_move(str(before, "status"), to, rq->who->role, &err) < 0) {
        http_fail(rs, &err);
        return NULL;
    }
    if (strcmp(to, "resolved") == 0 && (!outcome || !*outcome)) {
        http_bad_field(rs, "outcome", "required to resolve an appeal");
        return NULL;
    }
    json_t *after = json_deep_copy(before);
    json_object_set_new(after, "status", json_string(to));
    if (strcmp(to, "resolved") == 0) {
        json_object_set_new(after, "resolved", json_string(today_text(rq)));
        json_object_set_new(after, "outcome", json_string(outcome));
    }
    return after;
}

void h_appeal_transition(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"to", "note", "outcome", NULL};
    const table *t = tables_find("appeals");
    json_t *body = http_body_object(rq, rs), *before = NULL, *after = NULL;
    bool bad = false;
    const char *to = NULL, *note = NULL, *outcome = NULL;
    if (body && http_only_fields(body, fields, rs) == 0) {
        to = http_string_field(body, "to", true, rs, &bad);
        note = bad ? NULL : http_string_field(body, "note", false, rs, &bad);
        outcome = bad ? NULL : http_string_field(body, "outcome", false, rs, &bad);
    }
    lz_err err = {0};
    int rc = to && !bad ? store_begin(rq->st, &err) : LZ_ERESPONDED;
    if (rc == 0 && !(before = load_appeal(rq, rs, t)))
        rc = LZ_ERESPONDED;
    if (rc == 0 && !(after = moved(rq, rs, before, to, outcome)))
        rc = LZ_ERESPONDED;
    if (rc == 0)
        rc = record_move(rq, rs, t, before, after, note, &err);
    if (rc == 0)
        rc = store_commit(rq->st, &err);
    if (rc == 0)
        http_json(rs, 200, json_incref(after));
    else if (rc != LZ_ERESPONDED)
        http_fail(rs, &err);
    store_rollback(rq->st);
    json_decref(after);
    json_decref(before);
    json_decref(body);
}

/* ---- rating and history ---------------------------------------------------------------------- */

void h_appeal_rate(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"rating", "comment", NULL};
    const table *t = tables_find("appeals");
    json_t *body = http_body_object(rq, rs), *appeal = NULL;
    if (!body || http_only_fields(body, fields, rs) < 0)
        goto done;
    json_t *r = json_object_get(body, "rating");
    bool bad = false;
    const char *comment = http_string_field(body, "comment", false, rs, &bad);
    if (bad)
        goto done;
    if (!json_is_integer(r) || json_integer_value(r) < 1 || json_integer_value(r) > 5) {
        http_bad_field(rs, "rating", "an integer from 1 (poor) to 5 (very good)");
        goto done;
    }
    if (rq->who->role != ROLE_ENTERPRISE) {
        http_forbidden(rs, "the enterprise that raised the appeal rates its outcome");
        goto done;
    }
    lz_err err = {0};
    if (store_begin(rq->st, &err) < 0 || !(appeal = load_appeal(rq, rs, t)))
        goto fail;
    const char *status = str(appeal, "status");
    if (strcmp(status, "resolved") != 0 && strcmp(status, "closed") != 0) {
        http_problem(rs, 409, NULL, arena_printf(rq->a, "an appeal is rated once resolved; this one is %s", status));
        goto fail;
    }
    const char *id = str(appeal, "id"), *at = tables_now_utc(rq);
    json_t *rating =
        json_pack("{s:I, s:s?, s:s, s:s}", "rating", json_integer_value(r), "comment", comment, "actor", rq->who->name, "at", at);
    char *text = json_dumps(rating, JSON_COMPACT | JSON_PRESERVE_ORDER);
    audit_entry e = {.actor = rq->who->name,
                     .via = arena_printf(rq->a, "%s %s", rq->method, rq->path),
                     .target = arena_printf(rq->a, "appeals/%s/rating", id),
                     .after = text};
    int rc = workflow_appeal_rate(rq->st, id, (int)json_integer_value(r), comment, rq->who->name, at, &err);
    if (rc == 0)
        rc = audit_append(rq->st, &e, &err);
    if (rc == 0)
        rc = store_commit(rq->st, &err);
    free(text);
    if (rc == 0)
        http_json(rs, 201, rating);
    else {
        json_decref(rating);
        http_fail(rs, &err);
    }
    goto done;
fail:
    if (err.code)
        http_fail(rs, &err);
done:
    store_rollback(rq->st);
    json_decref(appeal);
    json_decref(body);
}

static void add_history(void *ctx, const char *const *c, int n)
{
    (void)n;
    json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s?}", "seq", (json_int_t)atoll(c[0]), "at", c[1], "actor",
                                         c[2], "from", c[3], "to", c[4], "note", c[5]));
}

static void set_rating(void *ctx, const char *const *c, int n)
{
    (void)n;
    json_object_set_new(
        ctx, "rating",
        json_pack("{s:I, s:s?, s:s, s:s}", "rating", (json_int_t)atoll(c[0]), "comment", c[1], "actor", c[2], "at", c[3]));
}

void h_appeal_history(http_req *rq, http_resp *rs)
{
    const table *t = tables_find("appeals");
    cell row[TABLES_MAX_COLS];
    if (tables_load_visible(rq, rs, t, rq->params, 1, row) < 0)
        return;
    json_t *out = json_pack("{s:o, s:[], s:n}", "appeal", export_row_json(t, row), "history", "rating");
    lz_err err = {0};
    const char *id = json_string_value(json_object_get(json_object_get(out, "appeal"), "id"));
    if (workflow_appeal_history(rq->st, id, add_history, json_object_get(out, "history"), &err) < 0 ||
        workflow_appeal_rating(rq->st, id, set_rating, out, &err) < 0) {
        json_decref(out);
        http_fail(rs, &err);
        return;
    }
    http_json(rs, 200, out);
}

/* ---- deadlines ------------------------------------------------------------------------------- */

static void add_deadline(void *ctx, const char *const *c, int n)
{
    (void)n;
    json_array_append_new(ctx, json_pack("{s:s, s:I}", "category", c[0], "working_days", (json_int_t)atoll(c[1])));
}

void h_deadlines_list(http_req *rq, http_resp *rs)
{
    json_t *items = json_array();
    lz_err err = {0};
    if (workflow_deadlines(rq->st, add_deadline, items, &err) < 0) {
        json_decref(items);
        http_fail(rs, &err);
        return;
    }
    http_json(rs, 200, json_pack("{s:o, s:i}", "items", items, "default_working_days", WORKFLOW_DEFAULT_DEADLINE_DAYS));
}

void h_deadline_set(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"working_days", NULL};
    if (rq->who->role != ROLE_ADMIN) {
        http_forbidden(rs, "deadlines are set by an admin");
        return;
    }
    json_t *body = http_body_object(rq, rs);
    if (!body || http_only_fields(body, fields, rs) < 0) {
        json_decref(body);
        return;
    }
    json_t *d = json_object_get(body, "working_days");
    json_int_t days = json_is_integer(d) ? json_integer_value(d) : 0;
    json_decref(body);
    const char *category = rq->params[0];
    if (days < 1 || days > 250) {
        http_bad_field(rs, "working_days", "an integer from 1 to 250");
        return;
    }
    lz_err err = {0};
    bool known = false;
    if (workflow_category_known(rq->st, category, &known, &err) < 0) {
        http_fail(rs, &err);
        return;
    }
    if (!known) {
        http_bad_field(rs, "category", "'%s' is not a category of any appeal and has no deadline yet", category);
        return;
    }
    audit_entry e = {.actor = rq->who->name,
                     .via = arena_printf(rq->a, "%s %s", rq->method, rq->path),
                     .target = arena_printf(rq->a, "appeal-deadlines/%s", category),
                     .after = arena_printf(rq->a, "{\"working_days\":%lld}", (long long)days)};
    if (store_begin(rq->st, &err) < 0 || workflow_deadline_set(rq->st, category, (int)days, &err) < 0 ||
        audit_append(rq->st, &e, &err) < 0 || store_commit(rq->st, &err) < 0) {
        store_rollback(rq->st);
        http_fail(rs, &err);
        return;
    }
    http_json(rs, 200, json_pack("{s:s, s:I}", "category", category, "working_days", days));
}

void h_appeals_escalate(http_req *rq, http_resp *rs)
{
    if (rq->who->role != ROLE_ADMIN) {
        http_forbidden(rs, "an admin runs the escalation by hand (the server also runs it periodically)");
        return;
    }
    json_t *ids = json_array();
    lz_err err = {0};
    if (appeals_escalate_overdue(rq->st, date_today(), rq->who->name, tables_now_utc(rq), ids, &err) < 0) {
        json_decref(ids);
        http_fail(rs, &err);
        return;
    }
    http_json(rs, 200, json_pack("{s:o}", "escalated", ids));
}
