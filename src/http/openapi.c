/*
 * openapi — the generated OpenAPI 3.1 document (see openapi.h).
 */
#include "http/openapi.h"

#include <string.h>

#include "core/strbuf.h"
#include "http/router.h"
#include "http/rows.h"
#include "model/tables.h"

static json_t *column_schema(const column *c)
{
    json_t *s;
    switch (c->type) {
    case COL_INT:
        s = json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum", (json_int_t)c->min, "maximum", (json_int_t)c->max);
        break;
    case COL_BOOL:
        s = json_pack("{s:s}", "type", "boolean");
        break;
    case COL_LIST:
        s = json_pack("{s:s, s:{s:s}}", "type", "array", "items", "type", "string");
        break;
    case COL_MONEY:
    case COL_DECIMAL:
        s = json_pack("{s:s, s:s}", "type", "string", "pattern", "^-?[0-9]+(\\.[0-9]+)?$");
        break;
    case COL_DATE:
        s = json_pack("{s:s, s:s}", "type", "string", "format", "date");
        break;
    default:
        s = json_pack("{s:s}", "type", "string");
    }
    if (c->type == COL_ENUM) {
        json_t *e = json_array();
        for (size_t i = 0; c->values[i]; i++)
            json_array_append_new(e, json_string(c->values[i]));
        json_object_set_new(s, "enum", e);
    }
    if (!(c->flags & COLF_REQUIRED))
        json_object_set_new(s, "nullable", json_true());
    if (c->label_zh)
        json_object_set_new(s, "description", json_string(c->label_zh));
    return s;
}

static json_t *table_schema(const table *t)
{
    json_t *props = json_object(), *req = json_array();
    for (size_t i = 0; i < t->ncols; i++) {
        json_object_set_new(props, t->cols[i].name, column_schema(&t->cols[i]));
        if ((t->cols[i].flags & COLF_REQUIRED) && !t->cols[i].default_text)
            json_array_append_new(req, json_string(t->cols[i].name));
    }
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
    json_t *ref = json_pack("{s:s+}", "$ref", "#/components/schemas/", t->name);
    if (strstr(r->pattern, "{key*}") || strcmp(r->method, "POST") == 0)
        return ref;
    return json_pack("{s:s, s:{s:{s:s, s:o}, s:{s:[s,s]}, s:{s:s, s:i}, s:{s:s}}}", "type", "object", "properties", "items", "type",
                     "array", "items", ref, "next", "type", "string", "null", "total", "type", "integer", "maximum", ROWS_TOTAL_MAX,
                     "total_exact", "type", "boolean");
}

static json_t *operation(const route *r, const char *path, const table *t)
{
    const char *ok = strcmp(r->method, "POST") == 0 && t && !(r->flags & ROUTE_FILE_BODY) ? "201"
                     : strcmp(r->method, "DELETE") == 0                                   ? "204"
                                                                                          : "200";
    json_t *responses = json_object();
    json_t *okr = json_pack("{s:s}", "description", "success");
    json_t *schema = t ? row_schema(r, t) : NULL;
    if (schema)
        json_object_set_new(okr, "content", json_pack("{s:{s:o}}", "application/json", "schema", schema));
    json_object_set_new(responses, ok, okr);
    json_object_set_new(responses, "400", problem_ref("bad input: the fields named in errors"));
    if (!(r->flags & ROUTE_PUBLIC)) {
        json_object_set_new(responses, "401", problem_ref("not signed in"));
        json_object_set_new(responses, "403", problem_ref("outside the account's role or scope, or no CSRF token"));
    }
    json_object_set_new(responses, "404", problem_ref("no such row, or not visible to this account"));
    json_t *op = json_pack("{s:s, s:s, s:o, s:o}", "summary", r->summary, "operationId", "", "parameters", path_parameters(path),
                           "responses", responses);
    strbuf id;
    strbuf_init(&id);
    strbuf_printf(&id, "%s", r->method);
    for (const char *p = path; *p; p++)
        strbuf_putc(&id, (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_');
    json_object_set_new(op, "operationId", json_string(id.data));
    strbuf_free(&id);
    if (t)
        json_object_set_new(op, "tags", json_pack("[s]", t->name));
    if (!(r->flags & ROUTE_PUBLIC))
        json_object_set_new(op, "security", json_pack("[{s:[]}]", "session"));
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
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:o, s:{s:{s:s, s:s, s:s}}}}", "openapi", "3.1.0", "info", "title",
                     "Lianzhang API", "version", LIANZHANG_VERSION, "description",
                     "Industrial clusters under the chain-leader system: data tables, chain maps, workflows, awards.", "paths",
                     paths, "components", "schemas", schemas, "securitySchemes", "session", "type", "apiKey", "in", "cookie",
                     "name", "lz_session");
}
