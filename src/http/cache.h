/*
 * cache — what one worker thread remembers between requests while the database stays the same:
 * the sessions it has resolved and whole answers to data reads.
 *
 * Correctness rests on the store_version read inside each request's snapshot: a commit by any
 * connection of any process (another worker, the CLI, a second server) or a change through this
 * thread's own connection moves it, and cache_sync then forgets everything before anything is
 * looked up. An answer is keyed on the account's role and scope and today's date as well as the
 * method, path and query arguments, which is everything a cached route's handler reads (routes
 * flagged ROUTE_CACHED: data-table reads and analyses, whose answers depend on nothing else), so
 * an account is only ever served what its handler would compute for it now.
 *
 * Memory is bounded: a fixed number of slots and CACHE_MAX_BYTES of answers per thread. Not
 * thread-safe: one per worker thread, used by that thread only.
 */
#ifndef LZ_CACHE_H
#define LZ_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "store/accounts.h"
#include "store/store.h"

#define CACHE_MAX_BYTES (8u << 20)    /* answers kept per thread */
#define CACHE_MAX_ANSWER (512u << 10) /* a larger answer is not kept */

typedef struct http_cache http_cache;

http_cache *cache_new(void);
void cache_free(http_cache *c);

/* Forgets everything unless the entries were made at version v; they are v's from now on. */
void cache_sync(http_cache *c, const store_version *v);

/* A live session resolved earlier at this version: copies its account and CSRF token. False
 * when unknown here or expired at now_s. The token itself is not kept, only its hash. */
bool cache_session_get(http_cache *c, const char *token, int64_t now_s, account *who, char csrf[SESSION_TOKEN_LEN + 1]);
void cache_session_put(http_cache *c, const char *token, int64_t expires_s, const account *who,
                       const char csrf[SESSION_TOKEN_LEN + 1]);

/* The key of a signed-in read: method, the account's role and scope, path, query arguments in
 * order (in the request arena; *len set). */
const char *cache_key(const http_req *rq, size_t *len);
/* Fills rs with the answer kept for key and returns true, or returns false. */
bool cache_answer_get(http_cache *c, const char *key, size_t len, http_resp *rs);
/* Keeps rs for key when it is a plain 200 answer (no extra headers) small enough. */
void cache_answer_put(http_cache *c, const char *key, size_t len, const http_resp *rs);

#endif
