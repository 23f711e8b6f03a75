/*
 * cmd_masters — `masters evaluate`: who should lead each chain in a year by the ten criteria
 * (analysis/masters.c). Prints the JSON document the API returns, or one row per candidate for a
 * terminal table or CSV (cli/sheet.c): rank, score, gate, status in the batch, and the weight
 * moves its rank is sensitive to.
 *
 * `masters propose|decide|decisions`: the designation decision (workflow/designations.h) as an
 * account (--as), under the same rules as the API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/masters.h"
#include "store/accounts.h"
#include "workflow/designations.h"
#include "cli/analysis_opts.h"
#include "cli/commands.h"
#include "cli/sheet.h"
#include "core/date.h"
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

const sheet_word masters_status_words[] = {
    {"pending", {"待审批", "待審批", "decision pending"}}, {"master", {"现任链主", "現任鏈主", "current master"}},
    {"proposed", {"拟推荐", "擬推薦", "proposed"}},        {"reserve", {"后备", "後備", "reserve"}},
    {"gated", {"未过门槛", "未過門檻", "failed a gate"}},  {NULL, {NULL}}};
const sheet_word masters_role_words[] = {{"chain_master", {"链主", "鏈主", "chain master"}},
                                         {"reserve_master", {"后备链主", "後備鏈主", "reserve master"}},
                                         {"backbone", {"骨干企业", "骨幹企業", "backbone"}},
                                         {"member", {"成员企业", "成員企業", "member"}},
                                         {NULL, {NULL}}};

static const sheet_column cols[] = {
    {"chain", {"产业链", "產業鏈", "chain"}, false, false, NULL},
    {"rank", {"排名", "排名", "rank"}, true, false, NULL},
    {"uscc", {"统一社会信用代码", "統一社會信用代碼", "USCC"}, false, true, NULL},
    {"name", {"企业名称", "企業名稱", "name"}, false, false, NULL},
    {"role", {"角色", "角色", "role"}, false, false, masters_role_words},
    {"score", {"得分", "得分", "score"}, true, false, NULL},
    {"status", {"建议", "建議", "status"}, false, false, masters_status_words},
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

/* Whether a decision on uscc waits in the chain's pending list. */
static bool pending(json_t *chain, json_t *uscc)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(chain, "pending"), i, d)
    {
        if (json_equal(json_object_get(d, "uscc"), uscc))
            return true;
    }
    return false;
}

