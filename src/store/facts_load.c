/*
 * facts_load — fills a facts world (model/facts.h) from the database for one award year.
 *
 * Loading runs one SELECT per subject table with exactly the columns the compiled policies need,
 * and fills flat arrays; subjects are found by a hash of their id. A membership fact (the
 * catalogue's `membership`) is read from a query of its own, kept here with the rest of the SQL.
 */
#include "store/facts_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/pair.h"
#include "core/strbuf.h"
#include "store/store_impl.h"

/* The query behind each membership fact: the uscc of the enterprises for which it is true (?1 = one
 * enterprise or NULL, ?2 = the statistics year, ?3 and ?4 = the first days of that year and the
 * next, as prepare_for_year binds them). */
static const struct {
    const char *fact;
    const char *sql;
} members_queries[] = {
    /* 重點企業: on the directory by a decision taken by the end of the statistics year (?2), or a
     * chain's master, reserve master or backbone enterprise, which the directory holds by definition. */
    {"key_enterprise",
     "SELECT \"uscc\" FROM \"key_enterprises\" WHERE \"since\" < ?4 AND (\"uscc\" = ?1 OR ?1 IS NULL)"
     " UNION SELECT \"uscc\" FROM \"memberships\" WHERE \"role\" IN ('chain_master', 'reserve_master', 'backbone')"
     " AND (\"uscc\" = ?1 OR ?1 IS NULL)"},
};

const char *facts_members_sql(int fact)
{
    const facts_def *d = facts_get(fact);
    for (size_t i = 0; d->membership && i < sizeof members_queries / sizeof members_queries[0]; i++)
        if (d->kind == FACTS_ENTERPRISE && strcmp(members_queries[i].fact, d->name) == 0)
            return members_queries[i].sql;
    return NULL;
}

/* Appends the needed columns of `kind` that live in `table` to the select list; ids[] gets their fact ids. */
static size_t select_columns(strbuf *sql, const facts_need *need, facts_kind kind, bool yearly, int ids[FACTS_MAX])
{
    size_t n = 0;
    for (size_t f = 0; f < facts_catalog_count; f++) {
        const facts_def *d = facts_get((int)f);
        if (d->kind != kind || d->yearly != yearly || !need->fact[f] || d->membership)
            continue;
        strbuf_printf(sql, ", \"%s\"", d->column);
        ids[n++] = (int)f;
    }
    return n;
}

static int put_column(facts_world *w, facts_kind kind, size_t i, int fact, int year, sql_stmt *s, int col, lz_err *err)
{
    int t = sql_column_type(s, col);
    if (t == SQL_NULL)
        return 0;
    const facts_def *d = facts_get(fact);
    if (d->type == FT_TEXT || d->type == FT_LIST)
        return facts_put_text(w, kind, i, fact, year, (const char *)sql_column_text(s, col), err);
    if (d->type == FT_DATE) {
        int32_t days;
        char why[64];
        const char *txt = (const char *)sql_column_text(s, col);
        if (date_parse(txt, strlen(txt), &days, why, sizeof why) != 0)
            return 0; /* an unreadable date is an unknown date; `lianzhang check` reports it */
        return facts_put_int(w, kind, i, fact, year, days, err);
    }
    return facts_put_int(w, kind, i, fact, year, sql_column_int64(s, col), err);
}

static int step_error(store *st, lz_err *err, const char *tname)
{
    char ctx[96];
    snprintf(ctx, sizeof ctx, "reading %s", tname);
    return store_sql_error(st, err, ctx);
}

static int reserve_enterprises(store *st, facts_world *w, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "SELECT count(*) FROM \"enterprises\"", err);
    if (!s)
        return LZ_EINTERNAL;
    if (sql_step(s) != SQL_ROW) {
        sql_reset(s);
        return step_error(st, err, "enterprises");
    }
    facts_set_reserve(w, FACTS_ENTERPRISE, (size_t)sql_column_int64(s, 0));
    sql_reset(s);
    return 0;
}

/* A query with ?1 = one enterprise (NULL: all), ?2 = the statistics year, ?3 and ?4 = the first
 * days of that year and the next ("YYYY-01-01", compared with dates as text is on both backends). */
