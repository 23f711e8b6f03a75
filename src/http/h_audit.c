/*
 * h_audit — the audit log read by an admin: entries newest first, narrowed by actor, target and
 * dates, paged by a cursor. Read-only: the log is written only beside the changes it records.
 */
#include <string.h>

#include "core/date.h"
#include "http/handlers.h"
#include "http/rows.h"
#include "store/audit.h"

typedef struct audit_page {
    json_t *items;
    size_t limit;
    int64_t last;
    bool more;
} audit_page;

static int audit_item(void *ctx, const audit_row *r)
{
    audit_page *p = ctx;
    if (json_array_size(p->items) == p->limit) {
        p->more = true;
        return 1;
    }
    json_array_append_new(p->items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o}", "seq", (json_int_t)r->seq, "at", r->at, "actor",
                                              r->e.actor, "via", r->e.via, "target", r->e.target, "before",
                                              r->e.before ? json_loads(r->e.before, 0, NULL) : json_null(), "after",
                                              r->e.after ? json_loads(r->e.after, 0, NULL) : json_null()));
    p->last = r->seq;
    return 0;
}

/* Reads the query into f; -1 with every bad parameter named in errors. */
static int audit_query(http_req *rq, audit_filter *f, json_t *errors)
{
    size_t before = json_array_size(errors);
    for (size_t i = 0; i < rq->nquery; i++) {
        const char *k = rq->query[i].key, *v = rq->query[i].value;
        char why[128];
        int32_t days;
        if (strcmp(k, "actor") == 0)
            f->actor = v;
        else if (strcmp(k, "target") == 0)
            f->target = v;
        else if (strcmp(k, "since") == 0 || strcmp(k, "until") == 0) {
            if (date_parse(v, strlen(v), &days, why, sizeof why) < 0)
                http_field_error(errors, k, why);
            *(k[0] == 's' ? &f->since : &f->until) = v;
        } else if (strcmp(k, "limit") == 0) {
            if (rows_parse_limit(v, &f->limit) < 0)
                http_field_error(errors, k, arena_printf(rq->a, "an integer from 1 to %d", ROWS_LIMIT_MAX));
        } else if (strcmp(k, "cursor") == 0) {
            json_t *c = rows_cursor_decode(v, rq->a);
            json_t *seq = json_array_get(c, 0);
            if (json_array_size(c) != 1 || !json_is_integer(seq) || json_integer_value(seq) < 1)
                http_field_error(errors, k, "not a cursor this list gave");
            f->from = json_integer_value(seq);
            json_decref(c);
        } else
            http_field_error(errors, k, "unknown parameter (actor, target, since, until, limit, cursor)");
    }
    return json_array_size(errors) == before ? 0 : -1;
}

void h_audit_list(http_req *rq, http_resp *rs)
{
    if (rq->who->role != ROLE_ADMIN) {
        http_forbidden(rs, "the audit log is read by an admin");
        return;
    }
    audit_filter f = {.limit = ROWS_LIMIT_DEFAULT};
    json_t *errors = json_array();
    if (audit_query(rq, &f, errors) < 0) {
        http_problem_fields(rs, 400, "bad list parameters", errors);
        return;
    }
    json_decref(errors);
    audit_page p = {.items = json_array(), .limit = f.limit};
    f.limit++; /* one more than the page tells whether another page follows */
    lz_err err = {0};
    if (audit_list(rq->st, &f, audit_item, &p, &err) < 0) {
        json_decref(p.items);
        http_fail(rs, &err);
        return;
    }
    json_t *next = p.more ? json_string(rows_cursor_encode(json_pack("[I]", (json_int_t)p.last), rq->a)) : json_null();
    http_json(rs, 200, json_pack("{s:o,s:o}", "items", p.items, "next", next));
}
