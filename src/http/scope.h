/*
 * scope — which rows each role may read and write, table by table: the one place the server's
 * access rules live. Every route that touches a data table asks here, so "an enterprise account
 * can never read another enterprise's row" holds for get, list, search, export and the chain map
 * alike.
 *
 * A rule is one of: every row; no row; rows whose column equals the account's scope (an
 * enterprise's own USCC); rows whose column is in a set selected through another table (the
 * enterprises that are confirmed members of the account's chain, or located in its division).
 * A rule may hold only for accounts of one scope (personal data: the talent bureau alone).
 *
 * A write never enlarges the writer's scope: besides the row's own scoping column, every
 * enterprise a written row names must be one the writer already has in scope (its read scope over
 * enterprises), on the row as it was and as it will be. A table may let one column name any
 * enterprise (a supplier on a supply link, the enterprise a chain proposes as a member); such a
 * row gives the writer nothing over that enterprise.
 */
#ifndef LZ_SCOPE_H
#define LZ_SCOPE_H

#include <stdbool.h>

#include "core/err.h"
#include "model/tables.h"
#include "store/accounts.h"
#include "store/store.h"

typedef enum scope_kind { SCOPE_NONE, SCOPE_ALL, SCOPE_COLUMN, SCOPE_VIA } scope_kind;

/* The department whose bureau accounts read personal data (persons: wage income, income tax). */
#define SCOPE_TALENT_BUREAU "市人才工作局"

typedef struct scope_rule {
    scope_kind kind;
    const char *column; /* SCOPE_COLUMN, SCOPE_VIA: this table's column */
    const char *via_table, *via_column,
        *via_match;                        /* SCOPE_VIA: column IN (SELECT via_column FROM via_table WHERE via_match = scope) */
    const char *via_only, *via_only_value; /* SCOPE_VIA: ... AND via_only = via_only_value */
    const char *only_scope;                /* the rule holds for accounts of this scope; no row for others */
} scope_rule;

const scope_rule *scope_read_rule(const table *t, const account *who);
const scope_rule *scope_write_rule(const table *t, const account *who);
/* Whether column c of t refers to enterprises and must name one in the writer's scope (every
 * enterprise reference but the one column the table lets name any enterprise). */
bool scope_checks_reference(const table *t, const column *c);
/* Whether the enterprise uscc (a text cell) is in who's read scope over enterprises. A value that
 * names no enterprise is not; an empty value names nobody and is allowed. */
int scope_enterprise_allowed(store *st, const account *who, const cell *uscc, bool *ok, lz_err *err);

/* The condition that restricts a query to rule's rows. Returns 1 and fills cond (its value points
 * into who->scope and *value) when a condition is needed, 0 for every row, -1 for no row. */
int scope_cond(const scope_rule *rule, const account *who, cell *value, store_cond *cond);
/* Whether a value of rule's column is within rule for who: SCOPE_VIA looks it up in the via
 * table. A value that names no row there is simply not within the scope. */
int scope_value_allowed(store *st, const scope_rule *rule, const account *who, const cell *value, bool *ok, lz_err *err);
/* Whether a row (t->ncols cells) is within rule for who. */
int scope_row_allowed(store *st, const table *t, const scope_rule *rule, const account *who, const cell *row, bool *ok,
                      lz_err *err);

#endif
