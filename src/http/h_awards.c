/*
 * h_awards — the support policies and their awards over the API: the policy catalogue with its
 * parameters and their source, a policy's own test cases run now, the ledger's awards of a year
 * (a page, or the whole filtered list as a CSV or XLSX file, scoped alike), one award with its
 * explanation, recording a year's computation, the what-if calculator (facts in, results and
 * explanations out, nothing stored), and the sign-off of awards.
 *
 * Sign-off: computed -> reviewed -> approved -> paid (or rejected with a reason). The reviewer is
 * not the account that ran the computation, and the approver is neither of the two: four eyes at
 * least (store/workflow.c). An enterprise sees its awards only once approved (approved or paid);
 * an award to a person only those who read persons see.
 * A bureau account reviews, approves and computes only its own department's policies.
 *
 * Approved amounts: an event's `amount` is what a discretionary policy pays (a committee's
 * decision). Only an admin, or the bureau of the department that owns every policy paying from the
 * event, enters, changes or removes an event that carries one; the generic write audits the row
 * before and after.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/money.h"
#include "exchange/export.h"
#include "http/h_tables.h"
#include "http/ratelimit.h"
#include "http/request.h"
#include "http/handlers.h"
#include "http/rows.h"
#include "http/scope.h"
#include "model/tables.h"
#include "policy/policy.h"
#include "policy/tests.h"
#include "store/workflow.h"

static bool have_policies(http_req *rq, http_resp *rs)
{
    if (rq->policies)
        return true;
    http_problem(rs, 503, NULL, "no policies loaded: start the server with --policies DIR");
    return false;
}

static const char *department_of(http_req *rq, const char *policy_id)
{
    const policy *p = rq->policies ? policy_set_find(rq->policies, policy_id) : NULL;
    if (!p)
        return NULL;
    policy_info info;
    policy_describe(p, &info);
    return info.department;
}

static bool bureau_owns(http_req *rq, const char *policy_id)
{
    const char *dept = department_of(rq, policy_id);
    return dept && strcmp(dept, rq->who->scope) == 0;
}

/* Whether the account may see the enterprise's awards (its read scope over enterprises). */
static int enterprise_visible(http_req *rq, const char *uscc, json_t *cache, bool *ok, lz_err *err)
{
    json_t *c = json_object_get(cache, uscc);
    if (c) {
        *ok = json_is_true(c);
        return 0;
    }
    const table *t = tables_find("enterprises");
    cell key = cell_text(uscc, strlen(uscc)), row[TABLES_MAX_COLS];
    bool found = false;
    *ok = false;
    if (store_get(rq->st, t, &key, rq->a, row, &found, err) < 0 ||
        (found && scope_row_allowed(rq->st, t, scope_read_rule(t, rq->who), rq->who, row, ok, err) < 0))
        return LZ_EINTERNAL;
    json_object_set_new(cache, uscc, json_boolean(*ok));
    return 0;
}

static int award_visible(http_req *rq, const ledger_award *a, json_t *cache, bool *ok, lz_err *err)
{
    switch (rq->who->role) {
    case ROLE_ADMIN:
        *ok = true;
        return 0;
    case ROLE_BUREAU:
        *ok = bureau_owns(rq, a->policy);
        return 0;
    default:
        /* an enterprise's own awards, and only once approved; a person's award (its explanation
         * quotes wage income and income tax) only to those who read persons */
        *ok = false;
        if (rq->who->role == ROLE_ENTERPRISE && strcmp(a->status, "approved") != 0 && strcmp(a->status, "paid") != 0)
            return 0;
        if (strcmp(a->subject, "person") == 0 && scope_read_rule(tables_find("persons"), rq->who)->kind == SCOPE_NONE)
            return 0;
        return enterprise_visible(rq, a->uscc, cache, ok, err);
    }
}

