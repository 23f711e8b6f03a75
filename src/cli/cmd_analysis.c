/*
 * cmd_analysis — the chain leader's questions on the command line: `chain diagnose` (where is the
 * chain weak), `projects lights` (which projects are late), `clusters progress` (will the cluster
 * reach its target). Each prints the JSON document the API returns, or flattens it into rows for
 * a terminal table, CSV or an XLSX workbook (cli/sheet.c): one computation, four forms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/diagnosis.h"
#include "analysis/lights.h"
#include "analysis/progress.h"
#include "cli/analysis_opts.h"
#include "cli/commands.h"
#include "cli/sheet.h"
#include "core/date.h"

/* Fills parts from doc (rows are new references); returns how many. */
typedef size_t (*parts_fn)(json_t *doc, int lang, sheet_part parts[SHEET_MAX_PARTS]);

/* An analysis's document and how to write it (cli_close_emitting). */
typedef struct analysis_result {
    const analysis_opts *o;
    json_t *doc;
    parts_fn flatten;
} analysis_result;

/* Prints the document as JSON, or its parts (built from it by flatten) in the other formats.
 * Takes the document. */
static int emit(void *ctx)
{
    const analysis_result *r = ctx;
    const analysis_opts *o = r->o;
    json_t *doc = r->doc;
    int code = EXIT_OK;
    if (o->format == SHEET_JSON) {
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    } else {
        sheet_part parts[SHEET_MAX_PARTS];
        size_t n = r->flatten(doc, o->lang, parts);
        lz_err err = {0};
        if (sheet_write(o->format, parts, n, o->lang, stdout, o->output, &err) < 0)
            code = cli_fail(&err);
        for (size_t i = 0; i < n; i++)
            json_decref(parts[i].rows);
    }
    json_decref(doc);
    return code;
}

#define PART(zh_cn, zh_tw, en, columns, r)                                                                                         \
    (sheet_part)                                                                                                                   \
    {                                                                                                                              \
        .title = {zh_cn, zh_tw, en}, .cols = columns, .ncols = sizeof columns / sizeof columns[0], .rows = r                       \
    }

/* Joins the strings of an array with sep. New reference. */
static json_t *joined(json_t *list, const char *sep)
{
    strbuf b;
    strbuf_init(&b);
    json_t *v;
    size_t i;
    json_array_foreach(list, i, v)
    {
        if (i)
            strbuf_puts(&b, sep);
        strbuf_puts(&b, json_is_string(v) ? json_string_value(v) : "");
    }
    json_t *s = json_string(b.data ? b.data : "");
    strbuf_free(&b);
    return s;
}

static const char *const list_sep[3] = {"；", "；", "; "};

/* ---- chain diagnose ----------------------------------------------------------------------- */

const sheet_word analysis_label_words[] = {{"missing", {"缺失", "缺失", "missing"}},
                                           {"thin", {"薄弱", "薄弱", "thin"}},
                                           {"strong", {"较强", "較強", "strong"}},
                                           {NULL, {NULL}}};
static const sheet_word stage_words[] = {{"upstream", {"上游", "上游", "upstream"}},
                                         {"midstream", {"中游", "中游", "midstream"}},
                                         {"downstream", {"下游", "下游", "downstream"}},
                                         {NULL, {NULL}}};

