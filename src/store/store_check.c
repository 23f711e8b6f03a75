/*
 * store_check — `lianzhang check`: re-validates every stored row against the data contract, the
 * way import would have (values, cross-field rules, references including ';'-lists), and asks
 * SQLite for its own integrity and foreign-key verdicts. Rows can reach the file by other paths
 * (an older binary, a hand edit with the sqlite3 shell); this finds what they broke. Then the
 * rules across tables: every (reserve) chain-master designation, removal from the reserve pool
 * and revocation names its chain, and the chain's memberships agree with the latest of them. Last,
 * the indicators' packs against the rows (indicator_packs_check), rebuilt where they differ.
 */
#include "store/store_impl.h"

#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "model/cellfmt.h"
#include "store/indicator_packs.h"

typedef struct check_ctx {
    store *st;
    const table *t;
    store_problem_fn fn;
    void *fn_ctx;
    strbuf text;
    arena scratch;
    int failed;
} check_ctx;

static void key_text(const table *t, const cell *row, strbuf *out)
{
    strbuf_reset(out);
    for (size_t i = 0; i < t->ncols; i++) {
        if (!(t->cols[i].flags & COLF_KEY))
            continue;
        if (out->len)
            strbuf_putc(out, '/');
        cell_format(&t->cols[i], &row[i], out);
    }
}

static void problem(check_ctx *c, const cell *row, const char *colname, const char *why)
{
    strbuf key, msg;
    strbuf_init(&key);
    strbuf_init(&msg);
    key_text(c->t, row, &key);
    strbuf_printf(&msg, "%s: %s: %s", key.data, colname, why);
    c->fn(c->fn_ctx, c->t->name, msg.data);
    strbuf_free(&key);
    strbuf_free(&msg);
}

static const char *scope_of(const table *t, const column *col, const cell *row)
{
    if (!col->scope_column)
        return NULL;
    int s = table_column_index(t, col->scope_column);
    return s >= 0 && row[s].kind == CELL_TEXT ? row[s].s : NULL;
}

static void check_refs(check_ctx *c, const column *col, const cell *row, const cell *v)
{
    if (!col->ref_table || v->kind != CELL_TEXT)
        return;
    const char *scope = scope_of(c->t, col, row);
    const char *p = v->s;
    while (*p) {
        const char *end = col->type == COL_LIST ? strchr(p, ';') : NULL;
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[128];
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        bool exists = false;
        lz_err err;
        if (store_ref_exists(c->st, col, item, scope, &exists, &err) < 0) {
            c->failed = err.code;
            return;
        }
        if (!exists) {
            char why[300];
            snprintf(why, sizeof why, "'%s' does not exist in %s", item, col->ref_table);
            problem(c, row, col->name, why);
        }
        p += len;
        if (*p == ';')
            p++;
    }
}

static int check_row(void *ctx, const cell *row)
{
    check_ctx *c = ctx;
    char why[600];
    for (size_t i = 0; i < c->t->ncols; i++) {
        const column *col = &c->t->cols[i];
        strbuf_reset(&c->text);
        cell_format(col, &row[i], &c->text);
        cell parsed;
        if (cell_parse(col, c->text.data ? c->text.data : "", c->text.len, &c->scratch, &parsed, why, sizeof why) < 0)
            problem(c, row, col->name, why);
        else
            check_refs(c, col, row, &row[i]);
    }
    int bad = row_check(c->t, row, why, sizeof why);
    if (bad >= 0)
        problem(c, row, c->t->cols[bad].name, why);
    arena_reset(&c->scratch);
    return c->failed;
}

static int sqlite_verdicts(store *st, store_problem_fn fn, void *ctx, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "PRAGMA integrity_check", err);
    if (!s)
        return LZ_EINTERNAL;
    while (sql_step(s) == SQL_ROW) {
        const char *msg = (const char *)sql_column_text(s, 0);
        if (strcmp(msg, "ok") != 0)
            fn(ctx, "(file)", msg);
    }
    sql_reset(s);
    return 0;
}

/* ---- designations and memberships agree ---- */

#define DESIGNATIONS "('chain_master_designated', 'reserve_master_designated')"
/* the designations and the events that end them: a reserve master leaves the pool, a master is revoked */
#define ROLE_EVENTS "('chain_master_designated', 'reserve_master_designated', 'reserve_master_removed', 'chain_master_revoked')"