static json_t *award_json(const ledger_award *a)
{
    char amount[MONEY_FMT_MAX];
    money_format(a->amount_fen, amount);
    return json_pack("{s:I, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s?, s:s, s:s}", "id", (json_int_t)a->id, "year",
                     a->year, "policy", a->policy, "subject", a->subject, "subject_id", a->subject_id, "uscc", a->uscc, "result",
                     a->result, "amount", amount, "grant", a->grant, "status", a->status, "reason", a->reason, "updated_at",
                     a->updated_at, "updated_by", a->updated_by);
}

/* ---- approved amounts on events ------------------------------------------------------------- */

/* The event as a what-if document of its award year (the year after its date): the event's own
 * facts, without empty ones. NULL when the event has no date to place it. */
static json_t *event_whatif(json_t *event, int *year)
{
    static const char *const facts[] = {"kind", "date", "amount", "detail", "flags", NULL};
    const char *date = json_string_value(json_object_get(event, "date"));
    const char *uscc = json_string_value(json_object_get(event, "uscc"));
    const char *id = json_string_value(json_object_get(event, "id"));
    if (!date || !uscc || !id)
        return NULL;
    *year = atoi(date) + 1;
    json_t *e = json_pack("{s:s}", "id", id);
    for (size_t i = 0; facts[i]; i++) {
        json_t *v = json_object_get(event, facts[i]);
        if (v && !json_is_null(v))
            json_object_set(e, facts[i], v);
    }
    return json_pack("{s:{s:s}, s:[o]}", "enterprise", "uscc", uscc, "events", e);
}

/* Whether the account's department owns every policy that would pay from this event (a result
 * other than not eligible), and at least one does. An event the engine cannot place (no policies
 * loaded, facts it refuses) is owned by nobody but an admin. */
static bool event_owned(http_req *rq, json_t *event)
{
    int year = 0;
    json_t *doc = event_whatif(event, &year);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    policy_run *run = NULL;
    policy_filter f = {0};
    lz_err err = {0};
    bool paid = false, other = false;
    if (text && rq->policies && policy_run_whatif(rq->policies, text, strlen(text), year, &f, &run, &err) == 0) {
        const char *id = json_string_value(json_object_get(event, "id"));
        for (size_t i = 0; i < policy_run_count(run); i++) {
            const policy_result *r = policy_run_at(run, i);
            policy_info in;
            policy_describe(r->policy, &in);
            if (r->status == POLICY_NOT_ELIGIBLE || strcmp(r->subject, "event") != 0 || strcmp(r->subject_id, id) != 0)
                continue;
            paid = true;
            other |= !in.department || strcmp(in.department, rq->who->scope) != 0;
        }
    }
    policy_run_free(run);
    free(text);
    json_decref(doc);
    return paid && !other;
}

static bool has_amount(json_t *event)
{
    json_t *v = json_object_get(event, "amount");
    return v && !json_is_null(v);
}

int events_before_write(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old)
{
    if (rq->who->role == ROLE_ADMIN)
        return 0;
    json_t *before = old ? export_row_json(t, old) : NULL, *after = NULL;
    if (body) {
        after = before ? json_deep_copy(before) : json_object();
        json_object_update(after, body);
    }
    bool owned = !has_amount(before) && !has_amount(after);
    if (!owned)
        owned = (!before || event_owned(rq, before)) && (!after || event_owned(rq, after));
    json_decref(before);
    json_decref(after);
    if (!owned)
        http_forbidden(rs, arena_printf(rq->a,
                                        "events: an approved amount is entered, changed or removed only by the department whose "
                                        "policy pays it (or an admin), not by %s",
                                        rq->who->scope));
    return owned ? 0 : -1;
}

/* ---- catalogue ------------------------------------------------------------------------------- */

/* The language asked for with ?lang= (zh-CN when absent or unknown). */
static policy_lang query_lang(http_req *rq)
{
    const char *lang = http_query(rq, "lang");
    int l = lang ? policy_lang_parse(lang) : POLICY_ZH_CN;
    return l < 0 ? POLICY_ZH_CN : (policy_lang)l;
}

