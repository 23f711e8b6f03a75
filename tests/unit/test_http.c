/* Unit tests of the server's pure parts: the hand-written row JSON writer against the jansson
 * export it replaces, JSON rows to import fields (types, unknown fields), list parameters and
 * cursors, path keys, routing (404 vs 405, table names only, HEAD, body limits), the checks on a
 * request's head (framing, target, forwarded address, throttle keys, media types), the scope rule table, and
 * the per-thread cache of sessions and answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchange/export.h"
#include "http/cache.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/router.h"
#include "http/rows.h"
#include "http/scope.h"
#include "model/cellfmt.h"

/* A sample text each column type takes. */
static const char *sample(const column *c)
{
    switch (c->type) {
    case COL_TEXT:
        return "say \"hi\"\\ \t new\nline 中文 \x01";
    case COL_USCC:
        return "91440703MA4UB00018";
    case COL_DIVISION:
        return "440703";
    case COL_INDUSTRY:
        return "3985";
    case COL_INT:
        return c->min > 0 ? "2023" : "42";
    case COL_MONEY:
        return "1234567.05";
    case COL_DECIMAL:
        return "1.6";
    case COL_DATE:
        return "2024-02-29";
    case COL_BOOL:
        return "false";
    case COL_ENUM:
        return c->values[0];
    case COL_LIST:
        return c->item == COL_DIVISION ? "440703;440704" : c->item == COL_ENUM ? c->values[0] : "a;b";
    default:
        return "code_1";
    }
}

static void row_writer_matches_export(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    for (size_t k = 0; k < tables_count; k++) {
        const table *t = tables_all[k];
        for (int pass = 0; pass < 2; pass++) { /* every column filled, then optional ones empty */
            cell row[TABLES_MAX_COLS];
            char why[600];
            for (size_t i = 0; i < t->ncols; i++) {
                const column *c = &t->cols[i];
                const char *s = pass && !(c->flags & COLF_REQUIRED) ? "" : sample(c);
                assert_int_equal(cell_parse(c, s, strlen(s), &a, &row[i], why, sizeof why), 0);
            }
            strbuf out;
            strbuf_init(&out);
            rows_append_json(&out, t, row);
            json_error_t jerr;
            json_t *mine = json_loads(out.data, 0, &jerr), *theirs = export_row_json(t, row);
            if (!mine || !json_equal(mine, theirs))
                fail_msg("%s: %s", t->name, out.data);
            json_decref(mine);
            json_decref(theirs);
            strbuf_free(&out);
        }
    }
    arena_free(&a);
}

static json_t *errors_of(const table *t, const char *body, rows_fields *f, arena *a, int *rc)
{
    json_t *obj = json_loads(body, JSON_ALLOW_NUL, NULL), *errors = json_array();
    assert_non_null(obj);
    *rc = rows_fields_from_json(t, obj, a, f, errors);
    json_decref(obj);
    return errors;
}

