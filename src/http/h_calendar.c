/*
 * h_calendar — the official working-day calendar that appeal deadlines count in
 * (store/calendar.h): the years loaded, for anyone signed in, and an admin's upload of one year's
 * notice as CSV (date,kind,name), which replaces that year with an audit entry.
 */
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "store/calendar.h"

static void add_year(void *ctx, int year, int holidays, int workdays)
{
    json_array_append_new(ctx, json_pack("{s:i, s:i, s:i}", "year", year, "holidays", holidays, "workdays", workdays));
}

void h_calendar_list(http_req *rq, http_resp *rs)
{
    json_t *items = json_array();
    lz_err err = {0};
    if (calendar_years(rq->st, add_year, items, &err) < 0) {
        json_decref(items);
        http_fail(rs, &err);
        return;
    }
    http_json(rs, 200, json_pack("{s:o}", "items", items));
}

void h_calendar_set(http_req *rq, http_resp *rs)
{
    if (rq->who->role != ROLE_ADMIN) {
        http_forbidden(rs, "the calendar is updated by an admin");
        return;
    }
    char *end;
    long year = strtol(rq->params[0], &end, 10);
    if (*end || end == rq->params[0] || year < 1990 || year > 2100) {
        http_bad_field(rs, "year", "a year from 1990 to 2100");
        return;
    }
    lz_err err = {0};
    size_t ndays = 0;
    const char *via = arena_printf(rq->a, "%s %s", rq->method, rq->path);
    if (store_begin(rq->st, &err) < 0 ||
        calendar_replace_year(rq->st, (int)year, rq->body, rq->body_len, "upload", rq->who->name, via, &ndays, &err) < 0 ||
        store_commit(rq->st, &err) < 0) {
        store_rollback(rq->st);
        http_fail(rs, &err);
        return;
    }
    http_json(rs, 200, json_pack("{s:i, s:I}", "year", (int)year, "days", (json_int_t)ndays));
}
