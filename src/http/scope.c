/*
 * scope — the role x table access rules (see scope.h). One row per table: what each role reads
 * and what it writes, in role order admin, bureau, chain, division, enterprise. Reference tables
 * (divisions, clusters, chains, segments) are public to every signed-in account; everything that
 * belongs to an enterprise follows the enterprise: its chain through memberships, its division
 * through enterprises.division, the enterprise itself through its USCC.
 */
#include "http/scope.h"

#include <string.h>

#define ALL                                                                                                                        \
    {                                                                                                                              \
        SCOPE_ALL, NULL, NULL, NULL, NULL                                                                                          \
    }
#define NONE                                                                                                                       \
    {                                                                                                                              \
        SCOPE_NONE, NULL, NULL, NULL, NULL                                                                                         \
    }
#define COL(c)                                                                                                                     \
    {                                                                                                                              \
        SCOPE_COLUMN, c, NULL, NULL, NULL                                                                                          \
    }
#define IN_CHAIN(c)                                                                                                                \
    {                                                                                                                              \
        SCOPE_VIA, c, "memberships", "uscc", "chain"                                                                               \
    }
#define IN_DIVISION(c)                                                                                                             \
    {                                                                                                                              \
        SCOPE_VIA, c, "enterprises", "uscc", "division"                                                                            \
    }

typedef struct table_rules {
    const char *table;
    scope_rule read[ROLE_COUNT], write[ROLE_COUNT];
} table_rules;

static const table_rules rules[] = {
    {"divisions", {ALL, ALL, ALL, ALL, ALL}, {ALL, NONE, NONE, NONE, NONE}},
    {"clusters", {ALL, ALL, ALL, ALL, ALL}, {ALL, NONE, NONE, NONE, NONE}},
    {"chains", {ALL, ALL, ALL, ALL, ALL}, {ALL, NONE, COL("code"), NONE, NONE}},
    {"segments", {ALL, ALL, ALL, ALL, ALL}, {ALL, NONE, COL("chain"), NONE, NONE}},
    {"enterprises",
     {ALL, ALL, IN_CHAIN("uscc"), COL("division"), COL("uscc")},
     {ALL, NONE, IN_CHAIN("uscc"), COL("division"), COL("uscc")}},
    {"memberships", {ALL, ALL, COL("chain"), IN_DIVISION("uscc"), COL("uscc")}, {ALL, NONE, COL("chain"), NONE, NONE}},
    {"indicators",
     {ALL, ALL, IN_CHAIN("uscc"), IN_DIVISION("uscc"), COL("uscc")},
     {ALL, NONE, NONE, IN_DIVISION("uscc"), COL("uscc")}},
    {"supply_links",
     {ALL, ALL, IN_CHAIN("customer"), IN_DIVISION("customer"), COL("customer")},
     {ALL, NONE, IN_CHAIN("customer"), IN_DIVISION("customer"), COL("customer")}},
    {"projects", {ALL, ALL, COL("chain"), COL("division"), COL("uscc")}, {ALL, NONE, COL("chain"), COL("division"), NONE}},
    {"persons",
     {ALL, ALL, IN_CHAIN("uscc"), IN_DIVISION("uscc"), COL("uscc")},
     {ALL, NONE, NONE, IN_DIVISION("uscc"), COL("uscc")}},
    {"events", {ALL, ALL, IN_CHAIN("uscc"), IN_DIVISION("uscc"), COL("uscc")}, {ALL, ALL, NONE, NONE, NONE}},
    {"targets", {ALL, ALL, COL("chain"), NONE, NONE}, {ALL, NONE, COL("chain"), NONE, NONE}},
    {"platforms", {ALL, ALL, IN_CHAIN("host_uscc"), IN_DIVISION("host_uscc"), COL("host_uscc")}, {ALL, ALL, NONE, NONE, NONE}},
    {"appeals",
     {ALL, COL("department"), COL("chain"), IN_DIVISION("uscc"), COL("uscc")},
     {ALL, COL("department"), COL("chain"), NONE, COL("uscc")}},
    /* a department or the chain's task force puts an enterprise on the directory, never the enterprise */
    {"key_enterprises", {ALL, ALL, COL("chain"), IN_DIVISION("uscc"), COL("uscc")}, {ALL, ALL, COL("chain"), NONE, NONE}},
};

static const scope_rule no_rows = NONE;

static const table_rules *rules_for(const table *t)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rules[i].table, t->name) == 0)
            return &rules[i];
    return NULL;
}

const scope_rule *scope_read_rule(const table *t, const account *who)
{
    const table_rules *r = rules_for(t);
    return r && who && who->role < ROLE_COUNT ? &r->read[who->role] : &no_rows;
}

const scope_rule *scope_write_rule(const table *t, const account *who)
{
    const table_rules *r = rules_for(t);
    return r && who && who->role < ROLE_COUNT ? &r->write[who->role] : &no_rows;
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
    /* via: does via_table hold a row with via_match = scope and via_column = value? */
    cell scope_value = cell_text(who->scope, strlen(who->scope));
    store_cond conds[2] = {
        {.column = rule->via_match, .values = &scope_value, .nvalues = 1},
        {.column = rule->via_column, .values = value, .nvalues = 1},
    };
    store_query q = {.t = tables_find(rule->via_table), .conds = conds, .nconds = 2, .limit = 1};
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
