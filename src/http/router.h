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
    ROUTE_PUBLIC = 1 << 0,     /* no session needed (health, login, the OpenAPI document) */
    ROUTE_JSON_BODY = 1 << 1,  /* takes a JSON request body (documented as such), up to ROUTE_JSON_LIMIT */
    ROUTE_FILE_BODY = 1 << 2,  /* takes a CSV or XLSX upload, up to ROUTE_FILE_LIMIT */
    ROUTE_CACHED = 1 << 3,     /* a read whose answer depends only on the data, the path, the query, the
                                  account's role and scope and today's date: kept per database version (cache.h) */
    ROUTE_LARGE_JSON = 1 << 4, /* with ROUTE_JSON_BODY: a document rather than a row, up to ROUTE_LARGE_JSON_LIMIT */
    ROUTE_TWIN = 1 << 5,       /* a read that splits its work over a second connection when it computes (the
                                  analyses of the whole city or a large chain): its snapshot gets a twin */
};

/* Request body limits in bytes. A route without a body flag takes no body at all. The server
 * refuses a larger Content-Length before reading any of it, and stops a chunked body there. */
#define ROUTE_JSON_LIMIT ((size_t)64 << 10)
#define ROUTE_LARGE_JSON_LIMIT ((size_t)1 << 20)
#define ROUTE_FILE_LIMIT ((size_t)64 << 20)

typedef struct route {
    const char *method, *pattern;
    http_handler fn;
    unsigned flags;
    const char *summary;
} route;

extern const route router_routes[];
extern const size_t router_nroutes;
/* The browser UI's paths (not in the OpenAPI document): tried after the API's for a path outside
 * /api/; any other GET there answers the UI's not-found page. */
extern const route router_web_routes[];
extern const size_t router_web_nroutes;

/* The route for method and path, with its parameters in params (pointing into a copy of path
 * in a), from the API's table, else (outside /api/) the UI's. HEAD takes the GET route. NULL when none: *status is 404 (no route
 * has this path) or 405 (other methods do; allow lists them, comma-separated, HEAD with GET). */
const route *router_match(const char *method, const char *path, arena *a, const char **params, size_t *nparams, int *status,
                          char *allow, size_t allowlen);

/* The largest request body the route takes, in bytes (0: none). */
size_t router_body_limit(const route *r);

#endif
