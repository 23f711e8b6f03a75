/*
 * rows — JSON rows, path keys and list queries (see rows.h).
 */
#include "http/rows.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "model/cellfmt.h"

/* ---- JSON -> import fields ------------------------------------------------------------------- */

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a fractional number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

static const char *expected_kind(const column *c)
{
    switch (c->type) {
    case COL_INT:
        return "an integer";
    case COL_MONEY:
    case COL_DECIMAL:
        return "a decimal string such as \"1234.50\" (or an integer)";
    case COL_BOOL:
        return "true or false";
    case COL_LIST:
        return "an array of strings";
    default:
        return "a string";
    }
}

/* A string member must be text the importer can take whole: no NUL inside. */
static const char *string_text(const json_t *v, size_t *n)
{
    *n = json_string_length(v);
    const char *s = json_string_value(v);
    return memchr(s, '\0', *n) ? NULL : s;
}

/* The text form of one JSON value for column c, or NULL with a reason. */
static const char *value_text(const column *c, const json_t *v, arena *a, size_t *n, const char **why)
{
    *why = NULL;
    switch (json_typeof(v)) {
    case JSON_NULL:
        *n = 0;
        return "";
    case JSON_STRING:
        if (c->type == COL_BOOL || c->type == COL_LIST)
            break;
        {
            const char *s = string_text(v, n);
            if (!s)
                *why = "contains a NUL character";
            return s;
        }
    case JSON_INTEGER:
        if (c->type != COL_INT && c->type != COL_MONEY && c->type != COL_DECIMAL)
            break;
        {
            char *s = arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            *n = strlen(s);
            return s;
        }
    case JSON_TRUE:
    case JSON_FALSE:
        if (c->type != COL_BOOL)
            break;
        *n = json_is_true(v) ? 4 : 5;
        return json_is_true(v) ? "true" : "false";
    case JSON_ARRAY:
        if (c->type != COL_LIST)
            break;
        {
            strbuf b;
            strbuf_init(&b);
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item)
            {
                size_t len;
                const char *s = json_is_string(item) ? string_text(item, &len) : NULL;
                if (!s || memchr(s, ';', len)) {
                    *why = "each item must be a string without ';'";
                    strbuf_free(&b);
                    return NULL;
                }
                if (i)
                    strbuf_putc(&b, ';');
                strbuf_append(&b, s, len);
            }
            char *s = arena_strndup(a, b.data ? b.data : "", b.len);
            *n = b.len;
            strbuf_free(&b);
            return s;
        }
    default:
        break;
    }
    *why = arena_printf(a, "expected %s, got %s", expected_kind(c), json_kind(v));
    return NULL;
}

int rows_fields_from_json(const table *t, json_t *obj, arena *a, rows_fields *out, json_t *errors)
{
    size_t cap = json_object_size(obj);
    out->n = 0;
    out->names = arena_alloc(a, (cap + 1) * sizeof *out->names);
    out->values = arena_alloc(a, (cap + 1) * sizeof *out->values);
    out->lens = arena_alloc(a, (cap + 1) * sizeof *out->lens);
    size_t before = json_array_size(errors);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ci = table_column_index(t, key);
        if (ci < 0) {
            http_field_error(errors, key, arena_printf(a, "unknown field of %s", t->name));
            continue;
        }
        const char *why;
        size_t n;
        const char *s = value_text(&t->cols[ci], v, a, &n, &why);
        if (!s) {
            http_field_error(errors, key, why);
            continue;
        }
        out->names[out->n] = t->cols[ci].name;
        out->values[out->n] = s;
        out->lens[out->n] = n;
        out->n++;
    }
    return json_array_size(errors) == before ? 0 : -1;
}

/* ---- keys ------------------------------------------------------------------------------------ */

int rows_key_from_path(const table *t, const char *const *segs, size_t nsegs, arena *a, cell *key, json_t *errors)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(t, idx);
    if (nsegs != nk) {
        strbuf names;
        strbuf_init(&names);
        for (size_t k = 0; k < nk; k++)
            strbuf_printf(&names, "/{%s}", t->cols[idx[k]].name);
        http_field_error(errors, "path", arena_printf(a, "a row of %s is addressed as /%s%s", t->name, t->name, names.data));
        strbuf_free(&names);
        return -1;
    }
    char why[512];
    for (size_t k = 0; k < nk; k++) {
        const column *c = &t->cols[idx[k]];
        if (cell_parse(c, segs[k], strlen(segs[k]), a, &key[k], why, sizeof why) < 0) {
            http_field_error(errors, c->name, why);
            return -1;
        }
        if (key[k].kind == CELL_TEXT && key[k].s == segs[k])
            key[k].s = arena_strndup(a, key[k].s, key[k].n);
    }
    return 0;
}

