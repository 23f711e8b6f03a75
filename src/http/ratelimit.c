/*
 * ratelimit — a fixed-window counter per client network in a fixed table (see ratelimit.h).
 */
#include "http/ratelimit.h"

#include <pthread.h>

typedef struct slot {
    uint64_t key_hash;
    int64_t window; /* the window's start, seconds */
    int count;
} slot;

static slot slots[RATELIMIT_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a over the key's bytes. */
static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

bool ratelimit_take(const char *key, int64_t now_s, int64_t *retry_s)
{
    uint64_t h = hash(key);
    int64_t window = now_s - now_s % RATELIMIT_WINDOW_S;
    pthread_mutex_lock(&lock);
    slot *s = &slots[h % RATELIMIT_SLOTS];
    if (s->window != window)
        *s = (slot){.key_hash = h, .window = window, .count = 0};
    bool ok = s->count < RATELIMIT_PER_WINDOW;
    if (ok)
        s->count++;
    pthread_mutex_unlock(&lock);
    *retry_s = ok ? 0 : window + RATELIMIT_WINDOW_S - now_s;
    return ok;
}
