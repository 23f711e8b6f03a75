/* Unit tests of src/analysis/city: the whole city read at once gives, chain by chain, exactly the
 * members (same rows, by segment; their names only when loaded with them) and the purchases (same
 * rows) that the one-chain reads of store/analysis_sql.h give, and loaded for the masters also the
 * candidates (same rows) and the members' purchases (same rows) of store/masters_sql.h, on the
 * synthetic reference data plus enterprises added against the grain: codes that agree on their
 * first sixteen bytes or differ only in length, stored after the others and out of order, one of
 * them outside the city; loaded one table at a time and two at a time (on a snapshot's twin),
 * with the indicators read from their packs and from their rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/city.h"
#include "core/strbuf.h"
#include "store/analysis_sql.h"
#include "store/indicator_packs.h"
#include "store/store_impl.h"
#include "testdb.h"

enum { YEAR = 2023 };

/* Rows written one per line, to compare two reads as text. */
typedef struct rows {
    strbuf text;
    size_t n;
    bool unnamed;          /* members, candidates: the city was loaded without names, so none is written */
    char last_segment[64]; /* members: the previous row's segment */
} rows;

static int add_member(void *ctx, const analysis_sql_member *r)
{
    rows *out = ctx;
    assert_true(strcmp(out->last_segment, r->segment) <= 0); /* by segment */
    snprintf(out->last_segment, sizeof out->last_segment, "%s", r->segment);
    strbuf_printf(&out->text, "%s|%s|%s|%s|%s|%s|%d|%d|%lld\n", r->chain, r->segment, r->uscc, r->role, out->unnamed ? "" : r->name,
                  out->unnamed ? "" : r->division, r->local, r->output_known, (long long)r->output_fen);
    out->n++;
    return 0;
}

/* A member of a city loaded without names: its name is "". */
static int add_unnamed_member(void *ctx, const analysis_sql_member *r)
{
    assert_string_equal(r->name, "");
    ((rows *)ctx)->unnamed = true;
    return add_member(ctx, r);
}

static int add_purchase(void *ctx, const analysis_sql_purchase *r)
{
    rows *out = ctx;
    strbuf_printf(&out->text, "%s|%s|%s|%lld|%d\n", r->chain, r->supplier, r->customer, (long long)r->amount_fen,
                  r->supplier_local);
    out->n++;
    return 0;
}

static int add_candidate(void *ctx, const masters_sql_candidate *r)
{
    rows *out = ctx;
    strbuf_printf(&out->text, "%s|%s|%s|%d|%d", r->uscc, out->unnamed ? "" : r->name, masters_sql_role_name(r->role), r->local,
                  masters_sql_above_scale_years(&r->f));
    for (int i = 0; i < MASTERS_SQL_FIGURES; i++)
        strbuf_printf(&out->text, r->f.known[i] ? "|%lld" : "|-", (long long)r->f.figure[i]);
    strbuf_printf(&out->text, "\n");
    out->n++;
    return 0;
}

static int add_member_purchase(void *ctx, const masters_sql_purchase *r)
{
    rows *out = ctx;
    strbuf_printf(&out->text, "%s|%s|%lld\n", r->customer, r->supplier, (long long)r->amount_fen);
    out->n++;
    return 0;
}