int rows_key_from_fields(const table *t, const rows_fields *f, arena *a, cell *key, json_t *errors)
{
    int idx[TABLES_MAX_KEY];
    size_t nk = table_key_columns(t, idx);
    char why[512];
    size_t before = json_array_size(errors);
    for (size_t k = 0; k < nk; k++) {
        const column *c = &t->cols[idx[k]];
        size_t i = 0;
        while (i < f->n && strcmp(f->names[i], c->name) != 0)
            i++;
        if (i == f->n)
            http_field_error(errors, c->name, "required (part of the key)");
        else if (cell_parse(c, f->values[i], f->lens[i], a, &key[k], why, sizeof why) < 0)
            http_field_error(errors, c->name, why);
    }
    return json_array_size(errors) == before ? 0 : -1;
}

int rows_fields_parse(const table *t, const rows_fields *f, arena *a, json_t *errors)
{
    char why[512];
    size_t before = json_array_size(errors);
    for (size_t i = 0; i < f->n; i++) {
        const column *c = &t->cols[table_column_index(t, f->names[i])];
        cell v;
        if (!(c->flags & COLF_KEY) && cell_parse(c, f->values[i], f->lens[i], a, &v, why, sizeof why) < 0)
            http_field_error(errors, c->name, why);
    }
    return json_array_size(errors) == before ? 0 : -1;
}

bool rows_cell_equal(const cell *x, const cell *y)
{
    if (x->kind != y->kind)
        return false;
    if (x->kind == CELL_INT)
        return x->i == y->i;
    return x->kind == CELL_NULL || (x->n == y->n && memcmp(x->s, y->s, x->n) == 0);
}

char *rows_key_path(const table *t, const cell *row, arena *a)
{
    strbuf b;
    strbuf_init(&b);
    strbuf_puts(&b, t->name);
    for (size_t i = 0; i < t->ncols; i++) {
        if (!(t->cols[i].flags & COLF_KEY))
            continue;
        strbuf_putc(&b, '/');
        cell_format(&t->cols[i], &row[i], &b);
    }
    char *s = arena_strndup(a, b.data, b.len);
    strbuf_free(&b);
    return s;
}

/* ---- list queries ---------------------------------------------------------------------------- */

static bool is_named(const char *key, const char *const *names)
{
    for (size_t i = 0; names && names[i]; i++)
        if (strcmp(key, names[i]) == 0)
            return true;
    return false;
}

int rows_parse_limit(const char *s, size_t *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1 || v > ROWS_LIMIT_MAX)
        return -1;
    *out = (size_t)v;
    return 0;
}

char *rows_cursor_encode(json_t *arr, arena *a)
{
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    size_t len = strlen(text);
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, cap);
    sodium_bin2base64(out, cap, (const unsigned char *)text, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    free(text);
    return out;
}

