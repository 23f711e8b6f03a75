/* Unit tests of the store and the data contract: field parsing per type, row rules, upsert,
 * get, delete refusal, list queries (conditions, scoping through another table, search, order,
 * keyset cursor), schema creation and the audit chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/cellfmt.h"
#include "store/audit.h"
#include "store/ledger.h"
#include "store/store.h"
#include "store/store_impl.h"

static cell parse(const char *table_name, const char *col, const char *text, int *rc, char *why)
{
    const table *t = tables_find(table_name);
    int i = table_column_index(t, col);
    assert_true(i >= 0);
    static arena a;
    static bool init;
    if (!init) {
        arena_init(&a, 4096);
        init = true;
    }
    cell out;
    *rc = cell_parse(&t->cols[i], text, strlen(text), &a, &out, why, 600);
    return out;
}

static void fields_parse_per_type(void **state)
{
    (void)state;
    int rc;
    char why[600];
    cell c = parse("indicators", "revenue", " 1234.5 ", &rc, why);
    assert_int_equal(rc, 0);
    assert_int_equal(c.kind, CELL_INT);
    assert_int_equal(c.i, 123450);
    c = parse("indicators", "revenue", "", &rc, why);
    assert_int_equal(c.kind, CELL_NULL); /* unknown, not 0 */
    c = parse("indicators", "above_scale", "是", &rc, why);
    assert_int_equal(c.i, 1);
    c = parse("indicators", "above_scale", "FALSE", &rc, why);
    assert_int_equal(c.i, 0);
    c = parse("enterprises", "local", "", &rc, why);
    assert_int_equal(c.i, 1); /* default true */
    c = parse("chains", "lead_divisions", " 440703 ; 440705 ;", &rc, why);
    assert_int_equal(rc, 0);
    assert_string_equal(c.s, "440703;440705");
    c = parse("projects", "plot_ratio", "1.6", &rc, why);
    assert_int_equal(c.i, 160);
    parse("projects", "plot_ratio", "1.605", &rc, why);
    assert_int_equal(rc, -1);
    parse("enterprises", "industry_code", "398", &rc, why);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(why, "4 digits"));
    parse("indicators", "employees", "-1", &rc, why);
    assert_int_equal(rc, -1);
    c = parse("indicators", "value_added", "-10.5", &rc, why);
    assert_int_equal(c.i, -1050); /* value added may be negative */
    parse("events", "id", "a b", &rc, why);
    assert_int_equal(rc, -1);
}

static store *fresh_store(char *path)
{
    snprintf(path, 64, "/tmp/lz-test-store-XXXXXX");
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    store *st;
    lz_err err;
    assert_int_equal(store_open(&st, path, STORE_CREATE, &err), 0);
    return st;
}

