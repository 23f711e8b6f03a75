/*
 * facts_load — the facts a support policy reads (model/facts.h), loaded column-wise from the
 * database for one award year.
 *
 * The policy engine evaluates over one array per fact, one pass per policy, so loading is the only
 * place that touches SQL and it touches it once per column, not once per subject.
 *
 * Ownership: facts_load initialises the world it is given; the caller releases it with
 * facts_world_free (also after a failure).
 */
#ifndef LZ_FACTS_LOAD_H
#define LZ_FACTS_LOAD_H

#include <stdint.h>

#include "core/err.h"
#include "model/facts.h"
#include "store/store.h"

/* Which facts to load: need[fact id] != 0. Kinds without any needed fact still load their subject
 * list when kinds[kind] is set (a policy about events needs the events even if it reads no column). */
typedef struct facts_need {
    uint8_t fact[FACTS_MAX];
    uint8_t kind[FACTS_KINDS];
} facts_need;

/* Loads, for award year `year`: every enterprise; every project; persons with a row in year - 1
 * (their yearly rows up to year - 1); events dated in year - 1. Yearly facts cover the years on
 * record up to year - 1 (at most 20). `only_uscc` (may be NULL) restricts everything to one
 * enterprise. Read inside one snapshot (store_read_begin) for facts of one moment; inside a
 * snapshot with a twin (store_read_begin_twin) a large yearly table is read in two halves at once,
 * the second on the twin. */
int facts_load(store *st, int year, const facts_need *need, const char *only_uscc, facts_world *w, lz_err *err);
/* What makes a yearly table large: more rows than this (by rowid). 100,000; a variable only so
 * that a test can lower it and compare the two halves with one serial read on a small table. */
extern int64_t facts_parallel_rows;
/* The query listing the enterprises for which membership fact `fact` is true (static SQL: ?1 = one
 * enterprise or NULL, ?2 = the statistics year, ?3 and ?4 = "YYYY-01-01" of that year and the
 * next); NULL when the fact is no membership or has none. */
const char *facts_members_sql(int fact);

#endif
