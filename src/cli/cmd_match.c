/*
 * cmd_match — `match`: what an enterprise could get from the support policies (eligible, pending,
 * undetermined with the facts to supply, near misses), or, with --unclaimed, the city's eligible
 * results that have no award in the ledger yet. Prints the JSON the API returns (analysis/match.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/match.h"
#include "cli/commands.h"

typedef struct match_opts {
    const char *db, *uscc, *department, *dir;
    int year;
    bool unclaimed;
    int lang;
} match_opts;

/* Reads DB and the options: EXIT_OK, EXIT_USAGE for a wrong shape, EXIT_INPUT after a message. */
static int parse_opts(int argc, char **argv, match_opts *o)
{
    const char *lang = NULL;
    *o = (match_opts){.db = argc > 1 ? argv[1] : NULL};
    for (int i = 2; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (strcmp(k, "--unclaimed") == 0) {
            o->unclaimed = true;
            continue;
        }
        if (!v)
            return EXIT_USAGE;
        i++;
        if (strcmp(k, "--year") == 0) {
            long y = strtol(v, &end, 10);
            if (*end || y < 1990 || y > 2100)
                return fprintf(stderr, "lianzhang: --year: a year 1990..2100, not '%s'\n", v), EXIT_INPUT;
            o->year = (int)y;
        } else if (strcmp(k, "--enterprise") == 0)
            o->uscc = v;
        else if (strcmp(k, "--department") == 0)
            o->department = v;
        else if (strcmp(k, "--dir") == 0)
            o->dir = v;
        else if (strcmp(k, "--lang") == 0)
            lang = v;
        else
            return EXIT_USAGE;
    }
    if (!o->db || !o->year || !o->uscc == !o->unclaimed)
        return EXIT_USAGE;
    o->lang = cli_lang(lang);
    if (o->lang < 0)
        return fprintf(stderr, "lianzhang: --lang: zh-CN, zh-TW or en, not '%s'\n", lang), EXIT_INPUT;
    return EXIT_OK;
}

static int print_json(json_t *doc)
{
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!text)
        return EXIT_INTERNAL;
    puts(text);
    free(text);
    return EXIT_OK;
}

static int run_match(int argc, char **argv)
{
    match_opts o;
    int code = cli_wants_help(argc, argv) ? EXIT_USAGE : parse_opts(argc, argv, &o);
    if (code == EXIT_USAGE)
        return cli_usage(&cmd_match);
    if (code != EXIT_OK)
        return code;
    lz_err err = {0};
    const char *dir = cli_policy_dir(o.dir, "--dir", &err);
    if (!dir)
        return cli_fail(&err);
    errlist errors;
    errlist_init(&errors, 100);
    policy_set *set = NULL;
    store *st = NULL;
    json_t *doc = NULL;
    int rc = policy_set_load(dir, &set, &errors, &err);
    for (size_t i = 0; i < errors.count; i++)
        fprintf(stderr, "%s\n", errors.items[i]);
    errlist_free(&errors);
    if (rc == 0)
        rc = store_open(&st, o.db, STORE_READONLY, &err);
    if (rc == 0)
        rc = o.unclaimed ? match_unclaimed(set, st, o.year, o.department, (policy_lang)o.lang, &doc, &err)
                         : match_enterprise(set, st, o.year, o.uscc, (policy_lang)o.lang, &doc, &err);
    if (st)
        store_close(st);
    policy_set_free(set);
    return rc ? cli_fail(&err) : print_json(doc);
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
