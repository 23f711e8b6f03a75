/*
 * cmd_report — the chain leader's workbook: `lianzhang report DB --year Y -o report.xlsx` puts the
 * analyses a leader reads together in one XLSX file. A summary sheet holds the clusters against
 * their 2025 targets (clusters progress) with a bar chart, and per chain its segments by label,
 * its local supply rate (chain diagnose) and its projects by light at --date (projects lights).
 * The summary also has the investment targets by stage with a funnel chart, the appeals as they
 * stand, and the ledger's awards per policy and per department (overview.h's work lists).
 * Each chain then has its own sheet: its segments with labels and reasons, its projects with their
 * lights, its candidates for chain master on the ten criteria (masters evaluate), its targets by
 * stage, its appeals, the awards of its confirmed members per policy and department, and a
 * column chart of segment output coloured by label. It is presentation only: the
 * figures are the analyses' JSON documents, the same the API returns; money keeps its two
 * decimals and ratios show as percentages.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

#include "analysis/city.h"
#include "analysis/diagnosis.h"
#include "analysis/lights.h"
#include "analysis/masters.h"
#include "analysis/overview.h"
#include "analysis/progress.h"
#include "cli/analysis_opts.h"
#include "cli/commands.h"
#include "core/strbuf.h"
#include "exchange/xlsx_write.h"
#include "model/tables.h"

/* The analyses the workbook shows; each a new reference. `work` holds the work lists of the whole
 * report (targets, appeals, awards, departments), `chain_work` those of each chain by its code. */
typedef struct report_docs {
    json_t *progress, *diagnosis, *lights, *masters, *work, *chain_work;
} report_docs;

/* The workbook being written and its formats. */
typedef struct report_book {
    lxw_workbook *wb;
    xlsx_formats f;
    lxw_format *ratio; /* 0.00% */
    lxw_format *count; /* whole numbers */
    int lang;
} report_book;

/* A column of a sheet: its member in the row objects, heading and the words of its codes. */
typedef struct report_column {
    const char *key;
    const char *heading[3];
    const sheet_word *words; /* NULL: shown as it is */
    bool numeric;            /* decimal strings become numbers; other columns keep their text */
} report_column;

#define NCOLS(a) ((lxw_col_t)(sizeof a / sizeof a[0]))

static const report_column cluster_cols[] = {
    {"code", {"集群", "集群", "cluster"}, NULL, false},
    {"name", {"名称", "名稱", "name"}, NULL, false},
    {"output", {"产值（元）", "產值（元）", "output (yuan)"}, NULL, true},
    {"target_output_2025", {"2025年目标（元）", "2025年目標（元）", "2025 target (yuan)"}, NULL, true},
    {"growth", {"增长率", "增長率", "growth"}, NULL, true},
    {"needed_growth", {"尚需年均增长", "尚需年均增長", "yearly growth needed"}, NULL, true},
};

static const report_column chain_cols[] = {
    {"code", {"产业链", "產業鏈", "chain"}, NULL, false},
    {"name", {"名称", "名稱", "name"}, NULL, false},
    {"output", {"产值（元）", "產值（元）", "output (yuan)"}, NULL, true},
    {"local_supply_rate", {"本地配套率", "本地配套率", "local supply rate"}, NULL, true},
    {"missing", {"缺失环节", "缺失環節", "missing segments"}, NULL, true},
    {"thin", {"薄弱环节", "薄弱環節", "thin segments"}, NULL, true},
    {"strong", {"较强环节", "較強環節", "strong segments"}, NULL, true},
    {"green", {"绿灯", "綠燈", "green"}, NULL, true},
    {"yellow", {"黄灯", "黃燈", "yellow"}, NULL, true},
    {"red", {"红灯", "紅燈", "red"}, NULL, true},
    {"cannot_tell", {"无法判断", "無法判斷", "cannot tell"}, NULL, true},
};

static const report_column segment_cols[] = {
    {"code", {"环节", "環節", "segment"}, NULL, false},
    {"name", {"名称", "名稱", "name"}, NULL, false},
    {"label", {"评价", "評價", "label"}, analysis_label_words, false},
    {"local_enterprises", {"本地企业数", "本地企業數", "local firms"}, NULL, true},
    {"output", {"产值（元）", "產值（元）", "output (yuan)"}, NULL, true},
    {"local_supply_rate", {"本地配套率", "本地配套率", "local supply rate"}, NULL, true},
    {"reasons", {"判断依据", "判斷依據", "reasons"}, NULL, false},
};

