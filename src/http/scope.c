/*
 * scope — the role x table access rules (see scope.h). One row per table: what each role reads
 * and what it writes, in role order admin, bureau, chain, division, enterprise. Reference tables
 * (divisions, clusters, chains, segments) are public to every signed-in account; everything that
 * belongs to an enterprise follows the enterprise: its chain through memberships, its division
 * through enterprises.division, the enterprise itself through its USCC. A chain's members are the
 * enterprises of its confirmed memberships: a proposal (status `proposed`) gives it nothing.
 * Personal data (persons) is the enterprise's own, the talent bureau's and an admin's alone.
 */
#include "http/scope.h"

#include <string.h>

#define ALL                                                                                                                        \
    {                                                                                                                              \
        .kind = SCOPE_ALL                                                                                                          \
    }
#define NONE                                                                                                                       \
    {                                                                                                                              \
        .kind = SCOPE_NONE                                                                                                         \
    }
#define ONLY_FOR(scope)                                                                                                            \
    {                                                                                                                              \
        .kind = SCOPE_ALL, .only_scope = scope                                                                                     \
    }
#define COL(c)                                                                                                                     \
    {                                                                                                                              \
        .kind = SCOPE_COLUMN, .column = c                                                                                          \
    }
#define IN_CHAIN(c)                                                                                                                \
    {                                                                                                                              \
        .kind = SCOPE_VIA, .column = c, .via_table = "memberships", .via_column = "uscc", .via_match = "chain",                    \
        .via_only = "status", .via_only_value = "confirmed"                                                                        \
    }
#define IN_DIVISION(c)                                                                                                             \
    {                                                                                                                              \
        .kind = SCOPE_VIA, .column = c, .via_table = "enterprises", .via_column = "uscc", .via_match = "division"                  \
    }

typedef struct table_rules {
    const char *table;
    scope_rule read[ROLE_COUNT], write[ROLE_COUNT];
    const char *names_any; /* the enterprise reference that may name any enterprise */
} table_rules;

static const table_rules rules[] = {
    {"divisions", {ALL, ALL, ALL, ALL, ALL}, {ALL, NONE, NONE, NONE, NONE}, NULL},
    {"clusters", {ALL, ALL, ALL, ALL, ALL}, {ALL, NONE, NONE, NONE, NONE}, NULL},
    {"chains", {ALL, ALL, ALL, ALL, ALL}, {ALL, NONE, COL("code"), NONE, NONE}, NULL},
    {"segments", {ALL, ALL, ALL, ALL, ALL}, {ALL, NONE, COL("chain"), NONE, NONE}, NULL},
    {"enterprises",
     {ALL, ALL, IN_CHAIN("uscc"), COL("division"), COL("uscc")},
     {ALL, NONE, IN_CHAIN("uscc"), COL("division"), COL("uscc")},
     NULL},
    {"memberships",
     {ALL, ALL, COL("chain"), IN_DIVISION("uscc"), COL("uscc")},
     {ALL, ALL, COL("chain"), IN_DIVISION("uscc"), COL("uscc")},
     "uscc"},
    {"indicators",
     {ALL, ALL, IN_CHAIN("uscc"), IN_DIVISION("uscc"), COL("uscc")},
     {ALL, NONE, NONE, IN_DIVISION("uscc"), COL("uscc")},
     NULL},
    {"supply_links",
     {ALL, ALL, IN_CHAIN("customer"), IN_DIVISION("customer"), COL("customer")},
     {ALL, NONE, IN_CHAIN("customer"), IN_DIVISION("customer"), COL("customer")},
     "supplier"},
    {"projects", {ALL, ALL, COL("chain"), COL("division"), COL("uscc")}, {ALL, NONE, COL("chain"), COL("division"), NONE}, NULL},
    {"persons", {ALL, ONLY_FOR(SCOPE_TALENT_BUREAU), NONE, NONE, COL("uscc")}, {ALL, NONE, NONE, NONE, COL("uscc")}, NULL},
    {"events", {ALL, ALL, IN_CHAIN("uscc"), IN_DIVISION("uscc"), COL("uscc")}, {ALL, ALL, NONE, NONE, NONE}, NULL},
    {"targets", {ALL, ALL, COL("chain"), NONE, NONE}, {ALL, NONE, COL("chain"), NONE, NONE}, NULL},
    {"platforms",
     {ALL, ALL, IN_CHAIN("host_uscc"), IN_DIVISION("host_uscc"), COL("host_uscc")},
     {ALL, ALL, NONE, NONE, NONE},
     NULL},
    {"appeals",
     {ALL, COL("department"), COL("chain"), IN_DIVISION("uscc"), COL("uscc")},
     {ALL, COL("department"), COL("chain"), NONE, COL("uscc")},
     NULL},
    /* a department or the chain's task force puts an enterprise on the directory, never the enterprise */
    {"key_enterprises", {ALL, ALL, COL("chain"), IN_DIVISION("uscc"), COL("uscc")}, {ALL, ALL, COL("chain"), NONE, NONE}, NULL},
};