static void drop_store(store *st, const char *path)
{
    char side[80];
    store_close(st);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static void put(store *st, const char *table_name, const char *const *texts)
{
    const table *t = tables_find(table_name);
    cell row[TABLES_MAX_COLS];
    arena a;
    arena_init(&a, 4096);
    char why[600];
    for (size_t i = 0; i < t->ncols; i++) {
        int rc = cell_parse(&t->cols[i], texts[i], strlen(texts[i]), &a, &row[i], why, sizeof why);
        if (rc < 0)
            fail_msg("%s.%s: %s", table_name, t->cols[i].name, why);
    }
    lz_err err;
    assert_int_equal(store_upsert(st, t, row, NULL, &err), 0);
    arena_free(&a);
}

static void seed(store *st)
{
    lz_err err;
    assert_int_equal(store_begin(st, &err), 0);
    put(st, "divisions", (const char *[]){"440703", "蓬江区"});
    put(st, "divisions", (const char *[]){"440705", "新会区"});
    put(st, "clusters", (const char *[]){"nm", "新材料", "emerging", "", "article"});
    put(st, "chains", (const char *[]){"battery", "nm", "新能源电池", "", "440703", "", "article", "cluster;name"});
    put(st, "segments", (const char *[]){"battery", "cathode", "正极", "upstream", "", ""});
    put(st, "enterprises", (const char *[]){"91440703MA4UA0001G", "甲正极材料", "440703", "", "", "true", "", ""});
    put(st, "enterprises", (const char *[]){"91440704MA4UA00022", "乙负极材料", "440705", "", "", "true", "", ""});
    put(st, "enterprises", (const char *[]){"91440705MA4UA0003K", "丙电芯 100%_x", "440705", "", "", "true", "", ""});
    put(st, "memberships", (const char *[]){"91440703MA4UA0001G", "battery", "cathode", "chain_master", "confirmed"});
    assert_int_equal(store_commit(st, &err), 0);
}

typedef struct collected {
    char keys[16][32];
    size_t n;
} collected;

static int collect(void *ctx, const cell *row)
{
    collected *c = ctx;
    snprintf(c->keys[c->n++], 32, "%s", row[0].s);
    return 0;
}

static void upsert_get_and_delete(void **state)
{
    (void)state;
    char path[64];
    store *st = fresh_store(path);
    seed(st);
    lz_err err;
    const table *e = tables_find("enterprises");
    cell key = cell_text("91440703MA4UA0001G", 18), row[16];
    arena a;
    arena_init(&a, 4096);
    bool found, deleted;
    assert_int_equal(store_get(st, e, &key, &a, row, &found, &err), 0);
    assert_true(found);
    assert_string_equal(row[1].s, "甲正极材料");
    assert_int_equal(row[5].i, 1);
    /* referenced by a membership: refused, naming the table */
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_delete(st, e, &key, &deleted, &err), LZ_ECONFLICT);
    assert_non_null(strstr(err.msg, "memberships"));
    cell free_key = cell_text("91440705MA4UA0003K", 18);
    assert_int_equal(store_delete(st, e, &free_key, &deleted, &err), 0);
    assert_true(deleted);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(store_get(st, e, &free_key, &a, row, &found, &err), 0);
    assert_false(found);
    arena_free(&a);
    drop_store(st, path);
}

static void queries_filter_scope_search_and_page(void **state)
{
    (void)state;
    char path[64];
    store *st = fresh_store(path);
    seed(st);
    lz_err err;
    const table *e = tables_find("enterprises");
    collected c = {0};
    cell d = cell_text("440705", 6);
    store_cond by_division = {.column = "division", .values = &d, .nvalues = 1};
    store_query q = {.t = e, .conds = &by_division, .nconds = 1};
    assert_int_equal(store_scan(st, &q, collect, &c, &err), 0);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.keys[0], "91440704MA4UA00022");

    /* enterprises of a chain, through memberships: the scoping a chain leader's account gets */
    cell chain = cell_text("battery", 7);
    store_cond of_chain = {
        .column = "uscc", .values = &chain, .nvalues = 1, .via_table = "memberships", .via_column = "uscc", .via_match = "chain"};
    memset(&c, 0, sizeof c);
    q = (store_query){.t = e, .conds = &of_chain, .nconds = 1};
    assert_int_equal(store_scan(st, &q, collect, &c, &err), 0);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.keys[0], "91440703MA4UA0001G");
    /* ... narrowed to confirmed memberships (via_only): a proposal scopes nothing */
    int64_t members = -1;
    of_chain.via_only = "status";
    of_chain.via_only_value = "proposed";
    assert_int_equal(store_count(st, &q, &members, &err), 0);
    assert_int_equal(members, 0);
    of_chain.via_only_value = "confirmed";
    assert_int_equal(store_count(st, &q, &members, &err), 0);
    assert_int_equal(members, 1);

    /* an empty scope matches nothing (never everything) */
    store_cond nothing = {.column = "uscc", .values = NULL, .nvalues = 0};
    int64_t count = -1;
    q = (store_query){.t = e, .conds = &nothing, .nconds = 1};
    assert_int_equal(store_count(st, &q, &count, &err), 0);
    assert_int_equal(count, 0);

    /* a limit caps a count (a list's total, an existence check); without one every row counts */
    q = (store_query){.t = e};
    assert_int_equal(store_count(st, &q, &count, &err), 0);
    int64_t all = count;
    assert_true(all > 2);
    q.limit = 2;
    assert_int_equal(store_count(st, &q, &count, &err), 0);
    assert_int_equal(count, 2);
    q.limit = (size_t)all + 1;
    assert_int_equal(store_count(st, &q, &count, &err), 0);
    assert_int_equal(count, all);

    /* search: substring of the name; % and _ are literal */
    memset(&c, 0, sizeof c);
    q = (store_query){.t = e, .search = "100%_"};
    assert_int_equal(store_scan(st, &q, collect, &c, &err), 0);
    assert_int_equal(c.n, 1);
    memset(&c, 0, sizeof c);
    q = (store_query){.t = e, .search = "0%x"};
    assert_int_equal(store_scan(st, &q, collect, &c, &err), 0);
    assert_int_equal(c.n, 0);

    /* keyset pages of 2, ordered by name descending */
    memset(&c, 0, sizeof c);
    q = (store_query){.t = e, .order_by = "name", .descending = true, .limit = 2};
    assert_int_equal(store_scan(st, &q, collect, &c, &err), 0);
    assert_int_equal(c.n, 2);
    cell after[2] = {cell_text("乙负极材料", strlen("乙负极材料")), cell_text("91440704MA4UA00022", 18)};
    q.after = after;
    collected rest = {0};
    assert_int_equal(store_scan(st, &q, collect, &rest, &err), 0);
    assert_int_equal(rest.n, 1);
    assert_string_not_equal(rest.keys[0], c.keys[0]);
    assert_string_not_equal(rest.keys[0], c.keys[1]);

    /* bad queries are bad input, never SQL */
    q = (store_query){.t = e, .order_by = "colour"};
    assert_int_equal(store_scan(st, &q, collect, &c, &err), LZ_EINPUT);
    assert_non_null(strstr(err.msg, "no column 'colour' to sort by"));
    store_cond bad = {.column = "nope; DROP TABLE x", .values = &d, .nvalues = 1};
    q = (store_query){.t = e, .conds = &bad, .nconds = 1};
    assert_int_equal(store_scan(st, &q, collect, &c, &err), LZ_EINPUT);
    drop_store(st, path);
}

