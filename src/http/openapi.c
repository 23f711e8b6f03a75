/*
 * openapi — the generated OpenAPI 3.1 document (see openapi.h).
 */
#include "http/openapi.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "http/router.h"
#include "http/rows.h"
#include "model/tables.h"

/* The JSON type of column c's values in an answer ("null" beside it for an optional column). */
static json_t *column_type(const column *c)
{
    const char *type = c->type == COL_INT ? "integer" : c->type == COL_BOOL ? "boolean" : c->type == COL_LIST ? "array" : "string";
    return c->flags & COLF_REQUIRED ? json_string(type) : json_pack("[s,s]", type, "null");
}

/* The choices of an enum column, or of a list of enums' items (with null when c may be empty). */
static json_t *choices(const column *c, bool nullable)
{
    json_t *e = json_array();
    for (size_t i = 0; c->values[i]; i++)
        json_array_append_new(e, json_string(c->values[i]));
    if (nullable)
        json_array_append_new(e, json_null());
    return e;
}

static json_t *column_schema(const column *c)
{
    json_t *s = json_pack("{s:o}", "type", column_type(c));
    if (c->type == COL_INT) {
        json_object_set_new(s, "minimum", json_integer((json_int_t)c->min));
        json_object_set_new(s, "maximum", json_integer((json_int_t)c->max));
    } else if (c->type == COL_LIST) {
        json_t *items = json_pack("{s:s}", "type", "string");
        if (c->item == COL_ENUM)
            json_object_set_new(items, "enum", choices(c, false));
        json_object_set_new(s, "items", items);
    } else if (c->type == COL_MONEY || c->type == COL_DECIMAL) {
        json_object_set_new(s, "pattern", json_string("^-?[0-9]+(\\.[0-9]+)?$"));
    } else if (c->type == COL_DATE) {
        json_object_set_new(s, "format", json_string("date"));
    } else if (c->type == COL_ENUM) {
        json_object_set_new(s, "enum", choices(c, !(c->flags & COLF_REQUIRED)));
    }
    if (c->label_zh)
        json_object_set_new(s, "description", json_string(c->label_zh));
    return s;
}

/* A row as the API answers it: every column, null where empty; in lists, beside each reference
 * that names a row, that row's name (column_ref_name_header), when the row exists. */
static json_t *table_schema(const table *t)
{
    json_t *props = json_object(), *req = json_array();
    for (size_t i = 0; i < t->ncols; i++) {
        json_object_set_new(props, t->cols[i].name, column_schema(&t->cols[i]));
        json_array_append_new(req, json_string(t->cols[i].name));
    }
    strbuf field;
    strbuf_init(&field);
    for (size_t i = 0; i < t->ncols; i++) {
        const table *rt;
        if (column_ref_name(&t->cols[i], &rt) < 0)
            continue;
        strbuf_reset(&field);
        column_ref_name_header(&t->cols[i], false, &field);
        json_object_set_new(
            props, field.data,
            json_pack("{s:s, s:b, s:s+}", "type", "string", "readOnly", 1, "description", rt->label_zh, "（名称，仅列表）"));
    }
    strbuf_free(&field);
    return json_pack("{s:s, s:s, s:o, s:o, s:b}", "type", "object", "description", t->label_zh, "properties", props, "required",
                     req, "additionalProperties", 0);
}

/* The concrete path of a pattern for table t (NULL when the pattern has no {table}). */
static void concrete_path(const char *pattern, const table *t, strbuf *out)
{
    strbuf_reset(out);
    for (const char *p = pattern; *p;) {
        if (t && strncmp(p, "{table}", 7) == 0) {
            strbuf_puts(out, t->name);
            p += 7;
        } else if (t && strncmp(p, "{key*}", 6) == 0) {
            for (size_t i = 0, k = 0; i < t->ncols; i++)
                if (t->cols[i].flags & COLF_KEY)
                    strbuf_printf(out, "%s{%s}", k++ ? "/" : "", t->cols[i].name);
            p += 6;
        } else {
            strbuf_putc(out, *p++);
        }
    }
}