static void json_rows_name_every_bad_field(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    rows_fields f;
    int rc;
    const table *ind = tables_find("indicators");
    json_t *e =
        errors_of(ind, "{\"uscc\": \"x\", \"year\": 2023, \"revenue\": 1.5, \"above_scale\": \"yes\", \"colour\": 1}", &f, &a, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(json_array_size(e), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(e, 0), "field")), "revenue");
    assert_string_equal(json_string_value(json_object_get(json_array_get(e, 1), "field")), "above_scale");
    assert_string_equal(json_string_value(json_object_get(json_array_get(e, 2), "field")), "colour");
    json_decref(e);

    e = errors_of(ind, "{\"uscc\": \"u\", \"year\": 2023, \"revenue\": 12, \"above_scale\": true, \"tax_paid\": null}", &f, &a,
                  &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(f.n, 5);
    assert_string_equal(f.values[1], "2023");
    assert_string_equal(f.values[2], "12");
    assert_string_equal(f.values[3], "true");
    assert_int_equal(f.lens[4], 0);
    json_decref(e);

    e = errors_of(tables_find("chains"), "{\"lead_divisions\": [\"440703\", \"440704\"]}", &f, &a, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(f.values[0], "440703;440704");
    json_decref(e);
    e = errors_of(tables_find("chains"), "{\"lead_divisions\": [\"a;b\"], \"name\": \"a\\u0000b\"}", &f, &a, &rc);
    assert_int_equal(json_array_size(e), 2);
    json_decref(e);
    arena_free(&a);
}

static void list_parameters_and_cursor(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    const table *t = tables_find("enterprises");
    http_pair args[] = {{"division", "440703"}, {"division", "440704"}, {"q", "x"},
                        {"sort", "name"},       {"order", "desc"},      {"limit", "2"}};
    store_query q;
    store_cond *conds;
    json_t *errors = json_array();
    assert_int_equal(rows_parse_list(t, args, 6, NULL, 1, 100, &a, &q, &conds, errors), 0);
    assert_int_equal(q.nconds, 1);
    assert_int_equal(q.conds[0].nvalues, 2);
    assert_string_equal(q.order_by, "name");
    assert_true(q.descending);
    assert_int_equal(q.limit, 2);

    cell row[7] = {cell_text("91440703MA4UB00018", 18), cell_text("名", 3)};
    char *cursor = rows_cursor(&q, row, &a);
    http_pair next[] = {{"sort", "name"}, {"cursor", cursor}};
    assert_int_equal(rows_parse_list(t, next, 2, NULL, 1, 100, &a, &q, &conds, errors), 0);
    assert_non_null(q.after);
    assert_int_equal(q.after[0].n, 3);
    assert_memory_equal(q.after[0].s, "名", 3);
    assert_int_equal(q.after[1].n, 18);
    assert_memory_equal(q.after[1].s, "91440703MA4UB00018", 18);
    http_pair unsorted[] = {{"cursor", cursor}};
    assert_int_equal(rows_parse_list(t, unsorted, 1, NULL, 1, 100, &a, &q, &conds, errors), -1);

    json_array_clear(errors);
    http_pair bad[] = {{"founded>", "2015-02-30"}, {"limit", "1001"}, {"nosuch", "1"}, {"listing_board", "moon"}};
    assert_int_equal(rows_parse_list(t, bad, 4, NULL, 1, 100, &a, &q, &conds, errors), -1);
    assert_int_equal(json_array_size(errors), 4);
    json_array_clear(errors);
    http_pair search[] = {{"q", "x"}};
    assert_int_equal(rows_parse_list(tables_find("indicators"), search, 1, NULL, 1, 100, &a, &q, &conds, errors), -1);
    json_decref(errors);
    arena_free(&a);
}

static void path_keys(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    cell key[TABLES_MAX_KEY];
    json_t *errors = json_array();
    const char *ok[] = {"91440703MA4UB00018", "2023"};
    assert_int_equal(rows_key_from_path(tables_find("indicators"), ok, 2, &a, key, errors), 0);
    assert_int_equal(key[1].i, 2023);
    assert_int_equal(rows_key_from_path(tables_find("indicators"), ok, 1, &a, key, errors), -1);
    const char *bad[] = {"91440703MA4UB00019", "2023"};
    assert_int_equal(rows_key_from_path(tables_find("indicators"), bad, 2, &a, key, errors), -1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 1), "field")), "uscc");
    cell row[10] = {cell_text("91440703MA4UB00018", 18), cell_int(2023)};
    assert_string_equal(rows_key_path(tables_find("indicators"), row, &a), "indicators/91440703MA4UB00018/2023");
    json_decref(errors);
    arena_free(&a);
}

static void routing(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    const char *params[HTTP_MAX_PARAMS];
    size_t n;
    int status;
    char allow[64];
    const route *r = router_match("GET", "/api/v1/indicators/X/2023", &a, params, &n, &status, allow, sizeof allow);
    assert_non_null(r);
    assert_int_equal(n, 3);
    assert_string_equal(params[0], "indicators");
    r = router_match("GET", "/api/v1/enterprises/X", &a, params, &n, &status, allow, sizeof allow);
    assert_string_equal(r->pattern, "/api/v1/enterprises/{uscc}");
    /* an internal table is no {table} of the API */
    assert_null(router_match("GET", "/api/v1/sessions", &a, params, &n, &status, allow, sizeof allow));
    assert_int_equal(status, 404);
    assert_null(router_match("PUT", "/api/v1/divisions/440703", &a, params, &n, &status, allow, sizeof allow));
    assert_int_equal(status, 405);
    assert_non_null(strstr(allow, "PATCH"));
    assert_non_null(strstr(allow, "DELETE"));
    r = router_match("HEAD", "/api/v1/enterprises/X", &a, params, &n, &status, allow, sizeof allow);
    assert_non_null(r);
    assert_string_equal(r->method, "GET");
    assert_null(router_match("PUT", "/healthz", &a, params, &n, &status, allow, sizeof allow));
    assert_string_equal(allow, "GET, HEAD");
    arena_free(&a);
}

