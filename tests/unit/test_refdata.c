/* Unit tests of src/refdata: the fixed Jiangmen tables and the synthetic generator's output,
 * checked against the data contract (cellfmt's own parsing and row rules) without a database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/uscc.h"
#include "model/cellfmt.h"
#include "refdata/jiangmen.h"
#include "refdata/synth.h"

/* ---- a generated data set held in memory (small N only) ---- */

typedef struct rows {
    char **items; /* each row: fields joined by '\t' */
    size_t n, cap;
} rows;

typedef struct dataset {
    rows t[32];
    uint64_t hash; /* FNV-1a over every field of every row, in order */
} dataset;

typedef struct sink_ctx {
    dataset *d;
    const table *t;
    size_t k;
} sink_ctx;

static int keep_row(void *vp, const char *const *f, const size_t *n)
{
    sink_ctx *c = vp;
    rows *r = &c->d->t[c->k];
    size_t len = 0;
    for (size_t i = 0; i < c->t->ncols; i++)
        len += n[i] + 1;
    char *s = malloc(len), *p = s;
    for (size_t i = 0; i < c->t->ncols; i++) {
        memcpy(p, f[i], n[i]);
        p += n[i];
        *p++ = i + 1 < c->t->ncols ? '\t' : '\0';
        for (size_t b = 0; b < n[i]; b++)
            c->d->hash = (c->d->hash ^ (unsigned char)f[i][b]) * 0x100000001b3u;
        c->d->hash = (c->d->hash ^ 0xff) * 0x100000001b3u;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->items = realloc(r->items, r->cap * sizeof *r->items);
    }
    r->items[r->n++] = s;
    return 0;
}

static dataset *generate(uint64_t seed, int64_t n)
{
    synth *s;
    lz_err err;
    synth_params p = {.seed = seed, .enterprises = n};
    assert_int_equal(synth_new(&s, &p, &err), 0);
    dataset *d = calloc(1, sizeof *d);
    d->hash = 0xcbf29ce484222325u;
    for (size_t k = 0; k < tables_count; k++) {
        sink_ctx c = {d, tables_all[k], k};
        assert_int_equal(synth_table(s, tables_all[k], keep_row, NULL, &c, &err), 0);
    }
    synth_free(s);
    return d;
}

static void dataset_free(dataset *d)
{
    for (size_t k = 0; k < tables_count; k++) {
        for (size_t i = 0; i < d->t[k].n; i++)
            free(d->t[k].items[i]);
        free(d->t[k].items);
    }
    free(d);
}

static rows *table_rows(dataset *d, const char *name)
{
    for (size_t k = 0; k < tables_count; k++)
        if (strcmp(tables_all[k]->name, name) == 0)
            return &d->t[k];
    fail_msg("no table %s", name);
    return NULL;
}

/* Field `col` of a row, copied into buf. */
static const char *field(const char *row, const char *tname, const char *col, char *buf, size_t len)
{
    int want = table_column_index(tables_find(tname), col);
    assert_true(want >= 0);
    const char *p = row;
    for (int i = 0; i < want; i++)
        p = strchr(p, '\t') + 1;
    const char *end = strchr(p, '\t');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    snprintf(buf, len, "%.*s", (int)n, p);
    return buf;
}