static json_t *path_parameters(const char *path)
{
    json_t *params = json_array();
    for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1, (size_t)(end - p - 1), "in", "path",
                                                "required", 1, "schema", "type", "string"));
    }
    return params;
}

static json_t *type(const char *t)
{
    return json_pack("{s:s}", "type", t);
}

static json_t *nullable(const char *t)
{
    return json_pack("{s:[s,s]}", "type", t, "null");
}

static json_t *row(const char *table_name)
{
    return json_pack("{s:s+}", "$ref", "#/components/schemas/", table_name);
}

static json_t *query_parameter(const char *name, json_t *schema, const char *what)
{
    return json_pack("{s:s, s:s, s:o, s:s}", "name", name, "in", "query", "schema", schema, "description", what);
}

/* The query of a list, and of an export filtered like one (rows_parse_list). */
static void list_parameters(json_t *params, const table *t)
{
    json_t *columns = json_array();
    for (size_t i = 0; i < t->ncols; i++)
        json_array_append_new(columns, json_string(t->cols[i].name));
    json_array_append_new(params, query_parameter("sort", json_pack("{s:s, s:o}", "type", "string", "enum", columns),
                                                  "the column the rows are ordered by (default: the key)"));
    json_array_append_new(params, query_parameter("order", json_pack("{s:s, s:[s,s]}", "type", "string", "enum", "asc", "desc"),
                                                  "ascending (default) or descending"));
    json_array_append_new(
        params, query_parameter("limit", json_pack("{s:s, s:i, s:i}", "type", "integer", "minimum", 1, "maximum", ROWS_LIMIT_MAX),
                                "rows on a page"));
    json_array_append_new(params, query_parameter("cursor", type("string"), "the next of the page before"));
    bool named = false;
    for (size_t i = 0; i < t->ncols; i++)
        named |= (t->cols[i].flags & COLF_NAME) != 0;
    if (named)
        json_array_append_new(params, query_parameter("q", type("string"), "words to search the names for"));
    for (size_t i = 0; i < t->ncols; i++)
        json_array_append_new(params, query_parameter(t->cols[i].name, type("string"),
                                                      "only rows with this value (repeat for any of several); on numbers "
                                                      "and dates also a range: COLUMN>=, COLUMN<=, COLUMN>V, COLUMN<V"));
}

/* The query of an upload: its format when the Content-Type does not say, the unit of its amounts. */
static void upload_parameters(json_t *params)
{
    json_array_append_new(params, query_parameter("format", json_pack("{s:s, s:[s,s]}", "type", "string", "enum", "csv", "xlsx"),
                                                  "the file's format when the Content-Type does not say"));
    json_array_append_new(params, query_parameter("unit", type("string"),
                                                  "the unit of the money columns unless a header names its own: "
                                                  "元, 万元 or 亿元 (or yuan, wan, yi); default 元"));
}

static json_t *problem_ref(const char *what)
{
    return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", what, "content", "application/problem+json", "schema", "$ref",
                     "#/components/schemas/Problem");
}

/* What a table route answers with: one row, or a page of rows; NULL for files and no content. */
static json_t *row_schema(const route *r, const table *t)
{
    if ((r->flags & ROUTE_FILE_BODY) || strstr(r->pattern, "export") || strcmp(r->method, "DELETE") == 0)
        return NULL;
    json_t *ref = row(t->name);
    if (strstr(r->pattern, "{key*}") || strcmp(r->method, "POST") == 0)
        return ref;
    return json_pack("{s:s, s:{s:{s:s, s:o}, s:{s:[s,s], s:s}, s:{s:s, s:i, s:i, s:s}, s:{s:s, s:s}}, s:[s,s,s,s]}", "type",
                     "object", "properties", "items", "type", "array", "items", ref, "next", "type", "string", "null",
                     "description", "the cursor of the next page, null on the last", "total", "type", "integer", "minimum", 0,
                     "maximum", ROWS_TOTAL_MAX, "description",
                     "rows matching the filters, on every page, counted up to the maximum", "total_exact", "type", "boolean",
                     "description", "false when total stopped at its maximum", "required", "items", "next", "total", "total_exact");
}