static const sheet_column diagnosis_cols[] = {
    {"chain", {"产业链", "產業鏈", "chain"}, false, false, NULL},
    {"segment", {"环节", "環節", "segment"}, false, false, NULL},
    {"name", {"名称", "名稱", "name"}, false, false, NULL},
    {"stage", {"上中下游", "上中下游", "stage"}, false, true, stage_words},
    {"label", {"评价", "評價", "label"}, false, false, analysis_label_words},
    {"local_enterprises", {"本地企业数", "本地企業數", "local firms"}, true, false, NULL},
    {"output", {"产值（元）", "產值（元）", "output (yuan)"}, true, false, NULL},
    {"output_share", {"产值占比", "產值佔比", "output share"}, true, false, NULL},
    {"top1_share", {"首位企业占比", "首位企業佔比", "top firm share"}, true, true, NULL},
    {"hhi", {"HHI", "HHI", "HHI"}, true, false, NULL},
    {"purchases", {"采购额（元）", "採購額（元）", "purchases (yuan)"}, true, false, NULL},
    {"local_purchases", {"本地采购额（元）", "本地採購額（元）", "local purchases (yuan)"}, true, true, NULL},
    {"local_supply_rate", {"本地配套率", "本地配套率", "local supply rate"}, true, false, NULL},
    {"breaks",
     {"断链（无本地供给的下游环节）", "斷鏈（無本地供給的下游環節）", "breaks (fed with no local supply)"},
     false,
     false,
     NULL},
    {"reasons", {"判断依据", "判斷依據", "reasons"}, false, false, NULL},
};

static const char *const unplaced_name[3] = {"未落位供应商", "未落位供應商", "suppliers on no segment"};
static const char *const chain_total_name[3] = {"全链合计", "全鏈合計", "whole chain"};

/* The segments `from` feeds with no local purchase, ';'-separated. */
static json_t *breaks_from(json_t *breaks, const char *from)
{
    json_t *to = json_array(), *b;
    size_t i;
    json_array_foreach(breaks, i, b)
    {
        if (strcmp(json_string_value(json_object_get(b, "from")), from) == 0)
            json_array_append(to, json_object_get(b, "to"));
    }
    json_t *s = joined(to, ";");
    json_decref(to);
    return s;
}

static const sheet_word role_words[] = {
    {"chain_master", {"链主", "鏈主", "chain master"}}, {"backbone", {"骨干企业", "骨幹企業", "backbone"}}, {NULL, {NULL}}};

static const sheet_column customer_cols[] = {
    {"chain", {"产业链", "產業鏈", "chain"}, false, false, NULL},
    {"uscc", {"统一社会信用代码", "統一社會信用代碼", "USCC"}, false, false, NULL},
    {"name", {"企业名称", "企業名稱", "name"}, false, false, NULL},
    {"role", {"角色", "角色", "role"}, false, false, role_words},
    {"division", {"所在市（区）", "所在市（區）", "division"}, false, false, NULL},
    {"purchases", {"采购额（元）", "採購額（元）", "purchases (yuan)"}, true, false, NULL},
    {"local_purchases", {"本地采购额（元）", "本地採購額（元）", "local purchases (yuan)"}, true, false, NULL},
    {"local_supply_rate", {"本地配套率", "本地配套率", "local supply rate"}, true, false, NULL},
};

/* The chains' customers (by customer), each row with its chain; NULL when not asked for. */
static json_t *customer_rows(json_t *doc)
{
    json_t *rows = NULL, *c, *k;
    size_t i, j;
    json_array_foreach(json_object_get(doc, "chains"), i, c)
    {
        json_t *customers = json_object_get(c, "customers");
        if (!customers)
            continue;
        if (!rows)
            rows = json_array();
        json_array_foreach(customers, j, k)
        {
            json_t *row = json_deep_copy(k);
            json_object_set(row, "chain", json_object_get(c, "code"));
            json_array_append_new(rows, row);
        }
    }
    return rows;
}