static json_t *policy_json(const policy *p)
{
    policy_info in;
    policy_describe(p, &in);
    json_t *params = json_array();
    for (size_t i = 0; i < in.nparams; i++) {
        const policy_param_info *pi = &in.params[i];
        json_array_append_new(params, json_pack("{s:s, s:{s:s?, s:s?, s:s?}, s:s, s:s, s:s?, s:s?, s:b, s:i, s:i}", "name",
                                                pi->name, "label", "zh-CN", pi->labels[POLICY_ZH_CN], "zh-TW",
                                                pi->labels[POLICY_ZH_TW], "en", pi->labels[POLICY_EN], "value", pi->value, "source",
                                                pi->source, "document", pi->document, "document_date", pi->document_date, "maximum",
                                                pi->maximum, "from_year", pi->from_year, "to_year", pi->to_year));
    }
    json_t *grant = in.entitlement ? json_pack("{s:s?, s:s?, s:s?}", "zh-CN", in.grants[POLICY_ZH_CN], "zh-TW",
                                               in.grants[POLICY_ZH_TW], "en", in.grants[POLICY_EN])
                                   : json_null();
    return json_pack(
        "{s:s, s:{s:s?, s:s?, s:s?}, s:s?, s:s?, s:i, s:i, s:{s:s, s:s?, s:s?}, s:s?, s:s?, s:{s:s?, s:s?}, s:s?, s:s, "
        "s:b, s:b, s:o, s:o}",
        "id", in.id, "name", "zh-CN", in.name[POLICY_ZH_CN], "zh-TW", in.name[POLICY_ZH_TW], "en", in.name[POLICY_EN], "department",
        in.department, "subject", in.subject, "valid_from", in.valid_from, "valid_to", in.valid_to, "valid_source", "source",
        in.valid_source, "document", in.valid_document, "document_date", in.valid_document_date, "clause", in.clause, "reading",
        in.reading, "reading_zh", "zh-CN", in.readings[POLICY_ZH_CN], "zh-TW", in.readings[POLICY_ZH_TW], "file", in.file,
        "version", in.hash, "described_only", in.described_only, "entitlement", in.entitlement, "grant", grant, "parameters",
        params);
}

void h_policies(http_req *rq, http_resp *rs)
{
    if (!have_policies(rq, rs))
        return;
    json_t *items = json_array();
    for (size_t i = 0; i < policy_set_count(rq->policies); i++)
        json_array_append_new(items, policy_json(policy_set_at(rq->policies, i)));
    http_json(rs, 200, json_pack("{s:o}", "items", items));
}

/* A policy's own test cases (the rule file's `test` blocks), each run now: what `lianzhang policy
 * test` checks, for the policy's page. The cases are invented facts, no one's data: every account
 * reads them. */
void h_policy_tests(http_req *rq, http_resp *rs)
{
    if (!have_policies(rq, rs))
        return;
    const policy *p = policy_set_find(rq->policies, rq->params[0]);
    if (!p) {
        http_not_found(rs, "policies");
        return;
    }
    json_t *items = policy_tests_json(rq->policies, p);
    size_t failed = 0, i;
    json_t *c;
    json_array_foreach(items, i, c) failed += !json_is_true(json_object_get(c, "passed"));
    http_json(rs, 200,
              json_pack("{s:s, s:I, s:I, s:o}", "policy", rq->params[0], "passed", (json_int_t)(json_array_size(items) - failed),
                        "failed", (json_int_t)failed, "items", items));
}

/* ---- the ledger ------------------------------------------------------------------------------ */

/* The awards an account sees, filtered: all are counted (total); a page lists those after the
 * cursor's (year, policy, subject_id, id) up to limit, in ledger_list's order; an export writes
 * every one into its grid. */
typedef struct award_list {
    http_req *rq;
    json_t *items, *cache, *after, *last;
    const char *status, *department;
    size_t limit;
    int64_t total;
    bool more;
    export_grid *grid; /* an export: rows go here, not into items */
    bool english;
    arena names; /* an export's enterprise names, reset per row */
    int rc;
    lz_err err;
} award_list;

static json_t *award_position(const ledger_award *a)
{
    return json_pack("[i,s,s,I]", a->year, a->policy, a->subject_id, (json_int_t)a->id);
}