static sql_stmt *prepare_for_year(store *st, const char *sql, const char *only_uscc, int stat_year, lz_err *err)
{
    sql_stmt *s = store_prepare_scan(st, sql, err);
    if (!s)
        return NULL;
    if (only_uscc)
        sql_bind_text_copy(s, 1, only_uscc, -1);
    sql_bind_int(s, 2, stat_year);
    char first[24], next[24];
    snprintf(first, sizeof first, "%04d-01-01", stat_year);
    snprintf(next, sizeof next, "%04d-01-01", stat_year + 1);
    sql_bind_text_copy(s, 3, first, -1);
    sql_bind_text_copy(s, 4, next, -1);
    return s;
}

/* Subjects and static facts of one kind. */
static int load_subjects(store *st, facts_world *w, facts_kind kind, const facts_need *need, const char *only_uscc, lz_err *err)
{
    strbuf sql;
    strbuf_init(&sql);
    int ids[FACTS_MAX];
    bool ent = kind == FACTS_ENTERPRISE;
    strbuf_printf(&sql, "SELECT %s, \"uscc\"", ent ? "\"uscc\"" : kind == FACTS_PERSON ? "DISTINCT \"id\"" : "\"id\"");
    size_t ncols = kind == FACTS_PERSON ? 0 : select_columns(&sql, need, kind, false, ids);
    strbuf_printf(&sql, " FROM \"%s\" WHERE (\"uscc\" = ?1 OR ?1 IS NULL)", facts_kind_table(kind));
    if (kind == FACTS_PERSON)
        strbuf_puts(&sql, " AND \"year\" = ?2");
    if (kind == FACTS_EVENT)
        strbuf_puts(&sql, " AND \"date\" >= ?3 AND \"date\" < ?4");
    /* Enterprises in stored order (a sequential scan; each is its own cap group, so order does not
     * matter); other subjects by id, the order in which yearly caps are taken. */
    if (!ent)
        strbuf_puts(&sql, " ORDER BY \"id\"");
    sql_stmt *s = prepare_for_year(st, sql.data, only_uscc, w->year - 1, err);
    strbuf_free(&sql);
    if (!s)
        return LZ_EINTERNAL;
    int rc, ret = 0;
    while ((rc = sql_step(s)) == SQL_ROW && ret == 0) {
        size_t i = facts_set_append(w, kind, (const char *)sql_column_text(s, 0), (const char *)sql_column_text(s, 1));
        for (size_t c = 0; c < ncols && ret == 0; c++)
            ret = put_column(w, kind, i, ids[c], 0, s, (int)c + 2, err);
    }
    facts_set_index(w, kind);
    if (ret == 0 && rc != SQL_DONE)
        ret = step_error(st, err, facts_kind_table(kind));
    sql_reset(s);
    return ret;
}

/* Yearly facts: indicators for enterprises, the persons table's own rows for persons.
 * A job reads the rows that lie in [lo, hi] of the table's storage order (SQLite's rowids,
 * PostgreSQL's pages), so that two connections can each read half of a large table at the same
 * time. */
typedef struct yearly_job {
    store *st;
    facts_world *w;
    facts_kind kind;
    const char *sql, *tname, *only_uscc;
    const int *ids;
    size_t ncols;
    int64_t lo, hi;
    int rc;
    lz_err err;
} yearly_job;

/* Stored as the integer it is (no dictionary, no date to parse). */
static bool is_integer(facts_type t)
{
    return t == FT_MONEY || t == FT_COUNT || t == FT_YEAR || t == FT_DECIMAL2 || t == FT_BOOL;
}

