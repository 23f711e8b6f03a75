/*
 * server — libmicrohttpd glue (see server.h).
 *
 * A request passes three points. When its request line arrives, the target is kept as sent
 * (libmicrohttpd decodes it in place, and a %00 would cut it short unseen). When its head is
 * complete, the handler's first call admits it or refuses it; a refusal is queued right then,
 * which makes libmicrohttpd answer without reading the body and close the connection. Later
 * calls receive body chunks, and the last one (no more data) routes and queues the response.
 * An admitted request is answered only on that last call: queuing on the first call makes
 * libmicrohttpd 0.9.75 close every connection (no keep-alive), which costs two thirds of the
 * throughput.
 *
 * Each worker thread opens its own store connection and cache (cache.h) on first use and closes
 * them when the thread ends (a thread-specific key with a destructor), so handlers never share a
 * connection. A read starts its snapshot, reads the database version in it and syncs the cache
 * to that version before the session or the answer is looked up there.
 *
 * A refused request whose body is small (REFUSAL_DRAIN_MAX) is answered only once that body has
 * been read and dropped: closing a connection with unread data makes TCP reset it, and a client
 * still sending would lose the answer (an expired session's form post would see a network error,
 * not a 401). A larger body is not read at all: the refusal goes out at once, then the close.
 *
 * Deadlines: libmicrohttpd only times out a connection that is silent, so a client sending one
 * byte every few seconds would keep one forever. Every connection is therefore on a watch list
 * with the time its current phase must end by; a reaper thread shuts down the socket of any
 * connection past its deadline, and libmicrohttpd then closes it as a dropped connection.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "http/cache.h"
#include "http/http.h"
#include "http/request.h"
#include "http/router.h"

#define REFUSAL_DRAIN_MAX ((size_t)4 << 20) /* well above every JSON limit; not a memory cost: nothing is kept */

/* A connection's deadline, watched by the reaper. */
typedef struct conn_watch {
    int fd;
    _Atomic int64_t deadline_ms; /* monotonic; 0 while none applies (a handler runs, an answer is sent) */
    struct conn_watch *prev, *next;
} conn_watch;

struct http_server {
    struct MHD_Daemon *daemon;
    http_server_config cfg;
    pthread_key_t worker_key;
    pthread_t sweeper, reaper;
    bool sweeping, reaping, stopping;
    pthread_mutex_t lock; /* guards stopping and the watch list */
    pthread_cond_t wake;
    conn_watch watched; /* list head */
};

typedef struct request_ctx {
    arena a;
    http_req rq;
    const route *r;
    const char *target; /* as sent, before decoding */
    size_t limit;       /* the route's body limit */
    strbuf body;
    bool admitted, drainable, refused;
    http_resp refusal; /* when refused: the answer, sent once the small body has been dropped */
    size_t dropped;    /* bytes of a refused body read and dropped */
    struct timespec start;
    int status;
    size_t bytes;
    const char *method, *path, *addr; /* for the access log, in the arena */
    char user[ACCOUNT_NAME_MAX + 1];
} request_ctx;

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- per-thread store and cache -------------------------------------------------------------- */

typedef struct worker {
    store *st;
    http_cache *cache;
} worker;

static void close_worker(void *p)
{
    worker *w = p;
    store_close(w->st);
    cache_free(w->cache);
    free(w);
}

/* This thread's worker, opened on first use; NULL with a 503 in rs when the database cannot be
 * opened (why goes to the server's log: the message names a server path). */
static worker *thread_worker(http_server *srv, http_resp *rs)
{
    worker *w = pthread_getspecific(srv->worker_key);
    if (w)
        return w;
    store *st;
    lz_err err = {0};
    if (store_open(&st, srv->cfg.db_path, STORE_SHORT_WAIT, &err) < 0) {
        fprintf(stderr, "lianzhang serve: %s\n", err.msg);
        http_problem(rs, 503, NULL, "the database cannot be opened");
        return NULL;
    }
    w = xmalloc(sizeof *w);
    w->st = st;
    w->cache = cache_new();
    pthread_setspecific(srv->worker_key, w);
    return w;
}

/* A read's snapshot, with the cache brought to the version it sees; with a twin (a second
 * connection on the same snapshot, store.h) for a route that splits its work (ROUTE_TWIN). */