json_t *rows_cursor_decode(const char *s, arena *a)
{
    size_t len = strlen(s), raw_len;
    unsigned char *raw = arena_alloc(a, len + 1);
    if (sodium_base642bin(raw, len + 1, s, len, NULL, &raw_len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return NULL;
    json_t *arr = json_loadb((const char *)raw, raw_len, 0, NULL);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

/* The cursor: base64url of a JSON array [sort value?, key values...]. */
static int parse_cursor(const table *t, const char *order_by, const char *s, arena *a, store_query *q)
{
    json_t *arr = rows_cursor_decode(s, a);
    int idx[9];
    size_t n = 0;
    if (order_by)
        idx[n++] = table_column_index(t, order_by);
    n += table_key_columns(t, idx + n);
    if (!json_is_array(arr) || json_array_size(arr) != n) {
        json_decref(arr);
        return -1;
    }
    cell *after = arena_alloc(a, n * sizeof *after);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(arr, i);
        if (json_is_integer(v))
            after[i] = cell_int(json_integer_value(v));
        else if (json_is_null(v) && order_by && i == 0)
            after[i] = cell_null();
        else if (json_is_string(v))
            after[i] = cell_text(arena_strndup(a, json_string_value(v), json_string_length(v)), json_string_length(v));
        else {
            json_decref(arr);
            return -1;
        }
    }
    json_decref(arr);
    q->after = after;
    return 0;
}

char *rows_cursor(const store_query *q, const cell *row, arena *a)
{
    json_t *arr = json_array();
    int ord = q->order_by ? table_column_index(q->t, q->order_by) : -1;
    for (size_t i = 0; i < q->t->ncols + 1; i++) {
        int c = i == 0 ? ord : (int)i - 1;
        if (c < 0 || (i > 0 && !(q->t->cols[c].flags & COLF_KEY)))
            continue;
        const cell *v = &row[c];
        json_array_append_new(arr, v->kind == CELL_INT    ? json_integer(v->i)
                                   : v->kind == CELL_TEXT ? json_stringn(v->s, v->n)
                                                          : json_null());
    }
    return rows_cursor_encode(arr, a);
}

/* Adds one filter value to the IN condition for column ci (created on first use), or a range
 * condition of its own. */
static int add_filter(const table *t, int ci, store_op op, const char *value, arena *a, store_cond *conds, size_t *nconds,
                      size_t nargs, json_t *errors)
{
    const column *col = &t->cols[ci];
    store_cond *c = NULL;
    for (size_t i = 0; i < *nconds && op == STORE_IN; i++)
        if (conds[i].op == STORE_IN && strcmp(conds[i].column, col->name) == 0)
            c = &conds[i];
    if (!c) {
        c = &conds[(*nconds)++];
        *c = (store_cond){.column = col->name, .op = op, .values = arena_alloc(a, nargs * sizeof(cell))};
    }
    if (op != STORE_IN && !(col->type == COL_INT || col->type == COL_MONEY || col->type == COL_DECIMAL || col->type == COL_DATE)) {
        http_field_error(errors, col->name, "a range applies to numbers and dates only");
        return -1;
    }
    char why[512];
    cell *v = (cell *)&c->values[c->nvalues];
    if (cell_parse(col, value, strlen(value), a, v, why, sizeof why) < 0 || v->kind == CELL_NULL) {
        http_field_error(errors, col->name, v->kind == CELL_NULL ? "filter value is empty" : why);
        return -1;
    }
    c->nvalues++;
    return 0;
}

/* A filter argument: "col=v", "col>=v", "col<=v" (the query string splits these at '=', leaving
 * "col>" or "col<" as the name), "col>v" and "col<v" (no '=': all in the name). Sets *name (arena)
 * and *op, and returns the value. */
static const char *split_filter(const char *key, const char *value, arena *a, const char **name, store_op *op)
{
    size_t n = strcspn(key, "<>");
    *name = key;
    *op = STORE_IN;
    if (key[n] == '\0')
        return value;
    *name = arena_strndup(a, key, n);
    bool greater = key[n] == '>';
    if (key[n + 1] == '\0') {
        *op = greater ? STORE_GE : STORE_LE;
        return value;
    }
    *op = greater ? STORE_GT : STORE_LT;
    return *value ? arena_printf(a, "%s=%s", key + n + 1, value) : key + n + 1;
}

static bool has_name_column(const table *t)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].flags & COLF_NAME)
            return true;
    return false;
}

int rows_parse_list(const table *t, const http_pair *args, size_t nargs, const char *const *extra, size_t spare,
                    size_t default_limit, arena *a, store_query *q, store_cond **conds, json_t *errors)
{
    size_t before = json_array_size(errors), nconds = 0;
    *conds = arena_alloc(a, (nargs + spare + 1) * sizeof **conds);
    *q = (store_query){.t = t, .limit = default_limit};
    const char *cursor = NULL;
    for (size_t i = 0; i < nargs; i++) {
        const char *k = args[i].key, *v = args[i].value;
        if (is_named(k, extra))
            continue;
        if (strcmp(k, "q") == 0) {
            if (!has_name_column(t))
                http_field_error(errors, "q", arena_printf(a, "%s has no names to search", t->name));
            q->search = v;
        } else if (strcmp(k, "sort") == 0) {
            int ci = table_column_index(t, v);
            if (ci < 0)
                http_field_error(errors, "sort", arena_printf(a, "'%s' is not a column of %s", v, t->name));
            else
                q->order_by = t->cols[ci].name;
        } else if (strcmp(k, "order") == 0) {
            if (strcmp(v, "asc") != 0 && strcmp(v, "desc") != 0)
                http_field_error(errors, "order", "asc or desc");
            q->descending = strcmp(v, "desc") == 0;
        } else if (strcmp(k, "limit") == 0) {
            if (rows_parse_limit(v, &q->limit) < 0)
                http_field_error(errors, "limit", arena_printf(a, "an integer from 1 to %d", ROWS_LIMIT_MAX));
        } else if (strcmp(k, "cursor") == 0) {
            cursor = v;
        } else {
            const char *name;
            store_op op;
            const char *value = split_filter(k, v, a, &name, &op);
            int ci = table_column_index(t, name);
            if (ci < 0)
                http_field_error(errors, name, arena_printf(a, "unknown parameter (%s has no such column)", t->name));
            else
                add_filter(t, ci, op, value, a, *conds, &nconds, nargs, errors);
        }
    }
    if (cursor && json_array_size(errors) == before && parse_cursor(t, q->order_by, cursor, a, q) < 0)
        http_field_error(errors, "cursor", "not a cursor this list gave (it depends on sort)");
    q->conds = *conds;
    q->nconds = nconds;
    return json_array_size(errors) == before ? 0 : -1;
}