static const scope_rule no_rows = NONE;

static const table_rules *rules_for(const table *t)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rules[i].table, t->name) == 0)
            return &rules[i];
    return NULL;
}

/* The rule of one role, or no row when it holds only for accounts of another scope. */
static const scope_rule *for_account(const scope_rule *rule, const account *who)
{
    return rule->only_scope && strcmp(rule->only_scope, who->scope) != 0 ? &no_rows : rule;
}

const scope_rule *scope_read_rule(const table *t, const account *who)
{
    const table_rules *r = rules_for(t);
    return r && who && who->role < ROLE_COUNT ? for_account(&r->read[who->role], who) : &no_rows;
}

const scope_rule *scope_write_rule(const table *t, const account *who)
{
    const table_rules *r = rules_for(t);
    return r && who && who->role < ROLE_COUNT ? for_account(&r->write[who->role], who) : &no_rows;
}

bool scope_checks_reference(const table *t, const column *c)
{
    const table_rules *r = rules_for(t);
    return c->ref_table && strcmp(c->ref_table, "enterprises") == 0 && !(r && r->names_any && strcmp(r->names_any, c->name) == 0);
}

int scope_enterprise_allowed(store *st, const account *who, const cell *uscc, bool *ok, lz_err *err)
{
    const table *t = tables_find("enterprises");
    const scope_rule *rule = scope_read_rule(t, who);
    *ok = uscc->kind == CELL_NULL || (uscc->kind == CELL_TEXT && uscc->n == 0) || rule->kind == SCOPE_ALL;
    if (*ok || rule->kind == SCOPE_NONE)
        return 0;
    cell scope_value;
    store_cond conds[2] = {{.column = "uscc", .values = uscc, .nvalues = 1}};
    scope_cond(rule, who, &scope_value, &conds[1]);
    store_query q = {.t = t, .conds = conds, .nconds = 2, .limit = 1};
    int64_t n = 0;
    int rc = store_count(st, &q, &n, err);
    *ok = rc == 0 && n > 0;
    return rc;
}

int scope_cond(const scope_rule *rule, const account *who, cell *value, store_cond *cond)
{
    switch (rule->kind) {
    case SCOPE_ALL:
        return 0;
    case SCOPE_NONE:
        return -1;
    default:
        *value = cell_text(who->scope, strlen(who->scope));
        *cond = (store_cond){.column = rule->column, .values = value, .nvalues = 1};
        if (rule->kind == SCOPE_VIA) {
            cond->via_table = rule->via_table;
            cond->via_column = rule->via_column;
            cond->via_match = rule->via_match;
            cond->via_only = rule->via_only;
            cond->via_only_value = rule->via_only_value;
        }
        return 1;
    }
}

static bool cell_is_text(const cell *c, const char *s)
{
    return c->kind == CELL_TEXT && c->n == strlen(s) && memcmp(c->s, s, c->n) == 0;
}

int scope_value_allowed(store *st, const scope_rule *rule, const account *who, const cell *value, bool *ok, lz_err *err)
{
    *ok = false;
    if (rule->kind == SCOPE_ALL || rule->kind == SCOPE_NONE) {
        *ok = rule->kind == SCOPE_ALL;
        return 0;
    }
    if (value->kind != CELL_TEXT || value->n == 0)
        return 0; /* an empty scoping column belongs to nobody's scope */
    if (rule->kind == SCOPE_COLUMN) {
        *ok = cell_is_text(value, who->scope);
        return 0;
    }
    /* via: does via_table hold a row with via_match = scope and via_column = value (and
     * via_only = via_only_value)? */
    cell scope_value = cell_text(who->scope, strlen(who->scope));
    cell only = rule->via_only ? cell_text(rule->via_only_value, strlen(rule->via_only_value)) : cell_null();
    store_cond conds[3] = {
        {.column = rule->via_match, .values = &scope_value, .nvalues = 1},
        {.column = rule->via_column, .values = value, .nvalues = 1},
        {.column = rule->via_only, .values = &only, .nvalues = 1},
    };
    store_query q = {.t = tables_find(rule->via_table), .conds = conds, .nconds = rule->via_only ? 3 : 2, .limit = 1};
    int64_t n = 0;
    int rc = store_count(st, &q, &n, err);
    *ok = rc == 0 && n > 0;
    return rc;
}

int scope_row_allowed(store *st, const table *t, const scope_rule *rule, const account *who, const cell *row, bool *ok, lz_err *err)
{
    int ci = rule->column ? table_column_index(t, rule->column) : -1;
    cell none = cell_null();
    return scope_value_allowed(st, rule, who, ci < 0 ? &none : &row[ci], ok, err);
}
