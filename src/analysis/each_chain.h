/*
 * each_chain — an analysis run chain by chain (the diagnosis, the masters' evaluation): the chain
 * asked for, or every chain in code order, to a callback that computes the chain's document; the
 * documents are gathered into one array. A chain code not in the chains table is LZ_ENOTFOUND.
 *
 * The callback returns 0 with *doc set to a new reference, or an error code (err set), which
 * stops the run. On success *chains is a new array the caller owns; on failure nothing is kept.
 */
#ifndef LZ_EACH_CHAIN_H
#define LZ_EACH_CHAIN_H

#include <jansson.h>

#include "core/err.h"
#include "store/analysis_sql.h"
#include "store/store.h"

typedef int (*each_chain_fn)(void *ctx, const analysis_sql_chain *ch, json_t **doc, lz_err *err);

int each_chain(store *st, const char *chain, each_chain_fn fn, void *ctx, json_t **chains, lz_err *err);

#endif