static int yearly_rows(yearly_job *j)
{
    sql_stmt *s = store_prepare_scan(j->st, j->sql, &j->err);
    if (!s)
        return LZ_EINTERNAL;
    facts_set *set = &j->w->sets[j->kind];
    if (j->only_uscc)
        sql_bind_text_copy(s, 1, j->only_uscc, -1);
    sql_bind_int(s, 2, set->year0);
    sql_bind_int(s, 3, set->year0 + set->nyears - 1);
    store_bind_part(j->st, s, j->lo, j->hi); /* on SQLite the whole table is the part of every rowid */
    facts_col *direct[FACTS_MAX];            /* per selected column: its array when stored as the integer it is, else NULL */
    for (size_t c = 0; c < j->ncols; c++)
        direct[c] = is_integer(facts_get(j->ids[c])->type) ? &set->cols[j->ids[c]] : NULL;
    int rc, ret = 0;
    char last[128] = "";
    int32_t i = -1;
    while ((rc = sql_step(s)) == SQL_ROW && ret == 0) {
        /* Rows come grouped by subject (the primary key's order): look the id up once per group. */
        const char *id = (const char *)sql_column_text(s, 0);
        size_t len = (size_t)sql_column_bytes(s, 0);
        if (len >= sizeof last || memcmp(id, last, len + 1) != 0) {
            /* Stored in the same order as the subjects, the next group is usually the next subject. */
            size_t guess = (size_t)(i + 1);
            i = guess < set->n && strcmp(set->ids[guess], id) == 0 ? (int32_t)guess : facts_lookup_len(j->w, j->kind, id, len);
            if (len < sizeof last)
                memcpy(last, id, len + 1);
        }
        if (i < 0)
            continue; /* a person not employed in the statistics year, or an enterprise filtered out */
        int year = sql_column_int(s, 1);
        /* The query keeps years in [year0, year0 + nyears): the slot is the same for every column. */
        size_t slot = (size_t)i * (size_t)set->nyears + (size_t)(year - set->year0);
        for (size_t c = 0; c < j->ncols && ret == 0; c++) {
            if (!direct[c]) {
                ret = put_column(j->w, j->kind, (size_t)i, j->ids[c], year, s, (int)c + 2, &j->err);
            } else if (sql_column_type(s, (int)c + 2) != SQL_NULL) {
                /* Five million rows: the plain numbers go straight into their arrays. */
                direct[c]->v[slot] = sql_column_int64(s, (int)c + 2);
                direct[c]->known[slot] = 1;
            }
        }
    }
    if (ret == 0 && rc != SQL_DONE)
        ret = step_error(j->st, &j->err, j->tname);
    sql_reset(s);
    return ret;
}

int64_t facts_parallel_rows = 100000;

static void run_yearly_job(void *arg)
{
    yearly_job *j = arg;
    j->rc = yearly_rows(j);
}

/* The second half of a big table on the snapshot's twin, in parallel (the machine has cores to
 * spare and SQLite's row decoding is most of the load). Only for numeric facts: text facts grow
 * shared dictionaries, which are not shared between threads. */
static int yearly_parallel(yearly_job *main_job, int64_t max_id)
{
    yearly_job second = *main_job;
    second.st = store_twin(main_job->st);
    memset(&second.err, 0, sizeof second.err);
    main_job->hi = max_id / 2;
    second.lo = max_id / 2 + 1;
    if (!pair_run(run_yearly_job, main_job, run_yearly_job, &second)) {
        main_job->hi = max_id;
        return yearly_rows(main_job);
    }
    int ret = main_job->rc;
    if (ret == 0 && second.rc) {
        ret = second.rc;
        main_job->err = second.err;
    }
    return ret;
}

static int load_yearly(store *st, facts_world *w, facts_kind kind, const facts_need *need, const char *only_uscc, lz_err *err)
{
    strbuf sql;
    strbuf_init(&sql);
    int ids[FACTS_MAX];
    const char *tname = kind == FACTS_ENTERPRISE ? "indicators" : "persons";
    strbuf_printf(&sql, "SELECT %s, \"year\"", kind == FACTS_ENTERPRISE ? "\"uscc\"" : "\"id\"");
    size_t ncols = select_columns(&sql, need, kind, true, ids);
    if (ncols == 0) {
        strbuf_free(&sql);
        return 0;
    }
    /* `+year`: scan the table in stored order (rows of one subject together, read sequentially)
     * rather than through the year index, which would fetch every row by a random lookup. */
    strbuf_printf(&sql, " FROM \"%s\" WHERE +\"year\" BETWEEN ?2 AND ?3 AND (\"uscc\" = ?1 OR ?1 IS NULL)", tname);
    for (size_t c = 0; c < ncols; c++)
        facts_col_open(w, kind, ids[c]);
    bool numeric = true;
    for (size_t c = 0; c < ncols; c++)
        numeric &= facts_get(ids[c])->type != FT_TEXT && facts_get(ids[c])->type != FT_LIST;
    int64_t max_id = 0;
    bool postgres = store_is_postgres(st);
    bool may_split = numeric && !only_uscc && store_twin(st);
    int ret = may_split ? store_table_extent(st, tname, &max_id, err) : 0;
    /* a PostgreSQL page holds some 30 to 80 of these rows */
    bool split = ret == 0 && may_split && (postgres ? max_id * 30 : max_id) > facts_parallel_rows;
    /* a half of the table, on the snapshot's twin (yearly_parallel); on SQLite always said */
    if (split && postgres)
        strbuf_puts(&sql, STORE_PART_POSTGRES);
    else if (!postgres)
        strbuf_puts(&sql, STORE_PART_SQLITE);
    yearly_job job = {.st = st,
                      .w = w,
                      .kind = kind,
                      .sql = sql.data,
                      .tname = tname,
                      .only_uscc = only_uscc,
                      .ids = ids,
                      .ncols = ncols,
                      .lo = postgres ? 0 : INT64_MIN,
                      .hi = postgres ? max_id : INT64_MAX};
    if (ret == 0) {
        ret = split ? yearly_parallel(&job, max_id) : yearly_rows(&job);
        if (ret && err)
            *err = job.err;
    }
    strbuf_free(&sql);
    return ret;
}