static const char *status_of(json_t *chain, json_t *cand)
{
    json_t *uscc = json_object_get(cand, "uscc");
    if (pending(chain, uscc))
        return "pending";
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

json_t *cli_masters_rows(json_t *doc)
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

/* An evaluation's document and how to write it (cli_close_emitting). */
typedef struct evaluation {
    const analysis_opts *o;
    json_t *doc;
} evaluation;

/* Prints the document as JSON or as rows; takes the document. */
static int emit(void *ctx)
{
    const analysis_opts *o = ((evaluation *)ctx)->o;
    json_t *doc = ((evaluation *)ctx)->doc;
    int code = EXIT_OK;
    if (o->format == SHEET_JSON) {
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    } else {
        sheet_part part = {.title = {"链主遴选", "鏈主遴選", "chain masters"}, .cols = cols, .ncols = sizeof cols / sizeof cols[0]};
        part.rows = cli_masters_rows(doc);
        lz_err err = {0};
        if (sheet_write(o->format, &part, 1, o->lang, stdout, NULL, &err) < 0)
            code = cli_fail(&err);
        json_decref(part.rows);
    }
    json_decref(doc);
    return code;
}

/* The criteria the evaluation (and a proposal's check against it) uses. */
static int load_criteria(const analysis_opts *o, masters_criteria *mc)
{
    lz_err err = {0};
    lz_err no_folder = {0}; /* without a policy folder the built-in criteria serve */
    if (cli_load_masters_criteria(o->criteria, cli_policy_dir(NULL, "--criteria", &no_folder), mc, &err) < 0)
        return cli_fail(&err);
    return EXIT_OK;
}

static int evaluate(int argc, char **argv)
{
    analysis_opts o;
    int bad = analysis_opts_parse(argc, argv, 3, "--year --chain --top --criteria --format --lang", &o);
    if (bad == EXIT_OK && o.format == SHEET_XLSX)
        bad = (fputs("lianzhang: --format: table, json or csv, not 'xlsx'\n", stderr), EXIT_INPUT);
    if (bad == EXIT_OK && !o.has_year)
        bad = EXIT_USAGE;
    if (bad != EXIT_OK)
        return bad == EXIT_USAGE ? cli_usage(&cmd_masters) : bad;
    masters_criteria mc;
    if ((bad = load_criteria(&o, &mc)) != EXIT_OK)
        return bad;
    store *st;
    lz_err err = {0};
    if (store_open(&st, argv[2], STORE_READONLY | STORE_MAPPED, &err) < 0)
        return cli_fail(&err);
    json_t *doc = NULL;
    /* one snapshot for the chains' reads, split over its twin (every chain's city; one chain's
     * candidates and purchases) */
    int rc = store_read_begin_twin(st, &err);
    if (rc == 0)
        rc = masters_run(st, o.year, o.chain, &mc, &(masters_listing){.top = o.top}, &doc, &err);
    if (rc < 0) {
        store_close(st);
        return cli_fail(&err);
    }
    return cli_close_emitting(st, emit, &(evaluation){&o, doc});
}

/* ---- the designation decision -------------------------------------------------------------- */

static int propose(int argc, char **argv)
{
    analysis_opts o;
    int bad = analysis_opts_parse(argc, argv, 3, "--chain --enterprise --kind --batch --date --year --as --reason --criteria", &o);
    if (bad == EXIT_OK && (!o.chain || !o.uscc || !o.kind || !o.batch || !o.has_year || !o.as))
        bad = EXIT_USAGE;
    if (bad != EXIT_OK)
        return bad == EXIT_USAGE ? cli_usage(&cmd_masters) : bad;
    masters_criteria mc;
    if ((bad = load_criteria(&o, &mc)) != EXIT_OK)
        return bad;
    store *st;
    lz_err err = {0};
    if (store_open(&st, argv[2], 0, &err) < 0)
        return cli_fail(&err);
    account who;
    char date[DATE_LEN + 1];
    date_format(o.date, date);
    designations_proposal p = {o.chain, o.uscc, o.kind, o.batch, date, o.year, o.reason};
    int64_t id = 0;
    int code = cli_account(st, o.as, NULL, &who);
    if (code == EXIT_OK && designations_propose(st, &who, &p, &mc, cli_via(argc, argv), &id, &err) < 0)
        code = cli_fail(&err);
    else if (code == EXIT_OK)
        printf("decision %lld: %s %s for chain %s proposed by %s; another official approves it (masters decide)\n", (long long)id,
               o.kind, o.uscc, o.chain, who.name);
    store_close(st);
    return code;
}

static int decide(int argc, char **argv)
{
    analysis_opts o;
    char *end = NULL;
    long long id = argc > 4 ? strtoll(argv[3], &end, 10) : 0;
    if (argc < 5 || *end || id <= 0)
        return cli_usage(&cmd_masters);
    int bad = analysis_opts_parse(argc, argv, 5, "--as --reason", &o);
    if (bad == EXIT_OK && !o.as)
        bad = EXIT_USAGE;
    if (bad != EXIT_OK)
        return bad == EXIT_USAGE ? cli_usage(&cmd_masters) : bad;
    store *st;
    lz_err err = {0};
    if (store_open(&st, argv[2], 0, &err) < 0)
        return cli_fail(&err);
    account who;
    int code = cli_account(st, o.as, NULL, &who);
    if (code == EXIT_OK && designations_decide(st, &who, id, argv[4], o.reason, cli_via(argc, argv), &err) < 0)
        code = cli_fail(&err);
    else if (code == EXIT_OK)
        printf("decision %lld: %s (by %s)\n", id, argv[4], who.name);
    store_close(st);
    return code;
}

static const sheet_word kind_words[] = {{"master", {"认定链主", "認定鏈主", "designate master"}},
                                        {"reserve", {"列入后备链主", "列入後備鏈主", "into the reserve pool"}},
                                        {"leave-reserve", {"移出后备链主", "移出後備鏈主", "out of the reserve pool"}},
                                        {"revoke", {"撤销链主", "撤銷鏈主", "revoke master"}},
                                        {NULL, {NULL}}};
static const sheet_word decision_words[] = {{"proposed", {"待审批", "待審批", "proposed"}},
                                            {"approved", {"已批准", "已批准", "approved"}},
                                            {"rejected", {"已驳回", "已駁回", "rejected"}},
                                            {"withdrawn", {"已撤回", "已撤回", "withdrawn"}},
                                            {NULL, {NULL}}};
static const sheet_column decision_cols[] = {
    {"id", {"编号", "編號", "id"}, true, false, NULL},
    {"chain", {"产业链", "產業鏈", "chain"}, false, false, NULL},
    {"enterprise", {"统一社会信用代码", "統一社會信用代碼", "USCC"}, false, false, NULL},
    {"kind", {"事项", "事項", "kind"}, false, false, kind_words},
    {"batch", {"批次", "批次", "batch"}, false, false, NULL},
    {"date", {"日期", "日期", "date"}, false, false, NULL},
    {"year", {"评价年度", "評價年度", "evaluation year"}, true, false, NULL},
    {"rank", {"排名", "排名", "rank"}, true, false, NULL},
    {"score", {"得分", "得分", "score"}, true, false, NULL},
    {"status", {"状态", "狀態", "status"}, false, false, decision_words},
    {"proposed_by", {"提议人", "提議人", "proposed by"}, false, false, NULL},
    {"decided_by", {"审批人", "審批人", "decided by"}, false, false, NULL},
    {"reason", {"理由", "理由", "reason"}, false, true, NULL},
    {"decision_reason", {"审批意见", "審批意見", "decision reason"}, false, true, NULL},
};

static int decisions(int argc, char **argv)
{
    analysis_opts o;
    int bad = analysis_opts_parse(argc, argv, 3, "--chain --status --format --lang", &o);
    if (bad == EXIT_OK && o.format == SHEET_XLSX)
        bad = (fputs("lianzhang: --format: table, json or csv, not 'xlsx'\n", stderr), EXIT_INPUT);
    if (bad != EXIT_OK)
        return bad == EXIT_USAGE ? cli_usage(&cmd_masters) : bad;
    store *st;
    lz_err err = {0};
    if (store_open(&st, argv[2], STORE_READONLY, &err) < 0)
        return cli_fail(&err);
    json_t *list = NULL;
    int code = designations_list_json(st, o.chain, o.status, &list, &err) < 0 ? cli_fail(&err) : EXIT_OK;
    store_close(st);
    if (code != EXIT_OK)
        return code;
    if (o.format == SHEET_JSON) {
        json_dumpf(list, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    } else {
        sheet_part part = {.title = {"链主认定决定", "鏈主認定決定", "chain-master decisions"},
                           .cols = decision_cols,
                           .ncols = sizeof decision_cols / sizeof decision_cols[0],
                           .rows = list};
        if (sheet_write(o.format, &part, 1, o.lang, stdout, NULL, &err) < 0)
            code = cli_fail(&err);
    }
    json_decref(list);
    return code;
}

static int run_masters(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } subs[] = {{"evaluate", evaluate}, {"propose", propose}, {"decide", decide}, {"decisions", decisions}};
    for (size_t i = 0; argc >= 3 && i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc, argv);
    return cli_usage(&cmd_masters);
}

const command cmd_masters = {
    "masters", "score a chain's candidates for master by the ten criteria; propose and decide designations",
    "lianzhang masters evaluate DB --year Y [--chain CODE] [--top N|all] [--format table|json|csv] [--lang L]\n"
    "          [--criteria FILE]\n"
    "lianzhang masters propose DB --chain CODE --enterprise USCC --kind master|reserve|leave-reserve|revoke\n"
    "          --batch TEXT --year Y --as ACCOUNT [--date YYYY-MM-DD] [--reason TEXT] [--criteria FILE]\n"
    "lianzhang masters decide DB ID approved|rejected|withdrawn --as ACCOUNT [--reason TEXT]\n"
    "lianzhang masters decisions DB [--chain CODE] [--status proposed|approved|rejected|withdrawn]\n"
    "          [--format table|json|csv] [--lang L]\n"
    "  evaluate: each confirmed member of the chain (every chain without --chain) in year Y: the gates it\n"
    "  fails (local, revenue floor), each criterion's raw value, normalised value and weighted\n"
    "  contribution, its score and rank, the proposed batch and reserves, and the weight moves of ±20%\n"
    "  that change its rank.\n"
    "  propose: records a proposal to designate an enterprise master of the chain (master), put it in\n"
    "  the reserve pool (reserve), take it out of the pool (leave-reserve) or revoke a master (revoke),\n"
    "  in the batch named (第二批链主企业) on --date (default today). A designation must pass the gates\n"
    "  of the evaluation of year Y (it need not be in the proposed batch); its score and rank there are\n"
    "  kept with the decision.\n"
    "  decide: another account approves or rejects it (a rejection needs --reason); the proposer may\n"
    "  withdraw it. Approval records, in one transaction, the designation event, the role of the\n"
    "  enterprise's memberships in the chain and, for a designation, its key-enterprise directory entry,\n"
    "  each with its audit entry. Who may: an admin, the chain's own account, the bureau that leads the\n"
    "  chain; --as names the enabled account (lianzhang user).\n"
    "  decisions: the decisions with their status, who proposed and decided them, and why.\n"
    "  --format    table (default), json (what the API returns) or csv\n"
    "  --lang      zh-CN, zh-TW or en (default from LANG)\n"
    "  --criteria  the criteria file (default: " MASTERS_CRITERIA_FILE " in the policy folder when present, else\n"
    "              built in; the policy folder: " CLI_POLICY_DEFAULTS ")\n",
    run_masters};
