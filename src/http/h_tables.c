/*
 * h_tables — every data table through one set of handlers, driven by the table descriptors of
 * model/tables.h: list, get, create, update, delete, bulk export and import. Scope comes from
 * scope.c on every path; writes go through the importer (the same checks as a CSV row) inside
 * one transaction with their audit entry, so a refused write leaves nothing behind.
 */
#include "http/h_tables.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "http/handlers.h"
#include "http/rows.h"
#include "http/scope.h"
#include "model/cellfmt.h"
#include "model/labels.h"
#include "store/audit.h"
#include "store/workflow.h"

static const table *table_of(const http_req *rq)
{
    return tables_find(rq->params[0]);
}

/* Tables with a workflow: their own write rules, and what ends a row instead of deleting it
 * (its history must stay readable). */
typedef struct table_hooks {
    const char *table;
    table_hook before_write;
    const char *instead_of_delete;
} table_hooks;

static const table_hooks hooks[] = {
    {"appeals", appeals_before_write, "an appeal is kept with its history: close it (POST /api/v1/appeals/{id}/transition)"},
    {"memberships", memberships_before_write, NULL},
    {"events", events_before_write, NULL},
    {"targets", targets_before_write,
     "a target is kept with its contact log: record it as lost (POST /api/v1/targets/{id}/contacts)"},
};

static const table_hooks *hooks_of(const table *t)
{
    for (size_t i = 0; i < sizeof hooks / sizeof hooks[0]; i++)
        if (strcmp(hooks[i].table, t->name) == 0)
            return &hooks[i];
    return NULL;
}

/* Why rows of t are never deleted, or NULL when they may be. */
static const char *kept_rows(const table *t)
{
    const table_hooks *h = hooks_of(t);
    return h ? h->instead_of_delete : NULL;
}

/* Who sets which field of a workflow row in which status (store/workflow.c), for every member the
 * write gives (create) or changes (update). */
static int fields_allowed(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old)
{
    json_t *before = old ? export_row_json(t, old) : NULL, *v;
    const char *status = old ? json_string_value(json_object_get(before, "status")) : NULL, *key;
    int rc = 0;
    json_object_foreach(body, key, v)
    {
        char why[256];
        if (table_column_index(t, key) < 0 || (old ? json_equal(v, json_object_get(before, key)) : json_is_null(v)))
            continue; /* unknown members are named by the field checks */
        if (!workflow_may_set(t->name, key, rq->who->role, old ? (status ? status : "") : NULL,
                              json_is_string(v) ? json_string_value(v) : "", why, sizeof why)) {
            http_bad_field(rs, key, "%s", why);
            rc = -1;
            break;
        }
    }
    json_decref(before);
    return rc;
}

/* Runs the field rules and the table's own rules for a generic write (body NULL: a delete). */
static int run_hook(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old)
{
    if (body && fields_allowed(rq, rs, t, body, old) < 0)
        return LZ_ERESPONDED;
    const table_hooks *h = hooks_of(t);
    return h && h->before_write(rq, rs, t, body, old) < 0 ? LZ_ERESPONDED : 0;
}

const char *tables_now_utc(http_req *rq)
{
    char *buf = arena_alloc(rq->a, DATE_STAMP_SIZE);
    date_now_utc(buf);
    return buf;
}

/* Appends the read-scope condition; -1 (rs filled) when the account reads no row of t. */
static int add_read_scope(http_req *rq, http_resp *rs, const table *t, store_query *q, store_cond *conds)
{
    cell *v = arena_alloc(rq->a, sizeof *v);
    int rc = scope_cond(scope_read_rule(t, rq->who), rq->who, v, &conds[q->nconds]);
    if (rc < 0) {
        http_forbidden(rs, arena_printf(rq->a, "a %s account cannot read %s", account_role_name(rq->who->role), t->name));
        return -1;
    }
    q->nconds += (size_t)rc;
    q->conds = conds;
    return 0;
}

