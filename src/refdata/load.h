/*
 * load — the reference data set into a store, through the importer, so every generated field is
 * validated by exactly the rules a user's spreadsheet meets.
 *
 * Tables go in dependency order (tables_all). Each table is imported in chunks of
 * REFDATA_CHUNK_ROWS rows, one transaction per chunk, so memory and the WAL stay bounded from 100
 * to 1,000,000 enterprises; the last chunk of a table also appends one audit entry for it. The
 * indicators' packs are built once, at the end (store_packs_suspend). A
 * failure leaves a partly loaded store: the caller loads into a new file and discards it on error
 * (cmd_demo does, then renames the finished file into place).
 */
#ifndef LZ_LOAD_H
#define LZ_LOAD_H

#include <stdint.h>

#include "core/err.h"
#include "refdata/synth.h"
#include "store/store.h"

#define REFDATA_CHUNK_ROWS 100000

/* Told about the table being loaded: its name, position (0-based) of tables_count, and work done. */
typedef void (*refdata_progress_fn)(void *ctx, const char *table, size_t index, int64_t done, int64_t total);

typedef struct refdata_counts {
    int64_t rows[32]; /* per table, in tables_all order */
} refdata_counts;

/* Generates the data set of p into st. actor and via go into the audit log. Rows the importer
 * refuses (a generator bug, never the user's fault) are listed in errs and make this return
 * LZ_EINTERNAL; a bad p gives LZ_EINPUT. progress may be NULL. */
int refdata_load(store *st, const synth_params *p, const char *actor, const char *via, refdata_progress_fn progress,
                 void *progress_ctx, errlist *errs, refdata_counts *counts, lz_err *err);

#endif
