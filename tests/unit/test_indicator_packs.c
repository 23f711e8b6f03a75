/* Unit tests of store/indicator_packs: after every commit each year's packs hold exactly the year's
 * rows of indicators, whichever way the rows were written: many at once (the year rebuilt whole),
 * a few (the packs they lie in), rows before any pack, a row of a new year, a deletion, a write
 * outside a transaction; a rollback leaves them as they were; a write by another program drops its
 * year's packs (the file's triggers) and the next read-write open packs it again. Figures round-trip
 * exactly: NULLs, zeros, negatives, the extremes of 64 bits, the above-size flag; so do codes of
 * any length, the empty one included. A damaged pack is an error
 * naming its year. The rows are compared as text with what SQL reads of the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "store/indicator_packs.h"
#include "store/store_impl.h"
#include "testdb.h"

enum { ENTERPRISES = 6000 };

static void exec(store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

/* USCC number i: 18 characters, in an order unlike i's (so that a scan's order is not USCC order). */
static void uscc_of(int i, char out[32])
{
    snprintf(out, 32, "91440703%05dX%04d", (i * 7919) % 100000, i % 10000);
}

/* ENTERPRISES enterprises, written past the store (they are not indicators). */
static void add_enterprises(store *st)
{
    exec(st, "BEGIN");
    for (int i = 0; i < ENTERPRISES; i++) {
        char u[32], sql[160];
        uscc_of(i, u);
        snprintf(sql, sizeof sql, "INSERT INTO enterprises (uscc, name, local) VALUES ('%s', 'E%d', 1)", u, i);
        exec(st, sql);
    }
    exec(st, "COMMIT");
}

/* A row of indicators: figures derived from i and the year, some NULL, some negative or large. */
static int put_row(store *st, int i, int year, int64_t shift, lz_err *err)
{
    const table *t = tables_find("indicators");
    cell row[TABLES_MAX_COLS];
    for (size_t c = 0; c < t->ncols; c++)
        row[c] = cell_null();
    char u[32];
    uscc_of(i, u);
    row[table_column_index(t, "uscc")] = cell_text(u, strlen(u));
    row[table_column_index(t, "year")] = cell_int(year);
    row[table_column_index(t, "revenue")] = cell_int((int64_t)i * 100000 + year + shift);
    if (i % 3)
        row[table_column_index(t, "output_value")] = cell_int(i % 7 == 0 ? -(int64_t)i : (int64_t)i * 123456789);
    if (i % 5 == 0)
        row[table_column_index(t, "tax_paid")] = cell_int(0);
    if (i % 11 == 0)
        row[table_column_index(t, "rd_expense")] = cell_int(999999999999999LL);
    row[table_column_index(t, "employees")] = cell_int(i % 400);
    row[table_column_index(t, "value_added")] = cell_int(-(int64_t)(i % 13));
    row[table_column_index(t, "above_scale")] = i % 4 ? cell_int(i % 2) : cell_null();
    return store_upsert(st, t, row, NULL, err);
}