/* Number of rows of tname whose columns equal the given values (NULL value: any). */
static size_t count_where(dataset *d, const char *tname, const char *c1, const char *v1, const char *c2, const char *v2)
{
    rows *r = table_rows(d, tname);
    size_t hits = 0;
    char buf[512];
    for (size_t i = 0; i < r->n; i++)
        if ((!c1 || strcmp(field(r->items[i], tname, c1, buf, sizeof buf), v1) == 0) &&
            (!c2 || strcmp(field(r->items[i], tname, c2, buf, sizeof buf), v2) == 0))
            hits++;
    return hits;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted values of one column (or two joined by '/'), for membership tests. */
static char **column_values(dataset *d, const char *tname, const char *c1, const char *c2, size_t *n)
{
    rows *r = table_rows(d, tname);
    char **v = malloc((r->n + 1) * sizeof *v), a[256], b[256];
    for (size_t i = 0; i < r->n; i++) {
        field(r->items[i], tname, c1, a, sizeof a);
        if (c2)
            snprintf(a + strlen(a), sizeof a - strlen(a), "/%s", field(r->items[i], tname, c2, b, sizeof b));
        v[i] = strdup(a);
    }
    qsort(v, r->n, sizeof *v, cmp_str);
    *n = r->n;
    return v;
}

static void free_values(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static bool contains(char **v, size_t n, const char *key)
{
    return bsearch(&key, v, n, sizeof *v, cmp_str) != NULL;
}

/* Members of a segment that are not in the sorted list of outside enterprises. */
static size_t local_members(dataset *d, char **outside, size_t nout, const char *segment)
{
    rows *r = table_rows(d, "memberships");
    size_t hits = 0;
    char seg[128], uscc[64];
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(field(r->items[i], "memberships", "segment", seg, sizeof seg), segment) == 0 &&
            !contains(outside, nout, field(r->items[i], "memberships", "uscc", uscc, sizeof uscc)))
            hits++;
    return hits;
}

/* ---- the fixed tables ---- */

static void reference_tables_follow_the_article(void **state)
{
    (void)state;
    assert_int_equal(refdata_ndivisions, 7);
    assert_string_equal(refdata_divisions[0].code, "440703");
    assert_string_equal(refdata_divisions[6].code, "440785");
    size_t emerging = 0, from_article = 0;
    for (size_t c = 0; c < refdata_nclusters; c++)
        emerging += refdata_clusters[c].emerging;
    assert_int_equal(refdata_nclusters, 10);
    assert_int_equal(emerging, 5);
    assert_int_equal(refdata_nchains, 14);
    for (size_t c = 0; c < refdata_nchains; c++)
        if (refdata_chains[c].from_article) {
            from_article++;
            assert_true(strcmp(refdata_chains[c].name, "新能源电池") == 0 || strcmp(refdata_chains[c].name, "石化新材料") == 0);
        }
    assert_int_equal(from_article, 2);
}

static void every_chain_has_six_to_twelve_segments_on_all_stages(void **state)
{
    (void)state;
    for (size_t c = 0; c < refdata_nchains; c++) {
        int count = 0, stages[3] = {0}, local = 0;
        for (size_t s = 0; s < refdata_nsegments; s++) {
            const refdata_segment *seg = &refdata_segments[s];
            if (seg->chain != (int)c)
                continue;
            count++;
            stages[seg->stage]++;
            local += seg->local_weight;
            /* every code a segment feeds is a segment of the same chain */
            char feeds[256];
            snprintf(feeds, sizeof feeds, "%s", seg->feeds);
            for (char *tok = strtok(feeds, ";"); tok; tok = strtok(NULL, ";"))
                assert_true(refdata_segment_index((int)c, tok) >= 0);
        }
        assert_in_range(count, 6, 12);
        assert_true(stages[0] && stages[1] && stages[2]);
        assert_true(local > 0);
    }
}

static int battery(const char *code)
{
    int seg = refdata_segment_index(refdata_chain_index("NM-BATTERY"), code);
    assert_true(seg >= 0);
    return seg;
}

static void battery_chain_is_shaped_as_the_article_says(void **state)
{
    (void)state;
    int cathode = refdata_segments[battery("cathode")].local_weight;
    for (size_t s = 0; s < refdata_nsegments; s++)
        if (refdata_segments[s].chain == refdata_segments[battery("cathode")].chain && (int)s != battery("cathode"))
            assert_true(refdata_segments[s].local_weight < cathode);
    assert_in_range(refdata_segments[battery("anode")].local_weight, 1, 2);
    assert_in_range(refdata_segments[battery("separator")].local_weight, 1, 2);
    assert_int_equal(refdata_segments[battery("cell")].local_weight, 0);
    assert_int_equal(refdata_segments[battery("recycling")].local_weight, 0);
    assert_true(refdata_segments[battery("cell")].outside_weight > 0);
    assert_true(refdata_segment_feeds(battery("cathode"), battery("cell")));
}

/* ---- the generator ---- */

static void sizes_out_of_range_are_refused(void **state)
{
    (void)state;
    synth *s;
    lz_err err;
    synth_params low = {.seed = 1, .enterprises = SYNTH_MIN_ENTERPRISES - 1},
                 high = {.seed = 1, .enterprises = SYNTH_MAX_ENTERPRISES + 1};
    assert_int_equal(synth_new(&s, &low, &err), LZ_EINPUT);
    assert_non_null(strstr(err.msg, "between 100 and 5000000"));
    assert_int_equal(synth_new(&s, &high, &err), LZ_EINPUT);
}

static void same_seed_gives_the_same_rows(void **state)
{
    (void)state;
    dataset *a = generate(7, 300), *b = generate(7, 300), *c = generate(8, 300);
    assert_true(a->hash == b->hash);
    assert_true(a->hash != c->hash);
    for (size_t k = 0; k < tables_count; k++)
        assert_int_equal(a->t[k].n, b->t[k].n);
    dataset_free(a);
    dataset_free(b);
    dataset_free(c);
}

/* Every field parses under its column's rules, every row meets the cross-field rules, and keys are
 * unique: what the importer would check, without the database. */
static void every_row_meets_the_contract(void **state)
{
    (void)state;
    dataset *d = generate(3, 1500);
    arena a;
    arena_init(&a, 4096);
    for (size_t k = 0; k < tables_count; k++) {
        const table *t = tables_all[k];
        int keys[8];
        size_t nkeys = table_key_columns(t, keys);
        char **seen = malloc((d->t[k].n + 1) * sizeof *seen);
        assert_true(d->t[k].n > 0);
        for (size_t i = 0; i < d->t[k].n; i++) {
            cell cells[TABLES_MAX_COLS];
            char why[512], buf[4096], key[512] = "";
            for (size_t c = 0; c < t->ncols; c++) {
                field(d->t[k].items[i], t->name, t->cols[c].name, buf, sizeof buf);
                if (cell_parse(&t->cols[c], buf, strlen(buf), &a, &cells[c], why, sizeof why) < 0)
                    fail_msg("%s row %zu: %s: %s ('%s')", t->name, i + 1, t->cols[c].name, why, buf);
                if (cells[c].kind == CELL_TEXT)
                    cells[c].s = arena_strndup(&a, cells[c].s, cells[c].n);
            }
            int bad = row_check(t, cells, why, sizeof why);
            if (bad >= 0)
                fail_msg("%s row %zu: %s: %s", t->name, i + 1, t->cols[bad].name, why);
            for (size_t j = 0; j < nkeys; j++)
                snprintf(key + strlen(key), sizeof key - strlen(key), "%s|",
                         field(d->t[k].items[i], t->name, t->cols[keys[j]].name, buf, sizeof buf));
            seen[i] = strdup(key);
            arena_reset(&a);
        }
        qsort(seen, d->t[k].n, sizeof *seen, cmp_str);
        for (size_t i = 1; i < d->t[k].n; i++)
            if (strcmp(seen[i - 1], seen[i]) == 0)
                fail_msg("%s: key %s twice", t->name, seen[i]);
        free_values(seen, d->t[k].n);
    }
    arena_free(&a);
    dataset_free(d);
}

/* Each reference column of each generated table points at a generated row. */
static void every_reference_exists(void **state)
{
    (void)state;
    static const struct {
        const char *table, *col, *scope, *target, *target_col, *target_scope;
    } refs[] = {
        {"enterprises", "division", NULL, "divisions", "code", NULL},
        {"memberships", "uscc", NULL, "enterprises", "uscc", NULL},
        {"memberships", "chain", "segment", "segments", "chain", "code"},
        {"indicators", "uscc", NULL, "enterprises", "uscc", NULL},
        {"supply_links", "supplier", NULL, "enterprises", "uscc", NULL},
        {"supply_links", "customer", NULL, "enterprises", "uscc", NULL},
        {"projects", "uscc", NULL, "enterprises", "uscc", NULL},
        {"persons", "uscc", NULL, "enterprises", "uscc", NULL},
        {"events", "uscc", NULL, "enterprises", "uscc", NULL},
        {"targets", "chain", "segment", "segments", "chain", "code"},
        {"targets", "recommended_by", NULL, "enterprises", "uscc", NULL},
        {"platforms", "host_uscc", NULL, "enterprises", "uscc", NULL},
        {"appeals", "uscc", NULL, "enterprises", "uscc", NULL},
        {"appeals", "chain", NULL, "chains", "code", NULL},
    };
    dataset *d = generate(5, 1000);
    for (size_t k = 0; k < sizeof refs / sizeof refs[0]; k++) {
        size_t n;
        char **have = column_values(d, refs[k].target, refs[k].target_col, refs[k].target_scope, &n);
        rows *r = table_rows(d, refs[k].table);
        for (size_t i = 0; i < r->n; i++) {
            char v[256], s[256];
            field(r->items[i], refs[k].table, refs[k].col, v, sizeof v);
            if (refs[k].scope)
                snprintf(v + strlen(v), sizeof v - strlen(v), "/%s", field(r->items[i], refs[k].table, refs[k].scope, s, sizeof s));
            if (v[0] && strcmp(v, "/") != 0 && !contains(have, n, v))
                fail_msg("%s.%s = %s does not exist in %s", refs[k].table, refs[k].col, v, refs[k].target);
        }
        free_values(have, n);
    }
    dataset_free(d);
}

static void enterprises_are_synthetic_and_well_coded(void **state)
{
    (void)state;
    dataset *d = generate(11, 2000);
    rows *r = table_rows(d, "enterprises");
    size_t outside = 0;
    for (size_t i = 0; i < r->n; i++) {
        char uscc[32], name[256], division[16], local[8], why[200];
        field(r->items[i], "enterprises", "uscc", uscc, sizeof uscc);
        field(r->items[i], "enterprises", "name", name, sizeof name);
        field(r->items[i], "enterprises", "division", division, sizeof division);
        field(r->items[i], "enterprises", "local", local, sizeof local);
        assert_int_equal(uscc_validate(uscc, strlen(uscc), why, sizeof why), 0);
        assert_non_null(strstr(name, "示例"));
        if (strcmp(local, "true") == 0) {
            assert_memory_equal(uscc, "914407", 6); /* Jiangmen's division inside the code */
            assert_memory_equal(uscc + 2, division, 6);
        } else {
            outside++;
            assert_string_equal(division, "");
        }
    }
    assert_true(outside > 0);
    dataset_free(d);
}

static void supply_links_reach_local_and_outside_suppliers(void **state)
{
    (void)state;
    dataset *d = generate(2, 2000);
    size_t n;
    char **outside = NULL;
    rows *e = table_rows(d, "enterprises");
    char **v = malloc(e->n * sizeof *v), buf[64];
    size_t nout = 0;
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(field(e->items[i], "enterprises", "local", buf, sizeof buf), "false") == 0)
            v[nout++] = strdup(field(e->items[i], "enterprises", "uscc", buf, sizeof buf));
    qsort(v, nout, sizeof *v, cmp_str);
    outside = v;
    rows *s = table_rows(d, "supply_links");
    size_t from_outside = 0, from_local = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (contains(outside, nout, field(s->items[i], "supply_links", "supplier", buf, sizeof buf)))
            from_outside++;
        else
            from_local++;
    }
    assert_true(from_outside > 0 && from_local > 0);
    /* no local enterprise sits on the battery chain's missing links; outside suppliers are placed there */
    assert_int_equal(local_members(d, outside, nout, "cell"), 0);
    assert_int_equal(local_members(d, outside, nout, "recycling"), 0);
    assert_true(count_where(d, "memberships", "segment", "cell", NULL, NULL) > 0);
    assert_true(local_members(d, outside, nout, "cathode") >
                local_members(d, outside, nout, "anode") + local_members(d, outside, nout, "separator"));
    free_values(outside, nout);
    (void)n;
    dataset_free(d);
}