/* ---- what the other routes answer ------------------------------------------------------------ */

static json_t *array_of(json_t *items)
{
    return json_pack("{s:s, s:o}", "type", "array", "items", items);
}

/* Adds the fields in names (separated by spaces), each required, with their schemas from ap in
 * the same order, to object schema o. */
static json_t *add_fields(json_t *o, const char *names, va_list ap)
{
    json_t *props = json_object_get(o, "properties"), *req = json_object_get(o, "required");
    for (const char *p = names; *p;) {
        size_t n = strcspn(p, " ");
        json_t *name = json_stringn(p, n);
        json_object_set_new(props, json_string_value(name), va_arg(ap, json_t *));
        json_array_append_new(req, name);
        p += n + (p[n] == ' ');
    }
    return o;
}

/* An object of exactly the fields in names, all present, with their schemas following in order. */
static json_t *object(const char *names, ...)
{
    va_list ap;
    va_start(ap, names);
    json_t *o = add_fields(
        json_pack("{s:s, s:{}, s:[], s:b}", "type", "object", "properties", "required", "additionalProperties", 0), names, ap);
    va_end(ap);
    return o;
}

/* A table's row with more fields beside its columns. */
static json_t *row_with(const char *table_name, const char *names, ...)
{
    va_list ap;
    va_start(ap, names);
    json_t *o = add_fields(table_schema(tables_find(table_name)), names, ap);
    va_end(ap);
    return o;
}

static json_t *health(void)
{
    return object("status version schema", type("string"), type("string"), type("integer"));
}

static json_t *signed_in(void)
{
    return object("csrf account expires_in", type("string"),
                  object("name role scope lang", type("string"), type("string"), type("string"), nullable("string")),
                  type("integer"));
}

static json_t *session(void)
{
    return object("name role scope lang csrf", type("string"), type("string"), type("string"), nullable("string"), type("string"));
}

/* An account as the admin's list shows it (never a password or a session). */
static json_t *account_schema(void)
{
    return object("name role scope lang disabled", type("string"), type("string"), type("string"), nullable("string"),
                  type("boolean"));
}

/* A password set for another account: the generated one, this once (null when it was given). */
static json_t *password_reset(void)
{
    return object("name generated password", type("string"), type("boolean"), nullable("string"));
}

static json_t *accounts(void)
{
    return object("items", array_of(account_schema()));
}

static json_t *audit_page(void)
{
    json_t *change = json_pack("{s:[s,s], s:b, s:s}", "type", "object", "null", "additionalProperties", 1, "description",
                               "the fields touched, as they were before or after");
    json_t *entry = object("seq at actor via target before after", type("integer"), type("string"), type("string"), type("string"),
                           type("string"), change, json_deep_copy(change));
    return object("items next", array_of(entry), nullable("string"));
}

static json_t *deadline(void)
{
    return object("category working_days", type("string"), type("integer"));
}

static json_t *deadlines(void)
{
    return object("items default_working_days", array_of(deadline()), type("integer"));
}

static json_t *escalated(void)
{
    return object("escalated", array_of(type("string")));
}

/* A dated move of a workflow: an appeal's status (at), a target's stage (date). */
static json_t *moves(const char *when)
{
    char names[64];
    snprintf(names, sizeof names, "seq %s actor from to note", when);
    return array_of(
        object(names, type("integer"), type("string"), type("string"), nullable("string"), type("string"), nullable("string")));
}