/* The segments; asked by customer, the customers first (CSV holds the first part). */
static size_t diagnosis_parts(json_t *doc, int lang, sheet_part parts[SHEET_MAX_PARTS])
{
    json_t *customers = customer_rows(doc);
    size_t n = 0;
    if (customers)
        parts[n++] = PART("链主与骨干企业本地配套", "鏈主與骨幹企業本地配套", "customers", customer_cols, customers);
    json_t *rows = json_array(), *c, *s;
    size_t i, j;
    json_array_foreach(json_object_get(doc, "chains"), i, c)
    {
        json_t *code = json_object_get(c, "code"), *breaks = json_object_get(c, "breaks");
        json_t *total = json_deep_copy(c);
        json_object_set(total, "chain", code);
        json_object_set_new(total, "name", json_string(chain_total_name[lang]));
        json_array_append_new(rows, total);
        json_array_foreach(json_object_get(c, "segments"), j, s)
        {
            json_t *row = json_deep_copy(s);
            json_object_set(row, "chain", code);
            json_object_set(row, "segment", json_object_get(s, "code"));
            json_object_set_new(row, "reasons", joined(json_object_get(s, "reasons"), list_sep[lang]));
            json_object_set_new(row, "breaks", breaks_from(breaks, json_string_value(json_object_get(s, "code"))));
            json_array_append_new(rows, row);
        }
        json_t *unplaced = json_deep_copy(json_object_get(c, "unplaced"));
        json_object_set(unplaced, "chain", code);
        json_object_set_new(unplaced, "name", json_string(unplaced_name[lang]));
        json_array_append_new(rows, unplaced);
    }
    parts[n++] = PART("链条诊断", "鏈條診斷", "diagnosis", diagnosis_cols, rows);
    return n;
}

/* ---- projects lights ---------------------------------------------------------------------- */

const sheet_word analysis_light_words[] = {{"green", {"绿灯", "綠燈", "green"}},
                                           {"yellow", {"黄灯", "黃燈", "yellow"}},
                                           {"red", {"红灯", "紅燈", "red"}},
                                           {"cannot_tell", {"无法判断", "無法判斷", "cannot tell"}},
                                           {NULL, {NULL}}};

static const sheet_column lights_cols[] = {
    {"id", {"项目编号", "項目編號", "project"}, false, false, NULL},
    {"name", {"项目名称", "項目名稱", "name"}, false, false, NULL},
    {"chain", {"产业链", "產業鏈", "chain"}, false, false, NULL},
    {"division", {"所在市（区）", "所在市（區）", "division"}, false, false, NULL},
    {"stage", {"阶段", "階段", "stage"}, false, true, NULL},
    {"planned_completion", {"计划竣工", "計劃竣工", "planned completion"}, false, true, NULL},
    {"actual_progress", {"实际进度", "實際進度", "actual"}, true, false, NULL},
    {"planned_progress", {"计划进度", "計劃進度", "planned"}, true, false, NULL},
    {"behind", {"落后", "落後", "behind"}, true, false, NULL},
    {"light", {"亮灯", "亮燈", "light"}, false, false, analysis_light_words},
    {"days_late", {"逾期天数", "逾期天數", "days late"}, true, false, NULL},
    {"missing", {"缺少", "缺少", "missing"}, false, false, NULL},
};

/* The counts by light of each chain or division: the group's column, then the lights. */
#define COUNT_COL(key, zh_cn, zh_tw, en, numeric)                                                                                  \
    {                                                                                                                              \
        key, {zh_cn, zh_tw, en}, numeric, false, NULL                                                                              \
    }
#define COUNT_COLS(key, zh_cn, zh_tw, en)                                                                                          \
    {                                                                                                                              \
        COUNT_COL(key, zh_cn, zh_tw, en, false), COUNT_COL("green", "绿灯", "綠燈", "green", true),                                \
            COUNT_COL("yellow", "黄灯", "黃燈", "yellow", true), COUNT_COL("red", "红灯", "紅燈", "red", true),                    \
            COUNT_COL("cannot_tell", "无法判断", "無法判斷", "cannot tell", true)                                                  \
    }
static const sheet_column by_chain_cols[] = COUNT_COLS("chain", "产业链", "產業鏈", "chain");
static const sheet_column by_division_cols[] = COUNT_COLS("division", "所在市（区）", "所在市（區）", "division");