char *tables_row_text(http_req *rq, const table *t, const cell *row)
{
    return http_json_text(rq->a, export_row_json(t, row));
}

/* ---- reads ----------------------------------------------------------------------------------- */

int tables_load_visible(http_req *rq, http_resp *rs, const table *t, const char *const *segs, size_t nsegs, cell *row)
{
    cell key[TABLES_MAX_KEY];
    json_t *errors = json_array();
    if (rows_key_from_path(t, segs, nsegs, rq->a, key, errors) < 0) {
        http_problem_fields(rs, 400, "the path does not name a row", errors);
        return -1;
    }
    json_decref(errors);
    lz_err err = {0};
    bool found = false, ok = false;
    if (store_get(rq->st, t, key, rq->a, row, &found, &err) < 0 ||
        (found && scope_row_allowed(rq->st, t, scope_read_rule(t, rq->who), rq->who, row, &ok, &err) < 0)) {
        http_fail(rs, &err);
        return -1;
    }
    if (!found || !ok) {
        http_not_found(rs, t->name);
        return -1;
    }
    return 0;
}

/* A scan written as a JSON array of rows, straight into text (items) or into a jansson array
 * (tree) for the composed routes that rearrange rows. */
typedef struct list_ctx {
    const store_query *q;
    strbuf *items;
    json_t *tree;
    arena *a;
    store *st;  /* with names: where the referenced rows are looked up */
    bool names; /* a person reads the list: names beside the codes that reference a row */
    size_t n;
    char *next;
    int rc;
    lz_err err;
} list_ctx;

/* Adds "COLUMN_name" ("enterprise_name" for a uscc) beside each reference in the object just
 * written, before its closing brace. */
static void append_names(list_ctx *c, const cell *row)
{
    const table *t = c->q->t;
    strbuf key;
    strbuf_init(&key);
    for (size_t i = 0; i < t->ncols && c->rc == 0; i++) {
        const char *name;
        if (store_ref_name(c->st, &t->cols[i], &row[i], c->a, &name, &c->err) < 0)
            c->rc = -1;
        if (!name)
            continue;
        strbuf_reset(&key);
        column_ref_name_header(&t->cols[i], false, &key);
        c->items->len--; /* the '}' */
        strbuf_printf(c->items, ",\"%s\":", key.data);
        rows_append_json_string(c->items, name, strlen(name));
        strbuf_putc(c->items, '}');
    }
    strbuf_free(&key);
}

static int list_row(void *p, const cell *row)
{
    list_ctx *c = p;
    if (c->tree) {
        json_array_append_new(c->tree, export_row_json(c->q->t, row));
    } else {
        if (c->n)
            strbuf_putc(c->items, ',');
        rows_append_json(c->items, c->q->t, row);
        if (c->names)
            append_names(c, row);
        if (c->rc < 0)
            return 1;
    }
    if (++c->n == c->q->limit)
        c->next = rows_cursor(c->q, row, c->a);
    return 0;
}

static int scan(http_req *rq, http_resp *rs, list_ctx *c)
{
    lz_err err = {0};
    c->a = rq->a;
    c->st = rq->st;
    if (c->items)
        strbuf_putc(c->items, '[');
    if (store_scan(rq->st, c->q, list_row, c, &err) < 0 || c->rc < 0) {
        http_fail(rs, c->rc < 0 ? &c->err : &err);
        return -1;
    }
    if (c->items)
        strbuf_putc(c->items, ']');
    return 0;
}

json_t *tables_scan_visible(http_req *rq, http_resp *rs, const table *t, store_cond *conds, size_t nconds)
{
    store_query q = {.t = t, .conds = conds, .nconds = nconds};
    if (add_read_scope(rq, rs, t, &q, conds) < 0)
        return NULL;
    list_ctx c = {.q = &q, .tree = json_array()};
    if (scan(rq, rs, &c) == 0)
        return c.tree;
    json_decref(c.tree);
    return NULL;
}

