/*
 * calendar — the official working-day calendar in SQLite (see calendar.h): calendar_days holds
 * each holiday and make-up working day with the notice year that arranged it, calendar_years the
 * years whose notice is loaded. A count of working days looks each day up; deadlines are weeks,
 * not years, so that is a few hundred indexed lookups at most.
 */
#include "store/calendar.h"

#include <stdio.h>
#include <string.h>

#include "core/csv.h"
#include "core/date.h"
#include "store/audit.h"
#include "store/schema.h"
#include "store/store_impl.h"

/* Schema migration 11 (listed in schema.c). */
int store_migrate_calendar(store *st, lz_err *err);
int store_migrate_calendar(store *st, lz_err *err)
{
    return store_exec(st,
                      "CREATE TABLE calendar_years (year INTEGER PRIMARY KEY);"
                      "CREATE TABLE calendar_days ("
                      " day TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')), name TEXT,"
                      " year INTEGER NOT NULL REFERENCES calendar_years (year));",
                      err);
}

/* The tables (schema.h): what migration 11 made, and PostgreSQL's DDL. */
static const char *const calendar_kinds[] = {"holiday", "workday", NULL};
static const store_column calendar_years_columns[] = {{.name = "year", .type = STORE_INT, .flags = STORE_KEY}};
extern const store_table store_table_calendar_years;
const store_table store_table_calendar_years = {.name = "calendar_years", .version = 11, STORE_COLUMNS(calendar_years_columns)};

static const store_column calendar_days_columns[] = {
    {.name = "day", .type = STORE_DATE, .flags = STORE_KEY},
    {.name = "kind", .type = STORE_ENUM, .flags = STORE_REQUIRED, .values = calendar_kinds},
    {.name = "name", .type = STORE_TEXT},
    {.name = "year", .type = STORE_INT, .flags = STORE_REQUIRED, .ref_table = "calendar_years", .ref_column = "year"},
};
extern const store_table store_table_calendar_days;
const store_table store_table_calendar_days = {.name = "calendar_days", .version = 11, STORE_COLUMNS(calendar_days_columns)};

typedef struct calendar_day {
    char date[DATE_LEN + 1];
    const char *kind;
    char name[64];
} calendar_day;

/* One record of a year's file into d; LZ_EINPUT with NAME:LINE when it is not a day of the year. */
static int parse_day(const csv_record *r, int year, const char *name, calendar_day *d, lz_err *err)
{
    int32_t day;
    char why[128];
    if (r->nfields < 2)
        return err_set(err, LZ_EINPUT, "%s:%ld: expected date,kind,name", name, r->line);
    if (date_parse(r->fields[0], r->lens[0], &day, why, sizeof why) < 0)
        return err_set(err, LZ_EINPUT, "%s:%ld: date: %s", name, r->line, why);
    if (day < date_from_ymd(year - 1, 12, 1) || day > date_from_ymd(year + 1, 1, 31))
        return err_set(err, LZ_EINPUT, "%s:%ld: %s is outside the notice of %d (December %d to January %d)", name, r->line,
                       r->fields[0], year, year - 1, year + 1);
    if (strcmp(r->fields[1], "holiday") == 0)
        d->kind = "holiday";
    else if (strcmp(r->fields[1], "workday") == 0)
        d->kind = "workday";
    else
        return err_set(err, LZ_EINPUT, "%s:%ld: kind: '%s' is neither holiday nor workday", name, r->line, r->fields[1]);
    if (d->kind[0] == 'w' && date_weekday(day) < 5)
        return err_set(err, LZ_EINPUT, "%s:%ld: %s is a make-up working day but already a weekday", name, r->line, r->fields[0]);
    date_format(day, d->date);
    snprintf(d->name, sizeof d->name, "%s", r->nfields > 2 ? r->fields[2] : "");
    return 0;
}

/* The file's days, header first, each date once. */
static int parse_year(int year, const char *text, size_t len, const char *name, calendar_day *days, size_t *n, lz_err *err)
{
    csv_reader *r = csv_open_mem(text, len, name);
    csv_record rec;
    int rc;
    *n = 0;
    bool header = true;
    while ((rc = csv_next(r, &rec, err)) == 1) {
        if (header && rec.nfields >= 2 && strcmp(rec.fields[0], "date") == 0 && strcmp(rec.fields[1], "kind") == 0) {
            header = false;
            continue;
        }
        rc = header ? err_set(err, LZ_EINPUT, "%s:%ld: the first line is the header date,kind,name", name, rec.line) : 0;
        if (rc == 0 && *n == CALENDAR_MAX_DAYS)
            rc = err_set(err, LZ_EINPUT, "%s:%ld: more than %d days in one year", name, rec.line, CALENDAR_MAX_DAYS);
        if (rc == 0)
            rc = parse_day(&rec, year, name, &days[*n], err);
        for (size_t i = 0; rc == 0 && i < *n; i++)
            if (strcmp(days[i].date, days[*n].date) == 0)
                rc = err_set(err, LZ_EINPUT, "%s:%ld: %s is listed twice", name, rec.line, days[i].date);
        if (rc < 0)
            break;
        ++*n;
    }
    csv_close(r);
    return rc < 0 ? LZ_EINPUT : 0;
}

