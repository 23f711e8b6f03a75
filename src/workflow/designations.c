/*
 * designations — the chain-master designation decision (see designations.h): the kinds and what
 * each writes, who may, the gates of the evaluation, and the one transaction of an approval.
 * The decisions are stored by store/designations_sql.c; the data rows are written through the
 * table contract (store_upsert), as an import writes them.
 */
#include "workflow/designations.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/masters.h"
#include "core/arena.h"
#include "core/date.h"
#include "exchange/export.h"
#include "store/audit.h"

/* ---- the kinds ------------------------------------------------------------------------------ */

typedef struct kind_rule {
    const char *name;
    const char *event_kind; /* the event an approval records */
    const char *role;       /* the role it gives every confirmed membership in the chain */
    const char *needs;      /* the role the enterprise must hold now; NULL: any but those refused */
    const char *refuses;    /* roles that make the kind pointless (space-separated), or NULL */
    bool designates;        /* gated by the evaluation; puts the enterprise on the key-enterprise directory */
} kind_rule;

static const kind_rule kind_rules[] = {
    {"master", "chain_master_designated", "chain_master", NULL, "chain_master", true},
    {"reserve", "reserve_master_designated", "reserve_master", NULL, "chain_master reserve_master", true},
    {"leave-reserve", "reserve_master_removed", "backbone", "reserve_master", NULL, false},
    {"revoke", "chain_master_revoked", "backbone", "chain_master", NULL, false},
};
#define NKINDS (sizeof kind_rules / sizeof kind_rules[0])

const char *const designations_kinds[] = {"master", "reserve", "leave-reserve", "revoke", NULL};
_Static_assert(sizeof designations_kinds / sizeof designations_kinds[0] == NKINDS + 1, "one name per kind rule");
const char *const designations_statuses[] = {DESIGNATIONS_SQL_PENDING, "approved", "rejected", "withdrawn", NULL};
const char *const designations_moves[] = {"approved", "rejected", "withdrawn", NULL};

static bool one_of(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static const kind_rule *kind_find(const char *name)
{
    for (size_t i = 0; name && i < NKINDS; i++)
        if (strcmp(kind_rules[i].name, name) == 0)
            return &kind_rules[i];
    return NULL;
}

static bool in_words(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* Whether an enterprise holding `role` in the chain (NULL: no confirmed membership) may be the
 * subject of kind k. */
static int check_role(const kind_rule *k, const char *uscc, const char *chain, const char *role, lz_err *err)
{
    if (!role)
        return err_set(err, LZ_EINPUT, "enterprise: %s is not a confirmed member of chain %s (confirm its membership first)", uscc,
                       chain);
    if (k->needs && strcmp(role, k->needs) != 0)
        return err_set(err, LZ_ECONFLICT, "enterprise: %s has the role %s in chain %s, not %s", uscc, role, chain, k->needs);
    if (in_words(k->refuses, role))
        return err_set(err, LZ_ECONFLICT, "enterprise: %s has the role %s in chain %s already", uscc, role, chain);
    return 0;
}

/* ---- who may -------------------------------------------------------------------------------- */

int designations_may(store *st, const account *who, const char *chain, lz_err *err)
{
    const table *chains = tables_find("chains");
    cell key = cell_text(chain, strlen(chain)), row[TABLES_MAX_COLS];
    bool found = false;
    arena a;
    arena_init(&a, 512);
    int rc = store_get(st, chains, &key, &a, row, &found, err);
    if (rc == 0 && !found)
        rc = err_set(err, LZ_ENOTFOUND, "chain: '%s' does not exist", chain);
    const cell *dept = rc == 0 ? &row[table_column_index(chains, "lead_department")] : NULL;
    if (rc == 0 && who->role == ROLE_CHAIN && strcmp(who->scope, chain) != 0)
        rc = err_set(err, LZ_EDENIED, "a chain account decides on its own chain's masters only");
    else if (rc == 0 && who->role == ROLE_BUREAU && (dept->kind != CELL_TEXT || strcmp(dept->s, who->scope) != 0))
        rc = err_set(err, LZ_EDENIED, "a bureau decides on the masters of the chains it leads only (chain %s is led by %s)", chain,
                     dept->kind == CELL_TEXT ? dept->s : "no department");
    else if (rc == 0 && (who->role == ROLE_DIVISION || who->role == ROLE_ENTERPRISE))
        rc = err_set(err, LZ_EDENIED, "chain masters are designated by the chain's officials, not by %s account",
                     who->role == ROLE_ENTERPRISE ? "an enterprise" : "a division");
    arena_free(&a);
    return rc;
}

/* ---- JSON ----------------------------------------------------------------------------------- */

json_t *designations_json(const designation *d)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:s?, s:o, s:s, s:s, s:s?, s:s, s:s?, s:s?, s:s?}", "id",
                     (json_int_t)d->id, "chain", d->chain, "enterprise", d->uscc, "kind", d->kind, "batch", d->batch, "date",
                     d->date, "year", d->year, "score", d->score, "rank", d->rank > 0 ? json_integer(d->rank) : json_null(),
                     "proposed_by", d->proposed_by, "proposed_at", d->proposed_at, "reason", d->reason, "status", d->status,
                     "decided_by", d->decided_by, "decided_at", d->decided_at, "decision_reason", d->decision_reason);
}

