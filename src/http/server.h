/*
 * server — the HTTP server: libmicrohttpd with its internal polling thread on epoll and a pool of
 * worker threads, each with its own store connection (SQLite WAL: many readers, one writer at a
 * time). It admits each request on its head alone (framing, target, route, the route's body
 * limit, the session when a body follows: a refused body is never kept, the answer comes before
 * any of a large body is read, and the connection is closed), collects the body, enforces CSRF
 * on writes, routes to a handler,
 * sends the response and writes one access-log line.
 *
 * Connections are bounded in number (in all and per client address) and in time: the head must
 * arrive within header_timeout_s of the connection opening or of the previous answer, the body
 * within body_timeout_s of the head, and no connection stays silent longer than idle_timeout_s.
 * A slow or stalled client thus holds a connection for a bounded time, and one address cannot
 * take them all.
 */
#ifndef LZ_SERVER_H
#define LZ_SERVER_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "store/store.h"

typedef struct http_server http_server;

typedef struct http_server_config {
    const char *db_path;
    const char *listen;       /* "127.0.0.1:8080"; port 0 picks a free port */
    unsigned threads;         /* worker threads; 0 = number of CPUs */
    unsigned max_connections; /* open connections in all */
    unsigned max_per_address; /* open connections from one client address; 0 = no limit */
    unsigned header_timeout_s, body_timeout_s, idle_timeout_s;
    const char *tls_cert_pem; /* both or neither: PEM text (not paths) */
    const char *tls_key_pem;
    bool behind_proxy;                 /* trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy on loopback */
    FILE *access_log;                  /* one JSON line per request; NULL for none */
    const struct policy_set *policies; /* loaded once, shared by every worker; NULL: award routes answer 503 */
    void (*sweep)(store *st);          /* periodic housekeeping (overdue appeals), on its own connection; may be NULL */
    unsigned sweep_every_s;
    /* the analyses' thresholds, loaded once and shared like the policies; NULL: the defaults */
    const struct thresholds *thresholds;
    const struct masters_criteria *masters_criteria; /* the masters' criteria, loaded once; NULL: the defaults */
} http_server_config;

/* Starts serving. The config's strings must outlive the server. */
int http_server_start(const http_server_config *cfg, http_server **out, lz_err *err);
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const http_server *srv);
/* Stops accepting, finishes what runs, closes every connection and frees the server. */
void http_server_stop(http_server *srv);

#endif
