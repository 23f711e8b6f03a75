/*
 * whatif — facts from a JSON document instead of the database: an enterprise's own "could I get
 * this?" calculation, and the server's /api/v1/whatif. Nothing is written anywhere.
 *
 *   {"enterprise": {"uscc": "...", "industry_code": "6511", ...,
 *                   "indicators": {"2021": {"revenue": "120000000.00", "above_scale": true}}},
 *    "projects": [{"id": "P1", "fixed_asset_investment": "5000000.00", "completion_date": "2021-06-30"}],
 *    "persons":  [{"id": "H1", "years": {"2021": {"role": "executive", "wage_income": "300000.01"}}}],
 *    "events":   [{"id": "E1", "kind": "listed", "date": "2021-05-01", "detail": "star"}],
 *    "paid":     [{"policy": "miit.software", "subject_id": "...", "year": 2021, "amount": "500000.00"}]}
 *
 * Money is a decimal string ("300000.01"), never a JSON floating-point number, so the document
 * cannot carry a binary rounding error into an award. Every error names its JSON field.
 */
#include "policy/run.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"

static int bad(lz_err *err, const char *where, const char *key, const char *what)
{
    return err_set(err, LZ_EINPUT, "%s.%s: %s", where, key, what);
}

static int fixed_value(json_t *v, int scale, int64_t *out, const char *where, const char *key, lz_err *err)
{
    char why[128];
    if (json_is_integer(v)) {
        int64_t x = json_integer_value(v);
        for (int i = 0; i < scale; i++)
            if (__builtin_mul_overflow(x, 10, &x))
                return bad(err, where, key, "too large");
        *out = x;
        return 0;
    }
    if (!json_is_string(v))
        return bad(err, where, key, "expected a decimal in a string, like \"1234.50\"");
    const char *s = json_string_value(v);
    if (fixed_parse(s, strlen(s), scale, true, out, why, sizeof why) != 0)
        return bad(err, where, key, why);
    return 0;
}

static int put_value(facts_world *w, facts_kind kind, size_t i, int fact, int year, json_t *v, const char *where, const char *key,
                     lz_err *err)
{
    const facts_def *d = facts_get(fact);
    int64_t x = 0;
    int rc = 0;
    if (json_is_null(v))
        return 0; /* unknown, as if absent */
    switch (d->type) {
    case FT_MONEY:
        rc = fixed_value(v, 2, &x, where, key, err);
        break;
    case FT_DECIMAL2:
        rc = fixed_value(v, 2, &x, where, key, err);
        break;
    case FT_COUNT:
    case FT_YEAR:
        if (!json_is_integer(v))
            return bad(err, where, key, "expected a whole number");
        x = json_integer_value(v);
        break;
    case FT_BOOL:
        if (!json_is_boolean(v))
            return bad(err, where, key, "expected true or false");
        x = json_is_true(v);
        break;
    case FT_DATE: {
        char why[96];
        int32_t days;
        if (!json_is_string(v) || date_parse(json_string_value(v), strlen(json_string_value(v)), &days, why, sizeof why) != 0)
            return bad(err, where, key, "expected a date YYYY-MM-DD");
        x = days;
        break;
    }
    case FT_TEXT:
    case FT_LIST:
        if (!json_is_string(v))
            return bad(err, where, key, "expected text");
        rc = facts_put_text(w, kind, i, fact, year, json_string_value(v), err);
        return rc ? err_wrap(err, "%s", where) : 0;
    }
    if (rc)
        return rc;
    rc = facts_put_int(w, kind, i, fact, year, x, err);
    return rc ? err_wrap(err, "%s", where) : 0;
}

