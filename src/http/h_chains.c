/*
 * h_chains — composed reads over several tables: one enterprise with its indicators and chain
 * memberships, and a chain's map (its segments with the supply edges between them, the
 * enterprises placed on each with their role, and each segment's count of local enterprises so
 * that gaps show). Every list inside is cut to the caller's read scope; the per-segment counts
 * are aggregates and name no enterprise. The map places confirmed memberships only: a chain's
 * proposal is not yet a member.
 *
 * Also the one rule of a new membership the server fills in: proposed by anyone but an admin.
 */
#include <string.h>

#include "exchange/export.h"
#include "http/h_tables.h"
#include "http/handlers.h"
#include "http/rows.h"

static const cell confirmed = {.kind = CELL_TEXT, .s = "confirmed", .n = 9};

int memberships_before_write(http_req *rq, http_resp *rs, const table *t, json_t *body, const cell *old)
{
    (void)rs;
    (void)t;
    if (!old && rq->who->role != ROLE_ADMIN && !json_is_string(json_object_get(body, "status")))
        json_object_set_new(body, "status", json_string("proposed"));
    return 0;
}

void h_enterprise_get(http_req *rq, http_resp *rs)
{
    const table *t = tables_find("enterprises");
    cell row[TABLES_MAX_COLS];
    if (tables_load_visible(rq, rs, t, rq->params, 1, row) < 0)
        return;
    /* Written straight into the body: this is the API's most frequent read. */
    strbuf *b = &rs->body;
    strbuf_reset(b);
    rows_append_json(b, t, row);
    b->data[--b->len] = '\0'; /* reopen the object */
    store_cond conds[2] = {{.column = "uscc", .values = &row[0], .nvalues = 1}};
    strbuf_puts(b, ",\"indicators\":");
    if (tables_scan_visible_text(rq, rs, tables_find("indicators"), conds, 1, b) < 0)
        return;
    strbuf_puts(b, ",\"memberships\":");
    if (tables_scan_visible_text(rq, rs, tables_find("memberships"), conds, 1, b) < 0)
        return;
    strbuf_putc(b, '}');
    rs->status = 200;
    rs->content_type = "application/json";
}

/* Local enterprises on a segment, whoever may see them: the count that tells a gap. */
static int local_count(http_req *rq, const cell *chain, const char *segment, int64_t *n, lz_err *err)
{
    cell seg = cell_text(segment, strlen(segment)), yes = cell_int(1);
    store_cond conds[4] = {
        {.column = "chain", .values = chain, .nvalues = 1},
        {.column = "segment", .values = &seg, .nvalues = 1},
        {.column = "uscc", .values = &yes, .nvalues = 1, .via_table = "enterprises", .via_column = "uscc", .via_match = "local"},
        {.column = "status", .values = &confirmed, .nvalues = 1},
    };
    store_query q = {.t = tables_find("memberships"), .conds = conds, .nconds = 4};
    return store_count(rq->st, &q, n, err);
}

/* The enterprises of one segment: memberships on it, with the name and locality of each. */
static json_t *segment_enterprises(json_t *memberships, json_t *names, const char *segment)
{
    json_t *out = json_array(), *m;
    size_t i;
    json_array_foreach(memberships, i, m)
    {
        if (strcmp(json_string_value(json_object_get(m, "segment")), segment) != 0)
            continue;
        const char *uscc = json_string_value(json_object_get(m, "uscc"));
        json_t *e = json_object_get(names, uscc);
        json_array_append_new(out, json_pack("{s:s, s:O?, s:O?, s:O}", "uscc", uscc, "name", json_object_get(e, "name"), "local",
                                             json_object_get(e, "local"), "role", json_object_get(m, "role")));
    }
    return out;
}

static json_t *map_segments(http_req *rq, json_t *segments, json_t *memberships, json_t *names, const cell *chain, lz_err *err)
{
    json_t *out = json_array(), *s;
    size_t i;
    json_array_foreach(segments, i, s)
    {
        const char *code = json_string_value(json_object_get(s, "code"));
        int64_t n = 0;
        if (local_count(rq, chain, code, &n, err) < 0) {
            json_decref(out);
            return NULL;
        }
        json_t *seg = json_deep_copy(s);
        json_object_set_new(seg, "enterprises", segment_enterprises(memberships, names, code));
        json_object_set_new(seg, "local_enterprises", json_integer(n));
        json_object_set_new(seg, "gap", json_boolean(n == 0));
        json_array_append_new(out, seg);
    }
    return out;
}

/* Supply edges between segments, from each segment's `feeds`. */
static json_t *map_edges(json_t *segments)
{
    json_t *edges = json_array(), *s, *to;
    size_t i, j;
    json_array_foreach(segments, i, s)
    {
        json_array_foreach(json_object_get(s, "feeds"), j, to)
        {
            json_array_append_new(edges, json_pack("{s:O, s:O}", "from", json_object_get(s, "code"), "to", to));
        }
    }
    return edges;
}

void h_chain_map(http_req *rq, http_resp *rs)
{
    const table *chains = tables_find("chains");
    cell row[TABLES_MAX_COLS];
    if (tables_load_visible(rq, rs, chains, rq->params, 1, row) < 0)
        return;
    const cell *code = &row[0];
    store_cond conds[3] = {{.column = "chain", .values = code, .nvalues = 1}};
    json_t *segments = tables_scan_visible(rq, rs, tables_find("segments"), conds, 1);
    conds[1] = (store_cond){.column = "status", .values = &confirmed, .nvalues = 1};
    json_t *memberships = segments ? tables_scan_visible(rq, rs, tables_find("memberships"), conds, 2) : NULL;
    conds[0] = tables_chain_members(code);
    json_t *enterprises = memberships ? tables_scan_visible(rq, rs, tables_find("enterprises"), conds, 1) : NULL;
    json_t *out = NULL;
    if (enterprises) {
        json_t *names = json_object(), *e;
        size_t i;
        json_array_foreach(enterprises, i, e)
        {
            json_object_set(names, json_string_value(json_object_get(e, "uscc")), e);
        }
        lz_err err = {0};
        json_t *segs = map_segments(rq, segments, memberships, names, code, &err);
        if (segs)
            out =
                json_pack("{s:o, s:o, s:o}", "chain", export_row_json(chains, row), "segments", segs, "edges", map_edges(segments));
        else
            http_fail(rs, &err);
        json_decref(names);
    }
    json_decref(segments);
    json_decref(memberships);
    json_decref(enterprises);
    if (out)
        http_json(rs, 200, out);
}