static size_t lights_parts(json_t *doc, int lang, sheet_part parts[SHEET_MAX_PARTS])
{
    json_t *rows = json_array(), *p, *c;
    size_t i, j;
    json_array_foreach(json_object_get(doc, "projects"), i, p)
    {
        json_t *row = json_deep_copy(p);
        json_array_foreach(json_object_get(doc, "cannot_tell"), j, c)
        {
            if (json_equal(json_object_get(c, "id"), json_object_get(p, "id")))
                json_object_set_new(row, "missing", joined(json_object_get(c, "missing"), list_sep[lang]));
        }
        json_array_append_new(rows, row);
    }
    parts[0] = PART("项目亮灯", "項目亮燈", "projects", lights_cols, rows);
    parts[1] = PART("按产业链", "按產業鏈", "by chain", by_chain_cols, json_incref(json_object_get(doc, "by_chain")));
    parts[2] = PART("按市（区）", "按市（區）", "by division", by_division_cols, json_incref(json_object_get(doc, "by_division")));
    return 3;
}

/* ---- clusters progress -------------------------------------------------------------------- */

static const sheet_column progress_cols[] = {
    {"code", {"集群", "集群", "cluster"}, false, false, NULL},
    {"name", {"名称", "名稱", "name"}, false, false, NULL},
    {"output", {"产值（元）", "產值（元）", "output (yuan)"}, true, false, NULL},
    {"prior_output", {"上年产值（元）", "上年產值（元）", "prior year (yuan)"}, true, false, NULL},
    {"growth", {"增长率", "增長率", "growth"}, true, false, NULL},
    {"above_scale_enterprises", {"规上企业数", "規上企業數", "above-size firms"}, true, false, NULL},
    {"target_output_2025", {"2025年目标（元）", "2025年目標（元）", "2025 target (yuan)"}, true, false, NULL},
    {"needed_growth", {"尚需年均增长", "尚需年均增長", "yearly growth needed"}, true, false, NULL},
    {"chains", {"产业链（产值占比）", "產業鏈（產值佔比）", "chains (share of output)"}, false, false, NULL},
};

static size_t progress_parts(json_t *doc, int lang, sheet_part parts[SHEET_MAX_PARTS])
{
    json_t *rows = json_array(), *c, *ch;
    size_t i, j;
    json_array_foreach(json_object_get(doc, "clusters"), i, c)
    {
        json_t *row = json_deep_copy(c), *carriers = json_array();
        json_array_foreach(json_object_get(c, "chains"), j, ch)
        {
            json_t *share = json_object_get(ch, "share");
            json_array_append_new(carriers, json_sprintf("%s %s", json_string_value(json_object_get(ch, "code")),
                                                         json_is_string(share) ? json_string_value(share) : "-"));
        }
        json_object_set_new(row, "chains", joined(carriers, list_sep[lang]));
        json_decref(carriers);
        json_array_append_new(rows, row);
    }
    parts[0] = PART("集群目标进度", "集群目標進度", "clusters", progress_cols, rows);
    return 1;
}

/* ---- the commands ------------------------------------------------------------------------- */

typedef enum which { DIAGNOSE, LIGHTS, PROGRESS } which;

static int compute(store *st, which w, const analysis_opts *o, const thresholds *th, json_t **doc, lz_err *err)
{
    switch (w) {
    case DIAGNOSE:
        return diagnosis_run(
            st,
            &(diagnosis_request){.year = o->year, .chain = o->chain, .lang = (policy_lang)o->lang, .by_customer = o->by_customer},
            th, doc, err);
    case LIGHTS:
        return lights_run(st, o->date, &(lights_filter){.chain = o->chain}, th, doc, err);
    default:
        return progress_run(st, o->year, o->chain, doc, err);
    }
}

