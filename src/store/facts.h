/*
 * facts — the facts a support policy may read, loaded column-wise for one award year.
 *
 * A rule file names facts (`equipment_investment`, `value_added[year - 1]`, `employer.revenue`);
 * this module is the catalogue behind those names (which table and column, which type, whether the
 * fact has one value per year) and the loader that fills one array per fact from the database.
 * The policy engine evaluates over these arrays, one pass per policy, so loading is the only
 * place that touches SQL and it touches it once per column, not once per subject.
 *
 * The same container is filled from a what-if JSON document (src/policy/whatif.c) through
 * facts_set_add / facts_put, so the engine never knows where its facts came from.
 *
 * Values: integers (money in fen, decimals x 10^scale, booleans 0/1, dates as day numbers,
 * counts, years). Text and list facts are dictionary-encoded per column: the value is an index into
 * the column's dictionary, so the engine maps each distinct string once, not once per row.
 * Unknown (empty in the database, absent in JSON) is `known[i] == 0`, never 0.
 *
 * Ownership: a facts_world owns everything in it (one arena); facts_world_free releases it all.
 */
#ifndef LZ_FACTS_H
#define LZ_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

typedef enum facts_kind { FACTS_ENTERPRISE, FACTS_PROJECT, FACTS_PERSON, FACTS_EVENT, FACTS_KINDS } facts_kind;

typedef enum facts_type {
    FT_MONEY,    /* fen */
    FT_COUNT,    /* integer */
    FT_YEAR,     /* a calendar year */
    FT_DECIMAL2, /* decimal x 100 (plot ratio) */
    FT_BOOL,     /* 0/1 */
    FT_DATE,     /* days since 1970-01-01 */
    FT_TEXT,     /* dictionary index */
    FT_LIST      /* dictionary index of the canonical ';'-joined list */
} facts_type;

typedef struct facts_def {
    const char *name;  /* the name rule files use */
    facts_kind kind;   /* whose fact it is */
    const char *table; /* where it lives */
    const char *column;
    facts_type type;
    bool yearly;          /* one value per year (indicators, persons) */
    int prefix;           /* FT_TEXT derived as the first `prefix` characters of the column (0 = whole) */
    const char *label[3]; /* zh-CN, zh-TW, en: how explanations name it */
    bool has_default;     /* the data contract's default applies when the value is absent (local = true) */
    int64_t default_value;
    const char *(*derive)(const char *text); /* FT_TEXT derived from the column's text; NULL: nothing derivable */
    const char *members_sql;                 /* FT_BOOL true for the enterprises this query lists (uscc; ?1 = one enterprise or
                                                NULL, ?2 = the statistics year), false (the default) for all others; NULL: a column */
} facts_def;

/* The GB/T 4754-2017 section ("A".."T") of an industry code (its first two digits), or the code
 * itself when it is a section letter already; NULL when neither. Returns a static string. */
const char *facts_industry_section(const char *code);

/* The catalogue, in a fixed order; a fact's index in it is its id. */
extern const facts_def facts_catalog[];
extern const size_t facts_catalog_count;
/* Id of fact `name` of `kind`, or -1. */
int facts_find(facts_kind kind, const char *name);
const char *facts_kind_name(facts_kind kind); /* "enterprise", "project", "person", "event" */
int facts_kind_parse(const char *name);       /* -1 when unknown */

typedef struct facts_col {
    int64_t *v;     /* n values, or n * nyears for yearly facts: [i * nyears + (year - year0)] */
    uint8_t *known; /* 1 = value present */
    char **dict;    /* FT_TEXT / FT_LIST: distinct strings */
    size_t ndict;
    bool loaded;
} facts_col;

typedef struct facts_set {
    size_t n, cap;
    char **ids;        /* subject id: uscc, project id, person id, event id */
    char **uscc;       /* the enterprise the subject belongs to (itself for enterprises) */
    int32_t *link;     /* index of that enterprise in the world's enterprise set, -1 if not there */
    int year0, nyears; /* yearly facts cover year0 .. year0 + nyears - 1 */
    facts_col *cols;   /* indexed by fact id; only this kind's facts are used */
} facts_set;

typedef struct facts_world {
    int year; /* the award year: statistics of year - 1 */
    facts_set sets[FACTS_KINDS];
    arena mem;
    void *index; /* private: id maps and text dictionaries (facts.c) */
} facts_world;

/* Which facts to load: need[fact id] != 0. Kinds without any needed fact still load their subject
 * list when kinds[kind] is set (a policy about events needs the events even if it reads no column). */
typedef struct facts_need {
    uint8_t fact[64];
    uint8_t kind[FACTS_KINDS];
} facts_need;

/* Loads, for award year `year`: every enterprise; every project; persons with a row in year - 1
 * (their yearly rows up to year - 1); events dated in year - 1. Yearly facts cover the years on
 * record up to year - 1 (at most 20). `only_uscc` (may be NULL) restricts everything to one
 * enterprise. A large yearly table is read in two halves at once, the second on a read-only
 * connection of its own to the same file (closed before returning). */
int facts_load(store *st, int year, const facts_need *need, const char *only_uscc, facts_world *w, lz_err *err);
/* What makes a yearly table large: more rows than this (by rowid). 100,000; a variable only so
 * that a test can lower it and compare the two halves with one serial read on a small table. */
extern int64_t facts_parallel_rows;

/* ---- building a world by hand (what-if, tests) ---- */
void facts_world_init(facts_world *w, int year, int year0, int nyears);
void facts_world_free(facts_world *w);
/* Appends a subject; returns its index. uscc may equal id (enterprises). */
size_t facts_set_add(facts_world *w, facts_kind kind, const char *id, const char *uscc);
/* Sets fact `fact` of subject i (year ignored for facts that are not yearly). Text values are
 * copied. Returns 0, or LZ_EINPUT when the year is outside the world's years. */
int facts_put_int(facts_world *w, facts_kind kind, size_t i, int fact, int year, int64_t v, lz_err *err);
int facts_put_text(facts_world *w, facts_kind kind, size_t i, int fact, int year, const char *s, lz_err *err);
/* Index of the subject with that id, or -1. */
int32_t facts_lookup(const facts_world *w, facts_kind kind, const char *id);
/* Resolves every subject's link to its enterprise (after all subjects are added). */
void facts_world_link(facts_world *w);

#endif
