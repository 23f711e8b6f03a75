/*
 * facts — the vocabulary of the rule language: the facts a support policy may read, and the
 * column-wise container that holds them for one award year.
 *
 * A rule file names facts (`equipment_investment`, `value_added[year - 1]`, `employer.revenue`);
 * this module is the catalogue behind those names (which table and column, which type, whether the
 * fact has one value per year, how explanations name it). What the data contract already declares
 * (model/tables.c) is derived from it, not repeated: a fact's type follows its column's type, its
 * default the column's default, and its yearly-ness the table's `year` key. The policy engine and
 * the analysis layer read the same catalogue; store/facts_load.h fills a world from the database,
 * src/policy/whatif.c from a JSON document, through the same calls, so the engine never knows where
 * its facts came from.
 *
 * Values: integers (money in fen, decimals x 10^scale, booleans 0/1, dates as day numbers,
 * counts, years). Text and list facts are dictionary-encoded per column: the value is an index into
 * the column's dictionary, so the engine maps each distinct string once, not once per row.
 * Unknown (empty in the database, absent in JSON) is `known[i] == 0`, never 0.
 *
 * Ownership: the catalogue is static and immutable (safe to read from any thread); a facts_world
 * owns everything in it (one arena); facts_world_free releases it all.
 */
#ifndef LZ_FACTS_H
#define LZ_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

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

/* Upper bound of the catalogue: arrays indexed by fact id (a policy's needs, its symbol maps, the
 * loader's column lists) have this many entries. facts.c asserts the catalogue fits. */
#define FACTS_MAX 64

/* A catalogue entry, resolved against the table declarations. */
typedef struct facts_def {
    const char *name;  /* the name rule files use */
    facts_kind kind;   /* whose fact it is */
    const char *table; /* where it lives */
    const char *column;
    facts_type type;
    bool yearly;          /* one value per year (the table is keyed by year: indicators, persons) */
    int prefix;           /* FT_TEXT derived as the first `prefix` characters of the column (0 = whole) */
    const char *label[3]; /* zh-CN, zh-TW, en: how explanations name it */
    bool has_default;     /* a default applies when the value is absent (the column's, as for `local`; 0 for a membership) */
    int64_t default_value;
    const char *(*derive)(const char *text); /* FT_TEXT derived from the column's text; NULL: nothing derivable */
    bool membership; /* FT_BOOL true for the enterprises a list in the database names (the loader's query for this fact),
                        false for all others; `table` is the list's */
} facts_def;

/* The GB/T 4754-2017 section ("A".."T") of an industry code (its first two digits), or the code
 * itself when it is a section letter already; NULL when neither. Returns a static string. */
const char *facts_industry_section(const char *code);

/* The catalogue, in a fixed order; a fact's index in it is its id (0 .. facts_catalog_count - 1). */
extern const size_t facts_catalog_count;
/* The entry of fact id `fact` (static; resolved against model/tables.c on first use). */
const facts_def *facts_get(int fact);
/* Id of fact `name` of `kind`, or -1. */
int facts_find(facts_kind kind, const char *name);
const char *facts_kind_name(facts_kind kind); /* "enterprise", "project", "person", "event" */
int facts_kind_parse(const char *name);       /* -1 when unknown */
/* The table holding the subjects of `kind` ("enterprises", "projects", "persons", "events"). */
const char *facts_kind_table(facts_kind kind);
/* Checks the catalogue against the table declarations: every fact's table and column exist, its
 * type follows from the column (or is stated because it cannot), a stated default is readable.
 * Returns 0, or LZ_EINTERNAL naming the first fact that does not fit. */
int facts_catalog_check(lz_err *err);

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

/* ---- building a world (the loader, what-if, tests) ---- */
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

/* Bulk building, for a loader that appends many subjects at once: room for n subjects of `kind`;
 * a subject appended but not yet findable by id; then every subject appended since the last call
 * made findable at once (a million ids one by one would wait on a cache miss each). */
void facts_set_reserve(facts_world *w, facts_kind kind, size_t n);
size_t facts_set_append(facts_world *w, facts_kind kind, const char *id, const char *uscc);
void facts_set_index(facts_world *w, facts_kind kind);
/* The column of fact `fact` in the set of `kind`, allocated for every subject on first use. */
facts_col *facts_col_open(facts_world *w, facts_kind kind, int fact);
/* facts_lookup for an id of `len` bytes (not necessarily NUL-terminated). */
int32_t facts_lookup_len(const facts_world *w, facts_kind kind, const char *id, size_t len);

#endif