/* A row callback that runs more queries than the statement cache holds, and the scan it is
 * called from again: the statement being stepped must survive both (it was once finalized
 * under the caller, or reset so that the scan started over). */
typedef struct nested {
    store *st;
    const store_query *outer;
    size_t rows, inner_rows;
    int rc;
} nested;

static int count_inner(void *ctx, const cell *row)
{
    (void)row;
    ((nested *)ctx)->inner_rows++;
    return 0;
}

static int query_from_callback(void *ctx, const cell *row)
{
    nested *n = ctx;
    lz_err err;
    if (++n->rows > 3)
        return 1; /* the outer scan started over: stop, the assertion below reports it */
    assert_int_equal(row[0].kind, CELL_TEXT);
    for (int i = 0; i < 120 && n->rc == 0; i++) {
        char search[24];
        snprintf(search, sizeof search, "no such %d", i);
        store_query q = {.t = n->outer->t, .search = search};
        int64_t count = -1;
        n->rc = store_count(n->st, &q, &count, &err);
        assert_int_equal(count, 0);
    }
    if (n->rc == 0)
        n->rc = store_scan(n->st, n->outer, count_inner, n, &err);
    return 0;
}

static void scan_survives_queries_from_its_row_callback(void **state)
{
    (void)state;
    char path[64];
    store *st = fresh_store(path);
    seed(st);
    lz_err err;
    store_query q = {.t = tables_find("enterprises")};
    nested n = {.st = st, .outer = &q};
    assert_int_equal(store_scan(st, &q, query_from_callback, &n, &err), 0);
    assert_int_equal(n.rc, 0);
    assert_int_equal(n.rows, 3);
    assert_int_equal(n.inner_rows, 9);
    /* the cache is still usable afterwards, for the same scan and for new SQL */
    n = (nested){.st = st, .outer = &q};
    assert_int_equal(store_scan(st, &q, count_inner, &n, &err), 0);
    assert_int_equal(n.inner_rows, 3);
    drop_store(st, path);
}