static int append_json(void *ctx, const designation *d)
{
    json_array_append_new(ctx, designations_json(d));
    return 0;
}

/* Whether chain names a chain: 0, or LZ_ENOTFOUND naming it. */
static int chain_exists(store *st, const char *chain, lz_err *err)
{
    cell key = cell_text(chain, strlen(chain)), row[TABLES_MAX_COLS];
    bool found = false;
    arena a;
    arena_init(&a, 256);
    int rc = store_get(st, tables_find("chains"), &key, &a, row, &found, err);
    arena_free(&a);
    return rc < 0 ? rc : found ? 0 : err_set(err, LZ_ENOTFOUND, "chain: '%s' does not exist", chain);
}

int designations_list_json(store *st, const char *chain, const char *status, json_t **out, lz_err *err)
{
    if (status && !one_of(designations_statuses, status))
        return err_set(err, LZ_EINPUT, "status: one of proposed, approved, rejected, withdrawn, not '%s'", status);
    int rc = chain ? chain_exists(st, chain, err) : 0;
    if (rc < 0)
        return rc;
    json_t *list = json_array();
    rc = designations_sql_list(st, chain, status, append_json, list, err);
    if (rc < 0) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return 0;
}

/* ---- audit ---------------------------------------------------------------------------------- */

/* Appends the audit entry of target from before to after (either may be NULL); takes both. */
static int audit_json(store *st, const char *actor, const char *via, const char *target, json_t *before, json_t *after, lz_err *err)
{
    char *b = before ? json_dumps(before, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *af = after ? json_dumps(after, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    audit_entry e = {.actor = actor, .via = via, .target = target, .before = b, .after = af};
    int rc = audit_append(st, &e, err);
    free(b);
    free(af);
    json_decref(before);
    json_decref(after);
    return rc;
}

static int audit_decision(store *st, int64_t id, const designation *before, const char *actor, const char *via, lz_err *err)
{
    arena a;
    arena_init(&a, 1024);
    designation now;
    bool found = false;
    int rc = designations_sql_get(st, id, &a, &now, &found, err);
    if (rc == 0)
        rc = audit_json(st, actor, via, arena_printf(&a, "master_decisions/%lld", (long long)id),
                        before ? designations_json(before) : NULL, found ? designations_json(&now) : NULL, err);
    arena_free(&a);
    return rc;
}

/* Upserts row into t with its audit entry (target t/key), before being the row it replaces or NULL. */
static int write_row(store *st, const table *t, const cell *row, const cell *before, const char *target, const char *actor,
                     const char *via, lz_err *err)
{
    int rc = store_upsert(st, t, row, NULL, err);
    if (rc == 0)
        rc = audit_json(st, actor, via, target, before ? export_row_json(t, before) : NULL, export_row_json(t, row), err);
    return rc;
}

/* ---- the enterprise's memberships in the chain ---------------------------------------------- */

#define MAX_SEGMENTS 16 /* confirmed memberships of one enterprise in one chain */

typedef struct members {
    const table *t;
    arena *a;
    cell rows[MAX_SEGMENTS][TABLES_MAX_COLS];
    size_t n;
    bool too_many;
    const char *role; /* the highest of their roles, NULL when none */
} members;

static int role_rank(const table *t, const char *role)
{
    const char *const *values = t->cols[table_column_index(t, "role")].values;
    for (int i = 0; values[i]; i++)
        if (strcmp(values[i], role) == 0)
            return i;
    return 1 << 20;
}

static int collect_member(void *ctx, const cell *row)
{
    members *m = ctx;
    int status = table_column_index(m->t, "status"), role = table_column_index(m->t, "role");
    if (row[status].kind == CELL_TEXT && strcmp(row[status].s, "confirmed") != 0)
        return 0;
    if (m->n == MAX_SEGMENTS) {
        m->too_many = true;
        return 1;
    }
    for (size_t i = 0; i < m->t->ncols; i++)
        m->rows[m->n][i] = row[i].kind == CELL_TEXT ? cell_text(arena_strndup(m->a, row[i].s, row[i].n), row[i].n) : row[i];
    const char *r = m->rows[m->n][role].s;
    if (!m->role || role_rank(m->t, r) < role_rank(m->t, m->role))
        m->role = r;
    m->n++;
    return 0;
}

static int read_members(store *st, const char *uscc, const char *chain, members *m, lz_err *err)
{
    cell u = cell_text(uscc, strlen(uscc)), c = cell_text(chain, strlen(chain));
    store_cond conds[] = {{.column = "uscc", .values = &u, .nvalues = 1}, {.column = "chain", .values = &c, .nvalues = 1}};
    store_query q = {.t = m->t, .conds = conds, .nconds = 2};
    int rc = store_scan(st, &q, collect_member, m, err);
    if (rc == 0 && m->too_many)
        rc = err_set(err, LZ_EINTERNAL, "memberships: %s has more than %d segments in chain %s", uscc, MAX_SEGMENTS, chain);
    return rc;
}

/* ---- proposing ------------------------------------------------------------------------------ */

static const char *gate_words(const char *gate)
{
    if (strcmp(gate, "local") == 0)
        return "the enterprise is not local";
    if (strcmp(gate, "revenue_floor") == 0)
        return "its revenue of the year is unknown or below the floor";
    return "see masters evaluate";
}

/* The candidate's line in the evaluation of p->year: its role, and for a designation the gate,
 * score and rank, copied into d (strings in a). */
static int evaluate(store *st, const designations_proposal *p, const kind_rule *k, const masters_criteria *mc, arena *a,
                    designation *d, lz_err *err)
{
    json_t *doc = NULL, *cand = NULL, *c;
    size_t i;
    int rc = masters_run(st, p->year, p->chain, mc, &(masters_listing){.top = 0, .uscc = p->uscc}, &doc, err);
    if (rc < 0)
        return rc;
    json_array_foreach(json_object_get(json_array_get(json_object_get(doc, "chains"), 0), "candidates"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "uscc")), p->uscc) == 0)
            cand = c;
    }
    const char *role = cand ? json_string_value(json_object_get(cand, "role")) : NULL;
    const char *gate = cand ? json_string_value(json_object_get(cand, "gate")) : NULL;
    rc = check_role(k, p->uscc, p->chain, role, err);
    if (rc == 0 && k->designates && gate)
        rc = err_set(err, LZ_EINPUT, "enterprise: %s failed the gate '%s' in the evaluation of %d (%s): it cannot be designated",
                     p->uscc, gate, p->year, gate_words(gate));
    if (rc == 0 && cand) {
        const char *score = json_string_value(json_object_get(cand, "score"));
        d->score = score ? arena_strndup(a, score, strlen(score)) : NULL;
        d->rank = (int)json_integer_value(json_object_get(cand, "rank"));
    }
    json_decref(doc);
    return rc;
}

