/*
 * h_targets — investment targets (招商目標) move through their stages with a dated log of
 * contacts: each contact is recorded with who made it and the stage after it. A stage moves
 * forward (lead, contacted, visited, negotiating, signed, landed) or to lost; landed and lost are
 * final. The stage changes only by recording a contact, so the log explains every stage.
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

static const char *const stages[] = {"lead", "contacted", "visited", "negotiating", "signed", "landed", NULL};

static int stage_rank(const char *s)
{
    for (int i = 0; stages[i]; i++)
        if (strcmp(stages[i], s) == 0)
            return i;
    return strcmp(s, "lost") == 0 ? 100 : -1;
}

/* Whether a target may move from one stage to another by a contact (staying is allowed). */
static bool stage_move_ok(const char *from, const char *to)
{
    int f = stage_rank(from), t = stage_rank(to);
    if (f < 0 || t < 0)
        return false;
    if (f == t)
        return strcmp(from, "landed") != 0 && strcmp(from, "lost") != 0;
    return f < 5 && t > f;
}

int targets_before_write(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old)
{
    (void)rq;
    if (!old)
        return 0; /* a target enters at any stage (an existing pipeline is loaded as it is) */
    json_t *stage = json_object_get(body, "stage");
    int si = table_column_index(t, "stage");
    if (stage && (!json_is_string(stage) || strlen(json_string_value(stage)) != old[si].n ||
                  memcmp(json_string_value(stage), old[si].s, old[si].n) != 0)) {
        http_bad_field(rs, "stage", "changes only by recording a contact: POST /api/v1/targets/{id}/contacts");
        return -1;
    }
    return 0;
}

static const char *str(json_t *row, const char *name)
{
    const char *s = json_string_value(json_object_get(row, name));
    return s ? s : "";
}

/* Reads and checks the body: date (default today), stage (default unchanged), note. */
static int contact_fields(http_req *rq, http_resp *rs, json_t *body, const char **date, const char **stage, const char **note)
{
    static const char *const fields[] = {"date", "stage", "note", NULL};
    bool bad = false;
    if (http_only_fields(body, fields, rs) < 0)
        return -1;
    *date = http_string_field(body, "date", false, rs, &bad);
    *stage = bad ? NULL : http_string_field(body, "stage", false, rs, &bad);
    *note = bad ? NULL : http_string_field(body, "note", true, rs, &bad);
    if (bad)
        return -1;
    int32_t d;
    char why[128];
    if (*date && date_parse(*date, strlen(*date), &d, why, sizeof why) < 0) {
        http_bad_field(rs, "date", "%s", why);
        return -1;
    }
    if (!*date) {
        char *buf = arena_alloc(rq->a, DATE_LEN + 1);
        date_format(date_today(), buf);
        *date = buf;
    }
    return 0;
}

void h_target_contact(http_req *rq, http_resp *rs)
{
    const table *t = tables_find("targets");
    json_t *body = http_body_object(rq, rs), *before = NULL, *after = NULL;
    const char *date = NULL, *stage = NULL, *note = NULL;
    cell row[TABLES_MAX_COLS];
    lz_err err = {0};
    bool ok = false;
    int rc = body && contact_fields(rq, rs, body, &date, &stage, &note) == 0 ? store_begin(rq->st, &err) : LZ_ERESPONDED;
    if (rc == 0 && tables_load_visible(rq, rs, t, rq->params, 1, row) < 0)
        rc = LZ_ERESPONDED;
    if (rc == 0 && (rc = scope_row_allowed(rq->st, t, scope_write_rule(t, rq->who), rq->who, row, &ok, &err)) == 0 && !ok) {
        http_forbidden(rs, arena_printf(rq->a, "a %s account cannot work this target", account_role_name(rq->who->role)));
        rc = LZ_ERESPONDED;
    }
    if (rc == 0) {
        before = export_row_json(t, row);
        const char *from = str(before, "stage");
        stage = stage ? stage : from;
        if (!stage_move_ok(from, stage)) {
            http_problem(rs, 409, NULL, arena_printf(rq->a, "a target cannot move from %s to %s", from, stage));
            rc = LZ_ERESPONDED;
        }
    }
    if (rc == 0) {
        after = json_deep_copy(before);
        json_object_set_new(after, "stage", json_string(stage));
        json_object_set_new(after, "updated", json_string(date));
        rc = tables_write_json(rq, rs, t, after, &err);
    }
    if (rc == 0)
        rc = workflow_target_contact(rq->st, rq->params[0], date, rq->who->name, str(before, "stage"), stage, note, &err);
    if (rc == 0) {
        char *b = json_dumps(before, JSON_COMPACT | JSON_PRESERVE_ORDER),
             *a = json_dumps(after, JSON_COMPACT | JSON_PRESERVE_ORDER);
        audit_entry e = {.actor = rq->who->name,
                         .via = arena_printf(rq->a, "%s %s", rq->method, rq->path),
                         .target = arena_printf(rq->a, "targets/%s", rq->params[0]),
                         .before = b,
                         .after = a};
        rc = audit_append(rq->st, &e, &err);
        free(b);
        free(a);
    }
    if (rc == 0)
        rc = store_commit(rq->st, &err);
    if (rc == 0)
        http_json(rs, 201, json_incref(after));
    else if (rc != LZ_ERESPONDED)
        http_fail(rs, &err);
    store_rollback(rq->st);
    json_decref(before);
    json_decref(after);
    json_decref(body);
}

static void add_contact(void *ctx, const char *const *c, int n)
{
    (void)n;
    json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s?}", "seq", (json_int_t)atoll(c[0]), "date", c[1], "actor",
                                         c[2], "from", c[3], "to", c[4], "note", c[5]));
}

void h_target_contacts(http_req *rq, http_resp *rs)
{
    const table *t = tables_find("targets");
    cell row[TABLES_MAX_COLS];
    if (tables_load_visible(rq, rs, t, rq->params, 1, row) < 0)
        return;
    json_t *items = json_array();
    lz_err err = {0};
    if (workflow_target_contacts(rq->st, rq->params[0], add_contact, items, &err) < 0) {
        json_decref(items);
        http_fail(rs, &err);
        return;
    }
    http_json(rs, 200, json_pack("{s:o, s:o}", "target", export_row_json(t, row), "contacts", items));
}