/* Whether a comes after the position p (an array award_position built). */
static bool award_after(const ledger_award *a, const json_t *p)
{
    int by = a->year - (int)json_integer_value(json_array_get(p, 0));
    if (by == 0)
        by = strcmp(a->policy, json_string_value(json_array_get(p, 1)));
    if (by == 0)
        by = strcmp(a->subject_id, json_string_value(json_array_get(p, 2)));
    if (by == 0)
        return a->id > json_integer_value(json_array_get(p, 3));
    return by > 0;
}

/* Whether the award passes the filters the ledger does not apply (status, department) and the
 * account may see it. */
static bool award_selected(award_list *l, const ledger_award *a)
{
    bool ok = false;
    if (l->rc < 0 || (l->status && strcmp(l->status, a->status) != 0))
        return false;
    if (l->department) {
        const char *dept = department_of(l->rq, a->policy);
        if (!dept || strcmp(dept, l->department) != 0)
            return false;
    }
    l->rc = award_visible(l->rq, a, l->cache, &ok, &l->err);
    return ok;
}

static void list_award(void *ctx, const ledger_award *a)
{
    award_list *l = ctx;
    if (!award_selected(l, a))
        return;
    l->total++;
    if (l->after && !award_after(a, l->after))
        return;
    if (json_array_size(l->items) == l->limit) {
        l->more = true;
        return;
    }
    json_array_append_new(l->items, award_json(a));
    if (json_array_size(l->items) == l->limit) {
        json_decref(l->last);
        l->last = award_position(a);
    }
}

/* The cursor's position, or NULL (rs filled) when it is not one this list gave. */
static json_t *award_cursor(http_req *rq, http_resp *rs, const char *text)
{
    json_t *p = rows_cursor_decode(text, rq->a);
    if (p && json_array_size(p) == 4 && json_is_integer(json_array_get(p, 0)) && json_is_string(json_array_get(p, 1)) &&
        json_is_string(json_array_get(p, 2)) && json_is_integer(json_array_get(p, 3)))
        return p;
    json_decref(p);
    http_bad_field(rs, "cursor", "not a cursor this list gave");
    return NULL;
}

/* A positive year from a query or body value, or 0 with a field error in rs. */
static int parse_year(http_resp *rs, const char *s)
{
    char *end;
    long y = s ? strtol(s, &end, 10) : 0;
    if (!s || *end || y < TABLES_YEAR_MIN || y > TABLES_YEAR_MAX) {
        http_bad_field(rs, "year", "an award year from " TABLES_YEARS(" to "));
        return 0;
    }
    return (int)y;
}

/* Refuses a query parameter not in known (named in the problem with the list). */
static bool only_parameters(http_req *rq, http_resp *rs, const char *const *known, const char *list)
{
    for (size_t i = 0; i < rq->nquery; i++) {
        bool ok = false;
        for (size_t k = 0; known[k] && !ok; k++)
            ok = strcmp(rq->query[i].key, known[k]) == 0;
        if (!ok) {
            http_bad_field(rs, rq->query[i].key, "unknown parameter (%s)", list);
            return false;
        }
    }
    return true;
}

/* The filters the list and the export share: ?year (0 when absent), ?status, ?department. */
static bool award_filters(http_req *rq, http_resp *rs, award_list *l, int *year)
{
    const char *y = http_query(rq, "year");
    *year = y ? parse_year(rs, y) : 0;
    *l = (award_list){
        .rq = rq, .status = http_query(rq, "status"), .department = http_query(rq, "department"), .limit = ROWS_LIMIT_DEFAULT};
    return !y || *year;
}