static json_t *appeal_history(void)
{
    json_t *rating = object("rating comment actor at", type("integer"), nullable("string"), type("string"), type("string"));
    return object("appeal history rating", row("appeals"), moves("at"),
                  json_pack("{s:[o,{s:s}]}", "anyOf", rating, "type", "null"));
}

static json_t *target_contacts(void)
{
    return object("target contacts", row("targets"), moves("date"));
}

static json_t *enterprise(void)
{
    return row_with("enterprises", "indicators memberships", array_of(row("indicators")), array_of(row("memberships")));
}

/* A chain's map: its segments with their member enterprises, and the supply edges between them. */
static json_t *chain_map(void)
{
    json_t *member = object("uscc name local role", type("string"), nullable("string"), nullable("boolean"), type("string"));
    json_t *segment = row_with("segments", "enterprises local_enterprises gap", array_of(member), type("integer"), type("boolean"));
    return object("chain segments edges", row("chains"), array_of(segment),
                  array_of(object("from to", type("string"), type("string"))));
}

/* A text in the three languages: {"zh-CN", "zh-TW", "en"}, each possibly null. */
static json_t *languages(void)
{
    return object("zh-CN zh-TW en", nullable("string"), nullable("string"), nullable("string"));
}

static json_t *policies(void)
{
    json_t *param = object("name label value source document document_date maximum from_year to_year", type("string"), languages(),
                           type("string"), type("string"), nullable("string"), nullable("string"), type("boolean"), type("integer"),
                           type("integer"));
    /* what an entitlement allows, in each language; null for money */
    json_t *grant = json_pack("{s:[o,{s:s}]}", "anyOf", languages(), "type", "null");
    json_t *policy =
        object("id name department subject valid_from valid_to valid_source clause reading reading_zh file version described_only "
               "entitlement grant parameters",
               type("string"), languages(), nullable("string"), nullable("string"), type("integer"), type("integer"),
               object("source document document_date", type("string"), nullable("string"), nullable("string")), nullable("string"),
               nullable("string"), object("zh-CN zh-TW", nullable("string"), nullable("string")), nullable("string"),
               type("string"), type("boolean"), type("boolean"), grant, array_of(param));
    return object("items", array_of(policy));
}

/* A policy's own test cases run now (policy/tests.h). */
static json_t *policy_tests(void)
{
    json_t *input = object("of fact year value", nullable("string"), type("string"), nullable("integer"), type("string"));
    json_t *paid = object("year amount", type("integer"), type("string"));
    json_t *expect = object("status amount text", type("string"), nullable("string"), nullable("string"));
    json_t *subject = object("id inputs paid expect", type("string"), array_of(input), array_of(paid),
                             json_pack("{s:[o,{s:s}]}", "anyOf", expect, "type", "null"));
    json_t *one = object("name year line passed failure subjects", type("string"), type("integer"), type("integer"),
                         type("boolean"), nullable("string"), array_of(subject));
    return object("policy passed failed items", type("string"), type("integer"), type("integer"), array_of(one));
}

static json_t *awards_page(void)
{
    json_t *award =
        object("id year policy subject subject_id uscc result amount grant status reason updated_at updated_by", type("integer"),
               type("integer"), type("string"), type("string"), type("string"), type("string"), type("string"), type("string"),
               nullable("string"), type("string"), nullable("string"), type("string"), type("string"));
    return object("items next total", array_of(award), nullable("string"), type("integer"));
}

static json_t *award_history(void)
{
    json_t *move =
        object("from to actor at note", nullable("string"), type("string"), type("string"), type("string"), nullable("string"));
    return object("id items", type("integer"), array_of(move));
}

/* A chain-master designation decision (workflow/designations.h). */
static json_t *decision(void)
{
    return object("id chain enterprise kind batch date year score rank proposed_by proposed_at reason status decided_by decided_at "
                  "decision_reason",
                  type("integer"), type("string"), type("string"),
                  json_pack("{s:s, s:[s,s,s,s]}", "type", "string", "enum", "master", "reserve", "leave-reserve", "revoke"),
                  type("string"), type("string"), type("integer"), nullable("string"), nullable("integer"), type("string"),
                  type("string"), nullable("string"),
                  json_pack("{s:s, s:[s,s,s,s]}", "type", "string", "enum", "proposed", "approved", "rejected", "withdrawn"),
                  nullable("string"), nullable("string"), nullable("string"));
}