static int begin_read(worker *w, bool twin, lz_err *err)
{
    store_version v;
    if ((twin ? store_read_begin_twin(w->st, err) : store_read_begin(w->st, err)) < 0 || store_version_get(w->st, &v, err) < 0)
        return LZ_EINTERNAL;
    cache_sync(w->cache, &v);
    return 0;
}

/* A cached route that splits its work computes its answer on a new snapshot with a twin: opening
 * one for every request would cost the answers served from the cache a connection each. */
static int restart_read_with_twin(worker *w, lz_err *err)
{
    store_read_end(w->st);
    return begin_read(w, true, err);
}

/* ---- connection deadlines -------------------------------------------------------------------- */

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode code)
{
    http_server *srv = cls;
    conn_watch *w = *socket_context;
    pthread_mutex_lock(&srv->lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        w = xcalloc(1, sizeof *w);
        w->fd = ci ? ci->connect_fd : -1;
        atomic_store(&w->deadline_ms, now_ms() + (int64_t)srv->cfg.header_timeout_s * 1000);
        w->prev = &srv->watched;
        w->next = srv->watched.next;
        srv->watched.next->prev = w;
        srv->watched.next = w;
        *socket_context = w;
    } else if (w) { /* closed: unlinked before libmicrohttpd closes the socket, so the reaper never shuts a reused fd */
        w->prev->next = w->next;
        w->next->prev = w->prev;
        free(w);
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&srv->lock);
}

/* The connection's current phase must end within seconds (0: no deadline). */
static void set_deadline(struct MHD_Connection *c, unsigned seconds)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_watch *w = ci ? ci->socket_context : NULL;
    if (w)
        atomic_store(&w->deadline_ms, seconds ? now_ms() + (int64_t)seconds * 1000 : 0);
}

/* Every half second, shuts down the connections past their deadline. */
static void *reap_loop(void *p)
{
    http_server *srv = p;
    pthread_mutex_lock(&srv->lock);
    while (!srv->stopping) {
        int64_t now = now_ms();
        for (conn_watch *w = srv->watched.next; w != &srv->watched; w = w->next) {
            int64_t d = atomic_load(&w->deadline_ms);
            if (d && d < now && w->fd >= 0) {
                shutdown(w->fd, SHUT_RDWR);
                atomic_store(&w->deadline_ms, 0);
            }
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 500000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&srv->wake, &srv->lock, &until);
    }
    pthread_mutex_unlock(&srv->lock);
    return NULL;
}

/* ---- admission: the head alone --------------------------------------------------------------- */

/* The request line has arrived: the request's context starts here, with the target as sent. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    request_ctx *cx = xcalloc(1, sizeof *cx);
    arena_init(&cx->a, 8192);
    strbuf_init(&cx->body);
    clock_gettime(CLOCK_MONOTONIC, &cx->start);
    cx->target = arena_strndup(&cx->a, uri, strlen(uri));
    return cx;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    http_req *rq = cls;
    if (rq->nquery == HTTP_MAX_QUERY) {
        rq->query_overflow = true;
        return MHD_NO;
    }
    rq->query[rq->nquery++] = (http_pair){key, value ? value : ""};
    return MHD_YES;
}

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    request_framing *f = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        f->lengths++;
        f->length = value ? value : "";
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->encodings++;
        f->encoding = value ? value : "";
    }
    return MHD_YES;
}

/* Behind a reverse proxy the peer is the proxy: the client is the right-most address of
 * X-Forwarded-For (the one the proxy appended; what a client sent stands to its left), and the
 * scheme it was reached by is X-Forwarded-Proto. Trusted only when configured, and only from a
 * loopback peer, so that a client cannot claim another address. */
static int apply_proxy_headers(http_req *rq, struct MHD_Connection *c, const char *peer, http_resp *rs)
{
    if (strcmp(peer, "127.0.0.1") != 0 && strcmp(peer, "::1") != 0)
        return 0;
    const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    char addr[INET6_ADDRSTRLEN];
    if (xff && request_forwarded_for(xff, addr) < 0) {
        http_bad_field(rs, "X-Forwarded-For", "the last entry is not an IPv4 or IPv6 address");
        return -1;
    }
    if (xff)
        rq->address = arena_strndup(rq->a, addr, strlen(addr));
    const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
    if (proto && strcmp(proto, "https") == 0)
        rq->tls = true;
    return 0;
}