void h_awards_list(http_req *rq, http_resp *rs)
{
    static const char *const known[] = {"year", "policy", "department", "uscc", "status", "limit", "cursor", NULL};
    award_list l;
    int year;
    if (!only_parameters(rq, rs, known, "year, policy, department, uscc, status, limit, cursor") ||
        !award_filters(rq, rs, &l, &year))
        return;
    const char *lim = http_query(rq, "limit"), *cur = http_query(rq, "cursor");
    if (lim && rows_parse_limit(lim, &l.limit) < 0) {
        http_bad_field(rs, "limit", "an integer from 1 to %d", ROWS_LIMIT_MAX);
        return;
    }
    if (cur && !(l.after = award_cursor(rq, rs, cur)))
        return;
    l.items = json_array();
    l.cache = json_object();
    lz_err err = {0};
    int rc = ledger_list(rq->st, year, http_query(rq, "policy"), http_query(rq, "uscc"), list_award, &l, &err);
    json_decref(l.cache);
    json_decref(l.after);
    if (rc < 0 || l.rc < 0) {
        json_decref(l.items);
        json_decref(l.last);
        http_fail(rs, rc < 0 ? &err : &l.err);
        return;
    }
    json_t *next = l.more ? json_string(rows_cursor_encode(l.last, rq->a)) : json_null();
    if (!l.more)
        json_decref(l.last);
    http_json(rs, 200, json_pack("{s:o,s:o,s:I}", "items", l.items, "next", next, "total", (json_int_t)l.total));
}

/* ---- the ledger as a file -------------------------------------------------------------------- */

/* The columns of an awards export: the list's members, with the names a reader needs beside the
 * codes (the policy's and the enterprise's, the policy's department). */
enum { EXPORT_COLS = 16, EXPORT_SUBJECT = 5, EXPORT_RESULT = 9 };
static const export_field export_fields[EXPORT_COLS] = {
    {"id", "编号", EXPORT_INT},
    {"year", "奖补年度", EXPORT_INT},
    {"policy", "政策编号", EXPORT_CODE},
    {"policy_name", "政策名称", EXPORT_TEXT},
    {"department", "主管部门", EXPORT_TEXT},
    {"subject", "对象类型", EXPORT_TEXT},
    {"subject_id", "对象编号", EXPORT_CODE},
    {"uscc", "统一社会信用代码", EXPORT_CODE},
    {"enterprise_name", "企业名称", EXPORT_TEXT},
    {"result", "结论", EXPORT_TEXT},
    {"amount", "金额（元）", EXPORT_MONEY},
    {"grant", "准予事项", EXPORT_TEXT},
    {"status", "状态", EXPORT_TEXT},
    {"reason", "驳回理由", EXPORT_TEXT},
    {"updated_at", "更新时间", EXPORT_TEXT},
    {"updated_by", "经办账号", EXPORT_TEXT},
};

/* The label of a policy result (eligible, pending, ...) in zh-CN, or the stored value. */
static const char *result_label(const char *result)
{
    for (int s = 0; s < POLICY_STATUSES; s++)
        if (strcmp(policy_status_name((policy_status)s), result) == 0)
            return policy_status_label((policy_status)s, POLICY_ZH_CN);
    return result;
}

static void export_award(void *ctx, const ledger_award *a)
{
    award_list *l = ctx;
    if (!award_selected(l, a))
        return;
    l->total++;
    const policy *p = policy_set_find(l->rq->policies, a->policy);
    policy_info in = {0};
    if (p)
        policy_describe(p, &in);
    const char *ent = NULL;
    arena_reset(&l->names);
    if (*a->uscc && store_enterprise_name(l->rq->st, a->uscc, &l->names, &ent, &l->err) < 0) {
        l->rc = LZ_EINTERNAL;
        return;
    }
    char id[24], year[8], amount[MONEY_FMT_MAX];
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    snprintf(year, sizeof year, "%d", a->year);
    money_format(a->amount_fen, amount);
    const char *cells[EXPORT_COLS] = {id,
                                      year,
                                      a->policy,
                                      p ? in.name[POLICY_ZH_CN] : NULL,
                                      in.department,
                                      a->subject,
                                      a->subject_id,
                                      a->uscc,
                                      ent,
                                      a->result,
                                      amount,
                                      a->grant,
                                      a->status,
                                      a->reason,
                                      a->updated_at,
                                      a->updated_by};
    if (!l->english) { /* a file for people: the subject and the result in words */
        cells[EXPORT_SUBJECT] = policy_subject_label(a->subject, POLICY_ZH_CN);
        cells[EXPORT_RESULT] = result_label(a->result);
    }
    if (export_grid_row(l->grid, cells, &l->err) < 0)
        l->rc = l->err.code;
}

