/*
 * load — generator rows through the importer into the store, chunk by chunk (see load.h).
 */
#include "refdata/load.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "exchange/import.h"
#include "store/audit.h"

typedef struct loader {
    store *st;
    const table *t;
    size_t index;
    importer *im;
    errlist *errs;
    lz_err *err;
    long line;
    int64_t in_chunk;
    refdata_progress_fn progress;
    void *progress_ctx;
} loader;

static int chunk_begin(loader *l)
{
    if (store_begin_unchecked(l->st, l->err) < 0)
        return LZ_EINTERNAL;
    l->im = importer_new(l->st, l->t, "demo", l->errs);
    importer_header_all(l->im);
    l->in_chunk = 0;
    return 0;
}

/* Finishes the open chunk: deferred references, then (for the table's last chunk) the audit entry,
 * then the commit. Any refused row is the generator's bug. */
static int chunk_end(loader *l, const char *audit_after, const char *actor, const char *via)
{
    int rc = importer_finish(l->im, NULL, l->err);
    importer_free(l->im);
    l->im = NULL;
    if (rc == 0 && l->errs->total > 0)
        rc = err_set(l->err, LZ_EINTERNAL, "the generated %s rows failed validation (%zu errors): a bug in the reference data",
                     l->t->name, l->errs->total);
    if (rc == 0 && audit_after) {
        audit_entry e = {.actor = actor, .via = via, .target = l->t->name, .after = audit_after};
        rc = audit_append(l->st, &e, l->err);
    }
    if (rc == 0)
        return store_commit(l->st, l->err);
    store_rollback(l->st);
    return rc < 0 ? rc : LZ_EINTERNAL;
}

static int take_row(void *ctx, const char *const *fields, const size_t *lens)
{
    loader *l = ctx;
    if (importer_row(l->im, ++l->line, l->t->ncols, fields, lens, l->err) < 0)
        return LZ_EINTERNAL;
    if (l->errs->total > 0)
        return err_set(l->err, LZ_EINTERNAL, "the generated %s row %ld failed validation: a bug in the reference data", l->t->name,
                       l->line);
    if (++l->in_chunk < REFDATA_CHUNK_ROWS)
        return 0;
    int rc = chunk_end(l, NULL, NULL, NULL);
    return rc < 0 ? rc : chunk_begin(l);
}

static void report(void *ctx, int64_t done, int64_t total)
{
    loader *l = ctx;
    if (l->progress)
        l->progress(l->progress_ctx, l->t->name, l->index, done, total);
}

static int load_table(loader *l, const synth *s, const synth_params *p, const char *actor, const char *via)
{
    l->line = 0;
    if (chunk_begin(l) < 0)
        return LZ_EINTERNAL;
    int rc = synth_table(s, l->t, take_row, report, l, l->err);
    if (rc < 0) {
        if (l->im) {
            importer_free(l->im);
            l->im = NULL;
            store_rollback(l->st);
        }
        return rc;
    }
    char after[160];
    snprintf(after, sizeof after, "{\"rows\":%ld,\"seed\":%" PRIu64 ",\"enterprises\":%" PRId64 ",\"source\":\"demo\"}", l->line,
             p->seed, p->enterprises);
    return chunk_end(l, after, actor, via);
}

int refdata_load(store *st, const synth_params *p, const char *actor, const char *via, refdata_progress_fn progress,
                 void *progress_ctx, errlist *errs, refdata_counts *counts, lz_err *err)
{
    synth *s;
    int rc = synth_new(&s, p, err);
    if (rc < 0)
        return rc;
    loader l = {.st = st, .errs = errs, .err = err, .progress = progress, .progress_ctx = progress_ctx};
    rc = store_packs_suspend(st, err); /* the indicators' packs once at the end, not at each chunk */
    for (size_t k = 0; rc == 0 && k < tables_count; k++) {
        l.t = tables_all[k];
        l.index = k;
        rc = load_table(&l, s, p, actor, via);
        if (counts && k < sizeof counts->rows / sizeof counts->rows[0])
            counts->rows[k] = l.line;
    }
    if (rc == 0)
        rc = store_packs_resume(st, err);
    synth_free(s);
    return rc;
}