static json_t *decisions(void)
{
    return object("chain items", type("string"), array_of(decision()));
}

/* The answers of routes other than the {table} ones, by method and pattern, and the status of
 * success when it is not 200. A route missing here is documented without its answer's schema. */
static const struct {
    const char *method, *pattern;
    json_t *(*schema)(void);
    const char *status;
} answers[] = {
    {"GET", "/healthz", health, NULL},
    {"POST", "/api/v1/session", signed_in, NULL},
    {"GET", "/api/v1/session", session, NULL},
    {"PUT", "/api/v1/session/lang", session, NULL},
    {"GET", "/api/v1/accounts", accounts, NULL},
    {"POST", "/api/v1/accounts", account_schema, "201"},
    {"POST", "/api/v1/accounts/{name}/disable", account_schema, NULL},
    {"POST", "/api/v1/accounts/{name}/enable", account_schema, NULL},
    {"POST", "/api/v1/accounts/{name}/password", password_reset, NULL},
    {"GET", "/api/v1/audit", audit_page, NULL},
    {"GET", "/api/v1/appeal-deadlines", deadlines, NULL},
    {"PUT", "/api/v1/appeal-deadlines/{category}", deadline, NULL},
    {"POST", "/api/v1/appeals/escalate", escalated, NULL},
    {"GET", "/api/v1/appeals/{id}/history", appeal_history, NULL},
    {"GET", "/api/v1/targets/{id}/contacts", target_contacts, NULL},
    {"GET", "/api/v1/enterprises/{uscc}", enterprise, NULL},
    {"GET", "/api/v1/chains/{code}/map", chain_map, NULL},
    {"GET", "/api/v1/policies", policies, NULL},
    {"GET", "/api/v1/policies/{id}/tests", policy_tests, NULL},
    {"GET", "/api/v1/awards", awards_page, NULL},
    {"GET", "/api/v1/awards/{id}/history", award_history, NULL},
    {"POST", "/api/v1/chains/{code}/masters/decisions", decision, "201"},
    {"GET", "/api/v1/chains/{code}/masters/decisions", decisions, NULL},
    {"POST", "/api/v1/masters/decisions/{id}/transition", decision, NULL},
};

/* The answer of route r: its schema (NULL when not documented) and, when not 200, its status. */
static json_t *answer_schema(const route *r, const char **status)
{
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++)
        if (strcmp(answers[i].method, r->method) == 0 && strcmp(answers[i].pattern, r->pattern) == 0) {
            *status = answers[i].status ? answers[i].status : *status;
            return answers[i].schema();
        }
    return NULL;
}

