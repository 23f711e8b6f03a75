/*
 * cmd_match — `match`: what an enterprise could get from the support policies (eligible, pending,
 * undetermined with the facts to supply, near misses), or, with --unclaimed, the city's eligible
 * results that have no award in the ledger yet (analysis/match.h); and `overview`: the cockpit's
 * figures in one document (analysis/overview.h). Each prints the JSON the API returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/match.h"
#include "analysis/overview.h"
#include "analysis/thresholds.h"
#include "core/date.h"
#include "cli/analysis_opts.h"
#include "cli/commands.h"

static int print_json(void *doc)
{
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!text)
        return EXIT_INTERNAL;
    puts(text);
    free(text);
    return EXIT_OK;
}

/* The policies of --dir (or the default folder), with the rule errors printed. */
static int load_policies(const analysis_opts *o, policy_set **set, lz_err *err)
{
    const char *dir = cli_policy_dir(o->dir, "--dir", err);
    return dir ? cli_policy_set_load(dir, set, err) : err->code;
}

/* Reads the options of command cmd; EXIT_OK, or the exit code after a usage or input message. */
static int read_opts(const command *cmd, int argc, char **argv, analysis_opts *o)
{
    const char *allowed = cmd == &cmd_match ? "--year --enterprise --unclaimed --department --dir --lang"
                                            : "--year --date --chain --division --dir --config --lang";
    int code = cli_wants_help(argc, argv) || argc < 2 ? EXIT_USAGE : analysis_opts_parse(argc, argv, 2, allowed, o);
    if (code == EXIT_OK && (!o->has_year || (cmd == &cmd_match && !o->uscc == !o->unclaimed)))
        code = EXIT_USAGE;
    return code == EXIT_USAGE ? cli_usage(cmd) : code;
}

static int run_match(int argc, char **argv)
{
    analysis_opts o;
    int code = read_opts(&cmd_match, argc, argv, &o);
    if (code != EXIT_OK)
        return code;
    lz_err err = {0};
    policy_set *set = NULL;
    store *st = NULL;
    json_t *doc = NULL;
    int rc = load_policies(&o, &set, &err);
    if (rc == 0)
        rc = store_open(&st, argv[1], STORE_READONLY, &err);
    if (rc == 0)
        rc = o.unclaimed ? match_unclaimed(set, st, o.year, o.department, (policy_lang)o.lang, &doc, &err)
                         : match_enterprise(set, st, o.year, o.uscc, (policy_lang)o.lang, &doc, &err);
    if (st)
        store_close(st);
    policy_set_free(set);
    return rc ? cli_fail(&err) : print_json(doc);
}

static int run_overview(int argc, char **argv)
{
    analysis_opts o;
    int code = read_opts(&cmd_overview, argc, argv, &o);
    if (code != EXIT_OK)
        return code;
    lz_err err = {0};
    policy_set *set = NULL;
    store *st = NULL;
    json_t *doc = NULL;
    thresholds th;
    int rc = load_policies(&o, &set, &err);
    if (rc == 0)
        rc = cli_load_thresholds(o.config, cli_policy_dir(o.dir, "--dir", &err), &th, &err);
    if (rc == 0)
        rc = store_open(&st, argv[1], STORE_READONLY | STORE_MAPPED, &err);
    overview_request rq = {
        .year = o.year, .date = o.date, .chain = o.chain, .division = o.division, .set = set, .lang = (policy_lang)o.lang};
    if (rc == 0 && (rc = store_read_begin_twin(st, &err)) == 0) /* one snapshot for the several reads */
        rc = overview_run(st, &rq, &th, &doc, &err);
    policy_set_free(set);
    if (rc == 0)
        return cli_close_emitting(st, print_json, doc);
    if (st)
        store_close(st);
    return cli_fail(&err);
}

const command cmd_match = {"match", "what an enterprise could get from the policies; eligible awards not yet recorded",
                           "lianzhang match DB --year Y --enterprise USCC [--lang L] [--dir POLICIES]\n"
                           "lianzhang match DB --year Y --unclaimed [--department D] [--lang L] [--dir POLICIES]\n"
                           "  Y is the award year (decided on the statistics of Y-1), as for `awards`. With --enterprise:\n"
                           "  the policies the enterprise is eligible for, pending, undetermined (with the facts to supply)\n"
                           "  and its near misses (a numeric condition failed by less than 10% of its threshold, with the\n"
                           "  shortfall). With --unclaimed: eligible results with no award in the ledger for (Y, policy,\n"
                           "  subject), of one department's policies with --department. Prints JSON.\n"
                           "  Policies: --dir, else " CLI_POLICY_DEFAULTS ".\n",
                           run_match};

const command cmd_overview = {
    "overview", "the cockpit's figures: clusters, chains, projects, targets, appeals, awards",
    "lianzhang overview DB --year Y [--date D] [--chain CODE] [--division CODE] [--lang L] [--dir POLICIES] [--config FILE]\n"
    "  One JSON document (docs/analysis.md): the clusters against their targets and each chain's\n"
    "  segments per label and local supply rate in data year Y; the key projects per light and the\n"
    "  appeals open, overdue and closed on time on date D (default today); the investment targets\n"
    "  per stage; the ledger's awards of award year Y decided and paid, per policy and department.\n"
    "  --chain: that chain's figures; --division: that division's projects.\n",
    run_overview};