/* GET /api/v1/awards/export: the awards the list would show on all its pages, filtered alike, as
 * CSV (with a byte order mark when the headers are Chinese, for Excel) or XLSX. */
void h_awards_export(http_req *rq, http_resp *rs)
{
    static const char *const known[] = {"year", "policy", "department", "uscc", "status", "format", "lang", NULL};
    award_list l;
    int year;
    if (!have_policies(rq, rs) || !only_parameters(rq, rs, known, "year, policy, department, uscc, status, format, lang") ||
        !award_filters(rq, rs, &l, &year))
        return;
    const char *fname = http_query(rq, "format"), *lang = http_query(rq, "lang");
    int fmt = fname ? tables_format_from(fname) : SHEET_CSV;
    if (fmt != SHEET_CSV && fmt != SHEET_XLSX) {
        http_bad_field(rs, "format", "csv or xlsx");
        return;
    }
    if (lang && strcmp(lang, "en") != 0 && strcmp(lang, "zh-CN") != 0) {
        http_bad_field(rs, "lang", "zh-CN (the default) or en: the language of the headers");
        return;
    }
    l.english = lang && strcmp(lang, "en") == 0;
    export_options opt = {.english = l.english, .bom = !l.english};
    lz_err err = {0};
    if (export_grid_open(&l.grid, (sheet_format)fmt, year ? arena_printf(rq->a, "%d", year) : "awards", export_fields, EXPORT_COLS,
                         &opt, &err) < 0) {
        http_fail(rs, &err);
        return;
    }
    l.cache = json_object();
    arena_init(&l.names, 1024);
    int rc = ledger_list(rq->st, year, http_query(rq, "policy"), http_query(rq, "uscc"), export_award, &l, &err);
    if (rc == 0 && l.rc < 0) {
        rc = l.rc;
        err = l.err;
    }
    if (rc == 0)
        rc = export_grid_total(l.grid, &err);
    strbuf out;
    strbuf_init(&out);
    int closed = export_grid_close(l.grid, &out, &err);
    rc = rc < 0 ? rc : closed;
    arena_free(&l.names);
    json_decref(l.cache);
    if (rc < 0) {
        strbuf_free(&out);
        http_fail(rs, &err);
        return;
    }
    http_bytes(rs, 200, tables_media_type((sheet_format)fmt), out.data ? out.data : "", out.len);
    strbuf_free(&out);
    http_header_add(rs, "Content-Disposition",
                    arena_printf(rq->a, "attachment; filename=\"awards%s%s.%s\"", year ? "-" : "",
                                 year ? arena_printf(rq->a, "%d", year) : "", sheet_format_name((sheet_format)fmt)));
}

/* Loads the award of the path if this account may see it (else 404). */
static int load_award(http_req *rq, http_resp *rs, ledger_award *a, json_t **out)
{
    char *end;
    long long id = strtoll(rq->params[0], &end, 10);
    bool found = false, ok = false;
    lz_err err = {0};
    if (*end || id <= 0) {
        http_bad_field(rs, "id", "an award id (an integer)");
        return -1;
    }
    json_t *cache = json_object();
    int rc = ledger_get(rq->st, id, rq->a, a, &found, &err);
    if (rc == 0 && found) {
        *out = award_json(a);
        rc = award_visible(rq, a, cache, &ok, &err);
    }
    json_decref(cache);
    if (rc < 0 || !found || !ok) {
        json_decref(*out);
        *out = NULL;
    }
    if (rc < 0) {
        http_fail(rs, &err);
        return -1;
    }
    if (!found || !ok) {
        http_not_found(rs, "awards");
        return -1;
    }
    return 0;
}