/* A fact true for the enterprises a query lists (facts_members_sql): one pass over a short list,
 * not a lookup per enterprise. */
static int load_members(store *st, facts_world *w, int fact, const char *only_uscc, lz_err *err)
{
    const char *sql = facts_members_sql(fact);
    if (!sql)
        return err_set(err, LZ_EINTERNAL, "no query lists the enterprises of fact %s", facts_get(fact)->name);
    sql_stmt *s = prepare_for_year(st, sql, only_uscc, w->year - 1, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc, ret = 0;
    while ((rc = sql_step(s)) == SQL_ROW && ret == 0) {
        int32_t i = facts_lookup(w, FACTS_ENTERPRISE, (const char *)sql_column_text(s, 0));
        if (i >= 0)
            ret = facts_put_int(w, FACTS_ENTERPRISE, (size_t)i, fact, 0, 1, err);
    }
    if (ret == 0 && rc != SQL_DONE)
        ret = step_error(st, err, facts_get(fact)->table);
    sql_reset(s);
    return ret;
}

static int first_year_on_record(store *st, int last, int *year0, lz_err *err)
{
    sql_stmt *s = store_prepare(
        st,
        "SELECT min(m) FROM (SELECT min(\"year\") AS m FROM \"indicators\" UNION ALL SELECT min(\"year\") FROM \"persons\") AS y",
        err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sql_step(s);
    *year0 = rc == SQL_ROW && sql_column_type(s, 0) != SQL_NULL ? sql_column_int(s, 0) : last;
    sql_reset(s);
    if (rc != SQL_ROW)
        return step_error(st, err, "indicators");
    if (*year0 > last)
        *year0 = last;
    if (*year0 < last - 19)
        *year0 = last - 19;
    return 0;
}

int facts_load(store *st, int year, const facts_need *need, const char *only_uscc, facts_world *w, lz_err *err)
{
    int year0;
    int rc = first_year_on_record(st, year - 1, &year0, err);
    if (rc)
        return rc;
    facts_world_init(w, year, year0, year - year0);
    /* Related facts need the enterprises whatever kind the policy is about. */
    bool kinds[FACTS_KINDS];
    memcpy(kinds, need->kind, sizeof kinds);
    for (int k = 0; k < FACTS_KINDS; k++)
        kinds[FACTS_ENTERPRISE] |= kinds[k];
    for (size_t f = 0; f < facts_catalog_count; f++)
        if (need->fact[f])
            kinds[facts_get(f)->kind] = true;
    for (int k = 0; k < FACTS_KINDS && rc == 0; k++) {
        if (!kinds[k])
            continue;
        for (size_t f = 0; f < facts_catalog_count; f++)
            if (need->fact[f] && facts_get(f)->kind == (facts_kind)k)
                facts_col_open(w, (facts_kind)k, (int)f);
        if (k == FACTS_ENTERPRISE && !only_uscc)
            rc = reserve_enterprises(st, w, err);
        if (rc == 0)
            rc = load_subjects(st, w, (facts_kind)k, need, only_uscc, err);
        for (size_t f = 0; f < facts_catalog_count && rc == 0 && k == FACTS_ENTERPRISE; f++)
            if (need->fact[f] && facts_get((int)f)->membership)
                rc = load_members(st, w, (int)f, only_uscc, err);
        if (rc == 0 && (k == FACTS_ENTERPRISE || k == FACTS_PERSON))
            rc = load_yearly(st, w, (facts_kind)k, need, only_uscc, err);
    }
    if (rc == 0)
        facts_world_link(w);
    return rc;
}
