/* each_chain — an analysis run chain by chain (see each_chain.h). */
#include "analysis/each_chain.h"

typedef struct each {
    each_chain_fn fn;
    void *ctx;
    json_t *chains;
    lz_err *err;
    int rc;
} each;

static int on_chain(void *ctx, const analysis_sql_chain *ch)
{
    each *e = ctx;
    json_t *doc = NULL;
    e->rc = e->fn(e->ctx, ch, &doc, e->err);
    if (e->rc == 0)
        json_array_append_new(e->chains, doc);
    return e->rc != 0;
}

int each_chain(store *st, const char *chain, each_chain_fn fn, void *ctx, json_t **chains, lz_err *err)
{
    each e = {fn, ctx, json_array(), err, 0};
    int rc = analysis_sql_chains(st, chain, on_chain, &e, err);
    if (rc == 0)
        rc = e.rc;
    if (rc == 0 && chain && json_array_size(e.chains) == 0)
        rc = err_set(err, LZ_ENOTFOUND, "chain '%s' does not exist", chain);
    if (rc < 0) {
        json_decref(e.chains);
        return rc;
    }
    *chains = e.chains;
    return 0;
}