/* The explanation of one award, from a run of its year filtered to its policy and enterprise. */
static int explain_award(http_req *rq, json_t *award, strbuf *out, lz_err *err)
{
    policy_filter f = {.policy_id = json_string_value(json_object_get(award, "policy")),
                       .uscc = json_string_value(json_object_get(award, "uscc"))};
    policy_run *run = NULL;
    int rc = policy_run_store(rq->policies, rq->st, (int)json_integer_value(json_object_get(award, "year")), &f, &run, err);
    const char *subject_id = json_string_value(json_object_get(award, "subject_id"));
    for (size_t i = 0; rc == 0 && i < policy_run_count(run); i++) {
        if (strcmp(policy_run_at(run, i)->subject_id, subject_id) == 0) {
            rc = policy_explain(run, i, query_lang(rq), out, err);
            break;
        }
    }
    policy_run_free(run);
    return rc;
}

static void history_move(void *ctx, const ledger_move *m)
{
    json_array_append_new(
        ctx, json_pack("{s:s?,s:s,s:s,s:s,s:s?}", "from", m->from, "to", m->to, "actor", m->actor, "at", m->at, "note", m->note));
}

void h_award_history(http_req *rq, http_resp *rs)
{
    ledger_award a;
    json_t *award = NULL;
    if (load_award(rq, rs, &a, &award) < 0)
        return;
    json_decref(award);
    json_t *items = json_array();
    lz_err err = {0};
    if (ledger_history(rq->st, a.id, history_move, items, &err) < 0) {
        json_decref(items);
        http_fail(rs, &err);
        return;
    }
    http_json(rs, 200, json_pack("{s:I,s:o}", "id", (json_int_t)a.id, "items", items));
}

void h_award_get(http_req *rq, http_resp *rs)
{
    ledger_award a;
    json_t *award = NULL;
    if (!have_policies(rq, rs) || load_award(rq, rs, &a, &award) < 0)
        return;
    strbuf text;
    strbuf_init(&text);
    lz_err err = {0};
    if (explain_award(rq, award, &text, &err) < 0) {
        strbuf_free(&text);
        json_decref(award);
        http_fail(rs, &err);
        return;
    }
    json_object_set_new(award, "explanation", text.len ? json_string(text.data) : json_null());
    strbuf_free(&text);
    http_json(rs, 200, award);
}

void h_awards_compute(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"year", "policy", NULL};
    if (!have_policies(rq, rs))
        return;
    json_t *body = http_body_object(rq, rs);
    if (!body || http_only_fields(body, fields, rs) < 0) {
        json_decref(body);
        return;
    }
    bool bad = false;
    const char *pol = http_string_field(body, "policy", false, rs, &bad);
    json_t *y = json_object_get(body, "year");
    int year = json_is_integer(y) ? (int)json_integer_value(y) : 0;
    if (!bad && (year < TABLES_YEAR_MIN || year > TABLES_YEAR_MAX)) {
        http_bad_field(rs, "year", "an award year from " TABLES_YEARS(" to "));
        bad = true;
    }
    if (!bad && pol && !policy_set_find(rq->policies, pol)) {
        http_bad_field(rs, "policy", "no such policy (GET /api/v1/policies)");
        bad = true;
    }
    if (!bad && rq->who->role != ROLE_ADMIN && !(rq->who->role == ROLE_BUREAU && pol && bureau_owns(rq, pol))) {
        http_forbidden(rs, "awards are computed by an admin, or by a bureau for one of its own policies");
        bad = true;
    }
    policy_run *run = NULL;
    policy_ledger_diff diff = {0};
    strbuf_init(&diff.lines);
    lz_err err = {0};
    policy_filter f = {.policy_id = pol};
    const char *via = arena_printf(rq->a, "%s %s", rq->method, rq->path);
    if (!bad && (policy_run_store(rq->policies, rq->st, year, &f, &run, &err) < 0 ||
                 policy_ledger_record(rq->st, run, rq->who->name, via, &diff, &err) < 0))
        http_fail(rs, &err);
    else if (!bad)
        http_json(rs, 200,
                  json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:s}", "year", year, "added", (json_int_t)diff.added, "changed",
                            (json_int_t)diff.changed, "removed", (json_int_t)diff.removed, "unchanged", (json_int_t)diff.unchanged,
                            "kept", (json_int_t)diff.kept, "changes", diff.lines.data ? diff.lines.data : ""));
    ledger_diff_free(&diff);
    policy_run_free(run);
    json_decref(body);
}

