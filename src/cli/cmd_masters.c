/*
 * cmd_masters — `masters evaluate`: who should lead each chain in a year by the ten criteria
 * (analysis/masters.c). Prints the JSON document the API returns, or one row per candidate for a
 * terminal table or CSV (cli/sheet.c): rank, score, gate, status in the batch, and the weight
 * moves its rank is sensitive to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/masters.h"
#include "cli/analysis_opts.h"
#include "cli/commands.h"
#include "cli/sheet.h"
#include "core/strbuf.h"

int cli_load_masters_criteria(const char *file, const char *policy_dir, masters_criteria *c, lz_err *err)
{
    masters_criteria_defaults(c);
    if (file)
        return masters_criteria_load(c, file, err);
    if (!policy_dir)
        return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", policy_dir, MASTERS_CRITERIA_FILE);
    return access(path, R_OK) == 0 ? masters_criteria_load(c, path, err) : 0;
}

/* ---- table and CSV ------------------------------------------------------------------------- */

static const sheet_word status_words[] = {{"master", {"现任链主", "現任鏈主", "current master"}},
                                          {"proposed", {"拟推荐", "擬推薦", "proposed"}},
                                          {"reserve", {"后备", "後備", "reserve"}},
                                          {"gated", {"未过门槛", "未過門檻", "failed a gate"}},
                                          {NULL, {NULL}}};
static const sheet_word role_words[] = {{"chain_master", {"链主", "鏈主", "chain master"}},
                                        {"reserve_master", {"后备链主", "後備鏈主", "reserve master"}},
                                        {"backbone", {"骨干企业", "骨幹企業", "backbone"}},
                                        {"member", {"成员企业", "成員企業", "member"}},
                                        {NULL, {NULL}}};

static const sheet_column cols[] = {
    {"chain", {"产业链", "產業鏈", "chain"}, false, false, NULL},
    {"rank", {"排名", "排名", "rank"}, true, false, NULL},
    {"uscc", {"统一社会信用代码", "統一社會信用代碼", "USCC"}, false, true, NULL},
    {"name", {"企业名称", "企業名稱", "name"}, false, false, NULL},
    {"role", {"角色", "角色", "role"}, false, false, role_words},
    {"score", {"得分", "得分", "score"}, true, false, NULL},
    {"status", {"建议", "建議", "status"}, false, false, status_words},
    {"gate", {"未过门槛", "未過門檻", "gate failed"}, false, false, NULL},
    {"sensitivity", {"权重±20%时名次变化", "權重±20%時名次變化", "rank moves when a weight moves ±20%"}, false, false, NULL},
};

static bool listed(json_t *list, json_t *uscc)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (json_equal(v, uscc))
            return true;
    }
    return false;
}

static const char *status_of(json_t *chain, json_t *cand)
{
    json_t *uscc = json_object_get(cand, "uscc");
    if (listed(json_object_get(chain, "masters"), uscc))
        return "master";
    if (listed(json_object_get(chain, "proposed"), uscc))
        return "proposed";
    if (listed(json_object_get(chain, "reserves"), uscc))
        return "reserve";
    return json_is_string(json_object_get(cand, "gate")) ? "gated" : "";
}

static json_t *joined(json_t *list)
{
    strbuf b;
    strbuf_init(&b);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (i)
            strbuf_puts(&b, " ");
        strbuf_puts(&b, json_string_value(v));
    }
    json_t *s = json_string(b.data ? b.data : "");
    strbuf_free(&b);
    return s;
}

static json_t *rows_of(json_t *doc)
{
    json_t *rows = json_array(), *ch, *c;
    size_t i, j;
    json_array_foreach(json_object_get(doc, "chains"), i, ch)
    {
        json_array_foreach(json_object_get(ch, "candidates"), j, c)
        {
            json_t *row = json_deep_copy(c);
            json_object_set(row, "chain", json_object_get(ch, "code"));
            json_object_set_new(row, "status", json_string(status_of(ch, c)));
            json_object_set_new(row, "sensitivity", joined(json_object_get(c, "sensitivity")));
            json_array_append_new(rows, row);
        }
    }
    return rows;
}

/* Prints doc as JSON or as rows; takes doc. */
static int emit(const analysis_opts *o, json_t *doc)
{
    int code = EXIT_OK;
    if (o->format == SHEET_JSON) {
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    } else {
        sheet_part part = {.title = {"链主遴选", "鏈主遴選", "chain masters"}, .cols = cols, .ncols = sizeof cols / sizeof cols[0]};
        part.rows = rows_of(doc);
        lz_err err = {0};
        if (sheet_write(o->format, &part, 1, o->lang, stdout, NULL, &err) < 0)
            code = cli_fail(&err);
        json_decref(part.rows);
    }
    json_decref(doc);
    return code;
}

static int run_masters(int argc, char **argv)
{
    analysis_opts o;
    if (argc < 3 || strcmp(argv[1], "evaluate") != 0)
        return cli_usage(&cmd_masters);
    int bad = analysis_opts_parse(argc, argv, 3, "--year --chain --criteria --format --lang", &o);
    if (bad == EXIT_OK && o.format == SHEET_XLSX)
        bad = (fputs("lianzhang: --format: table, json or csv, not 'xlsx'\n", stderr), EXIT_INPUT);
    if (bad == EXIT_OK && !o.has_year)
        bad = EXIT_USAGE;
    if (bad != EXIT_OK)
        return bad == EXIT_USAGE ? cli_usage(&cmd_masters) : bad;
    masters_criteria mc;
    lz_err err = {0};
    lz_err no_folder = {0}; /* without a policy folder the built-in criteria serve */
    if (cli_load_masters_criteria(o.criteria, cli_policy_dir(NULL, "--criteria", &no_folder), &mc, &err) < 0)
        return cli_fail(&err);
    store *st;
    if (store_open(&st, argv[2], STORE_READONLY | STORE_MAPPED, &err) < 0)
        return cli_fail(&err);
    json_t *doc = NULL;
    int rc = store_read_begin(st, &err); /* one snapshot for the chains' reads */
    if (rc == 0)
        rc = masters_run(st, o.year, o.chain, &mc, &doc, &err);
    store_read_end(st);
    store_close(st);
    if (rc < 0)
        return cli_fail(&err);
    return emit(&o, doc);
}

const command cmd_masters = {
    "masters", "score a chain's candidates for master by the ten criteria",
    "lianzhang masters evaluate DB --year Y [--chain CODE] [--format table|json|csv] [--lang L] [--criteria FILE]\n"
    "  Each confirmed member of the chain (every chain without --chain) in year Y: the gates it fails\n"
    "  (local, revenue floor), each criterion's raw value, normalised value and weighted contribution,\n"
    "  its score and rank, the proposed batch and reserves, and the weight moves of ±20% that change\n"
    "  its rank.\n"
    "  --format    table (default), json (what the API returns) or csv\n"
    "  --lang      zh-CN, zh-TW or en (default from LANG)\n"
    "  --criteria  the criteria file (default: " MASTERS_CRITERIA_FILE " in the policy folder when present, else\n"
    "              built in; the policy folder: " CLI_POLICY_DEFAULTS ")\n",
    run_masters};
