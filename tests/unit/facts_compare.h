/* Shared by the facts loader's tests on SQLite (test_facts.c) and on PostgreSQL (tests/pg/):
 * the numeric facts a parallel read takes, a load with the parallel read's line set, and the
 * comparison of two worlds value by value. Included by test programs only, after cmocka.h. */
#ifndef LZ_FACTS_COMPARE_H
#define LZ_FACTS_COMPARE_H

#include <stdint.h>
#include <stdio.h>

#include "model/facts.h"
#include "refdata/synth.h"
#include "store/facts_load.h"

enum { AWARD_YEAR = SYNTH_LAST_YEAR + 1 };

/* Every fact of enterprises and persons stored as a plain number: the facts the parallel read
 * takes (a text fact grows a dictionary shared by the whole world, so it is read serially). */
static inline facts_need numeric_need(void)
{
    facts_need need = {{0}, {0}};
    for (size_t f = 0; f < facts_catalog_count; f++) {
        const facts_def *d = facts_get(f);
        bool numeric = d->type != FT_TEXT && d->type != FT_LIST;
        if (numeric && (d->kind == FACTS_ENTERPRISE || d->kind == FACTS_PERSON)) {
            need.fact[f] = 1;
            need.kind[d->kind] = 1;
        }
    }
    return need;
}

static inline void load(store *st, int64_t parallel_rows, const facts_need *need, facts_world *w)
{
    lz_err err = {0};
    int64_t saved = facts_parallel_rows;
    facts_parallel_rows = parallel_rows;
    int rc = facts_load(st, AWARD_YEAR, need, NULL, w, &err);
    facts_parallel_rows = saved;
    if (rc != 0)
        fail_msg("%s", err.msg);
}

/* Asserts both worlds hold the same subjects and the same values of every needed fact. */
static inline void expect_same_world(const facts_world *a, const facts_world *b, const facts_need *need)
{
    for (int k = 0; k < FACTS_KINDS; k++) {
        const facts_set *x = &a->sets[k], *y = &b->sets[k];
        assert_int_equal(x->n, y->n);
        assert_int_equal(x->year0, y->year0);
        assert_int_equal(x->nyears, y->nyears);
        for (size_t i = 0; i < x->n; i++)
            assert_string_equal(x->ids[i], y->ids[i]);
        for (size_t f = 0; f < facts_catalog_count; f++) {
            if (!need->fact[f] || facts_get(f)->kind != (facts_kind)k)
                continue;
            size_t width = facts_get(f)->yearly ? (size_t)x->nyears : 1;
            for (size_t j = 0; j < x->n * width; j++) {
                if (x->cols[f].known[j] != y->cols[f].known[j] || (x->cols[f].known[j] && x->cols[f].v[j] != y->cols[f].v[j]))
                    fail_msg("%s %s, slot %zu: %d/%lld serially, %d/%lld in halves", facts_kind_name((facts_kind)k),
                             facts_get(f)->name, j, x->cols[f].known[j], (long long)x->cols[f].v[j], y->cols[f].known[j],
                             (long long)y->cols[f].v[j]);
            }
        }
    }
}

#endif