static int run_analysis(const command *cmd, which w, const char *sub, int argc, char **argv)
{
    static const char *const allowed[] = {[DIAGNOSE] = "--year --chain --by --format --lang --config -o",
                                          [LIGHTS] = "--date --chain --format --lang --config -o",
                                          [PROGRESS] = "--year --chain --format --lang --config -o"};
    analysis_opts o;
    if (argc < 3 || strcmp(argv[1], sub) != 0)
        return cli_usage(cmd);
    int bad = analysis_opts_parse(argc, argv, 3, allowed[w], &o);
    if (bad != EXIT_OK)
        return bad == EXIT_USAGE ? cli_usage(cmd) : bad;
    if ((w == LIGHTS && !o.has_date) || (w != LIGHTS && !o.has_year))
        return cli_usage(cmd);
    thresholds th;
    lz_err err = {0};
    lz_err no_folder = {0}; /* without a policy folder the built-in thresholds serve */
    if (cli_load_thresholds(o.config, cli_policy_dir(NULL, "--config", &no_folder), &th, &err) < 0)
        return cli_fail(&err);
    store *st;
    if (store_open(&st, argv[2], STORE_READONLY | STORE_MAPPED, &err) < 0)
        return cli_fail(&err);
    json_t *doc = NULL;
    int rc = store_read_begin_twin(st, &err); /* one snapshot for the analysis's several reads, the city's split over its twin */
    if (rc == 0)
        rc = compute(st, w, &o, &th, &doc, &err);
    if (rc < 0) {
        store_close(st);
        return cli_fail(&err);
    }
    parts_fn flatten = w == DIAGNOSE ? diagnosis_parts : w == LIGHTS ? lights_parts : progress_parts;
    return cli_close_emitting(st, emit, &(analysis_result){&o, doc, flatten});
}

static int run_chain(int argc, char **argv)
{
    return run_analysis(&cmd_chain, DIAGNOSE, "diagnose", argc, argv);
}

static int run_projects(int argc, char **argv)
{
    return run_analysis(&cmd_projects, LIGHTS, "lights", argc, argv);
}

static int run_clusters(int argc, char **argv)
{
    return run_analysis(&cmd_clusters, PROGRESS, "progress", argc, argv);
}

#define COMMON_OPTS                                                                                                                \
    "  --format   table (default), json (what the API returns), csv, or xlsx with -o FILE\n"                                       \
    "  --lang     zh-CN, zh-TW or en (default from LANG)\n"                                                                        \
    "  --config   the thresholds file (default: " THRESHOLDS_FILE " in the policy folder, " CLI_POLICY_DEFAULTS ",\n"              \
    "             when present, else built in)\n"

const command cmd_chain = {
    "chain", "diagnose a chain: local supply rate, weak segments, breaks",
    "lianzhang chain diagnose DB --year Y [--chain CODE] [--by customer] [--format F] [--lang L] [--config FILE]\n"
    "                         [-o FILE]\n"
    "  Each segment of the chain (every chain without --chain) in year Y: local enterprises, output\n"
    "  and its concentration, purchases of the chain's local members and the share bought locally,\n"
    "  a label (missing, thin, strong) with its reasons, and the supply edges with no local flow.\n"
    "  --by customer adds each local chain master's and backbone enterprise's own local supply rate\n"
    "  (first in the table and workbook, alone in CSV).\n" COMMON_OPTS,
    run_chain};

const command cmd_projects = {
    "projects", "light the key projects: green, yellow, red, or cannot tell",
    "lianzhang projects lights DB --date D [--chain CODE] [--format F] [--lang L] [--config FILE] [-o FILE]\n"
    "  Each project's progress from its stage against the plan's elapsed share at date D (YYYY-MM-DD):\n"
    "  green behind by under 10 points, yellow 10 to 30, red over 30 or past the planned completion.\n"
    "  Counts per chain and division; projects missing a date are listed with what is missing.\n" COMMON_OPTS,
    run_projects};

const command cmd_clusters = {"clusters", "each cluster's output against its 2025 target",
                              "lianzhang clusters progress DB --year Y [--chain CODE] [--format F] [--lang L] [-o FILE]\n"
                              "  Each cluster's output in year Y (local members of its chains, each once), above-size firms,\n"
                              "  growth on Y-1, the 2025 target, the yearly growth still needed and the chains that carry it.\n"
                              "  With --chain, only that chain's cluster.\n" COMMON_OPTS,
                              run_clusters};