static const report_column project_cols[] = {
    {"id", {"项目编号", "項目編號", "project"}, NULL, false},
    {"name", {"项目名称", "項目名稱", "name"}, NULL, false},
    {"light", {"亮灯", "亮燈", "light"}, analysis_light_words, false},
    {"actual_progress", {"实际进度", "實際進度", "actual"}, NULL, true},
    {"planned_progress", {"计划进度", "計劃進度", "planned"}, NULL, true},
    {"days_late", {"逾期天数", "逾期天數", "days late"}, NULL, true},
};

static const sheet_word stage_words[] = {
    {"lead", {"线索", "線索", "lead"}},           {"contacted", {"已接触", "已接觸", "contacted"}},
    {"visited", {"已拜访", "已拜訪", "visited"}}, {"negotiating", {"洽谈中", "洽談中", "negotiating"}},
    {"signed", {"已签约", "已簽約", "signed"}},   {"landed", {"已落地", "已落地", "landed"}},
    {"lost", {"已流失", "已流失", "lost"}},       {NULL, {NULL}}};

static const report_column master_cols[] = {
    {"rank", {"排名", "排名", "rank"}, NULL, true},
    {"name", {"企业名称", "企業名稱", "name"}, NULL, false},
    {"uscc", {"统一社会信用代码", "統一社會信用代碼", "USCC"}, NULL, false},
    {"role", {"角色", "角色", "role"}, masters_role_words, false},
    {"score", {"得分", "得分", "score"}, NULL, true},
    {"status", {"建议", "建議", "status"}, masters_status_words, false},
    {"gate", {"未过门槛", "未過門檻", "gate failed"}, NULL, false},
    {"sensitivity", {"权重±20%时名次变化", "權重±20%時名次變化", "rank moves when a weight moves ±20%"}, NULL, false},
};

static const report_column target_cols[] = {
    {"stage", {"招商阶段", "招商階段", "stage"}, stage_words, false},
    {"targets", {"目标数", "目標數", "targets"}, NULL, true},
    {"expected_investment", {"预计投资（元）", "預計投資（元）", "expected investment (yuan)"}, NULL, true},
};

static const report_column appeal_cols[] = {
    {"open", {"办理中诉求", "辦理中訴求", "open appeals"}, NULL, true},
    {"overdue", {"其中逾期", "其中逾期", "of which overdue"}, NULL, true},
    {"closed_on_time", {"按时办结", "按時辦結", "closed on time"}, NULL, true},
    {"closed_late", {"逾期办结", "逾期辦結", "closed late"}, NULL, true},
    {"average_rating", {"平均评价", "平均評價", "average rating"}, NULL, true},
};

static const report_column award_cols[] = {
    {"policy", {"政策", "政策", "policy"}, NULL, false},
    {"department", {"主管部门", "主管部門", "department"}, NULL, false},
    {"decided", {"核定笔数", "核定筆數", "awards decided"}, NULL, true},
    {"decided_amount", {"核定金额（元）", "核定金額（元）", "decided (yuan)"}, NULL, true},
    {"paid", {"已拨付笔数", "已撥付筆數", "awards paid"}, NULL, true},
    {"paid_amount", {"已拨付金额（元）", "已撥付金額（元）", "paid (yuan)"}, NULL, true},
};

static const report_column department_cols[] = {
    {"department", {"主管部门", "主管部門", "department"}, NULL, false},
    {"decided", {"核定笔数", "核定筆數", "awards decided"}, NULL, true},
    {"decided_amount", {"核定金额（元）", "核定金額（元）", "decided (yuan)"}, NULL, true},
    {"paid", {"已拨付笔数", "已撥付筆數", "awards paid"}, NULL, true},
    {"paid_amount", {"已拨付金额（元）", "已撥付金額（元）", "paid (yuan)"}, NULL, true},
};

