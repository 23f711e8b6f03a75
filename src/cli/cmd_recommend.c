/*
 * cmd_recommend — whom a chain should bring in, on the command line: `targets recommend` prints
 * the document the API returns (analysis/recommend.h): the ranked outside suppliers of the
 * chain's masters and backbone enterprises and the chain's targets that have not moved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/recommend.h"
#include "cli/commands.h"
#include "core/date.h"

/* Reads the options after DB into rq and *config: EXIT_OK, EXIT_USAGE for an unknown or missing
 * option, EXIT_INPUT after a message naming a bad value. */
static int parse_opts(int argc, char **argv, recommend_request *rq, const char **config)
{
    const char *lang = NULL;
    char why[128], *end;
    *rq = (recommend_request){.date = date_today()};
    for (int i = 3; i < argc; i += 2) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return EXIT_USAGE;
        if (strcmp(k, "--year") == 0) {
            long y = strtol(v, &end, 10);
            if (*end || y < 1990 || y > 2100)
                return fprintf(stderr, "lianzhang: --year: a year 1990..2100, not '%s'\n", v), EXIT_INPUT;
            rq->year = (int)y;
        } else if (strcmp(k, "--date") == 0) {
            if (date_parse(v, strlen(v), &rq->date, why, sizeof why) < 0)
                return fprintf(stderr, "lianzhang: --date: %s\n", why), EXIT_INPUT;
        } else if (strcmp(k, "--chain") == 0)
            rq->chain = v;
        else if (strcmp(k, "--config") == 0)
            *config = v;
        else if (strcmp(k, "--lang") == 0)
            lang = v;
        else
            return EXIT_USAGE;
    }
    int l = cli_lang(lang);
    if (l < 0)
        return fprintf(stderr, "lianzhang: --lang: zh-CN, zh-TW or en, not '%s'\n", lang), EXIT_INPUT;
    rq->lang = (policy_lang)l;
    return rq->year && rq->chain ? EXIT_OK : EXIT_USAGE;
}

static int run_targets(int argc, char **argv)
{
    recommend_request rq;
    const char *config = NULL;
    if (argc < 3 || strcmp(argv[1], "recommend") != 0)
        return cli_usage(&cmd_targets);
    int bad = parse_opts(argc, argv, &rq, &config);
    if (bad != EXIT_OK)
        return bad == EXIT_USAGE ? cli_usage(&cmd_targets) : bad;
    thresholds th;
    lz_err err = {0}, no_folder = {0}; /* without a policy folder the built-in thresholds serve */
    if (cli_load_thresholds(config, cli_policy_dir(NULL, "--config", &no_folder), &th, &err) < 0)
        return cli_fail(&err);
    store *st;
    if (store_open(&st, argv[2], STORE_READONLY, &err) < 0)
        return cli_fail(&err);
    json_t *doc = NULL;
    int rc = store_read_begin(st, &err); /* one snapshot for the several reads */
    if (rc == 0)
        rc = recommend_run(st, &rq, &th, &doc, &err);
    store_read_end(st);
    store_close(st);
    if (rc < 0)
        return cli_fail(&err);
    json_dumpf(doc, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(doc);
    return EXIT_OK;
}

const command cmd_targets = {"targets", "investment targets: whom a chain should bring in",
                             "lianzhang targets recommend DB --year Y --chain CODE [--date D] [--lang L] [--config FILE]\n"
                             "  Prints JSON (what the API returns). Candidates: the suppliers outside the city from which the\n"
                             "  chain's local masters and backbone enterprises bought in year Y, ranked by the label of the\n"
                             "  segment they would fill (missing, thin, strong, none) then by amount, each with the figures\n"
                             "  and the reasons. Stale targets: the chain's targets, neither landed nor lost, last updated\n"
                             "  more than 90 days before D (YYYY-MM-DD, default today).\n"
                             "  --lang     zh-CN, zh-TW or en (default from LANG)\n"
                             "  --config   the thresholds file of the chain diagnosis that labels the segments\n",
                             run_targets};