/* ---- writing rows as JSON -------------------------------------------------------------------- */

void rows_append_json_string(strbuf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_reserve(out, n + 2);
    strbuf_putc(out, '"');
    size_t run = 0; /* bytes copied as they are, flushed in one append */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        strbuf_append(out, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
            strbuf_append(out, esc, 2);
        } else if (c == '\n') {
            strbuf_append(out, "\\n", 2);
        } else {
            strbuf_append(out, esc, 6);
        }
    }
    strbuf_append(out, s + run, n - run);
    strbuf_putc(out, '"');
}

static void append_int(strbuf *out, int64_t v)
{
    char buf[24], *p = buf + sizeof buf;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    strbuf_append(out, p, (size_t)(buf + sizeof buf - p));
}

static void append_value(strbuf *out, const column *c, const cell *v, strbuf *tmp)
{
    if (v->kind == CELL_NULL) {
        strbuf_append(out, "null", 4);
    } else if (c->type == COL_BOOL) {
        strbuf_puts(out, v->i ? "true" : "false");
    } else if (c->type == COL_INT) {
        append_int(out, v->i);
    } else if (c->type == COL_LIST) {
        strbuf_putc(out, '[');
        for (const char *p = v->s, *end = v->s + v->n; p < end;) {
            const char *q = memchr(p, ';', (size_t)(end - p));
            q = q ? q : end;
            if (p != v->s)
                strbuf_putc(out, ',');
            rows_append_json_string(out, p, (size_t)(q - p));
            p = q + 1;
        }
        strbuf_putc(out, ']');
    } else if (v->kind == CELL_TEXT) {
        rows_append_json_string(out, v->s, v->n);
    } else {
        strbuf_reset(tmp);
        cell_format(c, v, tmp); /* money and decimals as exact decimal strings */
        rows_append_json_string(out, tmp->data ? tmp->data : "", tmp->len);
    }
}

void rows_append_json(strbuf *out, const table *t, const cell *row)
{
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_putc(out, '{');
    for (size_t i = 0; i < t->ncols; i++) {
        if (i)
            strbuf_putc(out, ',');
        rows_append_json_string(out, t->cols[i].name, strlen(t->cols[i].name));
        strbuf_putc(out, ':');
        append_value(out, &t->cols[i], &row[i], &tmp);
    }
    strbuf_putc(out, '}');
    strbuf_free(&tmp);
}

/* ---- importer messages ----------------------------------------------------------------------- */

json_t *rows_errors_from_errlist(const errlist *l)
{
    json_t *errors = json_array();
    for (size_t i = 0; i < l->count; i++) {
        const char *m = l->items[i];
        /* SOURCE:LINE: COLUMN: reason — the source has no ": " in it. */
        const char *colon = strchr(m, ':');
        char *end = NULL;
        long line = colon ? strtol(colon + 1, &end, 10) : 0;
        json_t *e = json_object();
        if (end && end[0] == ':' && end[1] == ' ') {
            const char *field = end + 2, *sep = strstr(field, ": ");
            json_object_set_new(e, "line", json_integer(line));
            if (sep) {
                json_object_set_new(e, "field", json_stringn(field, (size_t)(sep - field)));
                json_object_set_new(e, "reason", json_string(sep + 2));
            } else {
                json_object_set_new(e, "field", json_string("row"));
                json_object_set_new(e, "reason", json_string(field));
            }
        } else {
            json_object_set_new(e, "field", json_string("body"));
            json_object_set_new(e, "reason", json_string(m));
        }
        json_array_append_new(errors, e);
    }
    return errors;
}
