/*
 * h_web — the browser UI: its page for every path the app routes on the client, and its hashed
 * files (assets.h).
 *
 * Every page path answers the same HTML (the app reads the path and renders the page); a path
 * that is neither a page nor an asset nor the API answers that HTML with 404, and the app shows
 * its not-found page. The HTML is revalidated on every load (no-cache); a hashed file is cached
 * for a year as immutable. Either is sent gzip-compressed to a client that accepts gzip. The
 * security headers every answer carries (CSP and the rest) are set by the server (server.c).
 */
#include <string.h>
#include <strings.h>

#include "http/assets.h"
#include "http/handlers.h"

#define CACHE_IMMUTABLE "public, max-age=31536000, immutable"
#define CACHE_REVALIDATE "no-cache"

/* Whether an Accept-Encoding value accepts gzip: a "gzip" (or "*") coding not given q=0. */
bool web_accepts_gzip(const char *accept)
{
    if (!accept)
        return false;
    const char *p = accept;
    while (*p) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, " \t;,");
        bool named = (n == 4 && strncasecmp(p, "gzip", 4) == 0) || (n == 1 && *p == '*');
        const char *end = p + strcspn(p, ",");
        const char *q = memchr(p, ';', (size_t)(end - p));
        bool zero = false;
        if (q) {
            q += strspn(q, "; \t");
            if (strncasecmp(q, "q=", 2) == 0) {
                q += 2;
                zero = q[0] == '0' && (q + 1 == end || q[1] != '.' || strspn(q + 2, "0") == (size_t)(end - q - 2));
            }
        }
        if (named && !zero)
            return true;
        p = end;
    }
    return false;
}

static void send_asset(http_req *rq, http_resp *rs, int status, const web_asset *f)
{
    bool gz = web_accepts_gzip(rq->accept_encoding);
    if (gz)
        http_bytes(rs, status, f->content_type, f->gz, f->gz_len);
    else
        http_bytes(rs, status, f->content_type, f->data, f->len);
    http_header_add(rs, "Cache-Control", f->immutable ? CACHE_IMMUTABLE : CACHE_REVALIDATE);
    http_header_add(rs, "Vary", "Accept-Encoding");
    if (gz)
        http_header_add(rs, "Content-Encoding", "gzip");
}

static void send_page(http_req *rq, http_resp *rs, int status)
{
    const web_asset *f = assets_find("/index.html");
    if (!f) {
        http_problem(rs, 500, NULL, "this build has no browser UI");
        return;
    }
    send_asset(rq, rs, status, f);
}

void h_web_page(http_req *rq, http_resp *rs)
{
    send_page(rq, rs, 200);
}

void h_web_missing(http_req *rq, http_resp *rs)
{
    send_page(rq, rs, 404);
}

void h_web_asset(http_req *rq, http_resp *rs)
{
    const web_asset *f = assets_find(rq->path);
    if (!f || !f->immutable) {
        http_problem(rs, 404, NULL, "no such file");
        return;
    }
    send_asset(rq, rs, 200, f);
}
