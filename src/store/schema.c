/*
 * schema — the database's versions and how a file moves from one to the next.
 *
 * PRAGMA user_version holds the version. Opening a file runs every migration above its version,
 * in order, in one transaction, so an interrupted upgrade leaves the old version intact. A file
 * newer than this binary is refused. Version 1 is the data contract of model/tables.h, generated
 * from the descriptors; each later family of tables (audit, ledger, accounts) is one entry below.
 * The descriptors' DDL is rendered per SQL dialect (schema.h). The families with hand-written
 * SQLite migrations declare their tables beside them (store_family_tables below). A PostgreSQL
 * database keeps its version in STORE_SCHEMA_VERSION_TABLE and moves the same way, in one
 * transaction, by DDL rendered migration by migration from the descriptors and those
 * declarations (store_schema_render_postgres). A migration that must also change rows (as
 * version 7 does on SQLite) writes that step for both dialects.
 * tests/unit/fixtures/sqlite-schema.txt is the schema a new SQLite file gets, byte for byte
 * (test_schema): a new migration updates it, and its diff shows what the migration changed.
 */
#include "store/store_impl.h"

#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "store/schema.h"

int store_migrate_audit(store *st, lz_err *err);
int store_migrate_accounts(store *st, lz_err *err);
int store_migrate_workflow(store *st, lz_err *err);
int store_migrate_ledger(store *st, lz_err *err);
int store_migrate_ledger_checks(store *st, lz_err *err);
int store_migrate_calendar(store *st, lz_err *err);
int store_migrate_designations(store *st, lz_err *err);
int store_migrate_account_lang(store *st, lz_err *err);
int store_migrate_indicator_packs(store *st, lz_err *err);

/* ---- the declared tables as DDL, per dialect ------------------------------------------------ */

/* Text compares byte by byte in both dialects, as SQLite's BINARY does: a PostgreSQL database's
 * own collation (en_US.UTF-8, say) would put rows in another order than the SQLite file's and
 * compare through the locale, several times slower in every key and index. */
#define PG_TEXT "text COLLATE \"C\""

const char *store_pg_value_type(const column *c)
{
    switch (c->type) {
    case COL_INT:
    case COL_MONEY:
    case COL_DECIMAL:
        return "bigint";
    case COL_BOOL:
        return "smallint";
    case COL_DATE:
        return "date";
    default:
        return "text";
    }
}

static const char *sql_type(store_dialect d, const column *c)
{
    const char *type = store_pg_value_type(c);
    bool text = strcmp(type, "text") == 0;
    if (d == STORE_DIALECT_SQLITE) /* dates are text there */
        return text || c->type == COL_DATE ? "TEXT" : "INTEGER";
    return text ? PG_TEXT : type;
}

static void append_literal(strbuf *b, const char *s)
{
    strbuf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            strbuf_putc(b, '\'');
        strbuf_putc(b, *s);
    }
    strbuf_putc(b, '\'');
}

/* PostgreSQL's checks of a column's values: a boolean is 0 or 1, an enumeration one of its values.
 * (SQLite's schema has none: import and `check` validate, and its files stay as they were.) */
static void append_column_check(store_dialect d, strbuf *b, const column *c)
{
    if (d != STORE_DIALECT_POSTGRES)
        return;
    if (c->type == COL_BOOL)
        strbuf_printf(b, " CHECK (\"%s\" IN (0, 1))", c->name);
    if (c->type != COL_ENUM || !c->values)
        return;
    strbuf_printf(b, " CHECK (\"%s\" IN (", c->name);
    for (size_t k = 0; c->values[k]; k++) {
        strbuf_puts(b, k ? ", " : "");
        append_literal(b, c->values[k]);
    }
    strbuf_puts(b, "))");
}

/* A column's SQL: name, type, NOT NULL, its checks, and for a column added later its reference. */
static void append_column_ddl(store_dialect d, strbuf *b, const column *c, bool with_reference)
{
    strbuf_printf(b, "\"%s\" %s%s", c->name, sql_type(d, c), (c->flags & COLF_REQUIRED) ? " NOT NULL" : "");
    append_column_check(d, b, c);
    if (with_reference && c->ref_table && c->type != COL_LIST)
        strbuf_printf(b, " REFERENCES \"%s\" (\"%s\") DEFERRABLE INITIALLY DEFERRED", c->ref_table, c->ref_column);
}