/* The browser UI's paths answer its page; any other GET outside /api/ its not-found page; the API
 * keeps its own 404 and 405 and never falls through to the UI. */
static void web_paths_route_to_the_app(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    const char *params[HTTP_MAX_PARAMS];
    size_t n;
    int status;
    char allow[64];
    const route *r = router_match("GET", "/chains/NM-BATTERY", &a, params, &n, &status, allow, sizeof allow);
    assert_non_null(r);
    assert_ptr_equal(r->fn, h_web_page);
    assert_string_equal(params[0], "NM-BATTERY");
    assert_ptr_equal(router_match("GET", "/", &a, params, &n, &status, allow, sizeof allow)->fn, h_web_page);
    assert_ptr_equal(router_match("HEAD", "/admin/audit", &a, params, &n, &status, allow, sizeof allow)->fn, h_web_page);
    assert_ptr_equal(router_match("GET", "/assets/app.X.js", &a, params, &n, &status, allow, sizeof allow)->fn, h_web_asset);
    assert_ptr_equal(router_match("GET", "/no/such/page", &a, params, &n, &status, allow, sizeof allow)->fn, h_web_missing);
    assert_null(router_match("GET", "/api/v1/nothing", &a, params, &n, &status, allow, sizeof allow));
    assert_int_equal(status, 404);
    assert_null(router_match("POST", "/login", &a, params, &n, &status, allow, sizeof allow));
    assert_int_equal(status, 405);
    assert_null(router_match("POST", "/nothing", &a, params, &n, &status, allow, sizeof allow));
    assert_int_equal(status, 404);
    arena_free(&a);
}

static void gzip_is_accepted_by_rfc_9110(void **state)
{
    (void)state;
    assert_true(web_accepts_gzip("gzip"));
    assert_true(web_accepts_gzip("br, gzip, deflate"));
    assert_true(web_accepts_gzip("GZIP;q=0.5"));
    assert_true(web_accepts_gzip("*"));
    assert_false(web_accepts_gzip(NULL));
    assert_false(web_accepts_gzip(""));
    assert_false(web_accepts_gzip("br, deflate"));
    assert_false(web_accepts_gzip("gzip;q=0"));
    assert_false(web_accepts_gzip("gzip; q=0.000, br"));
    assert_false(web_accepts_gzip("x-gzip2"));
}

static size_t limit_of(const char *method, const char *path)
{
    arena a;
    arena_init(&a, 1024);
    const char *params[HTTP_MAX_PARAMS];
    size_t n;
    int status;
    char allow[64];
    const route *r = router_match(method, path, &a, params, &n, &status, allow, sizeof allow);
    arena_free(&a);
    assert_non_null(r);
    return router_body_limit(r);
}

static void each_route_has_its_body_limit(void **state)
{
    (void)state;
    assert_int_equal(limit_of("GET", "/healthz"), 0);
    assert_int_equal(limit_of("DELETE", "/api/v1/session"), 0);
    assert_int_equal(limit_of("POST", "/api/v1/session"), ROUTE_JSON_LIMIT);
    assert_int_equal(limit_of("PATCH", "/api/v1/divisions/440703"), ROUTE_JSON_LIMIT);
    assert_int_equal(limit_of("POST", "/api/v1/whatif"), ROUTE_LARGE_JSON_LIMIT);
    assert_int_equal(limit_of("POST", "/api/v1/import/enterprises"), ROUTE_FILE_LIMIT);
    assert_true(ROUTE_JSON_LIMIT < ROUTE_LARGE_JSON_LIMIT && ROUTE_LARGE_JSON_LIMIT < ROUTE_FILE_LIMIT);
}