static const char *const summary_title[3] = {"汇总", "匯總", "summary"};
static const char *const chain_total_name[3] = {"全链合计", "全鏈合計", "whole chain"};
static const char *const series_output[3] = {"产值", "產值", "output"};
static const char *const series_target[3] = {"2025年目标", "2025年目標", "2025 target"};
static const char *const series_targets[3] = {"招商目标数", "招商目標數", "investment targets"};
static const lxw_color_t label_colors[] = {LXW_COLOR_RED, LXW_COLOR_ORANGE, LXW_COLOR_GREEN}; /* missing, thin, strong */

/* ---- cells ------------------------------------------------------------------------------------ */

/* Writes v of column col: an integer as a count; in a numeric column a decimal string as money
 * (2 decimals) or a ratio (4 decimals, shown as a percentage); other text as it is or as its word;
 * null as an empty cell. */
static void write_value(report_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *v, const report_column *col)
{
    if (json_is_integer(v)) {
        worksheet_write_number(ws, r, c, (double)json_integer_value(v), b->count);
        return;
    }
    if (!json_is_string(v))
        return;
    const char *s = json_string_value(v), *dot = strchr(s, '.');
    char *end;
    double x = strtod(s, &end);
    if (col->numeric && dot && *end == '\0' && end != s) {
        worksheet_write_number(ws, r, c, x, strlen(dot + 1) == 4 ? b->ratio : b->f.money);
        return;
    }
    for (const sheet_word *w = col->words; w && w->code; w++)
        if (strcmp(w->code, s) == 0)
            s = w->word[b->lang];
    worksheet_write_string(ws, r, c, s, NULL);
}

static void write_heading(report_book *b, lxw_worksheet *ws, lxw_row_t r, const report_column *cols, lxw_col_t n)
{
    for (lxw_col_t c = 0; c < n; c++)
        worksheet_write_string(ws, r, c, cols[c].heading[b->lang], b->f.head);
}

static void write_row(report_book *b, lxw_worksheet *ws, lxw_row_t r, const report_column *cols, lxw_col_t n, json_t *row)
{
    for (lxw_col_t c = 0; c < n; c++)
        write_value(b, ws, r, c, json_object_get(row, cols[c].key), &cols[c]);
}

/* Writes a heading at row r and the rows of list under it; returns the row after the last. */
static lxw_row_t write_table(report_book *b, lxw_worksheet *ws, lxw_row_t r, const report_column *cols, lxw_col_t n, json_t *list)
{
    write_heading(b, ws, r++, cols, n);
    json_t *row;
    size_t i;
    json_array_foreach(list, i, row) write_row(b, ws, r++, cols, n, row);
    return r;
}

/* ---- work lists ------------------------------------------------------------------------------- */

/* The targets per stage of a work-list document in the stages' declared order, every stage
 * present (a funnel shows its empty stages too). New reference. */
static json_t *stage_rows(json_t *work)
{
    const table *t = tables_find("targets");
    const column *stage = &t->cols[table_column_index(t, "stage")];
    json_t *rows = json_array(), *e;
    size_t i;
    for (const char *const *v = stage->values; *v; v++) {
        json_t *row = json_pack("{s:s, s:i, s:s}", "stage", *v, "targets", 0, "expected_investment", "0.00");
        json_array_foreach(json_object_get(work, "targets"), i, e)
        {
            if (strcmp(json_string_value(json_object_get(e, "stage")), *v) == 0)
                json_object_update(row, e);
        }
        json_array_append_new(rows, row);
    }
    return rows;
}

/* A bar chart of the targets per stage (rows first..first+n-1 of column 1), the first stage on
 * top as a funnel reads. */
static void funnel_chart(report_book *b, lxw_worksheet *ws, const char *sheet, lxw_row_t first, lxw_row_t n, lxw_row_t at,
                         lxw_col_t col)
{
    lxw_chart *chart = workbook_add_chart(b->wb, LXW_CHART_BAR);
    lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
    chart_series_set_categories(s, sheet, first, 0, first + n - 1, 0);
    chart_series_set_values(s, sheet, first, 1, first + n - 1, 1);
    chart_series_set_name(s, series_targets[b->lang]);
    chart_axis_set_reverse(chart->y_axis);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    worksheet_insert_chart(ws, at, col, chart);
}

