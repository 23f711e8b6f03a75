/*
 * jiangmen — the fixed reference data of the reference city, Jiangmen (江门): its seven divisions,
 * the "5+N" clusters of the article, fourteen chains and their segments with supply edges.
 *
 * Everything here is a constant table, in one place. `source` says whether the article names the
 * thing (article) or the reference data proposes it (assumed): the article names the ten clusters
 * and two chains (新能源电池, 石化新材料) and, for the battery chain, its cathode, anode, separator,
 * cell and recycling links; everything else is a plausible proposal and is marked as such.
 * Names are in simplified Chinese, as the city's own records are.
 *
 * Besides what the contract tables hold, each segment carries what the synthetic generator needs to
 * populate it: a typical GB/T 4754-2017 industry class and relative numbers of local and outside
 * enterprises. The battery chain's weights follow the article: cathode strong, anode and separators
 * thin, cells and recycling missing (no local enterprise at all).
 */
#ifndef LZ_JIANGMEN_H
#define LZ_JIANGMEN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct refdata_division {
    const char *code, *name;
} refdata_division;

typedef struct refdata_cluster {
    const char *code, *name;
    bool emerging;
} refdata_cluster;

typedef struct refdata_chain {
    const char *code, *cluster, *name, *lead_department;
    const char *lead_divisions; /* ';'-joined, 1 or 2 division codes */
    const char *leader;
    bool from_article;
} refdata_chain;

typedef enum refdata_stage { STAGE_UP, STAGE_MID, STAGE_DOWN } refdata_stage;

typedef struct refdata_segment {
    int chain; /* index into refdata_chains */
    const char *code, *name;
    refdata_stage stage;
    const char *feeds;    /* ';'-joined codes of segments of the same chain this one supplies */
    const char *industry; /* typical GB/T 4754-2017 class, or NULL */
    int local_weight;     /* relative number of local enterprises; 0 = a missing link */
    int outside_weight;   /* relative number of suppliers outside the city */
    bool from_article;
} refdata_segment;

/* An outside place suppliers and investment targets come from. */
typedef struct refdata_place {
    const char *code, *name; /* GB/T 2260 city code, short name */
} refdata_place;

extern const refdata_division refdata_divisions[];
extern const size_t refdata_ndivisions;
extern const refdata_cluster refdata_clusters[];
extern const size_t refdata_nclusters;
extern const refdata_chain refdata_chains[];
extern const size_t refdata_nchains;
extern const refdata_segment refdata_segments[];
extern const size_t refdata_nsegments;
extern const refdata_place refdata_places[];
extern const size_t refdata_nplaces;

extern const char *const refdata_stage_names[3]; /* the contract's enum values */

/* Index of the chain with that code, or -1. */
int refdata_chain_index(const char *code);
/* Index of segment `code` of chain `chain`, or -1. */
int refdata_segment_index(int chain, const char *code);
/* Whether segment `from` lists segment `to` among the segments it feeds (same chain). */
bool refdata_segment_feeds(int from, int to);

#endif