static json_t *operation(const route *r, const char *path, const table *t)
{
    const char *ok = strcmp(r->method, "POST") == 0 && t && !(r->flags & ROUTE_FILE_BODY) ? "201"
                     : strcmp(r->method, "DELETE") == 0                                   ? "204"
                                                                                          : "200";
    json_t *responses = json_object();
    json_t *schema = t ? row_schema(r, t) : answer_schema(r, &ok);
    json_t *okr = json_pack("{s:s}", "description", "success");
    if (schema)
        json_object_set_new(okr, "content", json_pack("{s:{s:o}}", "application/json", "schema", schema));
    json_object_set_new(responses, ok, okr);
    json_object_set_new(responses, "400", problem_ref("bad input: the fields named in errors"));
    if (!(r->flags & ROUTE_PUBLIC)) {
        json_object_set_new(responses, "401", problem_ref("not signed in"));
        json_object_set_new(responses, "403", problem_ref("outside the account's role or scope, or no CSRF token"));
    }
    json_object_set_new(responses, "404", problem_ref("no such row, or not visible to this account"));
    json_t *params = path_parameters(path);
    if (t && strcmp(r->method, "GET") == 0 && !strstr(r->pattern, "{key*}"))
        list_parameters(params, t);
    if (t && strstr(r->pattern, "export"))
        json_array_append_new(
            params, query_parameter("format", json_pack("{s:s, s:[s,s,s]}", "type", "string", "enum", "csv", "json", "xlsx"),
                                    "the file's format, default csv"));
    if (r->flags & ROUTE_FILE_BODY)
        upload_parameters(params);
    json_t *op =
        json_pack("{s:s, s:s, s:o, s:o}", "summary", r->summary, "operationId", "", "parameters", params, "responses", responses);
    strbuf id;
    strbuf_init(&id);
    strbuf_printf(&id, "%s", r->method);
    for (const char *p = path; *p; p++)
        strbuf_putc(&id, (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_');
    json_object_set_new(op, "operationId", json_string(id.data));
    strbuf_free(&id);
    if (t)
        json_object_set_new(op, "tags", json_pack("[s]", t->name));
    if (r->flags & ROUTE_PUBLIC)
        json_object_set_new(op, "security", json_array()); /* the document's default is the session */
    if (r->flags & ROUTE_JSON_BODY)
        json_object_set_new(
            op, "requestBody",
            json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content", "application/json", "schema", "type", "object"));
    if (r->flags & ROUTE_FILE_BODY)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{}, s:{}}}", "required", 1, "content", "text/csv",
                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    return op;
}

static void add_operation(json_t *paths, const route *r, const char *path, const table *t)
{
    json_t *item = json_object_get(paths, path);
    if (!item) {
        item = json_object();
        json_object_set_new(paths, path, item);
    }
    char method[8];
    size_t n = strlen(r->method);
    for (size_t i = 0; i <= n && i < sizeof method; i++)
        method[i] = (char)(r->method[i] >= 'A' && r->method[i] <= 'Z' ? r->method[i] + 32 : r->method[i]);
    if (!json_object_get(item, method)) /* a specific route listed earlier wins over the generic one */
        json_object_set_new(item, method, operation(r, path, t));
}

json_t *openapi_document(void)
{
    json_t *paths = json_object(), *schemas = json_object();
    strbuf path;
    strbuf_init(&path);
    for (size_t i = 0; i < router_nroutes; i++) {
        const route *r = &router_routes[i];
        if (!strstr(r->pattern, "{table}")) {
            concrete_path(r->pattern, NULL, &path);
            add_operation(paths, r, path.data, NULL);
            continue;
        }
        for (size_t k = 0; k < tables_count; k++) {
            concrete_path(r->pattern, tables_all[k], &path);
            add_operation(paths, r, path.data, tables_all[k]);
        }
    }
    strbuf_free(&path);
    for (size_t k = 0; k < tables_count; k++)
        json_object_set_new(schemas, tables_all[k]->name, table_schema(tables_all[k]));
    json_object_set_new(schemas, "Problem",
                        json_pack("{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:{s:s}}}}", "type", "object", "properties",
                                  "type", "type", "string", "title", "type", "string", "status", "type", "integer", "detail",
                                  "type", "string", "errors", "type", "array", "items", "type", "object"));
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s, s:s}], s:[{s:[]}], s:o, s:{s:o, s:{s:{s:s, s:s, s:s}}}}", "openapi",
                     "3.1.0", "info", "title", "Lianzhang API", "version", LIANZHANG_VERSION, "description",
                     "Industrial clusters under the chain-leader system: data tables, chain maps, workflows, awards.", "servers",
                     "url", "/", "description", "the server that serves this document", "security", "session", "paths", paths,
                     "components", "schemas", schemas, "securitySchemes", "session", "type", "apiKey", "in", "cookie", "name",
                     "lz_session");
}