static int check_proposal(const designations_proposal *p, lz_err *err)
{
    int32_t day;
    char why[128];
    if (!p->chain || !*p->chain)
        return err_set(err, LZ_EINPUT, "chain: required");
    if (!p->uscc || !*p->uscc)
        return err_set(err, LZ_EINPUT, "enterprise: the USCC of the enterprise is required");
    if (!kind_find(p->kind))
        return err_set(err, LZ_EINPUT, "kind: one of master, reserve, leave-reserve, revoke, not '%s'", p->kind ? p->kind : "");
    if (!p->batch || !*p->batch)
        return err_set(err, LZ_EINPUT, "batch: the batch label is required (e.g. 第二批链主企业)");
    if (!p->date || date_parse(p->date, strlen(p->date), &day, why, sizeof why) < 0)
        return err_set(err, LZ_EINPUT, "date: %s", p->date ? why : "the designation's date YYYY-MM-DD is required");
    if (p->year < TABLES_YEAR_MIN || p->year > TABLES_YEAR_MAX)
        return err_set(err, LZ_EINPUT, "year: the year of the evaluation, " TABLES_YEARS("..") ", is required");
    return 0;
}

int designations_propose(store *st, const account *who, const designations_proposal *p, const masters_criteria *mc, const char *via,
                         int64_t *id, lz_err *err)
{
    int rc = check_proposal(p, err);
    if (rc == 0)
        rc = designations_may(st, who, p->chain, err);
    arena a;
    arena_init(&a, 512);
    designation d = {.chain = p->chain,
                     .uscc = p->uscc,
                     .kind = p->kind,
                     .batch = p->batch,
                     .date = p->date,
                     .year = p->year,
                     .proposed_by = who->name,
                     .reason = p->reason && *p->reason ? p->reason : NULL};
    if (rc == 0)
        rc = evaluate(st, p, kind_find(p->kind), mc, &a, &d, err);
    if (rc == 0)
        rc = store_begin(st, err);
    if (rc == 0) {
        rc = designations_sql_insert(st, &d, id, err);
        if (rc == 0)
            rc = audit_decision(st, *id, NULL, who->name, via, err);
        rc = rc == 0 ? store_commit(st, err) : (store_rollback(st), rc);
    }
    arena_free(&a);
    return rc;
}