int tables_scan_visible_text(http_req *rq, http_resp *rs, const table *t, store_cond *conds, size_t nconds, strbuf *out)
{
    store_query q = {.t = t, .conds = conds, .nconds = nconds};
    if (add_read_scope(rq, rs, t, &q, conds) < 0)
        return -1;
    list_ctx c = {.q = &q, .items = out};
    return scan(rq, rs, &c);
}

/* chain=CODE on enterprises: the chain's members, confirmed memberships only (as scope counts
 * them). -1 with the error added when CODE is not a chain code. */
static int add_chain_filter(http_req *rq, store_query *q, store_cond *conds, json_t *errors)
{
    const char *code = http_query(rq, "chain");
    if (!code || strcmp(q->t->name, "enterprises") != 0)
        return 0;
    const table *m = tables_find("memberships");
    const column *chain = &m->cols[table_column_index(m, "chain")];
    cell *v = arena_alloc(rq->a, sizeof *v);
    char why[512];
    if (cell_parse(chain, code, strlen(code), rq->a, v, why, sizeof why) < 0 || v->kind == CELL_NULL) {
        http_field_error(errors, "chain", v->kind == CELL_NULL ? "filter value is empty" : why);
        return -1;
    }
    conds[q->nconds++] = tables_chain_members(v);
    return 0;
}

store_cond tables_chain_members(const cell *code)
{
    return (store_cond){.column = "uscc",
                        .values = code,
                        .nvalues = 1,
                        .via_table = "memberships",
                        .via_column = "uscc",
                        .via_match = "chain",
                        .via_only = "status",
                        .via_only_value = "confirmed"};
}

/* The rows matching q in scope, every page's total: q without its cursor, counted up to one past
 * ROWS_TOTAL_MAX (more than that is said as such). */
static int count_all(http_req *rq, http_resp *rs, const store_query *q, int64_t *total)
{
    store_query all = *q;
    all.after = NULL;
    all.limit = ROWS_TOTAL_MAX + 1;
    lz_err err = {0};
    if (store_count(rq->st, &all, total, &err) < 0) {
        http_fail(rs, &err);
        return -1;
    }
    return 0;
}

void h_table_list(http_req *rq, http_resp *rs)
{
    static const char *const extra[] = {"chain", NULL};
    const table *t = table_of(rq);
    bool enterprises = strcmp(t->name, "enterprises") == 0;
    store_query q;
    store_cond *conds;
    json_t *errors = json_array();
    if (rows_parse_list(t, rq->query, rq->nquery, enterprises ? extra : NULL, 2, ROWS_LIMIT_DEFAULT, rq->a, &q, &conds, errors) <
            0 ||
        add_chain_filter(rq, &q, conds, errors) < 0) {
        http_problem_fields(rs, 400, "bad list parameters", errors);
        return;
    }
    json_decref(errors);
    int64_t total;
    if (add_read_scope(rq, rs, t, &q, conds) < 0 || count_all(rq, rs, &q, &total) < 0)
        return;
    strbuf *body = &rs->body;
    strbuf_reset(body);
    strbuf_puts(body, "{\"items\":");
    list_ctx c = {.q = &q, .items = body, .names = true};
    if (scan(rq, rs, &c) < 0)
        return;
    strbuf_puts(body, ",\"next\":");
    if (c.next)
        rows_append_json_string(body, c.next, strlen(c.next));
    else
        strbuf_puts(body, "null");
    bool exact = total <= ROWS_TOTAL_MAX;
    strbuf_printf(body, ",\"total\":%" PRId64 ",\"total_exact\":%s}", exact ? total : ROWS_TOTAL_MAX, exact ? "true" : "false");
    rs->status = 200;
    rs->content_type = "application/json";
}