/* The static facts of one subject object; `skip` lists keys handled by the caller. */
static int put_object(facts_world *w, facts_kind kind, size_t i, json_t *obj, const char *where, const char *const *skip,
                      lz_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool skipped = false;
        for (size_t s = 0; skip[s]; s++)
            skipped |= strcmp(skip[s], key) == 0;
        if (skipped)
            continue;
        int f = facts_find(kind, key);
        if (f < 0 || facts_get(f)->yearly)
            return bad(err, where, key, f < 0 ? "not a fact of this subject" : "a yearly fact: put it under the year");
        int rc = put_value(w, kind, i, f, 0, v, where, key, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int put_years(facts_world *w, facts_kind kind, size_t i, json_t *years, const char *where, lz_err *err)
{
    if (!years)
        return 0;
    if (!json_is_object(years))
        return err_set(err, LZ_EINPUT, "%s: expected an object keyed by year", where);
    const char *ykey;
    json_t *row;
    json_object_foreach(years, ykey, row)
    {
        int year = atoi(ykey);
        char at[160];
        snprintf(at, sizeof at, "%s.%s", where, ykey);
        if (year < w->sets[kind].year0 || year >= w->year || !json_is_object(row))
            return err_set(err, LZ_EINPUT, "%s: a year before the award year %d (back to %d), holding an object", at, w->year,
                           w->sets[kind].year0);
        const char *key;
        json_t *v;
        json_object_foreach(row, key, v)
        {
            int f = facts_find(kind, key);
            if (f < 0 || !facts_get(f)->yearly)
                return bad(err, at, key, "not a yearly fact of this subject");
            int rc = put_value(w, kind, i, f, year, v, at, key, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static const char *str_field(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int put_list(facts_world *w, facts_kind kind, json_t *doc, const char *name, const char *uscc, lz_err *err)
{
    json_t *list = json_object_get(doc, name);
    if (!list)
        return 0;
    if (!json_is_array(list))
        return err_set(err, LZ_EINPUT, "%s: expected an array", name);
    size_t k;
    json_t *o;
    json_array_foreach(list, k, o)
    {
        char where[64];
        snprintf(where, sizeof where, "%s[%zu]", name, k);
        const char *id = json_is_object(o) ? str_field(o, "id") : NULL;
        if (!id)
            return err_set(err, LZ_EINPUT, "%s: an object with an \"id\"", where);
        size_t i = facts_set_add(w, kind, id, uscc);
        static const char *const skip[] = {"id", "years", NULL};
        int rc = put_object(w, kind, i, o, where, skip, err);
        if (rc == 0)
            rc = put_years(w, kind, i, json_object_get(o, "years"), where, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int put_paid(policy_run *run, json_t *doc, const char *uscc, lz_err *err)
{
    json_t *list = json_object_get(doc, "paid");
    if (!list)
        return 0;
    size_t k;
    json_t *o;
    json_array_foreach(list, k, o)
    {
        char where[32];
        snprintf(where, sizeof where, "paid[%zu]", k);
        const char *pol = str_field(o, "policy"), *sid = str_field(o, "subject_id");
        json_t *year = json_object_get(o, "year");
        int64_t fen;
        if (!pol || !sid || !json_is_integer(year))
            return err_set(err, LZ_EINPUT, "%s: needs \"policy\", \"subject_id\", \"year\" and \"amount\"", where);
        int rc = fixed_value(json_object_get(o, "amount"), 2, &fen, where, "amount", err);
        if (rc)
            return rc;
        run_add_paid(run, pol, sid, uscc, (int)json_integer_value(year), fen, "paid");
    }
    return 0;
}

static int build(policy_run *run, json_t *doc, lz_err *err)
{
    json_t *ent = json_object_get(doc, "enterprise");
    const char *uscc = ent ? str_field(ent, "uscc") : NULL;
    if (!json_is_object(doc) || !uscc)
        return err_set(err, LZ_EINPUT, "enterprise.uscc: the document needs {\"enterprise\": {\"uscc\": ...}}");
    facts_world_init(&run->w, run->year, run->year - 10, 10);
    size_t e = facts_set_add(&run->w, FACTS_ENTERPRISE, uscc, uscc);
    static const char *const skip[] = {"uscc", "name", "indicators", NULL};
    int rc = put_object(&run->w, FACTS_ENTERPRISE, e, ent, "enterprise", skip, err);
    if (rc == 0)
        rc = put_years(&run->w, FACTS_ENTERPRISE, e, json_object_get(ent, "indicators"), "enterprise.indicators", err);
    if (rc == 0)
        rc = put_list(&run->w, FACTS_PROJECT, doc, "projects", uscc, err);
    if (rc == 0)
        rc = put_list(&run->w, FACTS_PERSON, doc, "persons", uscc, err);
    if (rc == 0)
        rc = put_list(&run->w, FACTS_EVENT, doc, "events", uscc, err);
    if (rc == 0)
        rc = put_paid(run, doc, uscc, err);
    facts_world_link(&run->w);
    return rc;
}

int policy_run_whatif(const policy_set *set, const char *json, size_t len, int year, const policy_filter *f, policy_run **out,
                      lz_err *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc)
        return err_set(err, LZ_EINPUT, "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
    policy_run *run = run_new(set, year);
    int rc = build(run, doc, err);
    json_decref(doc);
    if (rc == 0)
        rc = run_evaluate(run, f, err);
    if (rc) {
        policy_run_free(run);
        return rc;
    }
    *out = run;
    return 0;
}