/* ---- deciding ------------------------------------------------------------------------------- */

/* The decision's event: a new row, never one that exists (an id taken is a conflict). */
static int write_event(store *st, const designation *d, const kind_rule *k, const char *actor, const char *via, arena *a,
                       lz_err *err)
{
    const table *t = tables_find("events");
    const char *id = arena_printf(a, "designation-%lld", (long long)d->id);
    cell key = cell_text(id, strlen(id)), row[TABLES_MAX_COLS];
    bool found = false;
    int rc = store_get(st, t, &key, a, row, &found, err);
    if (rc == 0 && found)
        return err_set(err, LZ_ECONFLICT, "events: an event %s exists already", id);
    for (size_t i = 0; i < t->ncols; i++)
        row[i] = cell_null();
    row[table_column_index(t, "id")] = key;
    row[table_column_index(t, "uscc")] = cell_text(d->uscc, strlen(d->uscc));
    row[table_column_index(t, "date")] = cell_text(d->date, strlen(d->date));
    row[table_column_index(t, "kind")] = cell_text(k->event_kind, strlen(k->event_kind));
    row[table_column_index(t, "detail")] = cell_text(d->batch, strlen(d->batch));
    row[table_column_index(t, "chain")] = cell_text(d->chain, strlen(d->chain));
    return rc ? rc : write_row(st, t, row, NULL, arena_printf(a, "events/%s", id), actor, via, err);
}

static int write_roles(store *st, const designation *d, const kind_rule *k, const char *actor, const char *via, arena *a,
                       lz_err *err)
{
    members m = {.t = tables_find("memberships"), .a = a};
    int rc = read_members(st, d->uscc, d->chain, &m, err);
    if (rc == 0)
        rc = check_role(k, d->uscc, d->chain, m.role, err);
    int role = table_column_index(m.t, "role"), segment = table_column_index(m.t, "segment");
    for (size_t i = 0; rc == 0 && i < m.n; i++) {
        cell row[TABLES_MAX_COLS];
        memcpy(row, m.rows[i], sizeof row);
        row[role] = cell_text(k->role, strlen(k->role));
        const char *target = arena_printf(a, "memberships/%s/%s/%s", d->uscc, d->chain, m.rows[i][segment].s);
        rc = write_row(st, m.t, row, m.rows[i], target, actor, via, err);
    }
    return rc;
}

/* The deciding unit named on the directory: the chain's lead department, else the approver. */
static const char *deciding_unit(store *st, const designation *d, const char *approver, arena *a, lz_err *err)
{
    const table *chains = tables_find("chains");
    cell key = cell_text(d->chain, strlen(d->chain)), row[TABLES_MAX_COLS];
    bool found = false;
    if (store_get(st, chains, &key, a, row, &found, err) < 0)
        return NULL;
    const cell *dept = &row[table_column_index(chains, "lead_department")];
    return found && dept->kind == CELL_TEXT ? dept->s : approver;
}

