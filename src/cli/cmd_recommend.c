/*
 * cmd_recommend — whom a chain should bring in, on the command line: `targets recommend` prints
 * the document the API returns (analysis/recommend.h): the ranked outside suppliers of the
 * chain's masters and backbone enterprises and the chain's targets that have not moved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/recommend.h"
#include "cli/analysis_opts.h"
#include "cli/commands.h"
#include "core/date.h"

static int run_targets(int argc, char **argv)
{
    analysis_opts o;
    if (argc < 3 || strcmp(argv[1], "recommend") != 0)
        return cli_usage(&cmd_targets);
    int bad = analysis_opts_parse(argc, argv, 3, "--year --chain --date --lang --config", &o);
    if (bad == EXIT_OK && !(o.has_year && o.chain))
        bad = EXIT_USAGE;
    if (bad != EXIT_OK)
        return bad == EXIT_USAGE ? cli_usage(&cmd_targets) : bad;
    recommend_request rq = {.year = o.year, .chain = o.chain, .date = o.date, .lang = (policy_lang)o.lang};
    thresholds th;
    lz_err err = {0}, no_folder = {0}; /* without a policy folder the built-in thresholds serve */
    if (cli_load_thresholds(o.config, cli_policy_dir(NULL, "--config", &no_folder), &th, &err) < 0)
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