static const char *peer_address(struct MHD_Connection *c, arena *a)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char addr[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, addr, sizeof addr);
    else if (ci && ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, addr, sizeof addr);
    return arena_strndup(a, addr, strlen(addr));
}

static bool is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Signs the request in from its session cookie, if any. A read (cache synced) asks the cache
 * first; a write always asks the database. */
static int resolve_session(http_req *rq, http_cache *cache, struct MHD_Connection *c, lz_err *err)
{
    rq->session_token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "lz_session");
    if (!rq->session_token)
        return 0;
    account *who = arena_alloc(rq->a, sizeof *who);
    char *csrf = arena_alloc(rq->a, SESSION_TOKEN_LEN + 1);
    int64_t now = (int64_t)time(NULL), expires;
    bool found = cache && cache_session_get(cache, rq->session_token, now, who, csrf);
    if (!found) {
        if (accounts_session_lookup(rq->st, rq->session_token, now, who, csrf, &expires, &found, err) < 0)
            return LZ_EINTERNAL;
        if (found && cache)
            cache_session_put(cache, rq->session_token, expires, who, csrf);
    }
    if (found) {
        rq->who = who;
        rq->csrf = csrf;
    }
    return 0;
}

static bool csrf_ok(const http_req *rq, struct MHD_Connection *c)
{
    const char *sent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
    return sent && rq->csrf && strlen(sent) == strlen(rq->csrf) && sodium_memcmp(sent, rq->csrf, strlen(sent)) == 0;
}

/* 401 without a session, 403 for a write without its CSRF token; the problem is in rs. */
static int check_session(http_req *rq, const route *r, struct MHD_Connection *c, http_resp *rs)
{
    if (r->flags & ROUTE_PUBLIC)
        return 0;
    if (!rq->who) {
        http_problem(rs, 401, NULL, "sign in first: POST /api/v1/session");
        return -1;
    }
    if (is_write(rq->method) && !csrf_ok(rq, c)) {
        http_problem(rs, 403, NULL, "missing or wrong X-CSRF-Token header (it comes with the session)");
        return -1;
    }
    return 0;
}

/* The head's framing and Host: *length of the body to come, *expect_body when there is one. */
static int check_head(struct MHD_Connection *c, const char *version, uint64_t *length, bool *expect_body, http_resp *rs)
{
    request_framing f = {0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
    bool chunked;
    lz_err err = {0};
    if (request_framing_check(&f, length, &chunked, &err) < 0) {
        http_fail(rs, &err); /* "HEADER: reason": 400 naming the header */
        return -1;
    }
    if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && !MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)) {
        http_bad_field(rs, MHD_HTTP_HEADER_HOST, "required in HTTP/1.1");
        return -1;
    }
    *expect_body = chunked || *length > 0;
    return 0;
}

/* The target's text and the route it names: 400, 404 or 405 in rs when refused. */
static int check_target(request_ctx *cx, struct MHD_Connection *c, const char *url, http_resp *rs)
{
    http_req *rq = &cx->rq;
    const char *field, *reason;
    if (request_target_check(cx->target, &cx->a, &field, &reason) < 0) {
        http_bad_field(rs, field, "%s", reason);
        return -1;
    }
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, rq);
    if (rq->query_overflow) {
        http_problem(rs, 400, NULL, "too many query arguments");
        return -1;
    }
    char allow[64];
    int status;
    cx->r = router_match(rq->method, url, &cx->a, rq->params, &rq->nparams, &status, allow, sizeof allow);
    if (!cx->r) {
        if (status == 405)
            http_header_add(rs, "Allow", arena_strndup(&cx->a, allow, strlen(allow)));
        http_problem(rs, status, NULL, status == 405 ? "this path does not take that method" : "no such route");
        return -1;
    }
    cx->limit = router_body_limit(cx->r);
    return 0;
}

/* Decides on the head alone whether the request may go on: everything that does not need the
 * body is checked here, so that no refused body is ever kept. A body is kept only for a route
 * that takes one, up to that route's limit, and (unless the route is public) from a signed-in
 * account with its CSRF token. */
