/*
 * cmd_calendar — `lianzhang calendar`: loads the official working-day calendar a year at a time
 * (data/calendar/YEAR.csv, the State Council's holiday notice), lists the years loaded, and counts
 * working days from a date the way appeal deadlines do (store/calendar.h).
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "core/date.h"
#include "core/strbuf.h"
#include "store/calendar.h"

/* The year a file is for, from its name YYYY.csv; 0 when the name is not one. */
static int year_of_file(const char *path)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    const char *base = basename(copy);
    int year = 0;
    char rest[8];
    if (strlen(base) != 8 || sscanf(base, "%4d%7s", &year, rest) != 2 || strcmp(rest, ".csv") != 0 || year < 1990 || year > 2100)
        return 0;
    return year;
}

/* One year's file into the open transaction, with its audit entry. */
static int load_file(store *st, const char *path, int argc, char **argv, lz_err *err)
{
    int year = year_of_file(path);
    if (!year)
        return err_set(err, LZ_EINPUT, "%s: a calendar file is named for its year, like 2026.csv", path);
    strbuf text;
    strbuf_init(&text);
    size_t ndays = 0;
    int rc = strbuf_read_file(&text, path, err);
    if (rc == 0)
        rc = calendar_replace_year(st, year, text.data, text.len, path, cli_actor(), cli_via(argc, argv), &ndays, err);
    strbuf_free(&text);
    if (rc == 0)
        printf("calendar %d: %zu days from %s\n", year, ndays, path);
    return rc;
}

static int load(store *st, int argc, char **argv, lz_err *err)
{
    int rc = store_begin(st, err);
    for (int i = 3; rc == 0 && i < argc; i++)
        rc = load_file(st, argv[i], argc, argv, err);
    if (rc == 0)
        return store_commit(st, err);
    store_rollback(st);
    return rc;
}

static void print_year(void *ctx, int year, int holidays, int workdays)
{
    (void)ctx;
    printf("%d: %d holidays, %d make-up working days\n", year, holidays, workdays);
}

/* calendar due DB DATE N: the day N working days after DATE, as an appeal's due date. */
static int due(store *st, const char *date, const char *n_text, lz_err *err)
{
    int32_t from, day;
    char why[128], *end;
    long n = strtol(n_text, &end, 10);
    if (date_parse(date, strlen(date), &from, why, sizeof why) < 0)
        return err_set(err, LZ_EINPUT, "date '%s': %s", date, why);
    if (*end || end == n_text || n < 1 || n > 250)
        return err_set(err, LZ_EINPUT, "working days '%s': an integer from 1 to 250", n_text);
    int fallback_year;
    if (calendar_add_working_days(st, from, (int)n, &day, &fallback_year, err) < 0)
        return LZ_EINTERNAL;
    char text[DATE_LEN + 1];
    date_format(day, text);
    puts(text);
    if (fallback_year)
        fprintf(stderr, "lianzhang: warning: no official calendar for %d: its days counted Monday to Friday\n", fallback_year);
    return 0;
}

static int run_calendar(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 3)
        return cli_usage(&cmd_calendar);
    const char *sub = argv[1];
    bool is_load = strcmp(sub, "load") == 0 && argc >= 4, is_list = strcmp(sub, "list") == 0 && argc == 3,
         is_due = strcmp(sub, "due") == 0 && argc == 5;
    if (!is_load && !is_list && !is_due)
        return cli_usage(&cmd_calendar);
    store *st;
    lz_err err = {0};
    if (store_open(&st, argv[2], 0, &err) < 0)
        return cli_fail(&err);
    int rc = is_load   ? load(st, argc, argv, &err)
             : is_list ? calendar_years(st, print_year, NULL, &err)
                       : due(st, argv[3], argv[4], &err);
    store_close(st);
    return rc < 0 ? cli_fail(&err) : EXIT_OK;
}

const command cmd_calendar = {"calendar", "the official working-day calendar that appeal deadlines count in",
                              "lianzhang calendar load DB FILE...   load each year's file (named YEAR.csv), replacing that year\n"
                              "lianzhang calendar list DB           the years loaded\n"
                              "lianzhang calendar due DB DATE N     the day N working days after DATE\n"
                              "  A year's file is the State Council's holiday notice as lines date,kind,name with kind\n"
                              "  holiday or workday (a Saturday or Sunday worked, 调休); data/calendar/ ships 2021 to 2026.\n"
                              "  A year not loaded counts Monday to Friday, with a warning.\n",
                              run_calendar};