static void append_index_ddl(strbuf *b, const table *t, const column *c)
{
    strbuf_printf(b, "CREATE INDEX \"%s_%s\" ON \"%s\" (\"%s\");\n", t->name, c->name, t->name, c->name);
}

/* The table as its own migration creates it: the columns a later migration adds are left out. */
static void append_table_ddl(store_dialect d, strbuf *b, const table *t)
{
    strbuf_printf(b, "CREATE TABLE \"%s\" (\n", t->name);
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].since_version)
            continue;
        strbuf_puts(b, "  ");
        append_column_ddl(d, b, &t->cols[i], false);
        strbuf_puts(b, ",\n");
    }
    strbuf_puts(b, "  PRIMARY KEY (");
    for (size_t i = 0, k = 0; i < t->ncols; i++)
        if (t->cols[i].flags & COLF_KEY)
            strbuf_printf(b, "%s\"%s\"", k++ ? ", " : "", t->cols[i].name);
    strbuf_puts(b, ")");
    for (size_t i = 0; i < t->ncols; i++) {
        const column *c = &t->cols[i];
        if (!c->ref_table || c->type == COL_LIST || c->since_version)
            continue; /* list references are checked by import and `check`, not by SQL */
        if (c->ref_scope)
            strbuf_printf(b, ",\n  FOREIGN KEY (\"%s\", \"%s\") REFERENCES \"%s\" (\"%s\", \"%s\")", c->scope_column, c->name,
                          c->ref_table, c->ref_scope, c->ref_column);
        else
            strbuf_printf(b, ",\n  FOREIGN KEY (\"%s\") REFERENCES \"%s\" (\"%s\")", c->name, c->ref_table, c->ref_column);
        strbuf_puts(b, " DEFERRABLE INITIALLY DEFERRED");
    }
    strbuf_puts(b, "\n);\n");
    int idx[TABLES_MAX_KEY];
    table_key_columns(t, idx);
    for (size_t i = 0; i < t->ncols; i++) {
        const column *c = &t->cols[i];
        if ((c->flags & COLF_INDEXED) && (int)i != idx[0] && !c->since_version)
            append_index_ddl(b, t, c);
    }
}

/* An order's index: its columns, then the key columns it does not name. */
static void append_order_ddl(strbuf *b, const table *t, const table_order *o)
{
    strbuf_printf(b, "CREATE INDEX \"%s_by", t->name);
    for (size_t k = 0; k < 3 && o->columns[k]; k++)
        strbuf_printf(b, "_%s", o->columns[k]);
    strbuf_printf(b, "\" ON \"%s\" (", t->name);
    for (size_t k = 0; k < 3 && o->columns[k]; k++)
        strbuf_printf(b, "%s\"%s\"", k ? ", " : "", o->columns[k]);
    int idx[8];
    size_t nk = table_key_columns(t, idx);
    for (size_t k = 0; k < nk; k++) {
        const char *key = t->cols[idx[k]].name;
        bool named = false;
        for (size_t j = 0; j < 3 && o->columns[j]; j++)
            named = named || strcmp(o->columns[j], key) == 0;
        if (!named)
            strbuf_printf(b, ", \"%s\"", key);
    }
    strbuf_puts(b, ");\n");
    /* the filter column's own index is this one's prefix: it would only cost every insert */
    if (o->columns[1])
        strbuf_printf(b, "DROP INDEX IF EXISTS \"%s_%s\";\n", t->name, o->columns[0]);
}

/* The data tables, columns and list indexes that migration `version` creates, from their
 * descriptors. */
