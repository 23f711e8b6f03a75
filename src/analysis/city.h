/*
 * city — the whole city in memory for the analyses of every chain at once (diagnosis of all
 * chains, the clusters' progress, the masters' evaluation): its enterprises, their confirmed
 * memberships, their output of a year and of the year before, and the year's supply links, read
 * by sequential scans (store/analysis_sql.h; the indicators in pieces of their packs, or of the
 * table's storage order where a year has none, taken by both connections of a snapshot with a
 * twin) and joined here through hash maps. Reading
 * a chain at a time through the indexes cost a lookup per row; on a million enterprises the scans
 * are twenty times cheaper.
 *
 * The rows city hands out are those the one-chain reads of analysis_sql.h give, with what the
 * parts loaded leave out, in the same order where this says so (and besides, each enterprise
 * numbered: the rows' `id`s), so that an analysis consumes either source with the same callbacks:
 *   - members of a chain: its confirmed memberships whose enterprise exists, by segment (in no
 *     particular order within one), each with the enterprise's name and division (loaded with
 *     CITY_NAMES, else ""), locality and output of the year;
 *   - purchases of a chain: the year's links whose customer is a local enterprise with a confirmed
 *     membership in the chain (once per chain however many segments) and whose supplier exists;
 *     in no particular order;
 *   - cluster members: one row per chain (of the chains table) and local enterprise with a
 *     confirmed membership in it, with output of the year and (loaded with CITY_GROWTH, else
 *     unknown and false) of the year before and above-size flag of the year; an enterprise's rows
 *     come one after another, each with the same `uscc` pointer, in no particular order otherwise;
 *   - loaded with CITY_MASTERS, the rows of masters_sql.h: a chain's candidates (one per
 *     enterprise with a confirmed membership, under its highest role, with the criteria's figures
 *     of the year and the three before, named as members are), in no particular order; and its members' purchases (the year's
 *     links whose customer, local or not, has a confirmed membership in the chain and whose
 *     supplier exists), in no particular order.
 *
 * Ownership: city_load's result is the caller's, freed by city_free. Row strings are borrowed from
 * the city and live until city_free. Callbacks return non-zero to stop early (not an error).
 */
#ifndef LZ_CITY_H
#define LZ_CITY_H

#include "core/err.h"
#include "store/analysis_sql.h"
#include "store/masters_sql.h"
#include "store/store.h"

typedef struct city city;

/* One row of city_cluster_members. */
typedef struct city_cluster_member {
    const char *cluster, *chain, *uscc;
    bool output_known, prior_known;
    int64_t output_fen, prior_fen;
    bool above_scale;
} city_cluster_member;

/* What city_load reads besides what every analysis needs. */
enum {
    CITY_MASTERS = 1, /* the masters' figures and purchases (city_masters_*), and what CITY_GROWTH reads */
    CITY_GROWTH = 2,  /* the output of the year before and the above-size flags (city_cluster_members) */
    CITY_NAMES = 4,   /* the enterprises' names and divisions (else "": a million names cost a tenth of the reading) */
};

/* Reads the city for data year `year`, with the parts asked for (CITY_ flags, or 0). Read inside one snapshot (store_read_begin)
 * for figures of one moment; inside a snapshot with a twin (store_read_begin_twin) two tables are read at a time, one on the twin.
 */
int city_load(store *st, int year, unsigned parts, city **out, lz_err *err);
void city_free(city *c);

/* Whether the city was loaded with the enterprises' names (CITY_NAMES). */
bool city_named(const city *c);
/* How many confirmed memberships the chain with this code has (0 for a code not in the chains
 * table): the size of its work, to take the largest chains first. */
size_t city_chain_memberships(const city *c, const char *chain);
/* How many enterprises the city holds: the `id`s of its members and purchases are below it, one
 * per enterprise. */
size_t city_enterprises(const city *c);
/* The members and purchases of the chain with this code (none for a code not in the chains
 * table); the return value is the callback's first non-zero, else 0. */
int city_members(const city *c, const char *chain, int (*fn)(void *ctx, const analysis_sql_member *r), void *ctx);
int city_purchases(const city *c, const char *chain, int (*fn)(void *ctx, const analysis_sql_purchase *r), void *ctx);
int city_cluster_members(const city *c, int (*fn)(void *ctx, const city_cluster_member *r), void *ctx);
/* The masters' candidates and purchases of a chain: none unless loaded with CITY_MASTERS. */
int city_masters_candidates(const city *c, const char *chain, int (*fn)(void *ctx, const masters_sql_candidate *r), void *ctx);
int city_masters_purchases(const city *c, const char *chain, int (*fn)(void *ctx, const masters_sql_purchase *r), void *ctx);

#endif