static void put_rows(store *st, int from, int to, int year, int64_t shift)
{
    lz_err err = {0};
    assert_int_equal(store_begin(st, &err), 0);
    for (int i = from; i < to; i++)
        assert_int_equal(put_row(st, i, year, shift, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
}

static void line_of(strbuf *out, const char *uscc, const bool *known, const int64_t *fen, bool above)
{
    strbuf_printf(out, "%s|%d", uscc, above);
    for (int k = 0; k < ANALYSIS_SQL_YEAR_FIGURES; k++) {
        if (known[k])
            strbuf_printf(out, "|%lld", (long long)fen[k]);
        else
            strbuf_puts(out, "|-");
    }
    strbuf_putc(out, '\n');
}

static int add_packed(void *ctx, const analysis_sql_yearly *r)
{
    line_of(ctx, r->uscc, r->known, r->fen, r->above_scale);
    return 0;
}

/* The year's rows as its packs give them, in their order. */
static char *packed_text(store *st, int year)
{
    int parts[ANALYSIS_SQL_PLAN_YEARS];
    bool usable;
    lz_err err = {0};
    assert_int_equal(indicator_packs_parts(st, year, year, parts, &usable, &err), 0);
    assert_true(usable);
    strbuf out;
    strbuf_init(&out);
    if (parts[0])
        assert_int_equal(indicator_packs_read(st, year, 0, parts[0] - 1, add_packed, &out, &err), 0);
    return out.data ? strbuf_detach(&out) : calloc(1, 1);
}

/* The year's rows as SQL reads them from the table, in USCC order. */
static char *table_text(store *st, int year)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st),
                                        "SELECT uscc, revenue, tax_paid, output_value, rd_expense, employees, value_added,"
                                        " COALESCE(above_scale, 0) FROM indicators WHERE year = ?1 ORDER BY uscc",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int(s, 1, year);
    strbuf out;
    strbuf_init(&out);
    while (sqlite3_step(s) == SQLITE_ROW) {
        bool known[ANALYSIS_SQL_YEAR_FIGURES];
        int64_t fen[ANALYSIS_SQL_YEAR_FIGURES];
        for (int k = 0; k < ANALYSIS_SQL_YEAR_FIGURES; k++) {
            known[k] = sqlite3_column_type(s, 1 + k) != SQLITE_NULL;
            fen[k] = sqlite3_column_int64(s, 1 + k);
        }
        line_of(&out, (const char *)sqlite3_column_text(s, 0), known, fen, sqlite3_column_int(s, 7) != 0);
    }
    sqlite3_finalize(s);
    return out.data ? strbuf_detach(&out) : calloc(1, 1);
}

static void packs_are_rows(store *st, int year)
{
    char *packed = packed_text(st, year), *rows = table_text(st, year);
    assert_string_equal(packed, rows);
    free(packed);
    free(rows);
}

static int packs_of(store *st, int year)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM indicator_packs WHERE year = ?1", -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int(s, 1, year);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* The rowids of the year's packs, in key order: a pack rebuilt gets a new one. */
static char *pack_rowids(store *st, int year)
{
    sqlite3_stmt *s;
    assert_int_equal(
        sqlite3_prepare_v2(store_db(st), "SELECT rowid FROM indicator_packs WHERE year = ?1 ORDER BY first", -1, &s, NULL),
        SQLITE_OK);
    sqlite3_bind_int(s, 1, year);
    strbuf out;
    strbuf_init(&out);
    while (sqlite3_step(s) == SQLITE_ROW)
        strbuf_printf(&out, "%lld\n", (long long)sqlite3_column_int64(s, 0));
    sqlite3_finalize(s);
    return strbuf_detach(&out);
}

/* How many lines of a differ from b's, which has as many. */
static int changed_rowids(const char *a, const char *b)
{
    int changed = 0;
    while (*a && *b) {
        size_t n = strcspn(a, "\n"), m = strcspn(b, "\n");
        changed += n != m || strncmp(a, b, n) != 0;
        a += n + (a[n] == '\n');
        b += m + (b[m] == '\n');
    }
    assert_true(!*a && !*b);
    return changed;
}