static void render_version(store_dialect d, int version, strbuf *b)
{
    for (size_t i = 0; i < tables_count; i++) {
        const table *t = tables_all[i];
        if (t->schema_version == version)
            append_table_ddl(d, b, t);
        for (size_t k = 0; k < t->ncols; k++) {
            const column *c = &t->cols[k];
            if (c->since_version != version || t->schema_version == version)
                continue;
            strbuf_printf(b, "ALTER TABLE \"%s\" ADD COLUMN ", t->name);
            append_column_ddl(d, b, c, true);
            strbuf_puts(b, ";\n");
            if (c->flags & COLF_INDEXED)
                append_index_ddl(b, t, c);
        }
        for (size_t k = 0; k < t->norders; k++)
            if (t->orders[k].since_version == version)
                append_order_ddl(b, t, &t->orders[k]);
    }
}

/* ---- the families' tables as PostgreSQL DDL ------------------------------------------------- */

extern const store_table store_table_audit_log, store_table_award_runs, store_table_awards, store_table_accounts,
    store_table_sessions, store_table_login_throttle, store_table_appeal_deadlines, store_table_appeal_log,
    store_table_appeal_ratings, store_table_target_contacts, store_table_award_signoffs, store_table_calendar_years,
    store_table_calendar_days, store_table_master_decisions, store_table_indicator_packs;

const store_table *const store_family_tables[] = {
    &store_table_audit_log,      &store_table_award_runs,       &store_table_awards,           &store_table_accounts,
    &store_table_sessions,       &store_table_login_throttle,   &store_table_appeal_deadlines, &store_table_appeal_log,
    &store_table_appeal_ratings, &store_table_target_contacts,  &store_table_award_signoffs,   &store_table_calendar_years,
    &store_table_calendar_days,  &store_table_master_decisions, &store_table_indicator_packs,
};
const size_t store_family_tables_count = sizeof store_family_tables / sizeof store_family_tables[0];

static const char *family_type(const store_column *c)
{
    switch (c->type) {
    case STORE_ID:
        return "bigint GENERATED BY DEFAULT AS IDENTITY";
    case STORE_INT:
        return "bigint";
    case STORE_TIMESTAMP:
        return "timestamptz";
    case STORE_DATE:
        return "date";
    case STORE_BOOL:
        return "smallint";
    case STORE_BLOB:
        return "bytea";
    default:
        return PG_TEXT;
    }
}

/* "a, b" as "\"a\", \"b\"". */
static void append_names(strbuf *b, const char *list)
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ", ");
        strbuf_printf(b, "%s\"%.*s\"", p == list ? "" : ", ", (int)n, p);
        p += n;
        p += strspn(p, ", ");
    }
}

const char *const *store_column_values(const store_column *c)
{
    if (c->values || !c->values_of)
        return c->values;
    char table_name[64];
    size_t n = strcspn(c->values_of, ".");
    if (n >= sizeof table_name || !c->values_of[n])
        return NULL;
    snprintf(table_name, sizeof table_name, "%.*s", (int)n, c->values_of);
    const table *t = tables_find(table_name);
    int k = t ? table_column_index(t, c->values_of + n + 1) : -1;
    return k >= 0 && t->cols[k].type == COL_ENUM ? t->cols[k].values : NULL;
}

/* A family column's SQL: name, type, NOT NULL, default and checks (a reference is the caller's). */
static void append_family_column(strbuf *b, const store_column *c)
{
    strbuf_printf(b, "\"%s\" %s%s", c->name, family_type(c), (c->flags & STORE_REQUIRED) ? " NOT NULL" : "");
    if (c->default_sql)
        strbuf_printf(b, " DEFAULT %s", c->default_sql);
    if (c->type == STORE_BOOL)
        strbuf_printf(b, " CHECK (\"%s\" IN (0, 1))", c->name);
    const char *const *values = store_column_values(c);
    if (c->type == STORE_ENUM && values) {
        strbuf_printf(b, " CHECK (\"%s\" IN (", c->name);
        for (size_t k = 0; values[k]; k++) {
            strbuf_puts(b, k ? ", " : "");
            append_literal(b, values[k]);
        }
        strbuf_puts(b, "))");
    }
}

static void append_family_reference(strbuf *b, const store_column *c)
{
    strbuf_printf(b, "REFERENCES \"%s\" (\"%s\")%s", c->ref_table, c->ref_column,
                  (c->flags & STORE_DEFERRED) ? " DEFERRABLE INITIALLY DEFERRED" : "");
}