/* The targets by stage (with the funnel chart at column chart_col), then the appeals, from row r;
 * returns the row after them. */
static lxw_row_t write_work_lists(report_book *b, lxw_worksheet *ws, const char *sheet, lxw_row_t r, json_t *work,
                                  lxw_col_t chart_col)
{
    json_t *stages = stage_rows(work), *appeals = json_pack("[O]", json_object_get(work, "appeals"));
    lxw_row_t first = r + 1, end = write_table(b, ws, r, target_cols, NCOLS(target_cols), stages);
    funnel_chart(b, ws, sheet, first, end - first, r, chart_col);
    end = write_table(b, ws, end + 1, appeal_cols, NCOLS(appeal_cols), appeals);
    end = write_table(b, ws, end + 1, award_cols, NCOLS(award_cols), json_object_get(work, "awards"));
    end = write_table(b, ws, end + 1, department_cols, NCOLS(department_cols), json_object_get(work, "departments"));
    json_decref(stages);
    json_decref(appeals);
    return end;
}

/* ---- the summary ------------------------------------------------------------------------------ */

/* The entry of list whose `key` equals code (a string), or NULL. */
static json_t *find_by(json_t *list, const char *key, const char *code)
{
    json_t *e;
    size_t i;
    json_array_foreach(list, i, e)
    {
        json_t *k = json_object_get(e, key);
        if (json_is_string(k) && strcmp(json_string_value(k), code) == 0)
            return e;
    }
    return NULL;
}

/* A chain's summary row: diagnosis figures, its segments counted by label, its projects by light. New reference. */
static json_t *chain_summary(json_t *chain, json_t *by_chain)
{
    json_t *row = json_pack("{sOsOsOsO}", "code", json_object_get(chain, "code"), "name", json_object_get(chain, "name"), "output",
                            json_object_get(chain, "output"), "local_supply_rate", json_object_get(chain, "local_supply_rate"));
    for (const sheet_word *w = analysis_label_words; w->code; w++)
        json_object_set_new(row, w->code, json_integer(0));
    json_t *s;
    size_t i;
    json_array_foreach(json_object_get(chain, "segments"), i, s)
    {
        const char *label = json_string_value(json_object_get(s, "label"));
        json_t *n = label ? json_object_get(row, label) : NULL;
        if (n)
            json_integer_set(n, json_integer_value(n) + 1);
    }
    json_t *lights = find_by(by_chain, "chain", json_string_value(json_object_get(chain, "code")));
    for (const sheet_word *w = analysis_light_words; w->code; w++)
        json_object_set_new(row, w->code, json_integer(lights ? json_integer_value(json_object_get(lights, w->code)) : 0));
    return row;
}

/* A bar chart of the clusters' output against target, rows 1..n of the summary sheet. */
static void cluster_chart(report_book *b, lxw_worksheet *ws, const char *sheet, lxw_row_t n, lxw_row_t at)
{
    lxw_chart *chart = workbook_add_chart(b->wb, LXW_CHART_BAR);
    const lxw_col_t value_cols[2] = {2, 3};
    const char *const *names[2] = {series_output, series_target};
    for (int i = 0; i < 2; i++) {
        lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(s, sheet, 1, 1, n, 1);
        chart_series_set_values(s, sheet, 1, value_cols[i], n, value_cols[i]);
        chart_series_set_name(s, names[i][b->lang]);
    }
    worksheet_insert_chart(ws, at, 0, chart);
}

static void write_summary(report_book *b, const report_docs *d)
{
    const char *title = summary_title[b->lang];
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, title);
    json_t *clusters = json_object_get(d->progress, "clusters");
    lxw_row_t r = write_table(b, ws, 0, cluster_cols, NCOLS(cluster_cols), clusters);
    json_t *rows = json_array(), *c;
    size_t i;
    json_array_foreach(json_object_get(d->diagnosis, "chains"), i, c)
        json_array_append_new(rows, chain_summary(c, json_object_get(d->lights, "by_chain")));
    lxw_row_t end = write_table(b, ws, r + 1, chain_cols, NCOLS(chain_cols), rows);
    json_decref(rows);
    end = write_work_lists(b, ws, title, end + 1, d->work, NCOLS(chain_cols) + 1);
    if (json_array_size(clusters) > 0)
        cluster_chart(b, ws, title, (lxw_row_t)json_array_size(clusters), end + 1);
    worksheet_set_column(ws, 0, NCOLS(chain_cols) - 1, 16, NULL);
    worksheet_freeze_panes(ws, 1, 0);
}