/* The framing check's verdict: the header it names on refusal, or "" with the length. */
static const char *framing(unsigned lengths, const char *length, unsigned encodings, const char *encoding, uint64_t *len,
                           bool *chunked)
{
    static lz_err err;
    request_framing f = {lengths, encodings, length, encoding};
    if (request_framing_check(&f, len, chunked, &err) == 0)
        return "";
    assert_int_equal(err.code, LZ_EINPUT);
    *strchr(err.msg, ':') = '\0';
    return err.msg;
}

static void body_framing_is_unambiguous(void **state)
{
    (void)state;
    uint64_t len;
    bool chunked;
    assert_string_equal(framing(0, NULL, 0, NULL, &len, &chunked), "");
    assert_int_equal(len, 0);
    assert_false(chunked);
    assert_string_equal(framing(1, "1234", 0, NULL, &len, &chunked), "");
    assert_int_equal(len, 1234);
    assert_string_equal(framing(0, NULL, 1, "Chunked", &len, &chunked), "");
    assert_true(chunked);
    assert_string_equal(framing(1, "5", 1, "chunked", &len, &chunked), "Transfer-Encoding");
    assert_string_equal(framing(2, "5", 0, NULL, &len, &chunked), "Content-Length");
    assert_string_equal(framing(0, NULL, 2, "chunked", &len, &chunked), "Transfer-Encoding");
    assert_string_equal(framing(0, NULL, 1, "gzip, chunked", &len, &chunked), "Transfer-Encoding");
    assert_string_equal(framing(0, NULL, 1, "identity", &len, &chunked), "Transfer-Encoding");
    static const char *const bad[] = {"", "-1", "+5", "5 ", " 5", "0x10", "1e3", "1234567890123456789"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_string_equal(framing(1, bad[i], 0, NULL, &len, &chunked), "Content-Length");
}

/* The field request_target_check names for target, or "" when it is accepted. */
static const char *target_fault(arena *a, const char *target)
{
    const char *field = NULL, *reason = NULL;
    if (request_target_check(target, a, &field, &reason) == 0)
        return "";
    assert_non_null(reason);
    return field;
}

static void targets_decode_to_utf8_without_nul(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    assert_string_equal(target_fault(&a, "/api/v1/enterprises?q=%E6%95%B4%E6%9C%BA&limit=2&flag"), "");
    assert_string_equal(target_fault(&a, "/api/v1/x%2Fy?q=100%25&r=%zz&s=%"), "");
    assert_string_equal(target_fault(&a, "/api/v1/appeal-deadlines/land%00ignored"), "path");
    assert_string_equal(target_fault(&a, "/api/v1/enterprises/%ff"), "path");
    assert_string_equal(target_fault(&a, "/api/v1/enterprises/\xe4\xb8"), "path");
    assert_string_equal(target_fault(&a, "/api/v1/enterprises?limit=2&q=a%00b"), "q");
    assert_string_equal(target_fault(&a, "/api/v1/enterprises?division=%C0%AF"), "division");
    assert_string_equal(target_fault(&a, "/api/v1/enterprises?a%00=1"), "query");
    assert_string_equal(target_fault(&a, "/api/v1/enterprises?%FF"), "query");
    arena_free(&a);
}

static void forwarded_for_takes_the_last_address(void **state)
{
    (void)state;
    char out[INET6_ADDRSTRLEN];
    assert_int_equal(request_forwarded_for("203.0.113.9, 10.0.0.1", out), 0);
    assert_string_equal(out, "10.0.0.1");
    assert_int_equal(request_forwarded_for("10.0.0.2", out), 0);
    assert_string_equal(out, "10.0.0.2");
    assert_int_equal(request_forwarded_for("garbage,2001:DB8:0:0::1 ", out), 0);
    assert_string_equal(out, "2001:db8::1");
    static const char *const bad[] = {
        "", "unknown", "10.0.0.1,", "1.2.3.4\",\"x\":\"y", "999.1.1.1", "10.0.0.01", "10.0.0.1 extra", "10.0.0.1:8080", "::1%eth0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(request_forwarded_for(bad[i], out), -1);
}

static void ipv6_clients_are_throttled_by_network(void **state)
{
    (void)state;
    char key[REQUEST_THROTTLE_KEY_LEN];
    request_throttle_key("10.0.0.1", key);
    assert_string_equal(key, "10.0.0.1");
    request_throttle_key("::ffff:10.0.0.1", key);
    assert_string_equal(key, "10.0.0.1");
    request_throttle_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd", key);
    assert_string_equal(key, "2001:db8:1:2::/64");
    char other[REQUEST_THROTTLE_KEY_LEN];
    request_throttle_key("2001:db8:1:2::1", other);
    assert_string_equal(key, other);
    request_throttle_key("2001:db8:1:3::1", other);
    assert_string_not_equal(key, other);
    request_throttle_key("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", key);
    assert_string_equal(key, "ffff:ffff:ffff:ffff::/64");
}

static void media_types_match_exactly(void **state)
{
    (void)state;
    assert_true(http_media_type_is("application/json", "application/json"));
    assert_true(http_media_type_is("Application/JSON; charset=utf-8", "application/json"));
    assert_true(http_media_type_is("text/csv ;charset=utf-8", "text/csv"));
    assert_false(http_media_type_is("text/csvx", "text/csv"));
    assert_false(http_media_type_is("application/json-patch+json", "application/json"));
    assert_false(http_media_type_is("application/json garbage", "application/json"));
    assert_false(http_media_type_is("text/cs", "text/csv"));
    assert_false(http_media_type_is(NULL, "text/csv"));
}

static void scope_rules(void **state)
{
    (void)state;
    account ent = {.name = "e", .role = ROLE_ENTERPRISE, .scope = "91440703MA4UB00018"};
    account admin = {.name = "a", .role = ROLE_ADMIN};
    /* Every table has a rule for every role; an enterprise is never given all rows of a table
     * that holds enterprises' data. */
    static const char *const shared[] = {"divisions", "clusters", "chains", "segments", NULL};
    for (size_t k = 0; k < tables_count; k++) {
        const table *t = tables_all[k];
        assert_int_equal(scope_read_rule(t, &admin)->kind, SCOPE_ALL);
        bool is_shared = false;
        for (size_t i = 0; shared[i]; i++)
            is_shared |= strcmp(shared[i], t->name) == 0;
        if (!is_shared)
            assert_int_not_equal(scope_read_rule(t, &ent)->kind, SCOPE_ALL);
        assert_int_not_equal(scope_write_rule(t, &ent)->kind, SCOPE_ALL);
        const scope_rule *r = scope_read_rule(t, &ent);
        if (r->kind == SCOPE_COLUMN || r->kind == SCOPE_VIA)
            assert_true(table_column_index(t, r->column) >= 0);
    }
    cell v;
    store_cond c;
    assert_int_equal(scope_cond(scope_read_rule(tables_find("indicators"), &ent), &ent, &v, &c), 1);
    assert_string_equal(c.column, "uscc");
    assert_int_equal(c.values[0].n, 18);
    assert_memory_equal(c.values[0].s, ent.scope, 18);
    assert_int_equal(scope_cond(scope_read_rule(tables_find("targets"), &ent), &ent, &v, &c), -1);
}

/* A read of path by who, with one query argument, keyed as the server keys it. */
static const char *read_key(arena *a, const account *who, const char *path, const char *q, size_t *len)
{
    http_req rq = {.method = "GET", .path = path, .who = who, .a = a, .nquery = 1};
    rq.query[0] = (http_pair){"limit", q};
    return cache_key(&rq, len);
}

static void answer(http_resp *rs, int status, const char *body)
{
    http_resp_init(rs);
    rs->status = status;
    rs->content_type = "application/json";
    strbuf_puts(&rs->body, body);
}

static void cache_answers_per_version_and_account(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 0);
    account e1 = {.name = "e1", .role = ROLE_ENTERPRISE, .scope = "91440703MA4UB00018"};
    account e2 = {.name = "e2", .role = ROLE_ENTERPRISE, .scope = "91440704MA4UB0002R"};
    account div = {.name = "d", .role = ROLE_DIVISION, .scope = "91440703MA4UB00018"}; /* same text, other role */
    http_cache *c = cache_new();
    store_version v1 = {1, 0}, v2 = {1, 1};
    cache_sync(c, &v1);
    size_t n1, n2, n3, n4;
    const char *k1 = read_key(&a, &e1, "/api/v1/enterprises", "10", &n1);
    const char *k2 = read_key(&a, &e2, "/api/v1/enterprises", "10", &n2);
    const char *k3 = read_key(&a, &div, "/api/v1/enterprises", "10", &n3);
    const char *k4 = read_key(&a, &e1, "/api/v1/enterprises", "1", &n4);
    http_resp rs, out;
    answer(&rs, 200, "{\"items\":[1]}");
    cache_answer_put(c, k1, n1, &rs);
    http_resp_init(&out);
    assert_true(cache_answer_get(c, k1, n1, &out));
    assert_int_equal(out.status, 200);
    assert_string_equal(out.content_type, "application/json");
    assert_int_equal(out.body.len, strlen("{\"items\":[1]}"));
    assert_memory_equal(out.body.data, "{\"items\":[1]}", out.body.len);
    assert_false(cache_answer_get(c, k2, n2, &out)); /* another scope */
    assert_false(cache_answer_get(c, k3, n3, &out)); /* another role */
    assert_false(cache_answer_get(c, k4, n4, &out)); /* another query */
    cache_sync(c, &v1);
    assert_true(cache_answer_get(c, k1, n1, &out));
    cache_sync(c, &v2); /* the database changed: everything goes */
    assert_false(cache_answer_get(c, k1, n1, &out));
    http_resp_free(&rs);

    answer(&rs, 404, "{}"); /* only plain 200 answers are kept */
    cache_answer_put(c, k1, n1, &rs);
    assert_false(cache_answer_get(c, k1, n1, &out));
    http_resp_free(&rs);
    answer(&rs, 200, "{}");
    http_header_add(&rs, "Location", "/x");
    cache_answer_put(c, k1, n1, &rs);
    assert_false(cache_answer_get(c, k1, n1, &out));
    http_resp_free(&rs);
    http_resp_free(&out);
    cache_free(c);
    arena_free(&a);
}

static void cache_sessions_expire_and_follow_the_version(void **state)
{
    (void)state;
    http_cache *c = cache_new();
    store_version v1 = {3, 7}, v2 = {4, 7};
    cache_sync(c, &v1);
    account who = {.name = "e1", .role = ROLE_ENTERPRISE, .scope = "91440703MA4UB00018"}, got;
    char csrf[SESSION_TOKEN_LEN + 1] = "csrf-token", got_csrf[SESSION_TOKEN_LEN + 1];
    const char *token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    cache_session_put(c, token, 100, &who, csrf);
    assert_true(cache_session_get(c, token, 99, &got, got_csrf));
    assert_string_equal(got.name, "e1");
    assert_string_equal(got.scope, who.scope);
    assert_string_equal(got_csrf, "csrf-token");
    assert_false(cache_session_get(c, token, 100, &got, got_csrf)); /* expired */
    assert_false(cache_session_get(c, "BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 99, &got, got_csrf));
    cache_sync(c, &v2);
    assert_false(cache_session_get(c, token, 99, &got, got_csrf));
    cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(row_writer_matches_export),
        cmocka_unit_test(json_rows_name_every_bad_field),
        cmocka_unit_test(list_parameters_and_cursor),
        cmocka_unit_test(path_keys),
        cmocka_unit_test(routing),
        cmocka_unit_test(each_route_has_its_body_limit),
        cmocka_unit_test(body_framing_is_unambiguous),
        cmocka_unit_test(targets_decode_to_utf8_without_nul),
        cmocka_unit_test(forwarded_for_takes_the_last_address),
        cmocka_unit_test(ipv6_clients_are_throttled_by_network),
        cmocka_unit_test(media_types_match_exactly),
        cmocka_unit_test(web_paths_route_to_the_app),
        cmocka_unit_test(gzip_is_accepted_by_rfc_9110),
        cmocka_unit_test(scope_rules),
        cmocka_unit_test(cache_answers_per_version_and_account),
        cmocka_unit_test(cache_sessions_expire_and_follow_the_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