/* ---- sign-off -------------------------------------------------------------------------------- */

/* The four-eyes rule and the move itself are store/workflow.c's, shared with the CLI. */
void h_award_transition(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"to", "reason", NULL};
    if (!have_policies(rq, rs))
        return;
    json_t *body = http_body_object(rq, rs), *award = NULL;
    bool bad = !body || http_only_fields(body, fields, rs) < 0;
    const char *to = bad ? NULL : http_string_field(body, "to", true, rs, &bad);
    const char *reason = bad ? NULL : http_string_field(body, "reason", false, rs, &bad);
    ledger_award a;
    if (bad || load_award(rq, rs, &a, &award) < 0)
        goto done;
    lz_err err = {0};
    const char *via = arena_printf(rq->a, "%s %s", rq->method, rq->path);
    bool found = false;
    int rc = workflow_award_move(rq->st, rq->who, department_of(rq, a.policy), a.id, to, via, reason, &err);
    if (rc == 0)
        rc = ledger_get(rq->st, a.id, rq->a, &a, &found, &err);
    if (rc < 0)
        http_fail(rs, &err);
    else
        http_json(rs, 200, award_json(&a));
done:
    json_decref(award);
    json_decref(body);
}

/* ---- what-if --------------------------------------------------------------------------------- */

void h_whatif(http_req *rq, http_resp *rs)
{
    if (!have_policies(rq, rs))
        return;
    const char *y = http_query(rq, "year");
    int year = parse_year(rs, y);
    if (!year)
        return;
    json_t *facts = http_body_object(rq, rs); /* checks type, UTF-8 and JSON before the engine reads it */
    if (!facts)
        return;
    json_decref(facts);
    policy_filter f = {.policy_id = http_query(rq, "policy")};
    policy_run *run = NULL;
    lz_err err = {0};
    if (policy_run_whatif(rq->policies, rq->body, rq->body_len, year, &f, &run, &err) < 0) {
        http_fail(rs, &err);
        return;
    }
    json_t *items = json_array();
    strbuf text;
    strbuf_init(&text);
    for (size_t i = 0; i < policy_run_count(run); i++) {
        const policy_result *r = policy_run_at(run, i);
        policy_info in;
        policy_describe(r->policy, &in);
        char amount[MONEY_FMT_MAX];
        money_format(r->amount_fen, amount);
        strbuf_reset(&text);
        if (policy_explain(run, i, query_lang(rq), &text, &err) < 0)
            break;
        json_array_append_new(
            items, json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s?, s:s}", "policy", in.id, "subject", r->subject, "subject_id",
                             r->subject_id, "uscc", r->uscc, "status", policy_status_name(r->status), "amount", amount, "grant",
                             r->grant ? in.grants[query_lang(rq)] : NULL, "explanation", text.data ? text.data : ""));
    }
    strbuf_free(&text);
    policy_run_free(run);
    if (err.code) {
        json_decref(items);
        http_fail(rs, &err);
        return;
    }
    http_json(rs, 200, json_pack("{s:i, s:o}", "year", year, "results", items));
}

/* The public calculator: the same what-if without an account, throttled per client network
 * (ratelimit.h) since anyone may call it. It reads and stores nothing: only the policies. */
void h_whatif_public(http_req *rq, http_resp *rs)
{
    char net[REQUEST_THROTTLE_KEY_LEN];
    int64_t retry;
    request_throttle_key(rq->address, net);
    if (!ratelimit_take(net, (int64_t)time(NULL), &retry)) {
        http_header_add(rs, "Retry-After", arena_printf(rq->a, "%lld", (long long)retry));
        http_problem(rs, 429, NULL, "too many calculations from this address; wait and try again");
        return;
    }
    h_whatif(rq, rs);
}