/* ---- one sheet per chain ---------------------------------------------------------------------- */

/* A column chart of the segments' output (rows 1..n), each column coloured by its label. */
static void segment_chart(report_book *b, lxw_worksheet *ws, const char *sheet, json_t *segments, lxw_row_t at)
{
    lxw_row_t n = (lxw_row_t)json_array_size(segments);
    lxw_chart *chart = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
    lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
    chart_series_set_categories(s, sheet, 1, 1, n, 1);
    chart_series_set_values(s, sheet, 1, 4, n, 4);
    chart_series_set_name(s, series_output[b->lang]);
    lxw_chart_fill *fills = calloc(n + 1, sizeof *fills);
    lxw_chart_point *points = calloc(n + 1, sizeof *points);
    lxw_chart_point **list = calloc(n + 1, sizeof *list);
    json_t *seg;
    size_t i;
    json_array_foreach(segments, i, seg)
    {
        if (!fills || !points || !list)
            break;
        size_t k = 0;
        const char *label = json_string_value(json_object_get(seg, "label"));
        while (label && analysis_label_words[k].code && strcmp(analysis_label_words[k].code, label) != 0)
            k++;
        fills[i] = (lxw_chart_fill){.color = label_colors[k < 3 ? k : 0]};
        points[i] = (lxw_chart_point){.fill = &fills[i]};
        list[i] = &points[i];
    }
    if (fills && points && list)
        chart_series_set_points(s, list); /* copies the points */
    free(fills);
    free(points);
    free(list);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    worksheet_insert_chart(ws, at, 0, chart);
}

/* The chain's segments with the reasons joined, and the whole chain's row last. New reference. */
static json_t *segment_rows(json_t *chain, int lang)
{
    static const char *const sep[3] = {"；", "；", "; "};
    json_t *rows = json_array(), *s, *reason;
    size_t i, j;
    json_array_foreach(json_object_get(chain, "segments"), i, s)
    {
        json_t *row = json_deep_copy(s);
        strbuf reasons;
        strbuf_init(&reasons);
        json_array_foreach(json_object_get(s, "reasons"), j, reason)
        {
            if (j)
                strbuf_puts(&reasons, sep[lang]);
            strbuf_puts(&reasons, json_string_value(reason));
        }
        json_object_set_new(row, "reasons", json_string(reasons.data ? reasons.data : ""));
        strbuf_free(&reasons);
        json_array_append_new(rows, row);
    }
    json_t *total = json_pack("{ssss}", "code", json_string_value(json_object_get(chain, "code")), "name", chain_total_name[lang]);
    json_object_set(total, "output", json_object_get(chain, "output"));
    json_object_set(total, "local_supply_rate", json_object_get(chain, "local_supply_rate"));
    json_array_append_new(rows, total);
    return rows;
}

/* The projects of chain code. New reference. */
static json_t *project_rows(json_t *projects, const char *code)
{
    json_t *rows = json_array(), *p;
    size_t i;
    json_array_foreach(projects, i, p)
    {
        json_t *c = json_object_get(p, "chain");
        if (json_is_string(c) && strcmp(json_string_value(c), code) == 0)
            json_array_append(rows, p);
    }
    return rows;
}

/* The candidates of chain code as the `masters evaluate` table lists them. New reference. */
static json_t *master_rows(json_t *masters, const char *code)
{
    json_t *rows = cli_masters_rows(masters), *kept = json_array(), *row;
    size_t i;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(json_string_value(json_object_get(row, "chain")), code) == 0)
            json_array_append(kept, row);
    }
    json_decref(rows);
    return kept;
}