void h_table_get(http_req *rq, http_resp *rs)
{
    const table *t = table_of(rq);
    cell row[TABLES_MAX_COLS];
    if (tables_load_visible(rq, rs, t, rq->params + 1, rq->nparams - 1, row) == 0)
        tables_respond_row(rs, 200, t, row);
}

/* ---- writes ---------------------------------------------------------------------------------- */

int tables_write_json(http_req *rq, http_resp *rs, const table *t, json_t *obj, lz_err *err)
{
    rows_fields f;
    json_t *errors = json_array();
    if (rows_fields_from_json(t, obj, rq->a, &f, errors) < 0) {
        http_problem_fields(rs, 400, "the row has errors; nothing was written", errors);
        return LZ_ERESPONDED;
    }
    json_decref(errors);
    errlist errs;
    errlist_init(&errs, 50);
    importer *im = importer_new(rq->st, t, "body", &errs);
    size_t *name_lens = arena_alloc(rq->a, (f.n + 1) * sizeof *name_lens);
    for (size_t i = 0; i < f.n; i++)
        name_lens[i] = strlen(f.names[i]);
    int rc = 0;
    if (importer_header(im, f.n, f.names, name_lens) == 0) {
        rc = importer_row(im, 1, f.n, f.values, f.lens, err);
        if (rc == 0)
            rc = importer_finish(im, NULL, err);
    }
    importer_free(im);
    if (rc == 0 && errs.total > 0) {
        http_problem_fields(rs, 400, "the row has errors; nothing was written", rows_errors_from_errlist(&errs));
        rc = LZ_ERESPONDED;
    }
    errlist_free(&errs);
    return rc;
}

/* Ends a write: on rc < 0 rolls back (and responds, unless a step has: LZ_ERESPONDED), else commits. */
static int finish_write(http_req *rq, http_resp *rs, int rc, lz_err *err)
{
    if (rc == 0 && store_commit(rq->st, err) == 0)
        return 0;
    store_rollback(rq->st);
    if (rc != LZ_ERESPONDED)
        http_fail(rs, err);
    return -1;
}

static void out_of_scope(http_req *rq, http_resp *rs, const table *t)
{
    http_forbidden(rs, arena_printf(rq->a, "this %s row would be outside the account's scope (%s %s)", t->name,
                                    account_role_name(rq->who->role), rq->who->scope));
}

/* After a write: the row as stored must still be within the account's write scope. */
static int check_written(http_req *rq, http_resp *rs, const table *t, const cell *key, cell *row, lz_err *err)
{
    bool found = false, ok = false;
    if (store_get(rq->st, t, key, rq->a, row, &found, err) < 0 ||
        (found && scope_row_allowed(rq->st, t, scope_write_rule(t, rq->who), rq->who, row, &ok, err) < 0))
        return LZ_EINTERNAL;
    if (!found)
        return err_set(err, LZ_EINTERNAL, "%s: the row written cannot be read back", t->name);
    if (!ok) {
        out_of_scope(rq, rs, t);
        return LZ_ERESPONDED;
    }
    return 0;
}

static int audit_write(http_req *rq, const table *t, const cell *row_for_key, const char *before, const char *after, lz_err *err)
{
    audit_entry e = {.actor = rq->who->name,
                     .via = arena_printf(rq->a, "%s %s", rq->method, rq->path),
                     .target = rows_key_path(t, row_for_key, rq->a),
                     .before = before,
                     .after = after};
    return audit_append(rq->st, &e, err);
}

void tables_respond_row(http_resp *rs, int status, const table *t, const cell *row)
{
    strbuf_reset(&rs->body);
    rows_append_json(&rs->body, t, row);
    rs->status = status;
    rs->content_type = "application/json";
}

static void respond_row(http_req *rq, http_resp *rs, int status, const table *t, const cell *row)
{
    tables_respond_row(rs, status, t, row);
    if (status == 201)
        http_header_add(rs, "Location", arena_printf(rq->a, "/api/v1/%s", rows_key_path(t, row, rq->a)));
}

