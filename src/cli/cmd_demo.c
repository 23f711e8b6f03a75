/*
 * cmd_demo — `lianzhang demo DB`: a new database holding the reference data set (Jiangmen's
 * divisions, clusters and chains plus N synthetic enterprises), generated deterministically from
 * a seed and loaded through the importer.
 *
 * The data goes into DB.partial first and is renamed to DB only when complete, so an interrupted
 * or failed run never leaves a half-filled DB behind (a PostgreSQL database is filled in place).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "core/date.h"
#include "refdata/load.h"
#include "store/pg_copy.h"
#include "store/store.h"

#define MAX_REPORTED_ERRORS 50
#define BAR_WIDTH 30
#define PATH_MAX_DEMO 4096

/* Strict decimal: digits only, no sign, no overflow. */
static int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

/* One line per table on a terminal, redrawn in place as the table fills. */
static void draw_progress(void *ctx, const char *name, size_t index, int64_t done, int64_t total)
{
    (void)ctx;
    int filled = total > 0 ? (int)(done * BAR_WIDTH / total) : BAR_WIDTH;
    fprintf(stderr, "\r%2zu/%zu %-13s [%.*s%*s] %3d%%", index + 1, tables_count, name, filled, "##############################",
            BAR_WIDTH - filled, "", total > 0 ? (int)(done * 100 / total) : 100);
    if (done >= total)
        fputc('\n', stderr);
}

static int parse_args(int argc, char **argv, synth_params *p, const char **db)
{
    *db = NULL;
    p->seed = SYNTH_DEFAULT_SEED;
    p->enterprises = SYNTH_DEFAULT_ENTERPRISES;
    p->today = date_today();
    for (int i = 1; i < argc; i++) {
        uint64_t v;
        if (strcmp(argv[i], "--enterprises") == 0 && i + 1 < argc) {
            if (parse_u64(argv[++i], &v) < 0 || v > INT64_MAX)
                return -1;
            p->enterprises = (int64_t)v;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (parse_u64(argv[++i], &v) < 0)
                return -1;
            p->seed = v;
        } else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            if (date_parse(argv[i + 1], strlen(argv[i + 1]), &p->today, NULL, 0) < 0)
                return -1;
            i++;
        } else if (argv[i][0] != '-' && !*db) {
            *db = argv[i];
        } else {
            return -1;
        }
    }
    return *db ? 0 : -1;
}

static void print_summary(const char *db, const synth_params *p, const refdata_counts *counts)
{
    printf("%s: reference data set (Jiangmen), seed %" PRIu64 ", %" PRId64 " enterprises\n", db, p->seed, p->enterprises);
    for (size_t k = 0; k < tables_count; k++)
        printf("  %-13s %10" PRId64 " rows\n", tables_all[k]->name, counts->rows[k]);
}

/* A SQLite file is filled as DB.partial and renamed when complete; a PostgreSQL database, which
 * cannot be renamed into place, is filled where it is and must hold no Lianzhang schema before. */
static int run_demo(int argc, char **argv)
{
    synth_params p;
    const char *db;
    if (parse_args(argc, argv, &p, &db) < 0)
        return cli_usage(&cmd_demo);
    bool postgres = pg_copy_is_postgres(db);
    if (!postgres && access(db, F_OK) == 0) {
        fprintf(stderr, "lianzhang: %s already exists; demo creates a new database (remove it first)\n", db);
        return EXIT_INPUT;
    }
    char partial[PATH_MAX_DEMO];
    if ((size_t)snprintf(partial, sizeof partial, "%s.partial", db) >= sizeof partial) {
        fprintf(stderr, "lianzhang: database path too long\n");
        return EXIT_INPUT;
    }
    const char *target = postgres ? db : partial;
    if (!postgres)
        store_remove_files(partial); /* what an interrupted earlier run left */
    store *st;
    lz_err err;
    if (store_open(&st, target, STORE_CREATE, &err) < 0)
        return cli_fail(&err);
    char shown[512];
    snprintf(shown, sizeof shown, "%s", postgres ? store_path(st) : db);
    errlist errs;
    errlist_init(&errs, MAX_REPORTED_ERRORS);
    refdata_counts counts = {{0}};
    int rc = refdata_load(st, &p, cli_actor(), cli_via(argc, argv), isatty(STDERR_FILENO) ? draw_progress : NULL, NULL, &errs,
                          &counts, &err);
    store_close(st);
    for (size_t i = 0; i < errs.count; i++)
        fprintf(stderr, "%s\n", errs.items[i]);
    errlist_free(&errs);
    if (rc == 0 && !postgres && rename(partial, db) < 0)
        rc = err_set(&err, LZ_EINTERNAL, "cannot rename %s to %s: %s", partial, db, strerror(errno));
    if (rc < 0 && postgres)
        err_wrap(&err, "%s holds the tables loaded before the error: drop and create the database before another demo", shown);
    else if (rc < 0)
        store_remove_files(partial);
    if (rc < 0)
        return cli_fail(&err);
    print_summary(shown, &p, &counts);
    return EXIT_OK;
}

const command cmd_demo = {"demo", "create a database with the reference data set",
                          "lianzhang demo DB [--enterprises N] [--seed S] [--today YYYY-MM-DD]\n"
                          "  Creates DB (which must not exist; a PostgreSQL database, named as for init, must hold no\n"
                          "  Lianzhang schema and is filled in place) holding the reference data set: the Jiangmen divisions, the\n"
                          "  article's clusters, 14 chains with their segments, and N synthetic enterprises (default 3000,\n"
                          "  100..5000000, outside suppliers included) with memberships, 2019-2024 indicators, supply links,\n"
                          "  projects, persons, events for every policy, platforms, investment targets and appeals.\n"
                          "  The appeals are dated up to --today (default: today's date) and most are not yet due then,\n"
                          "  so a server started on the data does not escalate them all at once.\n"
                          "  The same N, seed S (default 1) and day always give the same data. Everything is synthetic: no name\n"
                          "  or code belongs to a real enterprise. A progress bar is drawn when stderr is a terminal.\n"
                          "  See docs/reference-data.md.\n",
                          run_demo};