static void write_chain(report_book *b, json_t *chain, const report_docs *d)
{
    const char *code = json_string_value(json_object_get(chain, "code"));
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, code);
    json_t *segs = segment_rows(chain, b->lang), *projs = project_rows(json_object_get(d->lights, "projects"), code);
    json_t *masters = master_rows(d->masters, code);
    lxw_row_t r = write_table(b, ws, 0, segment_cols, NCOLS(segment_cols), segs);
    r = write_table(b, ws, r + 1, project_cols, NCOLS(project_cols), projs);
    r = write_table(b, ws, r + 1, master_cols, NCOLS(master_cols), masters);
    lxw_row_t end = write_work_lists(b, ws, code, r + 1, json_object_get(d->chain_work, code), NCOLS(segment_cols) + 1);
    json_decref(masters);
    if (json_array_size(json_object_get(chain, "segments")) > 0) /* no range to chart otherwise */
        segment_chart(b, ws, code, json_object_get(chain, "segments"), end + 1);
    json_decref(segs);
    json_decref(projs);
    worksheet_set_column(ws, 0, NCOLS(segment_cols) - 2, 16, NULL);
    worksheet_set_column(ws, NCOLS(segment_cols) - 1, NCOLS(segment_cols) - 1, 60, NULL);
    worksheet_freeze_panes(ws, 1, 0);
}

static int write_workbook(const char *path, int lang, const report_docs *d, lz_err *err)
{
    report_book b = {.wb = workbook_new(path), .lang = lang};
    if (!b.wb)
        return err_set(err, LZ_EINPUT, "%s: cannot create the workbook", path);
    xlsx_formats_add(b.wb, &b.f);
    b.ratio = workbook_add_format(b.wb);
    format_set_num_format(b.ratio, "0.00%");
    b.count = workbook_add_format(b.wb);
    format_set_num_format(b.count, "0");
    write_summary(&b, d);
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(d->diagnosis, "chains"), i, c)
    {
        /* a chain code Excel cannot take as a sheet name is the data's to fix, not a crash */
        const char *code = json_string_value(json_object_get(c, "code"));
        lxw_error bad = workbook_validate_sheet_name(b.wb, code);
        if (bad != LXW_NO_ERROR) {
            xlsx_close(b.wb, bad, path, "the report", err);
            remove(path);
            return err_set(err, LZ_EINPUT, "chain %s: cannot name a worksheet after it: %s", code, lxw_strerror(bad));
        }
        write_chain(&b, c, d);
    }
    return xlsx_close(b.wb, LXW_NO_ERROR, path, "the report", err);
}

/* ---- the command ------------------------------------------------------------------------------ */

/* What the report reads besides the store: the analyses' thresholds, the masters' criteria and
 * the policies (for the awards' departments). */
typedef struct report_inputs {
    thresholds th;
    masters_criteria criteria;
    policy_set *set;
} report_inputs;

/* The targets and appeals of each chain of the diagnosis, by chain code. */
static int chain_work_lists(store *st, overview_request rq, json_t *diagnosis, json_t *out, lz_err *err)
{
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(diagnosis, "chains"), i, c)
    {
        rq.chain = json_string_value(json_object_get(c, "code"));
        json_t *work = json_object();
        json_object_set_new(out, rq.chain, work);
        if (overview_work_lists(st, &rq, work, err) < 0)
            return -1;
    }
    return 0;
}

/* A chain sheet lists the head of the masters' ranking and whoever holds a place: a city's chain
 * has thousands of members, the leader reads the first. */
static const masters_listing report_masters = {.top = 30};

static int compute(store *st, const analysis_opts *o, const report_inputs *in, report_docs *d, lz_err *err)
{
    overview_request rq = {.year = o->year, .date = o->date, .chain = o->chain, .set = in->set, .lang = (policy_lang)o->lang};
    d->work = json_object();
    d->chain_work = json_object();
    city *c = NULL;
    int rc = store_read_begin_twin(st, err); /* one snapshot for every analysis, the city's split over its twin */
    if (rc == 0)                             /* once for the clusters, the chains, the masters */
        rc = city_load(st, o->year, o->chain ? CITY_GROWTH : CITY_MASTERS | CITY_NAMES, &c, err);
    if (rc == 0)
        rc = progress_run_on(st, c, o->year, o->chain, &d->progress, err);
    if (rc == 0)
        rc = diagnosis_run(st, &(diagnosis_request){.year = o->year, .chain = o->chain, .lang = (policy_lang)o->lang, .city = c},
                           &in->th, &d->diagnosis, err);
    if (rc == 0)
        rc = masters_run_on(st, c, o->year, o->chain, &in->criteria, &report_masters, &d->masters, err);
    city_free(c);
    if (rc == 0)
        rc = lights_run(st, o->date, &(lights_filter){.chain = o->chain}, &in->th, &d->lights, err);
    if (rc == 0)
        rc = overview_work_lists(st, &rq, d->work, err);
    if (rc == 0)
        rc = chain_work_lists(st, rq, d->diagnosis, d->chain_work, err);
    store_read_end(st);
    return rc;
}