bool tables_may_write_some(http_req *rq, http_resp *rs, const table *t)
{
    if (scope_write_rule(t, rq->who)->kind != SCOPE_NONE)
        return true;
    http_forbidden(rs, arena_printf(rq->a, "a %s account cannot change %s", account_role_name(rq->who->role), t->name));
    return false;
}

/* A written row names enterprises only within the writer's scope (scope.h): c is one column of
 * the row and value its value. */
static int reference_in_scope(http_req *rq, http_resp *rs, const table *t, const column *c, const cell *value, lz_err *err)
{
    bool ok = false;
    if (!scope_checks_reference(t, c))
        return 0;
    if (scope_enterprise_allowed(rq->st, rq->who, value, &ok, err) < 0)
        return LZ_EINTERNAL;
    if (!ok) {
        http_forbidden(rs, arena_printf(rq->a, "%s: %s names an enterprise outside the account's scope (%s %s)", t->name, c->name,
                                        account_role_name(rq->who->role), rq->who->scope));
        return LZ_ERESPONDED;
    }
    return 0;
}

/* Every enterprise the stored row (t->ncols cells) names is within the writer's scope. */
static int row_references_in_scope(http_req *rq, http_resp *rs, const table *t, const cell *row, lz_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < t->ncols; i++)
        rc = reference_in_scope(rq, rs, t, &t->cols[i], &row[i], err);
    return rc;
}

/* Before any row or reference is looked up: the row to be written must be within the account's
 * write scope by its scoping column (an enterprise's own USCC, an enterprise of its division or
 * chain), and every enterprise it names must be one the account has in scope. A value naming no
 * enterprise is refused exactly like one naming an enterprise outside the scope, so that a write
 * tells nothing about other enterprises' rows: not whether they exist, not whether a reference to
 * them would resolve. */
static int fields_in_scope(http_req *rq, http_resp *rs, const table *t, const rows_fields *f, lz_err *err)
{
    const scope_rule *w = scope_write_rule(t, rq->who);
    cell value = cell_null();
    for (size_t i = 0; w->column && i < f->n; i++)
        if (strcmp(f->names[i], w->column) == 0)
            value = cell_text(f->values[i], f->lens[i]);
    bool ok = false;
    if (scope_value_allowed(rq->st, w, rq->who, &value, &ok, err) < 0)
        return LZ_EINTERNAL;
    if (!ok) {
        out_of_scope(rq, rs, t);
        return LZ_ERESPONDED;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < f->n; i++) {
        cell v = cell_text(f->values[i], f->lens[i]);
        rc = reference_in_scope(rq, rs, t, &t->cols[table_column_index(t, f->names[i])], &v, err);
    }
    return rc;
}

/* An existing row the account cannot see is refused like any row outside its scope, so that a
 * create does not reveal it by a conflict. */
static int exists_conflict(http_req *rq, http_resp *rs, const table *t, const cell *old, lz_err *err)
{
    bool visible = false;
    if (scope_row_allowed(rq->st, t, scope_read_rule(t, rq->who), rq->who, old, &visible, err) < 0)
        return LZ_EINTERNAL;
    if (!visible) {
        out_of_scope(rq, rs, t);
        return LZ_ERESPONDED;
    }
    return err_set(err, LZ_ECONFLICT, "%s: %s already exists; PATCH it to change it", t->name, rows_key_path(t, old, rq->a));
}

/* A body's fields and key, every fault of every field reported at once: its JSON types, unknown
 * names, values each column's parser refuses, key columns missing. */
static int body_fields(http_req *rq, const table *t, json_t *obj, rows_fields *f, cell *key, json_t *errors)
{
    int typed = rows_fields_from_json(t, obj, rq->a, f, errors);
    int parsed = rows_fields_parse(t, f, rq->a, errors);
    int keyed = rows_key_from_fields(t, f, rq->a, key, errors);
    return typed < 0 || parsed < 0 || keyed < 0 ? -1 : 0;
}