static int admit(http_server *srv, request_ctx *cx, struct MHD_Connection *c, const char *url, const char *method,
                 const char *version, http_resp *rs)
{
    http_req *rq = &cx->rq;
    *rq =
        (http_req){.method = method, .path = url, .a = &cx->a, .tls = srv->cfg.tls_cert_pem != NULL, .policies = srv->cfg.policies};
    rq->thresholds = srv->cfg.thresholds;
    rq->masters_criteria = srv->cfg.masters_criteria;
    rq->address = cx->addr = peer_address(c, &cx->a);
    cx->method = arena_strndup(&cx->a, method, strlen(method));
    cx->path = arena_strndup(&cx->a, url, strlen(url));
    if (srv->cfg.behind_proxy && apply_proxy_headers(rq, c, rq->address, rs) < 0)
        return -1;
    cx->addr = rq->address;
    uint64_t length = 0;
    bool expect_body = false;
    if (check_head(c, version, &length, &expect_body, rs) < 0)
        return -1;
    cx->drainable = expect_body && length <= REFUSAL_DRAIN_MAX; /* the framing is sound: a refusal may wait for it */
    if (check_target(cx, c, url, rs) < 0)
        return -1;
    if (length > cx->limit) {
        http_problem(rs, 413, NULL,
                     arena_printf(&cx->a, "the request body is larger than this route takes (%zu bytes%s)", cx->limit,
                                  cx->limit ? "" : ": it takes none"));
        return -1;
    }
    if (expect_body && !(cx->r->flags & ROUTE_PUBLIC)) {
        lz_err err = {0};
        worker *w = thread_worker(srv, rs);
        if (!w)
            return -1;
        rq->st = w->st;
        if (resolve_session(rq, NULL, c, &err) < 0) {
            http_fail(rs, &err);
            return -1;
        }
        if (check_session(rq, cx->r, c, rs) < 0)
            return -1;
    }
    set_deadline(c, expect_body ? srv->cfg.body_timeout_s : 0);
    return 0;
}

/* ---- dispatch: the whole request ------------------------------------------------------------- */

static void dispatch(http_server *srv, request_ctx *cx, struct MHD_Connection *c, http_resp *rs)
{
    http_req *rq = &cx->rq;
    const route *r = cx->r;
    lz_err err = {0};
    worker *w = thread_worker(srv, rs);
    if (!w)
        return;
    rq->st = w->st;
    rq->who = NULL;
    bool read = !is_write(rq->method), cached = read && (r->flags & ROUTE_CACHED);
    if ((read && begin_read(w, (r->flags & ROUTE_TWIN) && !cached, &err) < 0) ||
        resolve_session(rq, read ? w->cache : NULL, c, &err) < 0) {
        http_fail(rs, &err);
        store_read_end(rq->st);
        return;
    }
    if (rq->who)
        snprintf(cx->user, sizeof cx->user, "%s", rq->who->name);
    if (check_session(rq, r, c, rs) < 0) {
        store_read_end(rq->st);
        return;
    }
    rq->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    rq->accept_encoding = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    rq->body = cx->body.data ? cx->body.data : "";
    rq->body_len = cx->body.len;
    if (cached && rq->who) {
        size_t key_len;
        const char *key = cache_key(rq, &key_len);
        if (!cache_answer_get(w->cache, key, key_len, rs)) {
            if ((r->flags & ROUTE_TWIN) && restart_read_with_twin(w, &err) < 0) {
                http_fail(rs, &err);
                store_read_end(rq->st);
                return;
            }
            r->fn(rq, rs);
            cache_answer_put(w->cache, key, key_len, rs);
        }
    } else {
        r->fn(rq, rs);
    }
    if (store_in_transaction(rq->st))
        store_rollback(rq->st); /* a handler that returned early never leaves a write open */
    store_read_end(rq->st);
}

/* What every answer carries, the API's and the browser UI's alike: the UI runs only its own
 * script and style (no inline code), is never framed, and sends no referrer off the site. */
#define CSP                                                                                                                        \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "  \
    "base-uri 'none'; form-action 'self'"

static void add_security_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

static bool has_header(const http_resp *rs, const char *name)
{
    for (size_t i = 0; i < rs->nheaders; i++)
        if (strcasecmp(rs->headers[i][0], name) == 0)
            return true;
    return false;
}