static void append_family_index(strbuf *b, const store_table *t, const store_index *x)
{
    strbuf_printf(b, "CREATE %sINDEX \"%s\" ON \"%s\" (", x->unique ? "UNIQUE " : "", x->name, t->name);
    append_names(b, x->columns);
    strbuf_printf(b, ")%s%s;\n", x->where ? " WHERE " : "", x->where ? x->where : "");
}

/* A family's table as migration `version` (its own or a later one) leaves it: the columns and
 * indexes of migrations after `version` left out. Columns, key, UNIQUE, references, checks, then
 * indexes. */
static void append_family_table(strbuf *b, const store_table *t, int version)
{
    strbuf_printf(b, "CREATE TABLE \"%s\" (\n", t->name);
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].since_version > version)
            continue;
        strbuf_puts(b, "  ");
        append_family_column(b, &t->cols[i]);
        strbuf_puts(b, ",\n");
    }
    strbuf_puts(b, "  PRIMARY KEY (");
    for (size_t i = 0, k = 0; i < t->ncols; i++)
        if (t->cols[i].type == STORE_ID || (t->cols[i].flags & STORE_KEY))
            strbuf_printf(b, "%s\"%s\"", k++ ? ", " : "", t->cols[i].name);
    strbuf_puts(b, ")");
    if (t->unique) {
        strbuf_puts(b, ",\n  UNIQUE (");
        append_names(b, t->unique);
        strbuf_puts(b, ")");
    }
    for (size_t i = 0; i < t->ncols; i++) {
        const store_column *c = &t->cols[i];
        if (c->ref_table && c->since_version <= version) {
            strbuf_printf(b, ",\n  FOREIGN KEY (\"%s\") ", c->name);
            append_family_reference(b, c);
        }
    }
    for (size_t i = 0; t->checks && t->checks[i]; i++)
        strbuf_printf(b, ",\n  CHECK (%s)", t->checks[i]);
    strbuf_puts(b, "\n);\n");
    for (size_t i = 0; i < t->nindexes; i++)
        if (t->indexes[i].since_version <= version)
            append_family_index(b, t, &t->indexes[i]);
}

/* What migration `version` does to the families' tables on PostgreSQL: the tables it creates, the
 * columns and indexes it adds to older ones. (SQLite runs the family's hand-written migration.) */
static void render_family_version(strbuf *b, int version)
{
    for (size_t i = 0; i < store_family_tables_count; i++) {
        const store_table *t = store_family_tables[i];
        if (t->version == version)
            append_family_table(b, t, version);
        if (t->version >= version)
            continue;
        for (size_t k = 0; k < t->ncols; k++) {
            const store_column *c = &t->cols[k];
            if (c->since_version != version)
                continue;
            strbuf_printf(b, "ALTER TABLE \"%s\" ADD COLUMN ", t->name);
            append_family_column(b, c);
            if (c->ref_table) {
                strbuf_putc(b, ' ');
                append_family_reference(b, c);
            }
            strbuf_puts(b, ";\n");
        }
        for (size_t k = 0; k < t->nindexes; k++)
            if (t->indexes[k].since_version == version)
                append_family_index(b, t, &t->indexes[k]);
    }
}

/* ---- migrations ------------------------------------------------------------------------------ */

static int create_tables_of(store *st, int version, lz_err *err)
{
    strbuf b;
    strbuf_init(&b);
    render_version(STORE_DIALECT_SQLITE, version, &b);
    int rc = store_exec(st, b.data, err);
    strbuf_free(&b);
    return rc;
}

static int migrate_data_tables(store *st, lz_err *err)
{
    return create_tables_of(st, 1, err);
}

static int migrate_key_enterprises(store *st, lz_err *err)
{
    return create_tables_of(st, 8, err);
}

static int migrate_version_9(store *st, lz_err *err)
{
    return create_tables_of(st, 9, err);
}

static int migrate_list_orders(store *st, lz_err *err)
{
    return create_tables_of(st, 10, err);
}

/* memberships.status (version 7). A file created at this version already has the column from the
 * descriptors (version 1 is generated from them); an older file gains it, and its memberships,
 * loaded by an admin before chains could propose any, count as confirmed. */