static void every_write_leaves_the_packs_equal_to_the_rows(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = testdb_create(path);
    add_enterprises(st);
    lz_err err = {0};
    /* many rows: each year packed whole, in several packs */
    put_rows(st, 0, ENTERPRISES, 2023, 0);
    put_rows(st, 0, ENTERPRISES / 2, 2022, 0);
    assert_true(packs_of(st, 2023) > 2);
    packs_are_rows(st, 2023);
    packs_are_rows(st, 2022);
    /* one row changed: the pack it lies in, the others kept as they were (same rowids) */
    char *kept = pack_rowids(st, 2023);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(put_row(st, 1234, 2023, 9, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    char *now = pack_rowids(st, 2023);
    assert_int_equal(changed_rowids(kept, now), 1);
    free(kept);
    free(now);
    packs_are_rows(st, 2023);
    /* a few rows changed, one added: the packs they lie in, or the year */
    int before = packs_of(st, 2022);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(put_row(st, 17, 2022, 5, &err), 0);
    assert_int_equal(put_row(st, 4000, 2022, 0, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_true(packs_of(st, 2022) >= before);
    packs_are_rows(st, 2022);
    packs_are_rows(st, 2023);
    /* a deletion */
    const table *t = tables_find("indicators");
    char u[32];
    uscc_of(18, u);
    cell key[2] = {cell_text(u, strlen(u)), cell_int(2023)};
    bool deleted = false;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_delete(st, t, key, &deleted, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_true(deleted);
    packs_are_rows(st, 2023);
    /* outside a transaction: one of its own */
    assert_int_equal(put_row(st, 19, 2023, 77, &err), 0);
    assert_false(store_in_transaction(st));
    packs_are_rows(st, 2023);
    /* a new year, a row at a time */
    put_rows(st, 0, 3, 2019, 0);
    assert_int_equal(packs_of(st, 2019), 1);
    packs_are_rows(st, 2019);
    /* a rollback leaves them as they were */
    char *was = packed_text(st, 2023);
    assert_int_equal(store_begin(st, &err), 0);
    for (int i = 0; i < 50; i++)
        assert_int_equal(put_row(st, i, 2023, 1000, &err), 0);
    store_rollback(st);
    char *is = packed_text(st, 2023);
    assert_string_equal(is, was);
    free(was);
    free(is);
    packs_are_rows(st, 2023);
    store_close(st);
    testdb_remove(path);
}

static void another_programs_write_drops_its_years_packs_until_the_next_open(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = testdb_create(path);
    add_enterprises(st);
    put_rows(st, 0, 500, 2023, 0);
    put_rows(st, 0, 500, 2022, 0);
    store_close(st);
    /* another program: the file's triggers run on its connection */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE indicators SET revenue = 1 WHERE year = 2023 AND rowid % 7 = 0", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    lz_err err = {0};
    assert_int_equal(store_open(&st, path, STORE_READONLY, &err), 0);
    int parts[ANALYSIS_SQL_PLAN_YEARS];
    bool usable = true;
    assert_int_equal(indicator_packs_parts(st, 2022, 2023, parts, &usable, &err), 0);
    assert_false(usable); /* 2023 has rows and no packs: read from the rows */
    assert_true(parts[0] > 0 && parts[1] == 0);
    store_close(st);
    /* opened read-write, the year is packed again */
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    packs_are_rows(st, 2023);
    packs_are_rows(st, 2022);
    store_close(st);
    testdb_remove(path);
}

static void any_code_and_any_integer_round_trip(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = testdb_create(path);
    char longest[400];
    memset(longest, 'Z', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    strbuf sql;
    strbuf_init(&sql);
    strbuf_printf(&sql, "INSERT INTO enterprises (uscc, name, local) VALUES ('%s', 'long', 1), ('Z', 'short', 1), ('', 'none', 1)",
                  longest);
    exec(st, sql.data);
    strbuf_free(&sql);
    const table *t = tables_find("indicators");
    const char *codes[] = {longest, "Z", ""};
    const int64_t values[] = {INT64_MIN, INT64_MAX, -1};
    lz_err err = {0};
    assert_int_equal(store_begin(st, &err), 0);
    for (int i = 0; i < 3; i++) {
        cell row[TABLES_MAX_COLS];
        for (size_t c = 0; c < t->ncols; c++)
            row[c] = cell_int(values[(i + c) % 3]);
        row[table_column_index(t, "uscc")] = cell_text(codes[i], strlen(codes[i]));
        row[table_column_index(t, "year")] = cell_int(2024);
        assert_int_equal(store_upsert(st, t, row, NULL, &err), 0);
    }
    assert_int_equal(store_commit(st, &err), 0);
    packs_are_rows(st, 2024);
    store_close(st);
    testdb_remove(path);
}

static void a_damaged_pack_is_an_error_naming_its_year(void **state)
{
    (void)state;
    char path[TESTDB_PATH_MAX];
    store *st = testdb_create(path);
    add_enterprises(st);
    put_rows(st, 0, 100, 2023, 0);
    exec(st, "UPDATE indicator_packs SET data = x'0012' WHERE year = 2023");
    lz_err err = {0};
    strbuf out;
    strbuf_init(&out);
    assert_int_equal(indicator_packs_read(st, 2023, 0, 0, add_packed, &out, &err), LZ_EINTERNAL);
    assert_non_null(strstr(err.msg, "of 2023 does not decode"));
    strbuf_free(&out);
    store_close(st);
    testdb_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_write_leaves_the_packs_equal_to_the_rows),
        cmocka_unit_test(another_programs_write_drops_its_years_packs_until_the_next_open),
        cmocka_unit_test(any_code_and_any_integer_round_trip),
        cmocka_unit_test(a_damaged_pack_is_an_error_naming_its_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