/* Queues the answer; close asks for the connection to end after it (a refused head: the body,
 * if any, was never read, so nothing else can follow on this connection). */
static enum MHD_Result send_response(request_ctx *cx, struct MHD_Connection *c, http_resp *rs, bool close)
{
    size_t len = rs->body.len;
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, strbuf_detach(&rs->body), MHD_RESPMEM_MUST_FREE);
    if (rs->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type);
    add_security_headers(resp);
    if (!has_header(rs, MHD_HTTP_HEADER_CACHE_CONTROL))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (close)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    for (size_t i = 0; i < rs->nheaders; i++)
        MHD_add_response_header(resp, rs->headers[i][0], rs->headers[i][1]);
    cx->status = rs->status;
    cx->bytes = len;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The first call: admits the request, or refuses it at once, or (a small body follows) keeps the
 * refusal until the body has been dropped. */
static enum MHD_Result on_head(http_server *srv, request_ctx *cx, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version)
{
    cx->admitted = true;
    http_resp_init(&cx->refusal);
    if (admit(srv, cx, c, url, method, version, &cx->refusal) == 0) {
        http_resp_free(&cx->refusal);
        return MHD_YES;
    }
    cx->refused = true;
    if (cx->drainable) {
        set_deadline(c, srv->cfg.body_timeout_s);
        return MHD_YES;
    }
    return send_response(cx, c, &cx->refusal, true);
}

/* A piece of the body: kept up to the route's limit (a declared length was checked on the head;
 * a chunked body is measured as it comes and refused with 413 past it), dropped once refused.
 * More than REFUSAL_DRAIN_MAX dropped: the connection is closed without an answer. */
static enum MHD_Result on_body(request_ctx *cx, const char *data, size_t n)
{
    if (!cx->refused && cx->body.len + n > cx->limit) {
        cx->refused = true;
        http_resp_init(&cx->refusal);
        http_problem(&cx->refusal, 413, NULL,
                     arena_printf(&cx->a, "the request body is larger than this route takes (%zu bytes)", cx->limit));
    }
    if (!cx->refused) {
        strbuf_append(&cx->body, data, n);
        return MHD_YES;
    }
    cx->dropped += n;
    return cx->dropped > REFUSAL_DRAIN_MAX ? MHD_NO : MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    http_server *srv = cls;
    request_ctx *cx = *con_cls;
    if (!cx->admitted)
        return on_head(srv, cx, c, url, method, version);
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        return on_body(cx, upload_data, n);
    }
    set_deadline(c, 0);
    if (cx->refused)
        return send_response(cx, c, &cx->refusal, true);
    http_resp rs;
    http_resp_init(&rs);
    dispatch(srv, cx, c, &rs);
    enum MHD_Result ret = send_response(cx, c, &rs, false);
    http_resp_free(&rs);
    return ret;
}

/* ---- access log ------------------------------------------------------------------------------ */

/* One JSON line per request: when, who, what, how it ended and how long it took. */
static void log_request(FILE *log, const request_ctx *cx)
{
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (double)(end.tv_sec - cx->start.tv_sec) * 1e3 + (double)(end.tv_nsec - cx->start.tv_nsec) / 1e6;
    char at[DATE_STAMP_SIZE];
    date_now_utc(at);
    json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:f}", "at", at, "addr", cx->addr, "user", cx->user, "method",
                             cx->method, "path", cx->path, "status", cx->status, "bytes", (json_int_t)cx->bytes, "ms", ms);
    char *text = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4)) : NULL;
    if (text)
        fprintf(log, "%s\n", text);
    free(text);
    json_decref(line);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    http_server *srv = cls;
    request_ctx *cx = *con_cls;
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        set_deadline(c, srv->cfg.header_timeout_s); /* a kept-alive connection's next head */
    if (!cx)
        return;
    if (srv->cfg.access_log && cx->method)
        log_request(srv->cfg.access_log, cx);
    if (cx->refused)
        http_resp_free(&cx->refusal);
    arena_free(&cx->a);
    strbuf_free(&cx->body);
    free(cx);
    *con_cls = NULL;
}

/* ---- housekeeping -------------------------------------------------------------------------- */

