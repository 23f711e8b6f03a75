/*
 * router — the API's route table and the matching of a request path against it.
 *
 * A pattern is a list of segments: a literal, `{name}` (any one segment), `{table}` (only the
 * name of a data table) or a final `{key*}` (one or more segments: the key columns of a row).
 * Routes are tried in table order, so a specific route comes before a generic one. The table
 * is also what the OpenAPI document is generated from, so the two cannot drift apart.
 */
#ifndef LZ_ROUTER_H
#define LZ_ROUTER_H

#include <stddef.h>

#include "http/http.h"

enum route_flags {
    ROUTE_PUBLIC = 1 << 0,    /* no session needed (health, login, the OpenAPI document) */
    ROUTE_JSON_BODY = 1 << 1, /* takes a JSON request body (documented as such) */
    ROUTE_FILE_BODY = 1 << 2, /* takes a CSV or XLSX upload (larger size limit) */
    ROUTE_CACHED = 1 << 3,    /* a read whose answer depends only on the data, the path, the query and the
                                 account's role and scope: kept per database version (cache.h) */
};

typedef struct route {
    const char *method, *pattern;
    http_handler fn;
    unsigned flags;
    const char *summary;
} route;

extern const route router_routes[];
extern const size_t router_nroutes;

/* The route for method and path, with its parameters in params (pointing into a copy of path
 * in a). NULL when none: *status is 404 (no route has this path) or 405 (others methods do;
 * allow lists them, comma-separated). */
const route *router_match(const char *method, const char *path, arena *a, const char **params, size_t *nparams, int *status,
                          char *allow, size_t allowlen);

#endif
