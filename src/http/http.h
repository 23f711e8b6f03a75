/*
 * http — the request and response every handler sees, and the helpers that fill a response:
 * JSON bodies, RFC 9457 problem documents, JSON request bodies parsed strictly.
 *
 * A request lives in its own arena (rq->a): everything a handler allocates for it comes from
 * there and is released in one call when the response has been sent. The response body is a
 * strbuf the server hands to the network layer. Handlers never see the network library.
 *
 * Errors: a handler that fails fills the response with a problem (http_problem*) and returns;
 * bad input is always a 4xx naming the field, never a 500.
 */
#ifndef LZ_HTTP_H
#define LZ_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "store/accounts.h"
#include "store/store.h"

#define HTTP_MAX_PARAMS 8
#define HTTP_MAX_QUERY 64
#define HTTP_MAX_HEADERS 6

typedef struct http_pair {
    const char *key, *value; /* value is "" for a key without '=' */
} http_pair;

typedef struct http_req {
    const char *method, *path;
    const char *params[HTTP_MAX_PARAMS]; /* path parameters, in pattern order; a {rest*} may fill several */
    size_t nparams;
    http_pair query[HTTP_MAX_QUERY]; /* query-string arguments in order, repeated keys kept */
    size_t nquery;
    bool query_overflow;         /* more arguments than HTTP_MAX_QUERY: refused */
    const char *content_type;    /* may be NULL */
    const char *accept_encoding; /* may be NULL */
    const char *body;            /* NUL-terminated; body_len excludes the NUL */
    size_t body_len;
    const char *address;       /* the client's IP address */
    const char *session_token; /* from the cookie, or NULL */
    const account *who;        /* signed-in account, or NULL */
    const char *csrf;          /* the session's CSRF token when who is set */
    arena *a;
    store *st;                         /* this thread's connection */
    const struct policy_set *policies; /* the loaded support policies (shared, immutable), or NULL */
    bool tls;                          /* cookies get Secure */
    /* the analyses' thresholds (shared, immutable), or NULL for the defaults */
    const struct thresholds *thresholds;
    const struct masters_criteria *masters_criteria; /* the masters' criteria (shared, immutable), or NULL: defaults */
} http_req;

typedef struct http_resp {
    int status;
    const char *content_type;
    strbuf body;
    const char *headers[HTTP_MAX_HEADERS][2]; /* extra headers (strings live in the request arena or are static) */
    size_t nheaders;
} http_resp;

typedef void (*http_handler)(http_req *rq, http_resp *rs);

void http_resp_init(http_resp *rs);
void http_resp_free(http_resp *rs);
void http_header_add(http_resp *rs, const char *name, const char *value);

/* The value of a query argument (the first if repeated), or NULL. */
const char *http_query(const http_req *rq, const char *key);

/* Responds with j serialised (takes the reference). */
void http_json(http_resp *rs, int status, json_t *j);
/* j as compact JSON text in a (takes the reference): for audit entries, so that every string in
 * them is escaped by jansson and none can end its quotes early. */
char *http_json_text(arena *a, json_t *j);
/* Responds with bytes of a content type (copied). */
void http_bytes(http_resp *rs, int status, const char *content_type, const char *data, size_t n);
/* Responds 204 No Content. */
void http_no_content(http_resp *rs);

/* A problem document: {"type","title","status","detail"} plus "errors": [{"field","reason"}]
 * when errors is given (takes the reference). */
void http_problem(http_resp *rs, int status, const char *title, const char *detail);
void http_problem_fields(http_resp *rs, int status, const char *detail, json_t *errors);
/* A single field error: 400 with errors = [{field, reason}]. */
void http_bad_field(http_resp *rs, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Maps an lz_err to a problem: EINPUT 400, ENOTFOUND 404, ECONFLICT 409, EDENIED 403, EBUSY 503
 * with Retry-After; EINTERNAL is 500 with a generic detail (the message goes to the server log,
 * not to the client). */
void http_fail(http_resp *rs, const lz_err *err);
/* 404 with the same text whether the row is missing or outside the caller's scope. */
void http_not_found(http_resp *rs, const char *what);
void http_forbidden(http_resp *rs, const char *detail);

/* Adds {"field": f, "reason": r} to an errors array. */
void http_field_error(json_t *errors, const char *field, const char *reason);

/* Whether a Content-Type header value names exactly this media type (case-insensitive), with or
 * without parameters such as "; charset=utf-8". NULL is no type. */
bool http_media_type_is(const char *content_type, const char *type);

/* Parses the request body as one JSON object: Content-Type must be application/json, the text
 * valid UTF-8 and JSON without duplicate keys. On failure fills rs (400/415) and returns NULL.
 * Caller owns the result. */
json_t *http_body_object(http_req *rq, http_resp *rs);
/* Refuses members of obj not in allowed (NULL-terminated): 400 naming each. Returns -1 then. */
int http_only_fields(json_t *obj, const char *const *allowed, http_resp *rs);
/* A string member, NULL when absent or null; a wrong type fills rs and sets *bad. */
const char *http_string_field(json_t *obj, const char *name, bool required, http_resp *rs, bool *bad);

#endif