static void audit_chain_detects_edits_removals_and_truncation(void **state)
{
    (void)state;
    char path[64];
    store *st = fresh_store(path);
    lz_err err;
    assert_int_equal(store_begin(st, &err), 0);
    for (int i = 0; i < 5; i++) {
        char after[32];
        snprintf(after, sizeof after, "{\"n\":%d}", i);
        audit_entry e = {.actor = "tester", .via = "unit", .target = "x", .before = NULL, .after = after};
        assert_int_equal(audit_append(st, &e, &err), 0);
    }
    assert_int_equal(store_commit(st, &err), 0);
    char head[AUDIT_HASH_HEX], head3[AUDIT_HASH_HEX];
    int64_t count, bad;
    assert_int_equal(audit_head(st, head, &count, &err), 0);
    assert_int_equal(count, 5);
    strbuf report;
    strbuf_init(&report);
    assert_int_equal(audit_verify(st, head, &bad, &report, &err), 0);
    assert_int_equal(bad, 0);
    store_close(st);

    /* edit, via another connection like a hand edit would */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "sqlite3 %s \"UPDATE audit_log SET after='{\\\"n\\\":9}' WHERE seq=3\"", path);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    strbuf_reset(&report);
    assert_int_equal(audit_verify(st, NULL, &bad, &report, &err), 0);
    assert_int_equal(bad, 3);
    assert_non_null(strstr(report.data, "entry 3 was changed"));
    store_close(st);

    /* removal in the middle */
    snprintf(cmd, sizeof cmd,
             "sqlite3 %s \"UPDATE audit_log SET after='{\\\"n\\\":2}' WHERE seq=3; DELETE FROM audit_log WHERE seq=2\"", path);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    strbuf_reset(&report);
    assert_int_equal(audit_verify(st, NULL, &bad, &report, &err), 0);
    assert_int_equal(bad, 2);
    store_close(st);

    /* truncation: only the head kept elsewhere reveals it */
    unlink(path);
    st = fresh_store(path);
    assert_int_equal(store_begin(st, &err), 0);
    for (int i = 0; i < 4; i++) {
        audit_entry e = {.actor = "tester", .via = "unit", .target = "x"};
        assert_int_equal(audit_append(st, &e, &err), 0);
        if (i == 2)
            assert_int_equal(audit_head(st, head3, &count, &err), 0);
    }
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(audit_head(st, head, &count, &err), 0);
    store_close(st);
    snprintf(cmd, sizeof cmd, "sqlite3 %s \"DELETE FROM audit_log WHERE seq=4\"", path);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    strbuf_reset(&report);
    assert_int_equal(audit_verify(st, NULL, &bad, &report, &err), 0);
    assert_int_equal(bad, 0); /* without a head the shorter chain looks whole */
    assert_int_equal(audit_verify(st, head, &bad, &report, &err), 0);
    assert_true(bad > 0);
    assert_non_null(strstr(report.data, "truncated"));
    strbuf_reset(&report);
    assert_int_equal(audit_verify(st, head3, &bad, &report, &err), 0);
    assert_int_equal(bad, 0);
    strbuf_free(&report);
    drop_store(st, path);
}

static void audit_refuses_writes_outside_a_transaction(void **state)
{
    (void)state;
    char path[64];
    store *st = fresh_store(path);
    lz_err err;
    audit_entry e = {.actor = "a", .via = "b", .target = "c"};
    assert_int_equal(audit_append(st, &e, &err), LZ_EINTERNAL);
    drop_store(st, path);
}

