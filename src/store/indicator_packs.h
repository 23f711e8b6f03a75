/*
 * indicator_packs — each year's indicators packed beside their rows on SQLite, so that an
 * analysis of the whole city reads a year as a few hundred values instead of a million rows.
 *
 * Why: SQLite steps a row and decodes each of its columns at a fixed cost. The masters' four
 * years of a million enterprises are 3.3 million rows of nine columns: 0.8 s of one core before
 * anything is computed (docs/analysis.md). A pack holds the rows of one year whose USCCs lie in
 * a range, in USCC order, about 64 KB of them: per row the USCC, a byte telling which figures are
 * known and the above-size flag, then each known figure as a varint. It is read at the cost of
 * copying it. A year's packs are keyed by the first USCC of their range; the first pack's range
 * starts at "", and each ends where the next begins.
 *
 * The contract: in a committed SQLite file, each year's packs hold exactly the year's rows as
 * the analyses read them (the figures of analysis_sql_yearly). The store keeps it (store_sqlite.c):
 * every row of indicators it writes, inside a transaction of its own if need be, is noted
 * (indicator_packs_due), and the commit rebuilds the packs the noted rows lie in before COMMIT,
 * in the same transaction: a few rows cost a pack each, many rows of a year the year's packs
 * from one scan. A year with rows and no packs is read from its rows: that is a file of an older
 * version before its upgrade built them, a year another program wrote rows of (the file's
 * triggers drop that year's packs; the store's own connections run no triggers) until the file
 * is next opened read-write (indicator_packs_restore), and everything
 * on PostgreSQL, which never has packs (its table exists for the schema's sake, empty). Code that
 * writes indicators through the store's connection without the store (a migration's SQL) rebuilds
 * the packs itself (indicator_packs_rebuild_all).
 */
#ifndef LZ_INDICATOR_PACKS_H
#define LZ_INDICATOR_PACKS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "model/tables.h"
#include "store/analysis_sql.h"
#include "store/store.h"

/* The rows of indicators a transaction wrote, by year and USCC, until its commit rebuilds their
 * packs or its rollback forgets them. */
typedef struct indicator_packs_due indicator_packs_due;
indicator_packs_due *indicator_packs_due_new(void);
void indicator_packs_due_free(indicator_packs_due *d);
/* Whether rows of t are packed: those of indicators. */
bool indicator_packs_cover(const table *t);
/* Notes a row of indicators written: its cells, or its key's cells when `key` (a year that is not
 * an integer makes every year's packs due). */
void indicator_packs_due_note(indicator_packs_due *d, const table *t, const cell *row, bool key);
bool indicator_packs_due_any(const indicator_packs_due *d);
/* Rebuilds the packs of the rows noted, then forgets them; inside the write transaction. */
int indicator_packs_due_rebuild(store *st, indicator_packs_due *d, lz_err *err);
void indicator_packs_due_forget(indicator_packs_due *d);

/* Every year's packs from the rows, inside the caller's write transaction. */
int indicator_packs_rebuild_all(store *st, lz_err *err);

/* Packs the years that have rows and none (another program wrote them), in a transaction of its
 * own; nothing to do costs a few index seeks. Opening a file read-write does it. */
int indicator_packs_restore(store *st, lz_err *err);

/* `lianzhang check`: each year's packs against the year's rows. A year whose packs differ (a
 * program wrote the packs themselves, or a bug) is reported through fn and rebuilt from its rows,
 * in a transaction of its own. */
int indicator_packs_check(store *st, store_problem_fn fn, void *ctx, lz_err *err);

/* Migration 14: the table, and the packs of the rows already stored. */
int store_migrate_indicator_packs(store *st, lz_err *err);

/* The packs of the years from..to (at most ANALYSIS_SQL_PLAN_YEARS): parts[i] is how many year
 * from + i has, and *usable whether they hold those years' rows: false when a year has rows but
 * no packs, and always on PostgreSQL. */
int indicator_packs_parts(store *st, int from, int to, int parts[ANALYSIS_SQL_PLAN_YEARS], bool *usable, lz_err *err);

/* Hands fn each row of the packs of `year` from the lo-th to the hi-th (0-based, in USCC order),
 * in USCC order: every figure, known or not, as the row has it; the USCC borrowed until fn
 * returns. A pack that does not decode is an error naming its year. */
int indicator_packs_read(store *st, int year, int lo, int hi, int (*fn)(void *ctx, const analysis_sql_yearly *r), void *ctx,
                         lz_err *err);

#endif