void h_table_create(http_req *rq, http_resp *rs)
{
    const table *t = table_of(rq);
    json_t *body = tables_may_write_some(rq, rs, t) ? http_body_object(rq, rs) : NULL;
    if (body)
        tables_create_json(rq, rs, t, body);
}

void tables_create_json(http_req *rq, http_resp *rs, const table *t, json_t *body)
{
    rows_fields f;
    cell key[TABLES_MAX_KEY], row[TABLES_MAX_COLS], old[TABLES_MAX_COLS];
    json_t *errors = json_array();
    if (body_fields(rq, t, body, &f, key, errors) < 0) {
        http_problem_fields(rs, 400, "the row has errors; nothing was written", errors);
        json_decref(body);
        return;
    }
    json_decref(errors);
    lz_err err = {0};
    bool exists = false;
    int rc = store_begin(rq->st, &err);
    if (rc == 0)
        rc = fields_in_scope(rq, rs, t, &f, &err);
    if (rc == 0)
        rc = run_hook(rq, rs, t, body, NULL);
    if (rc == 0)
        rc = store_get(rq->st, t, key, rq->a, old, &exists, &err);
    if (rc == 0 && exists)
        rc = exists_conflict(rq, rs, t, old, &err);
    if (rc == 0)
        rc = tables_write_json(rq, rs, t, body, &err);
    if (rc == 0)
        rc = check_written(rq, rs, t, key, row, &err);
    if (rc == 0)
        rc = audit_write(rq, t, row, NULL, tables_row_text(rq, t, row), &err);
    json_decref(body);
    if (finish_write(rq, rs, rc, &err) == 0)
        respond_row(rq, rs, 201, t, row);
}

/* The key in the merged row must be the key in the path: a key never changes in place. Fills f
 * with the merged row's fields. */
static int same_key(http_req *rq, http_resp *rs, const table *t, json_t *merged, const cell *key, rows_fields *f)
{
    cell now[TABLES_MAX_KEY];
    json_t *errors = json_array();
    if (body_fields(rq, t, merged, f, now, errors) < 0) {
        http_problem_fields(rs, 400, "the row has errors; nothing was written", errors);
        return LZ_ERESPONDED;
    }
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(t, idx);
    for (size_t k = 0; k < nk; k++) {
        if (!rows_cell_equal(&now[k], &key[k])) {
            http_field_error(errors, t->cols[idx[k]].name, "a key column cannot change; create a new row instead");
            http_problem_fields(rs, 400, "the row has errors; nothing was written", errors);
            return LZ_ERESPONDED;
        }
    }
    json_decref(errors);
    return 0;
}

/* Loads the row the path names for a change: readable (else 404), writable and naming only
 * enterprises in the account's scope (else 403). */
static int load_for_write(http_req *rq, http_resp *rs, const table *t, cell *old, lz_err *err)
{
    if (tables_load_visible(rq, rs, t, rq->params + 1, rq->nparams - 1, old) < 0)
        return LZ_ERESPONDED;
    bool ok = false;
    if (scope_row_allowed(rq->st, t, scope_write_rule(t, rq->who), rq->who, old, &ok, err) < 0)
        return LZ_EINTERNAL;
    if (!ok) {
        http_forbidden(rs,
                       arena_printf(rq->a, "a %s account cannot change this %s row", account_role_name(rq->who->role), t->name));
        return LZ_ERESPONDED;
    }
    return row_references_in_scope(rq, rs, t, old, err);
}

static void key_cells(const table *t, const cell *row, cell *key)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(t, idx);
    for (size_t k = 0; k < nk; k++)
        key[k] = row[idx[k]];
}