static int by_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of a read in byte order, for reads whose order is not promised. */
static char *sorted_lines(rows *r)
{
    char **lines = calloc(r->n + 1, sizeof *lines);
    size_t n = 0;
    for (char *save = NULL, *l = strtok_r(r->text.data ? r->text.data : (char[]){""}, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    qsort(lines, n, sizeof *lines, by_line);
    strbuf out;
    strbuf_init(&out);
    for (size_t i = 0; i < n; i++)
        strbuf_printf(&out, "%s\n", lines[i]);
    free(lines);
    return out.data ? out.data : calloc(1, 1);
}

static void exec(store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

/* Enterprises whose codes tie on the first sixteen bytes or are shorter than sixteen, written
 * last and in reverse order, members of one segment, buying from each other and from the city;
 * one also a backbone on a second segment, one outside the city buying from them, and figures of
 * the four years the masters read, some left empty. */
static void add_codes_against_the_grain(store *st)
{
    exec(
        st,
        "INSERT INTO enterprises (uscc, name, local) VALUES"
        " ('91440703TIEAAAAA9Z', '乙', 1), ('91440703TIEAAAAA', '丙', 1), ('91440703TIEAAAAA1Z', '甲', 1),"
        " ('91440703TIEAAAAA10', '丁', NULL), ('9144', '短', 0);"
        "INSERT INTO memberships (uscc, chain, segment, role, status)"
        " SELECT e.uscc, m.chain, m.segment, 'member', 'confirmed' FROM enterprises e,"
        "  (SELECT chain, segment FROM memberships WHERE status = 'confirmed' ORDER BY chain, segment LIMIT 1) m"
        " WHERE e.uscc LIKE '9144%' AND length(e.uscc) <> 18 OR e.uscc LIKE '91440703TIE%' ORDER BY e.uscc DESC;"
        "INSERT INTO indicators (uscc, year, output_value) VALUES ('91440703TIEAAAAA10', 2023, 500), ('91440703TIEAAAAA', 2023, 7);"
        "INSERT INTO supply_links (supplier, customer, year, amount)"
        " SELECT s.uscc, c.uscc, 2023, 100 + length(s.uscc) FROM enterprises s, enterprises c"
        " WHERE s.uscc LIKE '9144%' AND c.uscc LIKE '91440703TIE%' AND s.uscc <> c.uscc AND (length(s.uscc) <> 18 OR s.uscc LIKE "
        "'91440703TIE%');"
        "INSERT INTO supply_links (supplier, customer, year, amount)"
        " SELECT (SELECT uscc FROM enterprises ORDER BY uscc LIMIT 1), uscc, 2023, 3 FROM enterprises WHERE uscc LIKE "
        "'91440703TIE%';"
        "INSERT INTO memberships (uscc, chain, segment, role, status)"
        " SELECT '91440703TIEAAAAA1Z', chain, segment, 'backbone', 'confirmed' FROM memberships m"
        " WHERE chain = (SELECT chain FROM memberships WHERE uscc = '91440703TIEAAAAA1Z')"
        " AND segment <> (SELECT segment FROM memberships WHERE uscc = '91440703TIEAAAAA1Z') LIMIT 1;"
        "INSERT INTO supply_links (supplier, customer, year, amount) VALUES ('91440703TIEAAAAA1Z', '9144', 2023, 11);"
        "INSERT INTO indicators (uscc, year, revenue, tax_paid, rd_expense, employees, value_added, above_scale) VALUES"
        " ('91440703TIEAAAAA1Z', 2023, 900, 40, NULL, 12, 300, 1), ('91440703TIEAAAAA1Z', 2022, 800, 0, 5, 11, NULL, 1),"
        " ('91440703TIEAAAAA1Z', 2021, NULL, 0, 0, 0, 0, 0), ('91440703TIEAAAAA1Z', 2020, 500, 0, 0, 0, 0, 1),"
        " ('91440703TIEAAAAA1Z', 2019, 1, 1, 1, 1, 1, 1), ('9144', 2020, 70, NULL, NULL, NULL, NULL, NULL);");
}

static rows rows_new(void)
{
    rows r = {0};
    strbuf_init(&r.text);
    return r;
}

/* The city's read gave the rows the SQL read gave, in the same order when `ordered`. Frees both;
 * returns how many. */
static size_t expect_same_rows(rows *sql, rows *mem, bool ordered)
{
    assert_int_equal(mem->n, sql->n);
    char *a = ordered ? strdup(sql->text.data ? sql->text.data : "") : sorted_lines(sql);
    char *b = ordered ? strdup(mem->text.data ? mem->text.data : "") : sorted_lines(mem);
    assert_string_equal(b, a);
    free(a);
    free(b);
    strbuf_free(&sql->text);
    strbuf_free(&mem->text);
    return sql->n;
}

static rows rows_copy(const rows *r)
{
    rows copy = rows_new();
    strbuf_append(&copy.text, r->text.data ? r->text.data : "", r->text.len);
    copy.n = r->n;
    return copy;
}

/* A chain's two halves (masters_sql_part) read one after the other into one set of rows: together
 * they are the whole chain, and neither is empty on a chain of some size. */
static void read_in_halves(store *st, const char *chain, rows *out, bool purchases)
{
    lz_err err = {0};
    size_t before = 0;
    for (masters_sql_part part = MASTERS_SQL_FIRST_HALF; part <= MASTERS_SQL_SECOND_HALF; part++) {
        assert_int_equal(purchases ? masters_sql_purchases(st, chain, YEAR, part, add_member_purchase, out, &err)
                                   : masters_sql_candidates(st, chain, YEAR, part, add_candidate, out, &err),
                         0);
        if (!purchases)
            assert_true(out->n > before);
        before = out->n;
    }
}

/* The masters' rows of a chain from the city against masters_sql's, whole and in halves; counts
 * the candidates. */
static void check_masters_rows(store *st, const city *c, const char *chain, size_t *candidates)
{
    lz_err err = {0};
    rows sql = rows_new(), mem = rows_new(), halves = rows_new();
    sql.unnamed = halves.unnamed = !city_named(c); /* the city's candidates are named as its members are */
    assert_int_equal(masters_sql_candidates(st, chain, YEAR, MASTERS_SQL_ALL, add_candidate, &sql, &err), 0);
    read_in_halves(st, chain, &halves, false);
    assert_int_equal(city_masters_candidates(c, chain, add_candidate, &mem), 0);
    rows sql_again = rows_copy(&sql);
    *candidates += expect_same_rows(&sql, &mem, false);
    expect_same_rows(&sql_again, &halves, false);

    sql = rows_new();
    mem = rows_new();
    halves = rows_new();
    assert_int_equal(masters_sql_purchases(st, chain, YEAR, MASTERS_SQL_ALL, add_member_purchase, &sql, &err), 0);
    read_in_halves(st, chain, &halves, true);
    assert_int_equal(city_masters_purchases(c, chain, add_member_purchase, &mem), 0);
    sql_again = rows_copy(&sql);
    expect_same_rows(&sql, &mem, false);
    expect_same_rows(&sql_again, &halves, false);
}

static int check_chain(void *ctx, const analysis_sql_chain *ch)
{
    void **args = ctx;
    store *st = args[0];
    const city *c = args[1];
    size_t *checked = args[2]; /* memberships, then candidates when loaded for the masters */
    lz_err err = {0};
    unsigned parts = *(unsigned *)args[3];
    rows sql = rows_new(), mem = rows_new();
    sql.unnamed = !(parts & CITY_NAMES);
    assert_int_equal(analysis_sql_members(st, ch->code, YEAR, add_member, &sql, &err), 0);
    assert_int_equal(city_members(c, ch->code, sql.unnamed ? add_unnamed_member : add_member, &mem), 0);
    *checked += expect_same_rows(&sql, &mem, false);

    sql = rows_new();
    mem = rows_new();
    assert_int_equal(analysis_sql_purchases(st, ch->code, YEAR, add_purchase, &sql, &err), 0);
    assert_int_equal(city_purchases(c, ch->code, add_purchase, &mem), 0);
    expect_same_rows(&sql, &mem, false);
    if (parts & CITY_MASTERS)
        check_masters_rows(st, c, ch->code, checked + 1);
    return 0;
}

/* Loads the city inside a snapshot, with a twin (two tables read at a time) or without, for the
 * parts asked for, and compares it chain by chain; returns the memberships compared (and sets the
 * candidates compared). */
static size_t compare_city_with_sql(store *st, bool twin, unsigned parts, size_t *candidates)
{
    lz_err err = {0};
    assert_int_equal(twin ? store_read_begin_twin(st, &err) : store_read_begin(st, &err), 0);
    assert_true(twin == (store_twin(st) != NULL));
    city *c = NULL;
    assert_int_equal(city_load(st, YEAR, parts, &c, &err), 0);
    size_t checked[2] = {0, 0};
    void *args[] = {st, c, checked, &parts};
    assert_int_equal(analysis_sql_chains(st, NULL, check_chain, args, &err), 0);
    city_free(c);
    store_read_end(st);
    *candidates = checked[1];
    return checked[0];
}

/* The indicators' packs again from the rows (add_codes_against_the_grain wrote them past the
 * store), or none at all, so that the city reads the rows. */
static void pack_indicators(store *st, bool packed)
{
    lz_err err = {0};
    assert_int_equal(store_begin(st, &err), 0);
    if (packed)
        assert_int_equal(indicator_packs_rebuild_all(st, &err), 0);
    else
        exec(st, "DELETE FROM indicator_packs");
    assert_int_equal(store_commit(st, &err), 0);
    analysis_sql_plan plan;
    assert_int_equal(analysis_sql_plan_pieces(st, YEAR, 3, &plan, &err), 0);
    assert_true(plan.packed == packed);
}

static void the_city_gives_each_chain_what_its_own_reads_give(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = testdb_synthetic(path, 400);
    add_codes_against_the_grain(st);
    size_t candidates[5];
    pack_indicators(st, true);
    size_t one_at_a_time = compare_city_with_sql(st, false, 0, &candidates[0]);
    size_t two_at_a_time = compare_city_with_sql(st, true, CITY_NAMES | CITY_GROWTH, &candidates[0]);
    size_t for_masters = compare_city_with_sql(st, false, CITY_MASTERS, &candidates[1]);
    size_t for_masters_twin = compare_city_with_sql(st, true, CITY_MASTERS | CITY_NAMES, &candidates[2]);
    /* the same from the rows, without packs */
    pack_indicators(st, false);
    assert_int_equal(compare_city_with_sql(st, true, CITY_NAMES | CITY_GROWTH, &candidates[3]), two_at_a_time);
    assert_int_equal(compare_city_with_sql(st, true, CITY_MASTERS, &candidates[4]), for_masters);
    assert_int_equal(candidates[0], 0);
    assert_true(candidates[1] > 400 / 2);
    assert_int_equal(candidates[2], candidates[1]);
    assert_int_equal(candidates[4], candidates[1]);
    /* every confirmed membership was compared, the six added ones among them (two of one firm) */
    sqlite3_stmt *q;
    assert_int_equal(
        sqlite3_prepare_v2(store_db(st),
                           "SELECT count(*), count(CASE WHEN m.uscc LIKE '9144%' AND length(m.uscc) <> 18"
                           " OR m.uscc LIKE '91440703TIE%' THEN 1 END), count(CASE WHEN m.uscc = '91440703TIEAAAAA1Z' THEN 1 END)"
                           " FROM memberships m"
                           " JOIN enterprises e ON e.uscc = m.uscc JOIN chains c ON c.code = m.chain WHERE m.status = 'confirmed'",
                           -1, &q, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(one_at_a_time, sqlite3_column_int64(q, 0));
    assert_int_equal(two_at_a_time, sqlite3_column_int64(q, 0));
    assert_int_equal(for_masters, sqlite3_column_int64(q, 0));
    assert_int_equal(for_masters_twin, sqlite3_column_int64(q, 0));
    assert_int_equal(sqlite3_column_int64(q, 1), 6);
    assert_int_equal(sqlite3_column_int64(q, 2), 2);
    sqlite3_finalize(q);
    /* the city is sized ahead by its memberships (city.c, read_memberships): more enterprises than
     * memberships, as here, had the index and the figures sized up once the enterprises were in */
    assert_int_equal(sqlite3_prepare_v2(store_db(st),
                                        "SELECT (SELECT count(*) FROM enterprises) > (SELECT count(*) FROM memberships"
                                        " WHERE status = 'confirmed')",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 1);
    sqlite3_finalize(q);
    store_close(st);
    testdb_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_city_gives_each_chain_what_its_own_reads_give),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