/* The smallest data set still holds every case the policies are tested on. */
static void the_smallest_set_holds_every_policy_case(void **state)
{
    (void)state;
    dataset *d = generate(1, SYNTH_MIN_ENTERPRISES);
    const table *ev = tables_find("events");
    const column *kind = &ev->cols[table_column_index(ev, "kind")];
    /* The ends of a designation are recorded by the designation decision (masters decide) as the
     * city takes them; no policy reads them, and the reference history has none yet. */
    static const char *const decided_only[] = {"reserve_master_removed", "chain_master_revoked"};
    for (int k = 0; kind->values[k]; k++) {
        bool decided = false;
        for (size_t j = 0; j < sizeof decided_only / sizeof decided_only[0]; j++)
            decided = decided || strcmp(kind->values[k], decided_only[j]) == 0;
        if (!decided && count_where(d, "events", "kind", kind->values[k], NULL, NULL) == 0)
            fail_msg("no event of kind %s", kind->values[k]);
    }
    /* the first batch of 7, chosen at the conference of 18 May 2021, each naming its chain */
    assert_int_equal(count_where(d, "events", "kind", "chain_master_designated", "date", "2021-05-18"), 7);
    assert_int_equal(count_where(d, "events", "kind", "chain_master_designated", "chain", ""), 0);
    assert_int_equal(count_where(d, "chains", "source", "article", "article_fields", "cluster;name"), 2);
    assert_true(count_where(d, "events", "kind", "fund_established", "flags", "overseas_chinese_capital") > 0);
    assert_int_equal(count_where(d, "events", "kind", "listed", "detail", "star"), 1);
    static const char *const statuses[] = {"open", "accepted", "in_progress", "escalated", "resolved", "closed"};
    for (size_t i = 0; i < 6; i++)
        assert_true(count_where(d, "appeals", "status", statuses[i], NULL, NULL) > 0);
    /* The boundary cases the reference rules are judged on, each present exactly once:
     * tech upgrade — 5,000,000.00 fixed assets with 40,000,000.00 approved equipment (10% is over
     * the 3,000,000.00 cap), approved equipment of 12,345,678.90 (10% to the fen), fixed assets and
     * equipment one fen under their 5,000,000 and 2,000,000 lines; executive income tax — a wage of
     * exactly 300,000.00 (not above the line) and one of 300,000.01 with 100,000.00 tax paid, an
     * employer's new fixed-asset investment at exactly 100,000,000.00; above size — revenue at
     * exactly the 20,000,000.00 line in 2021, value added of 5,500,000.00 in 2022 (exactly 1.10 x
     * 2021: no tier 2); software — revenue one fen under 100,000,000 while above size. */
    assert_int_equal(
        count_where(d, "projects", "fixed_asset_investment", "5000000.00", "approved_equipment_purchase", "40000000.00"), 1);
    assert_int_equal(count_where(d, "projects", "approved_equipment_purchase", "12345678.90", NULL, NULL), 1);
    assert_int_equal(count_where(d, "projects", "fixed_asset_investment", "4999999.99", NULL, NULL), 1);
    assert_int_equal(count_where(d, "projects", "equipment_investment", "1999999.99", NULL, NULL), 1);
    assert_int_equal(count_where(d, "persons", "wage_income", "300000.00", "year", "2023"), 1);
    assert_int_equal(count_where(d, "persons", "wage_income", "300000.01", "iit_paid", "100000.00"), 1);
    assert_int_equal(count_where(d, "indicators", "new_fixed_asset_investment", "100000000.00", "year", "2023"), 1);
    assert_int_equal(count_where(d, "indicators", "revenue", "20000000.00", "year", "2021"), 1);
    assert_int_equal(count_where(d, "indicators", "value_added", "5500000.00", "year", "2022"), 1);
    assert_int_equal(count_where(d, "indicators", "revenue", "99999999.99", "above_scale", "true"), 1);
    dataset_free(d);
}

