/* libFuzzer target: what the server decodes from a request before any handler logic — the
 * checks on the target as sent and on a forwarded address, the route of a path, list parameters
 * from a query string, and a JSON body turned into a table row's fields. Input: byte 0 picks the
 * table; up to the first newline is "PATH?QUERY"; the rest is the body. Nothing may crash, leak
 * or read out of bounds, and what is accepted must be sane. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "http/router.h"
#include "http/rows.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Splits "a=1&b&c=2" in place into pairs. */
static size_t split_query(char *q, http_pair *pairs, size_t cap)
{
    size_t n = 0;
    for (char *save = NULL, *tok = strtok_r(q, "&", &save); tok && n < cap; tok = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(tok, '=');
        if (eq)
            *eq = '\0';
        pairs[n++] = (http_pair){tok, eq ? eq + 1 : ""};
    }
    return n;
}

static void check_fields(const table *t, const rows_fields *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (table_column_index(t, f->names[i]) < 0 || strlen(f->values[i]) < f->lens[i])
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const table *t = tables_all[data[0] % tables_count];
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    const char *nl = memchr(text, '\n', n);
    size_t head = nl ? (size_t)(nl - text) : n;
    arena a;
    arena_init(&a, 4096);
    char *line = arena_strndup(&a, text, head);
    const char *field = NULL, *reason = NULL;
    if (request_target_check(line, &a, &field, &reason) < 0 && (!field || !reason))
        abort();
    char addr[INET6_ADDRSTRLEN];
    if (request_forwarded_for(line, addr) == 0 && strlen(addr) >= INET6_ADDRSTRLEN)
        abort();
    char *qmark = strchr(line, '?');
    if (qmark)
        *qmark = '\0';

    const char *params[HTTP_MAX_PARAMS];
    size_t nparams = 0;
    int status;
    char allow[64];
    const route *r = router_match("GET", line, &a, params, &nparams, &status, allow, sizeof allow);
    if ((r && nparams > HTTP_MAX_PARAMS) || (!r && status != 404 && status != 405))
        abort();

    http_pair pairs[HTTP_MAX_QUERY];
    size_t npairs = qmark ? split_query(qmark + 1, pairs, HTTP_MAX_QUERY) : 0;
    store_query q;
    store_cond *conds;
    json_t *errors = json_array();
    if (rows_parse_list(t, pairs, npairs, NULL, 1, ROWS_LIMIT_DEFAULT, &a, &q, &conds, errors) == 0 &&
        (q.nconds > npairs || q.limit > ROWS_LIMIT_MAX || json_array_size(errors) != 0))
        abort();

    json_t *body = nl ? json_loadb(nl + 1, n - head - 1, JSON_REJECT_DUPLICATES, NULL) : NULL;
    rows_fields f;
    cell key[TABLES_MAX_KEY];
    if (json_is_object(body) && rows_fields_from_json(t, body, &a, &f, errors) == 0) {
        check_fields(t, &f);
        rows_key_from_fields(t, &f, &a, key, errors);
    }
    json_decref(body);
    json_decref(errors);
    arena_free(&a);
    return 0;
}
