/*
 * cache — per-thread sessions and answers, valid for one database version (see cache.h).
 *
 * Both tables are direct-mapped: a slot holds the last entry whose hash fell on it, so a lookup
 * is one comparison and the memory never grows past the slots and the byte budget.
 */
#include "http/cache.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/hash.h"

#define SESSION_SLOTS 64
#define ANSWER_SLOTS 1024

typedef struct session_slot {
    bool used;
    unsigned char token_hash[crypto_hash_sha256_BYTES];
    int64_t expires_s;
    account who;
    char csrf[SESSION_TOKEN_LEN + 1];
} session_slot;

typedef struct answer_slot {
    char *key; /* NULL: empty */
    size_t key_len;
    int status;
    const char *content_type; /* a static string, as every handler sets */
    char *body;
    size_t body_len;
} answer_slot;

struct http_cache {
    bool synced;
    store_version version;
    size_t bytes; /* keys and bodies of the answers kept */
    session_slot sessions[SESSION_SLOTS];
    answer_slot answers[ANSWER_SLOTS];
};

http_cache *cache_new(void)
{
    return xcalloc(1, sizeof(http_cache));
}

static void drop_answer(http_cache *c, answer_slot *s)
{
    if (!s->key)
        return;
    c->bytes -= s->key_len + s->body_len;
    free(s->key);
    free(s->body);
    memset(s, 0, sizeof *s);
}

static void forget_all(http_cache *c)
{
    for (size_t i = 0; i < ANSWER_SLOTS; i++)
        drop_answer(c, &c->answers[i]);
    memset(c->sessions, 0, sizeof c->sessions);
}

void cache_free(http_cache *c)
{
    if (!c)
        return;
    forget_all(c);
    free(c);
}

void cache_sync(http_cache *c, const store_version *v)
{
    if (c->synced && store_version_equal(&c->version, v))
        return;
    forget_all(c);
    c->version = *v;
    c->synced = true;
}

/* ---- sessions -------------------------------------------------------------------------------- */

static session_slot *session_slot_for(http_cache *c, const char *token, unsigned char hash[crypto_hash_sha256_BYTES])
{
    crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
    return &c->sessions[hash[0] % SESSION_SLOTS];
}

bool cache_session_get(http_cache *c, const char *token, int64_t now_s, account *who, char csrf[SESSION_TOKEN_LEN + 1])
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    const session_slot *s = session_slot_for(c, token, hash);
    if (!s->used || sodium_memcmp(s->token_hash, hash, sizeof hash) != 0 || s->expires_s <= now_s)
        return false;
    *who = s->who;
    memcpy(csrf, s->csrf, sizeof s->csrf);
    return true;
}

void cache_session_put(http_cache *c, const char *token, int64_t expires_s, const account *who,
                       const char csrf[SESSION_TOKEN_LEN + 1])
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    session_slot *s = session_slot_for(c, token, hash);
    s->used = true;
    memcpy(s->token_hash, hash, sizeof hash);
    s->expires_s = expires_s;
    s->who = *who;
    memcpy(s->csrf, csrf, sizeof s->csrf);
}

/* ---- answers --------------------------------------------------------------------------------- */

/* Each part ends with a NUL, which no part can contain: the key reads back unambiguously. */
static void key_part(strbuf *b, const char *s)
{
    strbuf_append(b, s, strlen(s) + 1);
}

const char *cache_key(const http_req *rq, size_t *len)
{
    strbuf b;
    strbuf_init(&b);
    key_part(&b, rq->method);
    key_part(&b, account_role_name(rq->who->role));
    key_part(&b, rq->who->scope);
    key_part(&b, rq->path);
    char today[DATE_LEN + 1]; /* a handler may read today's date (the overview's default): kept for the day only */
    date_format(date_today(), today);
    key_part(&b, today);
    for (size_t i = 0; i < rq->nquery; i++) {
        key_part(&b, rq->query[i].key);
        key_part(&b, rq->query[i].value);
    }
    *len = b.len;
    char *key = arena_alloc(rq->a, b.len);
    memcpy(key, b.data, b.len);
    strbuf_free(&b);
    return key;
}

/* FNV-1a: the keys are not secret and a slot collision only costs a miss. */
static answer_slot *answer_slot_for(http_cache *c, const char *key, size_t len)
{
    return &c->answers[hash_fnv1a(key, len) % ANSWER_SLOTS];
}

bool cache_answer_get(http_cache *c, const char *key, size_t len, http_resp *rs)
{
    const answer_slot *s = answer_slot_for(c, key, len);
    if (!s->key || s->key_len != len || memcmp(s->key, key, len) != 0)
        return false;
    rs->status = s->status;
    rs->content_type = s->content_type;
    strbuf_reset(&rs->body);
    strbuf_append(&rs->body, s->body, s->body_len);
    return true;
}

void cache_answer_put(http_cache *c, const char *key, size_t len, const http_resp *rs)
{
    if (rs->status != 200 || rs->nheaders > 0 || rs->body.len > CACHE_MAX_ANSWER)
        return;
    answer_slot *s = answer_slot_for(c, key, len);
    drop_answer(c, s);
    if (c->bytes + len + rs->body.len > CACHE_MAX_BYTES)
        return;
    s->key = xmalloc(len);
    memcpy(s->key, key, len);
    s->key_len = len;
    s->status = rs->status;
    s->content_type = rs->content_type;
    s->body = xmalloc(rs->body.len + 1);
    if (rs->body.len)
        memcpy(s->body, rs->body.data, rs->body.len);
    s->body_len = rs->body.len;
    c->bytes += len + rs->body.len;
}