/* Runs cfg.sweep at start and then every sweep_every_s seconds until the server stops. */
static void *sweep_loop(void *p)
{
    http_server *srv = p;
    store *st = NULL;
    lz_err err = {0};
    if (store_open(&st, srv->cfg.db_path, 0, &err) < 0) {
        fprintf(stderr, "lianzhang serve: housekeeping cannot open the database: %s\n", err.msg);
        return NULL;
    }
    pthread_mutex_lock(&srv->lock);
    while (!srv->stopping) {
        pthread_mutex_unlock(&srv->lock);
        srv->cfg.sweep(st);
        pthread_mutex_lock(&srv->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += srv->cfg.sweep_every_s;
        while (!srv->stopping && pthread_cond_timedwait(&srv->wake, &srv->lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&srv->lock);
    store_close(st);
    return NULL;
}

/* ---- start / stop ---------------------------------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_in *sa, lz_err *err)
{
    const char *colon = strrchr(listen, ':');
    char host[64];
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || (size_t)(colon - listen) >= sizeof host || *end != '\0' || port < 0 || port > 65535 || colon[1] == '\0')
        return err_set(err, LZ_EINPUT, "--listen '%s': expected IPv4-ADDRESS:PORT, e.g. 127.0.0.1:8080", listen);
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return err_set(err, LZ_EINPUT, "--listen '%s': '%s' is not an IPv4 address", listen, host);
    return 0;
}

int http_server_start(const http_server_config *cfg, http_server **out, lz_err *err)
{
    struct sockaddr_in sa;
    int rc = parse_listen(cfg->listen, &sa, err);
    if (rc < 0)
        return rc;
    bool tls = cfg->tls_cert_pem && cfg->tls_key_pem;
    if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return err_set(err, LZ_EINPUT, "this libmicrohttpd was built without TLS; run behind a reverse proxy instead");
    if (sodium_init() < 0)
        return err_set(err, LZ_EINTERNAL, "libsodium failed to initialise");
    http_server *srv = xcalloc(1, sizeof *srv);
    srv->cfg = *cfg;
    if (srv->cfg.threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        srv->cfg.threads = n > 0 ? (unsigned)n : 2;
    }
    pthread_key_create(&srv->worker_key, close_worker);
    pthread_mutex_init(&srv->lock, NULL);
    pthread_cond_init(&srv->wake, NULL);
    srv->watched.next = srv->watched.prev = &srv->watched;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | (tls ? MHD_USE_TLS : 0);
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, &sa},
        {MHD_OPTION_THREAD_POOL_SIZE, srv->cfg.threads, NULL},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, srv},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, srv},
        {MHD_OPTION_CONNECTION_TIMEOUT, srv->cfg.idle_timeout_s, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, srv->cfg.max_connections, NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, srv->cfg.max_per_address, NULL},
        {tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)cfg->tls_cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)cfg->tls_key_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!srv->daemon) {
        pthread_key_delete(srv->worker_key);
        pthread_mutex_destroy(&srv->lock);
        pthread_cond_destroy(&srv->wake);
        free(srv);
        return err_set(err, LZ_EINPUT,
                       "cannot listen on %s (address in use, no permission, or with TLS a certificate and key that do not parse or "
                       "do not match?)",
                       cfg->listen);
    }
    srv->reaping = pthread_create(&srv->reaper, NULL, reap_loop, srv) == 0;
    if (cfg->sweep && cfg->sweep_every_s > 0)
        srv->sweeping = pthread_create(&srv->sweeper, NULL, sweep_loop, srv) == 0;
    *out = srv;
    return 0;
}

unsigned http_server_port(const http_server *srv)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

void http_server_stop(http_server *srv)
{
    if (!srv)
        return;
    pthread_mutex_lock(&srv->lock);
    srv->stopping = true;
    pthread_cond_broadcast(&srv->wake);
    pthread_mutex_unlock(&srv->lock);
    if (srv->sweeping)
        pthread_join(srv->sweeper, NULL);
    if (srv->reaping)
        pthread_join(srv->reaper, NULL);
    MHD_stop_daemon(srv->daemon); /* joins the workers: their store connections and caches close with them */
    pthread_key_delete(srv->worker_key);
    pthread_mutex_destroy(&srv->lock);
    pthread_cond_destroy(&srv->wake);
    free(srv);
}