static int write_directory(store *st, const designation *d, const char *actor, const char *via, arena *a, lz_err *err)
{
    const table *t = tables_find("key_enterprises");
    cell key[2] = {cell_text(d->uscc, strlen(d->uscc)), cell_text(d->chain, strlen(d->chain))}, row[TABLES_MAX_COLS];
    bool found = false;
    int rc = store_get(st, t, key, a, row, &found, err);
    if (rc < 0 || found)
        return rc; /* on the directory already, since an earlier date */
    const char *unit = deciding_unit(st, d, actor, a, err);
    if (!unit)
        return LZ_EINTERNAL;
    for (size_t i = 0; i < t->ncols; i++)
        row[i] = cell_null();
    row[table_column_index(t, "uscc")] = key[0];
    row[table_column_index(t, "chain")] = key[1];
    row[table_column_index(t, "since")] = cell_text(d->date, strlen(d->date));
    row[table_column_index(t, "decided_by")] = cell_text(unit, strlen(unit));
    return write_row(st, t, row, NULL, arena_printf(a, "key_enterprises/%s/%s", d->uscc, d->chain), actor, via, err);
}

/* Everything an approval writes beside the decision's status. */
static int apply(store *st, const designation *d, const char *actor, const char *via, arena *a, lz_err *err)
{
    const kind_rule *k = kind_find(d->kind);
    if (!k)
        return err_set(err, LZ_EINTERNAL, "master_decisions: decision %lld has the unknown kind '%s'", (long long)d->id, d->kind);
    int rc = write_roles(st, d, k, actor, via, a, err);
    if (rc == 0)
        rc = write_event(st, d, k, actor, via, a, err);
    if (rc == 0 && k->designates)
        rc = write_directory(st, d, actor, via, a, err);
    return rc;
}

static int check_decider(const designation *d, const account *who, const char *to, const char *reason, lz_err *err)
{
    if (!one_of(designations_moves, to))
        return err_set(err, LZ_EINPUT, "to: one of approved, rejected, withdrawn, not '%s'", to ? to : "");
    if (strcmp(d->status, DESIGNATIONS_SQL_PENDING) != 0)
        return err_set(err, LZ_ECONFLICT, "decision %lld is %s already", (long long)d->id, d->status);
    bool own = strcmp(d->proposed_by, who->name) == 0;
    if (strcmp(to, "withdrawn") == 0)
        return own ? 0
                   : err_set(err, LZ_EDENIED, "only %s, who proposed decision %lld, withdraws it", d->proposed_by,
                             (long long)d->id);
    if (own)
        return err_set(
            err, LZ_EDENIED,
            "four eyes: %s proposed decision %lld and cannot decide it (another official does; the proposer may withdraw it)",
            who->name, (long long)d->id);
    if (strcmp(to, "rejected") == 0 && (!reason || !*reason))
        return err_set(err, LZ_EINPUT, "reason: rejecting a proposal needs a reason");
    return 0;
}

int designations_decide(store *st, const account *who, int64_t id, const char *to, const char *reason, const char *via, lz_err *err)
{
    arena a;
    arena_init(&a, 2048);
    designation d;
    bool found = false;
    int rc = designations_sql_get(st, id, &a, &d, &found, err);
    if (rc == 0 && !found)
        rc = err_set(err, LZ_ENOTFOUND, "no decision %lld", (long long)id);
    if (rc == 0)
        rc = designations_may(st, who, d.chain, err);
    if (rc == 0)
        rc = check_decider(&d, who, to, reason, err);
    if (rc == 0)
        rc = store_begin(st, err);
    if (rc == 0) {
        rc = designations_sql_decide(st, id, to, who->name, reason && *reason ? reason : NULL, err);
        if (rc == 0 && strcmp(to, "approved") == 0)
            rc = apply(st, &d, who->name, via, &a, err);
        if (rc == 0)
            rc = audit_decision(st, id, &d, who->name, via, err);
        rc = rc == 0 ? store_commit(st, err) : (store_rollback(st), rc);
    }
    arena_free(&a);
    return rc;
}