static int run_year(store *st, const char *sql, int year, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, year);
    int rc = sql_step(s);
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "replacing a year of the calendar");
}

static int insert_day(store *st, int year, const calendar_day *d, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "INSERT INTO calendar_days (day, kind, name, year) VALUES (?1, ?2, ?3, ?4)", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, d->date, -1);
    sql_bind_text(s, 2, d->kind, -1);
    sql_bind_text(s, 3, d->name, -1);
    sql_bind_int(s, 4, year);
    int rc = sql_step(s);
    sql_reset(s);
    if (rc != SQL_DONE && store_constraint_failed(st))
        return err_set(err, LZ_EINPUT, "%s is already a day of another year's notice", d->date);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "adding a day to the calendar");
}

int calendar_load_year(store *st, int year, const char *text, size_t len, const char *name, size_t *ndays, lz_err *err)
{
    calendar_day days[CALENDAR_MAX_DAYS];
    if (parse_year(year, text, len, name, days, ndays, err) < 0)
        return LZ_EINPUT;
    int rc = run_year(st, "DELETE FROM calendar_days WHERE year = ?1", year, err);
    if (rc == 0)
        rc = run_year(st, "INSERT INTO calendar_years (year) VALUES (?1) ON CONFLICT (year) DO NOTHING", year, err);
    for (size_t i = 0; rc == 0 && i < *ndays; i++)
        rc = insert_day(st, year, &days[i], err);
    return rc;
}

int calendar_replace_year(store *st, int year, const char *text, size_t len, const char *name, const char *actor, const char *via,
                          size_t *ndays, lz_err *err)
{
    int rc = calendar_load_year(st, year, text, len, name, ndays, err);
    if (rc < 0)
        return rc;
    char target[32], after[64];
    snprintf(target, sizeof target, "calendar/%d", year);
    snprintf(after, sizeof after, "{\"days\":%zu}", *ndays);
    audit_entry e = {.actor = actor, .via = via, .target = target, .after = after};
    return audit_append(st, &e, err);
}

int calendar_has_year(store *st, int year, bool *has, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "SELECT EXISTS (SELECT 1 FROM calendar_years WHERE year = ?1)", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, year);
    int rc = sql_step(s);
    *has = rc == SQL_ROW && sql_column_int(s, 0);
    sql_reset(s);
    return rc == SQL_ROW ? 0 : store_sql_error(st, err, "reading the calendar's years");
}

/* Whether day is a working day: the notice's word where it has one, else Monday to Friday. */
static int working_day(store *st, int32_t day, bool *working, lz_err *err)
{
    char text[DATE_LEN + 1];
    date_format(day, text);
    sql_stmt *s = store_prepare(st, "SELECT kind FROM calendar_days WHERE day = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, text, -1);
    int rc = sql_step(s);
    *working = rc == SQL_ROW ? strcmp((const char *)sql_column_text(s, 0), "workday") == 0 : date_weekday(day) < 5;
    sql_reset(s);
    return rc == SQL_ROW || rc == SQL_DONE ? 0 : store_sql_error(st, err, "reading the calendar");
}

int calendar_add_working_days(store *st, int32_t from, int n, int32_t *day, int *fallback_year, lz_err *err)
{
    *fallback_year = 0;
    int checked_year = 0, y, m, d;
    for (*day = from; n > 0;) {
        ++*day;
        date_to_ymd(*day, &y, &m, &d);
        bool has = true, working;
        if (y != checked_year && calendar_has_year(st, y, &has, err) < 0)
            return LZ_EINTERNAL;
        if (!has && !*fallback_year)
            *fallback_year = y;
        checked_year = y;
        if (working_day(st, *day, &working, err) < 0)
            return LZ_EINTERNAL;
        n -= working ? 1 : 0;
    }
    return 0;
}

int calendar_years(store *st, calendar_year_fn fn, void *ctx, lz_err *err)
{
    sql_stmt *s =
        store_prepare(st,
                      "SELECT y.year, count(CASE WHEN d.kind = 'holiday' THEN 1 END),"
                      " count(CASE WHEN d.kind = 'workday' THEN 1 END)"
                      " FROM calendar_years y LEFT JOIN calendar_days d ON d.year = y.year GROUP BY y.year ORDER BY y.year",
                      err);
    if (!s)
        return LZ_EINTERNAL;
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW)
        fn(ctx, sql_column_int(s, 0), sql_column_int(s, 1), sql_column_int(s, 2));
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "reading the calendar's years");
}