/* Each query lists a table and a message for every row in disagreement. */
static const char *const agreement_checks[] = {
    /* a designation, or its end, names its chain */
    "SELECT 'events', \"id\" || ': chain: a ' || \"kind\" || ' event names the chain it is for' FROM \"events\""
    " WHERE \"kind\" IN " ROLE_EVENTS " AND \"chain\" IS NULL",
    /* an enterprise's latest designation on a chain is its role there; after a removal or a
     * revocation it is neither master nor reserve master there */
    "SELECT 'events', e.\"id\" || ': chain: ' || e.\"kind\" || ' for ' || e.\"chain\" || ' on ' || e.\"date\""
    " || ', but memberships give ' || e.\"uscc\" || ' on ' || e.\"chain\" || ' the role '"
    " || coalesce((SELECT group_concat(m.\"role\", ',') FROM \"memberships\" m WHERE m.\"uscc\" = e.\"uscc\" AND m.\"chain\" = "
    "e.\"chain\"),"
    " 'of none (no membership)') FROM \"events\" e"
    " WHERE e.\"kind\" IN " ROLE_EVENTS " AND e.\"chain\" IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM \"events\" l WHERE l.\"uscc\" = e.\"uscc\" AND l.\"chain\" = e.\"chain\""
    " AND l.\"kind\" IN " ROLE_EVENTS " AND (l.\"date\" > e.\"date\" OR (l.\"date\" = e.\"date\" AND l.\"id\" > e.\"id\")))"
    " AND CASE WHEN e.\"kind\" IN " DESIGNATIONS " THEN NOT EXISTS (SELECT 1 FROM \"memberships\" m"
    " WHERE m.\"uscc\" = e.\"uscc\" AND m.\"chain\" = e.\"chain\""
    " AND m.\"role\" = CASE e.\"kind\" WHEN 'chain_master_designated' THEN 'chain_master' ELSE 'reserve_master' END)"
    " ELSE EXISTS (SELECT 1 FROM \"memberships\" m WHERE m.\"uscc\" = e.\"uscc\" AND m.\"chain\" = e.\"chain\""
    " AND m.\"role\" IN ('chain_master', 'reserve_master')) END",
    /* a (reserve) chain master was designated so */
    "SELECT 'memberships', m.\"uscc\" || '/' || m.\"chain\" || '/' || m.\"segment\" || ': role: ' || m.\"role\""
    " || ' without a ' || m.\"role\" || '_designated event for ' || m.\"chain\" FROM \"memberships\" m"
    " WHERE m.\"role\" IN ('chain_master', 'reserve_master') AND NOT EXISTS (SELECT 1 FROM \"events\" e"
    " WHERE e.\"uscc\" = m.\"uscc\" AND e.\"chain\" = m.\"chain\" AND e.\"kind\" = m.\"role\" || '_designated')",
};

static int designations_agree(store *st, store_problem_fn fn, void *ctx, lz_err *err)
{
    for (size_t q = 0; q < sizeof agreement_checks / sizeof agreement_checks[0]; q++) {
        sql_stmt *s = store_prepare(st, agreement_checks[q], err);
        if (!s)
            return LZ_EINTERNAL;
        int rc;
        while ((rc = sql_step(s)) == SQL_ROW)
            fn(ctx, (const char *)sql_column_text(s, 0), (const char *)sql_column_text(s, 1));
        sql_reset(s);
        if (rc != SQL_DONE)
            return store_sql_error(st, err, "checking designations against memberships");
    }
    return 0;
}

int store_check(store *st, store_problem_fn fn, void *ctx, lz_err *err)
{
    if (sqlite_verdicts(st, fn, ctx, err) < 0)
        return LZ_EINTERNAL;
    check_ctx c = {.st = st, .fn = fn, .fn_ctx = ctx};
    strbuf_init(&c.text);
    arena_init(&c.scratch, 4096);
    int rc = 0;
    for (size_t i = 0; i < tables_count && rc == 0; i++) {
        c.t = tables_all[i];
        store_query q = {.t = c.t};
        rc = store_scan(st, &q, check_row, &c, err);
        if (rc == 0 && c.failed)
            rc = err_set(err, c.failed, "checking %s", c.t->name);
    }
    strbuf_free(&c.text);
    arena_free(&c.scratch);
    if (rc == 0)
        rc = designations_agree(st, fn, ctx, err);
    return rc ? rc : indicator_packs_check(st, fn, ctx, err);
}