void h_table_update(http_req *rq, http_resp *rs)
{
    const table *t = table_of(rq);
    if (!tables_may_write_some(rq, rs, t))
        return;
    json_t *body = http_body_object(rq, rs);
    if (!body)
        return;
    cell old[TABLES_MAX_COLS], row[TABLES_MAX_COLS], key[TABLES_MAX_KEY];
    json_t *merged = NULL;
    lz_err err = {0};
    int rc = store_begin(rq->st, &err);
    if (rc == 0)
        rc = load_for_write(rq, rs, t, old, &err);
    if (rc == 0) {
        key_cells(t, old, key);
        rows_fields f;
        json_t *errors = json_array();
        if (rows_fields_from_json(t, body, rq->a, &f, errors) < 0) {
            http_problem_fields(rs, 400, "the row has errors; nothing was written", errors);
            rc = LZ_ERESPONDED;
        } else {
            json_decref(errors);
            merged = export_row_json(t, old);
            json_object_update(merged, body);
            rc = same_key(rq, rs, t, merged, key, &f);
        }
        if (rc == 0)
            rc = fields_in_scope(rq, rs, t, &f, &err);
        if (rc == 0)
            rc = run_hook(rq, rs, t, body, old);
    }
    if (rc == 0)
        rc = tables_write_json(rq, rs, t, merged, &err);
    if (rc == 0)
        rc = check_written(rq, rs, t, key, row, &err);
    if (rc == 0)
        rc = audit_write(rq, t, row, tables_row_text(rq, t, old), tables_row_text(rq, t, row), &err);
    json_decref(merged);
    json_decref(body);
    if (finish_write(rq, rs, rc, &err) == 0)
        respond_row(rq, rs, 200, t, row);
}

void h_table_delete(http_req *rq, http_resp *rs)
{
    const table *t = table_of(rq);
    if (!tables_may_write_some(rq, rs, t))
        return;
    if (kept_rows(t)) {
        http_problem(rs, 409, NULL, kept_rows(t));
        return;
    }
    cell old[TABLES_MAX_COLS], key[TABLES_MAX_KEY];
    lz_err err = {0};
    bool deleted = false;
    int rc = store_begin(rq->st, &err);
    if (rc == 0)
        rc = load_for_write(rq, rs, t, old, &err);
    if (rc == 0)
        rc = run_hook(rq, rs, t, NULL, old);
    if (rc == 0) {
        key_cells(t, old, key);
        rc = store_delete(rq->st, t, key, &deleted, &err);
    }
    if (rc == 0)
        rc = audit_write(rq, t, old, tables_row_text(rq, t, old), NULL, &err);
    if (finish_write(rq, rs, rc, &err) == 0)
        http_no_content(rs);
}

/* ---- bulk ------------------------------------------------------------------------------------ */

static const char *const format_types[] = {
    [SHEET_CSV] = "text/csv; charset=utf-8",
    [SHEET_XLSX] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    [SHEET_JSON] = "application/json",
};

const char *tables_media_type(sheet_format f)
{
    return format_types[f];
}

int tables_format_from(const char *name)
{
    for (int f = SHEET_CSV; f <= SHEET_JSON; f++)
        if (strcmp(name, sheet_format_name((sheet_format)f)) == 0)
            return f;
    return -1;
}