/* The thresholds, criteria and policies of --config or the policy folder; without a folder (or
 * one that does not exist) the built-in thresholds and criteria serve and the awards go without
 * departments. */
static int load_inputs(const analysis_opts *o, report_inputs *in, lz_err *err)
{
    lz_err no_folder = {0};
    const char *dir = cli_policy_dir(NULL, "--config", &no_folder);
    int rc = cli_load_thresholds(o->config, dir, &in->th, err);
    if (rc == 0)
        rc = cli_load_masters_criteria(NULL, dir, &in->criteria, err);
    struct stat sb;
    if (rc == 0 && dir && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        rc = cli_policy_set_load(dir, &in->set, err);
    return rc;
}

static int run_report(int argc, char **argv)
{
    analysis_opts o;
    if (argc < 2)
        return cli_usage(&cmd_report);
    int bad = analysis_opts_parse(argc, argv, 2, "--year --chain --date --lang --config -o", &o);
    if (bad != EXIT_OK)
        return bad == EXIT_USAGE ? cli_usage(&cmd_report) : bad;
    if (!o.output)
        return fprintf(stderr, "lianzhang report: the workbook is a file: name it with -o FILE.xlsx\n"), EXIT_USAGE;
    if (!o.has_year)
        return cli_usage(&cmd_report);
    size_t len = strlen(o.output);
    if (len < 5 || strcasecmp(o.output + len - 5, ".xlsx") != 0)
        return fprintf(stderr, "lianzhang report: %s: the workbook is XLSX: name the file .xlsx\n", o.output), EXIT_USAGE;
    report_inputs in = {.set = NULL};
    lz_err err = {0};
    store *st = NULL;
    report_docs d = {NULL, NULL, NULL, NULL, NULL, NULL};
    int rc = load_inputs(&o, &in, &err);
    if (rc == 0)
        rc = store_open(&st, argv[1], STORE_READONLY | STORE_MAPPED, &err);
    if (rc == 0)
        rc = compute(st, &o, &in, &d, &err);
    if (st)
        store_close(st);
    if (rc == 0)
        rc = write_workbook(o.output, o.lang, &d, &err);
    policy_set_free(in.set);
    json_t *docs[] = {d.progress, d.diagnosis, d.lights, d.masters, d.work, d.chain_work};
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        json_decref(docs[i]);
    return rc < 0 ? cli_fail(&err) : EXIT_OK;
}

const command cmd_report = {"report", "the chain leader's workbook: clusters, chains, projects and charts in one XLSX file",
                            "lianzhang report DB --year Y [--chain CODE] [--date D] [--lang L] [--config FILE] -o FILE.xlsx\n"
                            "  A summary sheet (each cluster's output against its 2025 target with a bar chart; per chain its\n"
                            "  segments by label, local supply rate and projects by light; the investment targets by stage\n"
                            "  with a funnel chart, the appeals, the awards of award year Y per policy and department) and\n"
                            "  one sheet per chain (segments with labels and reasons, projects with lights, the candidates\n"
                            "  for chain master on the ten criteria, targets by stage with a funnel chart, the appeals, a\n"
                            "  column chart of segment output by label).\n"
                            "  --chain    only that chain and its cluster\n"
                            "  --date     the day the projects are lit on (YYYY-MM-DD, default today)\n"
                            "  --lang     zh-CN, zh-TW or en (default from LANG)\n"
                            "  --config   the thresholds file (default: " THRESHOLDS_FILE
                            " in the policy folder, " CLI_POLICY_DEFAULTS ",\n"
                            "             when present, else built in)\n"
                            "  -o FILE    the workbook to write (.xlsx)\n",
                            run_report};
