/*
 * ratelimit — how often one client may use a public route that costs work but stores nothing
 * (the public what-if calculator): a fixed window per client network, kept in memory only.
 *
 * The table has RATELIMIT_SLOTS slots shared by every worker thread (one mutex). Two networks that
 * hash to the same slot in the same window share its count: the limit is never looser than
 * stated, only sometimes tighter, and the memory never grows with the number of clients.
 */
#ifndef LZ_RATELIMIT_H
#define LZ_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define RATELIMIT_SLOTS 1024
#define RATELIMIT_WINDOW_S 60
#define RATELIMIT_PER_WINDOW 30

/* Counts one use by key (the client's network, request_throttle_key) at now_s. True when it is
 * within the limit; false when not, with *retry_s the seconds until the window ends. */
bool ratelimit_take(const char *key, int64_t now_s, int64_t *retry_s);

#endif