void h_table_export(http_req *rq, http_resp *rs)
{
    static const char *const extra[] = {"format", "lang", NULL};
    const table *t = table_of(rq);
    const char *fname = http_query(rq, "format"), *lang = http_query(rq, "lang");
    int fmt = fname ? tables_format_from(fname) : SHEET_CSV;
    if (fmt < 0) {
        http_bad_field(rs, "format", "csv, json or xlsx");
        return;
    }
    if (lang && strcmp(lang, "en") != 0 && strcmp(lang, "zh-CN") != 0) {
        http_bad_field(rs, "lang", "zh-CN (the default) or en: the language of an XLSX download's headers and choices");
        return;
    }
    store_query q;
    store_cond *conds;
    json_t *errors = json_array();
    if (rows_parse_list(t, rq->query, rq->nquery, extra, 1, 0, rq->a, &q, &conds, errors) < 0) {
        http_problem_fields(rs, 400, "bad export parameters", errors);
        return;
    }
    json_decref(errors);
    if (add_read_scope(rq, rs, t, &q, conds) < 0)
        return;
    lz_err err = {0};
    strbuf out;
    strbuf_init(&out);
    /* a download is for people; CSV without a BOM, as a script fetches it */
    export_options opt = {.names = true, .english = lang && strcmp(lang, "en") == 0};
    if (export_query(rq->st, &q, (sheet_format)fmt, &opt, &out, &err) < 0) {
        strbuf_free(&out);
        http_fail(rs, &err);
        return;
    }
    http_bytes(rs, 200, format_types[fmt], out.data ? out.data : "", out.len);
    strbuf_free(&out);
    http_header_add(rs, "Content-Disposition",
                    arena_printf(rq->a, "attachment; filename=\"%s.%s\"", t->name, sheet_format_name((sheet_format)fmt)));
}

/* The upload's format: ?format=, else the Content-Type. */
static int upload_format(const http_req *rq)
{
    const char *f = http_query(rq, "format");
    if (f)
        return tables_format_from(f);
    for (int i = SHEET_CSV; i <= SHEET_XLSX; i++) {
        char type[96]; /* the media type without the parameters we send */
        snprintf(type, sizeof type, "%.*s", (int)strcspn(format_types[i], ";"), format_types[i]);
        if (http_media_type_is(rq->content_type, type))
            return i;
    }
    return -1;
}

void h_table_import(http_req *rq, http_resp *rs)
{
    const table *t = table_of(rq);
    if (scope_write_rule(t, rq->who)->kind != SCOPE_ALL || (rq->who->role != ROLE_ADMIN && hooks_of(t))) {
        http_forbidden(rs, arena_printf(rq->a,
                                        "bulk upload into %s needs write access to all of it, row rules included (a %s account "
                                        "writes it row by row)",
                                        t->name, account_role_name(rq->who->role)));
        return;
    }
    int fmt = upload_format(rq);
    if (fmt != SHEET_CSV && fmt != SHEET_XLSX) {
        http_problem(rs, 415, NULL, "upload CSV (Content-Type: text/csv) or XLSX, or say ?format=csv|xlsx");
        return;
    }
    const char *unit_text = http_query(rq, "unit");
    int unit = unit_text ? label_unit_option(unit_text) : 0;
    if (unit < 0) {
        json_t *errors = json_array();
        http_field_error(errors, "unit", "expected " LABEL_UNIT_OPTIONS);
        http_problem_fields(rs, 400, "unknown unit for the upload's amounts", errors);
        return;
    }
    errlist errs;
    errlist_init(&errs, 50);
    import_stats stats = {0};
    lz_err err = {0};
    const char *via = arena_printf(rq->a, "%s %s", rq->method, rq->path);
    import_options opt = {.actor = rq->who->name, .via = via, .unit_pow10 = unit};
    int rc = import_buffer(rq->st, t, (sheet_format)fmt, "upload", rq->body, rq->body_len, &opt, &errs, &stats, &err);
    if (rc == LZ_EINPUT && errs.total > 0) {
        const char *detail =
            arena_printf(rq->a, "%zu error%s in the upload; nothing was written", errs.total, errs.total == 1 ? "" : "s");
        http_problem_fields(rs, 400, detail, rows_errors_from_errlist(&errs));
    } else if (rc < 0) {
        http_fail(rs, &err);
    } else {
        http_json(rs, 200,
                  json_pack("{s:I, s:I, s:I}", "rows", (json_int_t)stats.rows, "inserted", (json_int_t)stats.inserted, "updated",
                            (json_int_t)stats.updated));
    }
    errlist_free(&errs);
}