static void append_entry(store *st, const char *target)
{
    lz_err err;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(audit_append(st, &(audit_entry){.actor = "other", .via = "test", .target = target}, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
}

/* Records one award of `year` whose facts were read when the log's last entry was facts_seq. */
static int record_year(store *st, int year, int64_t facts_seq, lz_err *err)
{
    const char *policies[] = {"p1", NULL}, *hashes[] = {"h1", NULL};
    ledger_award a = {.year = year,
                      .policy = "p1",
                      .policy_hash = "h1",
                      .subject = "enterprise",
                      .subject_id = "E1",
                      .uscc = "91440703MA4UA0001G",
                      .result = "eligible",
                      .amount_fen = 100};
    ledger_run run = {.year = year,
                      .policies = policies,
                      .hashes = hashes,
                      .awards = &a,
                      .n = 1,
                      .actor = "admin",
                      .via = "test",
                      .facts_seq = facts_seq};
    ledger_diff d;
    int rc = ledger_record(st, &run, &d, err);
    ledger_diff_free(&d);
    return rc;
}

/* The number sql (SELECT count(*) ...) gives on st's connection. */
static int64_t count_of(store *st, const char *sql)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

static int64_t award_runs(store *st)
{
    return count_of(st, "SELECT count(*) FROM award_runs");
}

/* A year's awards are recorded only from the data the database holds: a change audited after their
 * facts were read refuses the record (nothing written, the entry named); sign-ins and an account's
 * own changes are no change of data. */
static void a_record_is_refused_when_the_data_changed_after_its_facts(void **state)
{
    (void)state;
    char path[64], head[AUDIT_HASH_HEX];
    store *st = fresh_store(path);
    seed(st);
    lz_err err = {0};
    int64_t seq;
    assert_int_equal(audit_head(st, head, &seq, &err), 0);
    append_entry(st, "sessions");
    append_entry(st, "accounts/bob");
    assert_int_equal(record_year(st, 2023, seq, &err), 0);
    assert_int_equal(award_runs(st), 1);

    assert_int_equal(audit_head(st, head, &seq, &err), 0);
    append_entry(st, "enterprises/91440703MA4UC00010");
    append_entry(st, "sessions");
    assert_int_equal(record_year(st, 2024, seq, &err), LZ_ECONFLICT);
    assert_non_null(strstr(err.msg, "the data changed while the awards were computed"));
    assert_non_null(strstr(err.msg, "enterprises/91440703MA4UC00010 by other"));
    assert_int_equal(award_runs(st), 1);
    assert_false(store_in_transaction(st));

    assert_int_equal(audit_head(st, head, &seq, &err), 0);
    assert_int_equal(record_year(st, 2024, seq, &err), 0); /* computed again, from the data as it is */
    assert_int_equal(award_runs(st), 2);
    drop_store(st, path);
}

/* The number of enterprises st sees. */
static int64_t enterprises_seen(store *st)
{
    return count_of(st, "SELECT count(*) FROM \"enterprises\"");
}

/* A snapshot and its twin see the same moment: a commit made after they began is seen by neither
 * until the snapshot ends, however late each reads. */
static void a_twin_sees_the_moment_of_its_snapshot(void **state)
{
    (void)state;
    char path[64];
    store *st = fresh_store(path);
    seed(st);
    lz_err err;
    assert_int_equal(store_read_begin_twin(st, &err), 0);
    store *twin = store_twin(st);
    assert_non_null(twin);
    store *writer;
    assert_int_equal(store_open(&writer, path, 0, &err), 0);
    assert_int_equal(store_begin(writer, &err), 0);
    put(writer, "enterprises", (const char *[]){"91440703MA4UA0004R", "丁", "440703", "", "", "true", "", ""});
    assert_int_equal(store_commit(writer, &err), 0);
    assert_int_equal(enterprises_seen(st), 3);
    assert_int_equal(enterprises_seen(twin), 3);
    assert_int_equal(enterprises_seen(writer), 4);
    store_read_end(st);
    assert_null(store_twin(st));
    assert_int_equal(enterprises_seen(st), 4);
    store_close(writer);
    drop_store(st, path);
}

/* While another connection writes, no twin can be pinned to the snapshot's moment: the snapshot
 * begins at once without one (reads stay on one connection) rather than wait for the writer. */
static void no_twin_while_another_connection_writes(void **state)
{
    (void)state;
    char path[64];
    store *st = fresh_store(path);
    seed(st);
    lz_err err;
    store *writer;
    assert_int_equal(store_open(&writer, path, 0, &err), 0);
    assert_int_equal(store_begin(writer, &err), 0);
    assert_int_equal(store_read_begin_twin(st, &err), 0);
    assert_null(store_twin(st));
    assert_int_equal(enterprises_seen(st), 3);
    store_read_end(st);
    store_rollback(writer);
    store_close(writer);
    drop_store(st, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_parse_per_type),
        cmocka_unit_test(upsert_get_and_delete),
        cmocka_unit_test(queries_filter_scope_search_and_page),
        cmocka_unit_test(scan_survives_queries_from_its_row_callback),
        cmocka_unit_test(audit_chain_detects_edits_removals_and_truncation),
        cmocka_unit_test(audit_refuses_writes_outside_a_transaction),
        cmocka_unit_test(a_record_is_refused_when_the_data_changed_after_its_facts),
        cmocka_unit_test(a_twin_sees_the_moment_of_its_snapshot),
        cmocka_unit_test(no_twin_while_another_connection_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
