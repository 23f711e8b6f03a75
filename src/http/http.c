/*
 * http — responses and strict JSON request bodies (see http.h).
 */
#include "http/http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void http_resp_init(http_resp *rs)
{
    memset(rs, 0, sizeof *rs);
    rs->status = 500;
    strbuf_init(&rs->body);
}

void http_resp_free(http_resp *rs)
{
    strbuf_free(&rs->body);
}

void http_header_add(http_resp *rs, const char *name, const char *value)
{
    if (rs->nheaders < HTTP_MAX_HEADERS) {
        rs->headers[rs->nheaders][0] = name;
        rs->headers[rs->nheaders][1] = value;
        rs->nheaders++;
    }
}

const char *http_query(const http_req *rq, const char *key)
{
    for (size_t i = 0; i < rq->nquery; i++)
        if (strcmp(rq->query[i].key, key) == 0)
            return rq->query[i].value;
    return NULL;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    strbuf_append(data, buffer, size);
    return 0;
}

void http_json(http_resp *rs, int status, json_t *j)
{
    rs->status = status;
    rs->content_type = "application/json";
    strbuf_reset(&rs->body);
    json_dump_callback(j, dump_cb, &rs->body, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(j);
}

char *http_json_text(arena *a, json_t *j)
{
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!text)
        abort(); /* only out of memory makes jansson fail on an object it built */
    char *out = arena_strndup(a, text, strlen(text));
    free(text);
    return out;
}

void http_bytes(http_resp *rs, int status, const char *content_type, const char *data, size_t n)
{
    rs->status = status;
    rs->content_type = content_type;
    strbuf_reset(&rs->body);
    strbuf_append(&rs->body, data, n);
}

void http_no_content(http_resp *rs)
{
    rs->status = 204;
    rs->content_type = NULL;
    strbuf_reset(&rs->body);
}

static const char *status_title(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 503:
        return "Service Unavailable";
    default:
        return status >= 500 ? "Internal Server Error" : "Error";
    }
}

static void problem(http_resp *rs, int status, const char *title, const char *detail, json_t *errors)
{
    json_t *j = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title", title ? title : status_title(status), "status",
                          status, "detail", detail ? detail : "");
    if (errors)
        json_object_set_new(j, "errors", errors);
    http_json(rs, status, j);
    rs->content_type = "application/problem+json";
}

void http_problem(http_resp *rs, int status, const char *title, const char *detail)
{
    problem(rs, status, title, detail, NULL);
}

void http_problem_fields(http_resp *rs, int status, const char *detail, json_t *errors)
{
    problem(rs, status, NULL, detail, errors);
}

void http_field_error(json_t *errors, const char *field, const char *reason)
{
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "reason", reason));
}

void http_bad_field(http_resp *rs, const char *field, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    json_t *errors = json_array();
    http_field_error(errors, field, reason);
    char detail[640];
    snprintf(detail, sizeof detail, "%s: %s", field, reason);
    http_problem_fields(rs, 400, detail, errors);
}

/* Bad input from a lower layer reads "FIELD: reason" (a column, a JSON path such as
 * enterprise.indicators.2021.revenue, a request header): the field goes into the problem's
 * errors list. */
static void input_problem(http_resp *rs, const char *msg)
{
    size_t n = strspn(msg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[]-");
    if (n == 0 || strncmp(msg + n, ": ", 2) != 0) {
        http_problem(rs, 400, NULL, msg);
        return;
    }
    json_t *errors = json_array();
    json_array_append_new(errors, json_pack("{s:s%, s:s}", "field", msg, n, "reason", msg + n + 2));
    http_problem_fields(rs, 400, msg, errors);
}

void http_fail(http_resp *rs, const lz_err *err)
{
    switch (err->code) {
    case LZ_EINPUT:
        input_problem(rs, err->msg);
        break;
    case LZ_ENOTFOUND:
        http_problem(rs, 404, NULL, err->msg);
        break;
    case LZ_ECONFLICT:
        http_problem(rs, 409, NULL, err->msg);
        break;
    case LZ_EDENIED:
        http_problem(rs, 403, NULL, err->msg);
        break;
    case LZ_EBUSY:
        http_header_add(rs, "Retry-After", "1");
        http_problem(rs, 503, NULL, "the database is busy with another writer; try again in a moment");
        break;
    default:
        fprintf(stderr, "lianzhang serve: internal error: %s\n", err->msg);
        http_problem(rs, 500, NULL, "the server failed; the error is in its log");
    }
}

void http_not_found(http_resp *rs, const char *what)
{
    char detail[256];
    snprintf(detail, sizeof detail, "%s: no such row, or not visible to this account", what);
    http_problem(rs, 404, NULL, detail);
}

void http_forbidden(http_resp *rs, const char *detail)
{
    http_problem(rs, 403, NULL, detail);
}

/* ---- request bodies -------------------------------------------------------------------------- */

bool http_media_type_is(const char *content_type, const char *type)
{
    if (!content_type)
        return false;
    size_t n = strlen(type);
    if (strncasecmp(content_type, type, n) != 0)
        return false;
    const char *rest = content_type + n + strspn(content_type + n, " \t");
    return *rest == '\0' || *rest == ';';
}

json_t *http_body_object(http_req *rq, http_resp *rs)
{
    if (!http_media_type_is(rq->content_type, "application/json")) {
        http_problem(rs, 415, NULL, "the body must be JSON: send Content-Type: application/json");
        return NULL;
    }
    json_error_t jerr;
    json_t *j = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        char detail[400];
        snprintf(detail, sizeof detail, "body: line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        json_t *errors = json_array();
        http_field_error(errors, "body", detail);
        http_problem_fields(rs, 400, detail, errors);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_bad_field(rs, "body", "expected a JSON object");
        return NULL;
    }
    return j;
}

int http_only_fields(json_t *obj, const char *const *allowed, http_resp *rs)
{
    json_t *errors = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (!ok)
            http_field_error(errors, key, "unknown field");
    }
    if (json_array_size(errors) == 0) {
        json_decref(errors);
        return 0;
    }
    http_problem_fields(rs, 400, "the body has unknown fields", errors);
    return -1;
}

const char *http_string_field(json_t *obj, const char *name, bool required, http_resp *rs, bool *bad)
{
    json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) {
        if (required) {
            http_bad_field(rs, name, "required");
            *bad = true;
        }
        return NULL;
    }
    if (!json_is_string(v)) {
        http_bad_field(rs, name, "expected a string");
        *bad = true;
        return NULL;
    }
    return json_string_value(v);
}