/* Bulk growth makes enterprises cross the above-size line in every year, and tech-upgrade
 * projects complete in every year, some above and some below the thresholds. */
static void every_year_has_entrants_and_completed_upgrades(void **state)
{
    (void)state;
    dataset *d = generate(1, 3000);
    rows *r = table_rows(d, "indicators");
    int first_above[SYNTH_LAST_YEAR + 1] = {0};
    char last[32] = "", uscc[32], year[8], above[8];
    bool found = false;
    for (size_t i = 0; i < r->n; i++) { /* rows come grouped by enterprise, years ascending */
        field(r->items[i], "indicators", "uscc", uscc, sizeof uscc);
        if (strcmp(uscc, last) != 0) {
            snprintf(last, sizeof last, "%s", uscc);
            found = false;
        }
        if (!found && strcmp(field(r->items[i], "indicators", "above_scale", above, sizeof above), "true") == 0) {
            found = true;
            first_above[atoi(field(r->items[i], "indicators", "year", year, sizeof year))]++;
        }
    }
    for (int y = SYNTH_FIRST_YEAR + 1; y <= SYNTH_LAST_YEAR; y++)
        if (first_above[y] < 3)
            fail_msg("only %d enterprises first above size in %d", first_above[y], y);
    rows *p = table_rows(d, "projects");
    int eligible[SYNTH_LAST_YEAR + 1] = {0}, below[SYNTH_LAST_YEAR + 1] = {0};
    for (size_t i = 0; i < p->n; i++) {
        char kind[32], done[16], fixed[32], equipment[32];
        field(p->items[i], "projects", "kind", kind, sizeof kind);
        field(p->items[i], "projects", "completion_date", done, sizeof done);
        if (strcmp(kind, "tech_upgrade") != 0 || !done[0] || atoi(done) > SYNTH_LAST_YEAR)
            continue;
        double f = atof(field(p->items[i], "projects", "fixed_asset_investment", fixed, sizeof fixed));
        double e = atof(field(p->items[i], "projects", "equipment_investment", equipment, sizeof equipment));
        (f >= 5e6 && e >= 2e6 ? eligible : below)[atoi(done)]++;
    }
    for (int y = SYNTH_FIRST_YEAR; y <= SYNTH_LAST_YEAR; y++)
        if (!eligible[y] || !below[y])
            fail_msg("%d: %d tech upgrades over the thresholds, %d below", y, eligible[y], below[y]);
    dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reference_tables_follow_the_article),
        cmocka_unit_test(every_chain_has_six_to_twelve_segments_on_all_stages),
        cmocka_unit_test(battery_chain_is_shaped_as_the_article_says),
        cmocka_unit_test(sizes_out_of_range_are_refused),
        cmocka_unit_test(same_seed_gives_the_same_rows),
        cmocka_unit_test(every_row_meets_the_contract),
        cmocka_unit_test(every_reference_exists),
        cmocka_unit_test(enterprises_are_synthetic_and_well_coded),
        cmocka_unit_test(supply_links_reach_local_and_outside_suppliers),
        cmocka_unit_test(the_smallest_set_holds_every_policy_case),
        cmocka_unit_test(every_year_has_entrants_and_completed_upgrades),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