static int migrate_membership_status(store *st, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "SELECT count(*) FROM pragma_table_info('memberships') WHERE name = 'status'", err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sql_step(s), has = rc == SQL_ROW ? sql_column_int(s, 0) : 0;
    sql_reset(s);
    if (rc != SQL_ROW)
        return store_sql_error(st, err, "reading the columns of memberships");
    if (has)
        return 0;
    return store_exec(st,
                      "ALTER TABLE \"memberships\" ADD COLUMN \"status\" TEXT DEFAULT 'confirmed';"
                      "UPDATE \"memberships\" SET \"status\" = 'confirmed';",
                      err);
}

/* The last field: whether the migration is generated from the descriptors (and renders for every
 * dialect) or is hand-written SQLite SQL in its table family's file. Version 7 counts as declared:
 * the column is in the descriptors, so version 1 creates it; its hand-written part only upgrades
 * SQLite files made before it. */
static const store_migration migrations[] = {
    {1, "data tables of the work list", migrate_data_tables, true},
    {2, "audit log", store_migrate_audit, false},
    {3, "award ledger", store_migrate_ledger, false},
    {4, "accounts, sessions, login throttle", store_migrate_accounts, false},
    {5, "workflow logs: appeal history, ratings, deadlines, target contacts", store_migrate_workflow, false},
    {6, "award ledger checks without IN lists", store_migrate_ledger_checks, false},
    {7, "memberships proposed by a chain and confirmed for the enterprise", migrate_membership_status, true},
    {8, "key-enterprise directory; chain of an event; article fields of a chain; above-size entry year", migrate_key_enterprises,
     true},
    {9, "a person's name; award rates approved below the article's maxima", migrate_version_9, true},
    {10, "indexes for the dashboard's filtered, sorted lists", migrate_list_orders, true},
    {11, "official working-day calendar: holidays and make-up working days per year", store_migrate_calendar, false},
    {12, "chain-master decisions: proposed, approved by a second account, rejected or withdrawn", store_migrate_designations,
     false},
    {13, "the UI language each account chose", store_migrate_account_lang, false},
    {14, "each year's indicators packed for the whole city's analyses (SQLite; empty on PostgreSQL)", store_migrate_indicator_packs,
     false},
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

int store_schema_version_latest(void)
{
    return migrations[NMIGRATIONS - 1].version;
}

bool store_schema_declared(int version)
{
    for (size_t i = 0; i < NMIGRATIONS; i++)
        if (migrations[i].version == version)
            return migrations[i].declared;
    return false;
}

int store_schema_render(store_dialect d, int version, strbuf *out, lz_err *err)
{
    if (version < 1 || version > store_schema_version_latest())
        return err_set(err, LZ_EINPUT, "no schema version %d (this binary knows 1..%d)", version, store_schema_version_latest());
    if (store_schema_declared(version))
        render_version(d, version, out);
    return 0;
}

int store_schema_render_upto(store_dialect d, int version, strbuf *out, lz_err *err)
{
    if (version < 1 || version > store_schema_version_latest())
        return err_set(err, LZ_EINPUT, "no schema version %d (this binary knows 1..%d)", version, store_schema_version_latest());
    for (int v = 1; v <= version; v++)
        store_schema_render(d, v, out, err);
    return 0;
}

int store_schema_render_postgres(int from, int to, strbuf *out, lz_err *err)
{
    int latest = store_schema_version_latest();
    if (from < 0 || from >= to || to > latest)
        return err_set(err, LZ_EINPUT, "no upgrade from schema version %d to %d (this binary knows 1..%d)", from, to, latest);
    for (int v = from + 1; v <= to; v++) {
        if (store_schema_declared(v))
            render_version(STORE_DIALECT_POSTGRES, v, out);
        render_family_version(out, v);
    }
    if (from == 0)
        strbuf_printf(out,
                      "CREATE SEQUENCE \"" STORE_DATA_VERSION_SEQUENCE "\";\n"
                      "CREATE TABLE \"" STORE_SCHEMA_VERSION_TABLE "\" (\"version\" integer NOT NULL CHECK (\"version\" >= 1));\n"
                      "INSERT INTO \"" STORE_SCHEMA_VERSION_TABLE "\" (\"version\") VALUES (%d);\n",
                      to);
    else
        strbuf_printf(out, "UPDATE \"" STORE_SCHEMA_VERSION_TABLE "\" SET \"version\" = %d;\n", to);
    return 0;
}

int store_schema_render_latest(store_dialect d, strbuf *out, lz_err *err)
{
    if (d != STORE_DIALECT_POSTGRES)
        return err_set(err, LZ_EINPUT, "the latest schema renders for PostgreSQL only: a SQLite file is made by its migrations");
    return store_schema_render_postgres(0, store_schema_version_latest(), out, err);
}

static int set_version(store *st, int v, lz_err *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    return store_exec(st, sql, err);
}

/* Brings a PostgreSQL database from its version to the latest in one transaction: a new one gets
 * the latest schema whole (`init`), an older one the migrations above its version. Its DDL is
 * transactional, so an interrupted upgrade leaves the old version; the transaction holds the
 * writers' lock (store_begin), and the version is read again under it, so servers starting
 * together upgrade a database once. */
static int postgres_schema(store *st, bool create, lz_err *err)
{
    int current = store_schema_version(st), latest = store_schema_version_latest();
    if (current < 0)
        return store_sql_error(st, err, "reading the schema version");
    if (current > latest)
        return err_set(err, LZ_EINPUT, "schema version %d is newer than this binary's %d; use a newer lianzhang", current, latest);
    if (current == latest && create)
        return err_set(err, LZ_EINPUT, "already holds a Lianzhang database; init creates a new one");
    if (current == latest)
        return 0;
    if (current == 0 && !create)
        return err_set(err, LZ_EINPUT, "no Lianzhang schema in this database: create it with 'lianzhang init'");
    if (store_begin(st, err) < 0)
        return LZ_EINTERNAL;
    int rc = 0, from = store_schema_version(st);
    if (from < 0)
        rc = store_sql_error(st, err, "reading the schema version");
    if (rc == 0 && from == latest) /* another server upgraded it meanwhile */
        return store_commit(st, err);
    strbuf sql;
    strbuf_init(&sql);
    if (rc == 0)
        rc = store_schema_render_postgres(from, latest, &sql, err);
    if (rc == 0)
        rc = store_exec(st, sql.data, err);
    rc = rc == 0 ? store_commit(st, err) : (store_rollback(st), rc);
    strbuf_free(&sql);
    if (rc < 0 && from == 0)
        return err_wrap(err, "creating the schema");
    return rc < 0 ? err_wrap(err, "upgrading the schema from version %d to %d", from, latest) : 0;
}

int store_schema_upgrade(store *st, bool create, lz_err *err)
{
    if (store_is_postgres(st))
        return postgres_schema(st, create, err);
    int current = store_schema_version(st), latest = store_schema_version_latest();
    if (current < 0)
        return store_sql_error(st, err, "reading the schema version");
    if (current > latest)
        return err_set(err, LZ_EINPUT, "schema version %d is newer than this binary's %d; use a newer lianzhang", current, latest);
    if (current == latest)
        return 0;
    if (current == 0 && !create) {
        sql_stmt *s = store_prepare(st, "SELECT count(*) FROM sqlite_master", err);
        int n = (s && sql_step(s) == SQL_ROW) ? sql_column_int(s, 0) : -1;
        if (s)
            sql_reset(s);
        if (n != 0)
            return err_set(err, LZ_EINPUT, "not a Lianzhang database (it has tables but no schema version)");
    }
    if (store_begin(st, err) < 0)
        return LZ_EINTERNAL;
    for (size_t i = 0; i < NMIGRATIONS; i++) {
        if (migrations[i].version <= current)
            continue;
        if (migrations[i].apply(st, err) < 0 || set_version(st, migrations[i].version, err) < 0) {
            err_wrap(err, "upgrading to schema version %d (%s)", migrations[i].version, migrations[i].what);
            store_rollback(st);
            return LZ_EINTERNAL;
        }
    }
    return store_commit(st, err);
}
