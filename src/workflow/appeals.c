/*
 * appeals — the escalation of overdue appeals (see appeals.h): one transaction per sweep, each
 * appeal's status, history entry and audit entry written together. The moves and the statuses an
 * appeal is escalated from are the workflow's rules (store/workflow.c); this file carries them out.
 */
#include "workflow/appeals.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "exchange/export.h"
#include "store/audit.h"
#include "store/workflow.h"

typedef struct overdue {
    const table *t;
    const char *today;
    json_t *ids; /* of the appeals to escalate */
} overdue;

static int collect_overdue(void *ctx, const cell *row)
{
    overdue *o = ctx;
    int due = table_column_index(o->t, "due");
    if (row[due].kind == CELL_TEXT && strncmp(row[due].s, o->today, DATE_LEN) < 0)
        json_array_append_new(o->ids, json_stringn(row[0].s, row[0].n));
    return 0;
}

/* The leader an appeal goes to: its chain's leader, else the chain code, else nobody named. */
static char *leader_of(store *st, const cell *chain, arena *a, lz_err *err)
{
    cell row[TABLES_MAX_COLS];
    bool found = false;
    const table *chains = tables_find("chains");
    if (chain->kind != CELL_TEXT)
        return arena_printf(a, "the chain leader (the appeal names no chain)");
    if (store_get(st, chains, chain, a, row, &found, err) < 0)
        return NULL;
    int leader = table_column_index(chains, "leader");
    if (found && row[leader].kind == CELL_TEXT)
        return arena_printf(a, "chain leader %.*s (%.*s)", (int)row[leader].n, row[leader].s, (int)chain->n, chain->s);
    return arena_printf(a, "the leader of chain %.*s", (int)chain->n, chain->s);
}

static int escalate_one(store *st, const table *t, const char *id, const char *actor, const char *at, arena *a, lz_err *err)
{
    cell key = cell_text(id, strlen(id)), row[TABLES_MAX_COLS];
    bool found = false;
    if (store_get(st, t, &key, a, row, &found, err) < 0 || !found)
        return found ? LZ_EINTERNAL : 0;
    int status = table_column_index(t, "status"), due = table_column_index(t, "due");
    json_t *before = export_row_json(t, row);
    char *from = arena_strndup(a, row[status].s, row[status].n);
    row[status] = cell_text("escalated", 9);
    json_t *after = export_row_json(t, row);
    char *to_whom = leader_of(st, &row[table_column_index(t, "chain")], a, err);
    char *note = to_whom ? arena_printf(a, "past due %.*s: escalated to %s", (int)row[due].n, row[due].s, to_whom) : NULL;
    char *b = json_dumps(before, JSON_COMPACT | JSON_PRESERVE_ORDER), *af = json_dumps(after, JSON_COMPACT | JSON_PRESERVE_ORDER);
    audit_entry e = {.actor = actor,
                     .via = "escalation of overdue appeals",
                     .target = arena_printf(a, "appeals/%s", id),
                     .before = b,
                     .after = af};
    int rc = note ? store_upsert(st, t, row, NULL, err) : LZ_EINTERNAL;
    if (rc == 0)
        rc = workflow_appeal_log(st, id, at, actor, from, "escalated", note, err);
    if (rc == 0)
        rc = audit_append(st, &e, err);
    free(b);
    free(af);
    json_decref(before);
    json_decref(after);
    return rc;
}

int appeals_escalate_overdue(store *st, int32_t today, const char *actor, const char *at, json_t *escalated, lz_err *err)
{
    const table *t = tables_find("appeals");
    char day[DATE_LEN + 1];
    date_format(today, day);
    cell open[WORKFLOW_ESCALATES_FROM];
    for (size_t i = 0; i < WORKFLOW_ESCALATES_FROM; i++)
        open[i] = cell_text(workflow_appeal_escalates_from[i], strlen(workflow_appeal_escalates_from[i]));
    store_cond cond = {.column = "status", .values = open, .nvalues = WORKFLOW_ESCALATES_FROM};
    store_query q = {.t = t, .conds = &cond, .nconds = 1};
    overdue o = {.t = t, .today = day, .ids = json_array()};
    arena a;
    arena_init(&a, 4096);
    int rc = store_scan(st, &q, collect_overdue, &o, err);
    if (rc == 0 && json_array_size(o.ids) > 0) {
        rc = store_begin(st, err);
        size_t i;
        json_t *id;
        json_array_foreach(o.ids, i, id)
        {
            if (rc == 0)
                rc = escalate_one(st, t, json_string_value(id), actor, at, &a, err);
        }
        rc = rc == 0 ? store_commit(st, err) : (store_rollback(st), rc);
    }
    if (rc == 0 && escalated)
        json_array_extend(escalated, o.ids);
    json_decref(o.ids);
    arena_free(&a);
    return rc;
}
