/* analysis_opts — one reader for the analysis commands' options (see analysis_opts.h). */
#include "cli/analysis_opts.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/masters.h"
#include "cli/commands.h"
#include "core/date.h"
#include "model/tables.h"

/* Whether option k is one of the space-separated names in allowed. */
static bool takes(const char *allowed, const char *k)
{
    size_t n = strlen(k);
    for (const char *p = strstr(allowed, k); p; p = strstr(p + 1, k))
        if ((p == allowed || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* The options whose value is kept as text, and where. */
static const struct {
    const char *name;
    size_t offset;
} text_options[] = {
    {"--chain", offsetof(analysis_opts, chain)},
    {"--division", offsetof(analysis_opts, division)},
    {"--config", offsetof(analysis_opts, config)},
    {"--criteria", offsetof(analysis_opts, criteria)},
    {"-o", offsetof(analysis_opts, output)},
    {"--enterprise", offsetof(analysis_opts, uscc)},
    {"--department", offsetof(analysis_opts, department)},
    {"--dir", offsetof(analysis_opts, dir)},
    {"--kind", offsetof(analysis_opts, kind)},
    {"--batch", offsetof(analysis_opts, batch)},
    {"--as", offsetof(analysis_opts, as)},
    {"--reason", offsetof(analysis_opts, reason)},
    {"--status", offsetof(analysis_opts, status)},
};

/* One option with its value v; EXIT_OK, EXIT_USAGE for a name it does not know, EXIT_INPUT. */
static int take_value(analysis_opts *o, const char *k, const char *v, const char **lang)
{
    char why[128], *end;
    for (size_t i = 0; i < sizeof text_options / sizeof text_options[0]; i++)
        if (strcmp(k, text_options[i].name) == 0) {
            *(const char **)((char *)o + text_options[i].offset) = v;
            return EXIT_OK;
        }
    if (strcmp(k, "--lang") == 0) {
        *lang = v;
        return EXIT_OK;
    }
    if (strcmp(k, "--year") == 0) {
        long y = strtol(v, &end, 10);
        if (*end || y < TABLES_YEAR_MIN || y > TABLES_YEAR_MAX)
            return fprintf(stderr, "lianzhang: --year: a year " TABLES_YEARS("..") ", not '%s'\n", v), EXIT_INPUT;
        o->year = (int)y;
        o->has_year = true;
    } else if (strcmp(k, "--date") == 0) {
        if (date_parse(v, strlen(v), &o->date, why, sizeof why) < 0)
            return fprintf(stderr, "lianzhang: --date: %s\n", why), EXIT_INPUT;
        o->has_date = true;
    } else if (strcmp(k, "--format") == 0) {
        int f = sheet_format_parse(v);
        if (f < 0)
            return fprintf(stderr, "lianzhang: --format: table, json, csv or xlsx, not '%s'\n", v), EXIT_INPUT;
        o->format = (sheet_format)f;
    } else if (strcmp(k, "--top") == 0) {
        if (!masters_top_parse(v, &o->top))
            return fprintf(stderr, "lianzhang: --top: a number of candidates 0..1000000 or 'all', not '%s'\n", v), EXIT_INPUT;
    } else if (strcmp(k, "--by") == 0) {
        if (strcmp(v, "customer") != 0)
            return fprintf(stderr, "lianzhang: --by: customer, not '%s'\n", v), EXIT_INPUT;
        o->by_customer = true;
    } else {
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int analysis_opts_parse(int argc, char **argv, int first, const char *allowed, analysis_opts *o)
{
    const char *lang = NULL;
    *o = (analysis_opts){.format = SHEET_TABLE, .date = date_today(), .top = MASTERS_TOP_DEFAULT};
    for (int i = first; i < argc; i++) {
        const char *k = argv[i];
        if (!takes(allowed, k))
            return EXIT_USAGE;
        if (strcmp(k, "--unclaimed") == 0) {
            o->unclaimed = true;
            continue;
        }
        if (i + 1 >= argc)
            return EXIT_USAGE;
        int code = take_value(o, k, argv[++i], &lang);
        if (code != EXIT_OK)
            return code;
    }
    o->lang = cli_lang(lang);
    if (o->lang < 0)
        return fprintf(stderr, "lianzhang: --lang: zh-CN, zh-TW or en, not '%s'\n", lang), EXIT_INPUT;
    return EXIT_OK;
}
