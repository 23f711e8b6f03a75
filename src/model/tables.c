/*
 * tables — the definitions behind tables.h. One array per table, in the column order of the
 * published contract (docs/data-model.md); export writes columns in this order. A table whose
 * columns constrain each other has its rule right below its columns.
 */
#include "model/tables.h"

#include <stdio.h>
#include <string.h>

#define KEY (COLF_KEY | COLF_REQUIRED | COLF_INDEXED)
#define REQ COLF_REQUIRED
#define IDX COLF_INDEXED

#define TEXT(n, f, zh)                                                                                                             \
    {                                                                                                                              \
        .name = n, .type = COL_TEXT, .flags = f, .label_zh = zh                                                                    \
    }
#define CODE(n, f, zh)                                                                                                             \
    {                                                                                                                              \
        .name = n, .type = COL_CODE, .flags = f, .label_zh = zh                                                                    \
    }
#define MONEY(n, f, zh)                                                                                                            \
    {                                                                                                                              \
        .name = n, .type = COL_MONEY, .flags = f, .label_zh = zh                                                                   \
    }
#define DATE(n, f, zh)                                                                                                             \
    {                                                                                                                              \
        .name = n, .type = COL_DATE, .flags = f, .label_zh = zh                                                                    \
    }
#define BOOL(n, f, def, zh)                                                                                                        \
    {                                                                                                                              \
        .name = n, .type = COL_BOOL, .flags = f, .default_text = def, .label_zh = zh                                               \
    }
#define ENUM(n, f, vals, def, zh)                                                                                                  \
    {                                                                                                                              \
        .name = n, .type = COL_ENUM, .flags = f, .values = vals, .labels_zh = vals##_zh, .default_text = def, .label_zh = zh       \
    }
#define YEAR(n, f, zh)                                                                                                             \
    {                                                                                                                              \
        .name = n, .type = COL_INT, .flags = f, .min = TABLES_YEAR_MIN, .max = TABLES_YEAR_MAX, .label_zh = zh                     \
    }
#define REF(n, type_, f, tbl, col, zh)                                                                                             \
    {                                                                                                                              \
        .name = n, .type = type_, .flags = f, .ref_table = tbl, .ref_column = col, .label_zh = zh                                  \
    }
#define USCC_REF(n, f, zh) REF(n, COL_USCC, f, "enterprises", "uscc", zh)
#define CHAIN_REF(n, f, zh) REF(n, COL_CODE, f, "chains", "code", zh)
#define SEGMENT_REF(n, f, zh)                                                                                                      \
    {                                                                                                                              \
        .name = n, .type = COL_CODE, .flags = f, .ref_table = "segments", .ref_column = "code", .ref_scope = "chain",              \
        .scope_column = "chain", .label_zh = zh                                                                                    \
    }

/* ---- what cross-field rules are made of ---------------------------------------------------------- */

static const cell *col(const table *t, const cell *row, const char *name, int *index)
{
    *index = table_column_index(t, name);
    return *index >= 0 ? &row[*index] : NULL;
}

static bool text_is(const cell *c, const char *s)
{
    return c && c->kind == CELL_TEXT && strcmp(c->s, s) == 0;
}

/* a <= b when both are known (money or ISO dates, which order as text). */
static int check_order(const table *t, const cell *row, const char *lo, const char *hi, const char *what, char *why, size_t whylen)
{
    int il, ih;
    const cell *a = col(t, row, lo, &il), *b = col(t, row, hi, &ih);
    if (!a || !b || a->kind == CELL_NULL || b->kind == CELL_NULL)
        return -1;
    bool bad = a->kind == CELL_INT ? a->i > b->i : strcmp(a->s, b->s) > 0;
    if (!bad)
        return -1;
    snprintf(why, whylen, "%s", what);
    return ih;
}

/* ---- the tables ----------------------------------------------------------------------------------- */

static const char *const source_values[] = {"article", "assumed", NULL};
static const char *const source_values_zh[] = {"文件", "推定", NULL};
static const char *const cluster_kinds[] = {"emerging", "traditional", NULL};
static const char *const cluster_kinds_zh[] = {"新兴", "传统", NULL};
static const char *const stages[] = {"upstream", "midstream", "downstream", NULL};
static const char *const stages_zh[] = {"上游", "中游", "下游", NULL};
static const char *const boards[] = {"none", "main", "star", "chinext", "bse", "hk", "other", NULL};
static const char *const boards_zh[] = {"未上市", "主板", "科创板", "创业板", "北交所", "港股", "其他", NULL};
static const char *const roles[] = {"chain_master", "reserve_master", "backbone", "member", NULL};
static const char *const roles_zh[] = {"链主", "后备链主", "骨干企业", "成员企业", NULL};
/* A chain proposes a membership; the enterprise (or its division, a bureau, an admin) confirms it.
 * Only a confirmed membership puts the enterprise in the chain's scope (http/scope.c). */
static const char *const membership_statuses[] = {"proposed", "confirmed", NULL};
static const char *const membership_statuses_zh[] = {"待确认", "已确认", NULL};
static const char *const project_kinds[] = {"new", "expansion", "tech_upgrade", "other", NULL};
static const char *const project_kinds_zh[] = {"新建", "扩产", "技术改造", "其他", NULL};
static const char *const project_stages[] = {"planned", "signed", "land", "construction", "completed", "producing", NULL};
static const char *const project_stages_zh[] = {"谋划", "签约", "供地", "在建", "竣工", "投产", NULL};
static const char *const person_roles[] = {"executive", "backbone", "other", NULL};
static const char *const person_roles_zh[] = {"高管", "骨干", "其他", NULL};
static const char *const target_stages[] = {"lead", "contacted", "visited", "negotiating", "signed", "landed", "lost", NULL};
static const char *const target_stages_zh[] = {"线索", "已接触", "已拜访", "洽谈中", "已签约", "已落地", "已流失", NULL};
static const char *const levels[] = {"national", "provincial", "municipal", NULL};
static const char *const levels_zh[] = {"国家级", "省级", "市级", NULL};
static const char *const platform_kinds[] = {"innovation_center",
                                             "key_lab",
                                             "new_rd_institution",
                                             "offshore_rd_institution",
                                             "research_institute",
                                             "talent_studio",
                                             "enterprise_tech_center",
                                             "engineering_center",
                                             "public_service",
                                             "other",
                                             NULL};
static const char *const platform_kinds_zh[] = {"创新中心",   "重点实验室",   "新型研发机构",     "离岸研发机构", "研究院",
                                                "人才工作室", "企业技术中心", "工程技术研究中心", "公共服务平台", "其他",
                                                NULL};
static const char *const appeal_statuses[] = {"open", "accepted", "in_progress", "escalated", "resolved", "closed", NULL};
static const char *const appeal_statuses_zh[] = {"待受理", "已受理", "办理中", "已提级", "已办结", "已关闭", NULL};
static const char *const event_kinds[] = {"chain_master_designated", "reserve_master_designated", "talent_studio_established",
                                          "talent_project_landed", "research_institute_established", "research_institute_operating",
                                          "national_innovation_center", "provincial_innovation_center", "national_key_lab",
                                          "new_rd_institution", "offshore_rd_institution", "competition_prize",
                                          "shareholding_reform", "listing_tutoring_filed", "listing_application_accepted", "listed",
                                          "fund_established", "cluster_pool_award", "transfer_pool_award", "other",
                                          /* a reserve master leaves the pool; a master is revoked */
                                          "reserve_master_removed", "chain_master_revoked", NULL};
static const char *const event_kinds_zh[] = {"认定链主",
                                             "认定后备链主",
                                             "设立人才工作室",
                                             "人才项目落地",
                                             "设立研究院",
                                             "研究院运营",
                                             "国家级创新中心",
                                             "省级创新中心",
                                             "国家重点实验室",
                                             "新型研发机构",
                                             "离岸研发机构",
                                             "大赛获奖",
                                             "股份制改造",
                                             "上市辅导备案",
                                             "上市申请受理",
                                             "已上市",
                                             "设立基金",
                                             "集群资金池奖励",
                                             "转移资金池奖励",
                                             "其他",
                                             "移出后备链主",
                                             "撤销链主",
                                             NULL};

static const column divisions[] = {
    {.name = "code", .type = COL_DIVISION, .flags = KEY, .label_zh = "行政区划代码"},
    TEXT("name", REQ | COLF_NAME, "名称"),
};

static const column clusters[] = {
    CODE("code", KEY, "集群代码"),
    TEXT("name", REQ | COLF_NAME, "名称"),
    ENUM("kind", REQ | IDX, cluster_kinds, NULL, "类型"),
    MONEY("target_output_2025", 0, "2025年产值目标"),
    ENUM("source", 0, source_values, "assumed", "来源"),
};

static const column chains[] = {
    CODE("code", KEY, "产业链代码"),
    REF("cluster", COL_CODE, REQ | IDX, "clusters", "code", "所属集群"),
    TEXT("name", REQ | COLF_NAME, "名称"),
    TEXT("lead_department", IDX, "牵头市直部门"),
    {.name = "lead_divisions",
     .type = COL_LIST,
     .item = COL_DIVISION,
     .flags = REQ,
     .min = 1,
     .max = 2,
     .ref_table = "divisions",
     .ref_column = "code",
     .label_zh = "牵头市（区）"},
    TEXT("leader", 0, "链长"),
    ENUM("source", 0, source_values, "assumed", "来源"),
    /* with source article: the fields the article gives; the others are assumed */
    {.name = "article_fields", .type = COL_LIST, .item = COL_CODE, .label_zh = "原文给出的字段", .since_version = 8},
};

static const column segments[] = {
    CHAIN_REF("chain", KEY, "产业链"),
    CODE("code", KEY, "环节代码"),
    TEXT("name", REQ | COLF_NAME, "名称"),
    ENUM("stage", REQ | IDX, stages, NULL, "上中下游"),
    {.name = "feeds",
     .type = COL_LIST,
     .item = COL_CODE,
     .ref_table = "segments",
     .ref_column = "code",
     .ref_scope = "chain",
     .scope_column = "chain",
     .label_zh = "供给环节"},
    ENUM("source", 0, source_values, "assumed", "来源"),
};

static const column enterprises[] = {
    {.name = "uscc", .type = COL_USCC, .flags = KEY, .label_zh = "统一社会信用代码"},
    TEXT("name", REQ | COLF_NAME, "企业名称"),
    REF("division", COL_DIVISION, IDX, "divisions", "code", "所在市（区）"),
    {.name = "industry_code", .type = COL_INDUSTRY, .flags = IDX, .label_zh = "国民经济行业代码"},
    DATE("founded", 0, "成立日期"),
    BOOL("local", 0, "true", "本地企业"),
    ENUM("listing_board", 0, boards, "none", "上市板块"),
    /* 統計局入庫: the year the statistics bureau first entered it above designated size, where recorded */
    {.name = "above_scale_entry_year",
     .type = COL_INT,
     .min = TABLES_YEAR_MIN,
     .max = TABLES_YEAR_MAX,
     .label_zh = "规上入库年份",
     .since_version = 8},
};

static int enterprises_rule(const table *t, const cell *row, char *why, size_t whylen)
{
    int i, j;
    const cell *local = col(t, row, "local", &i), *division = col(t, row, "division", &j);
    if (local->kind == CELL_INT && local->i && division->kind == CELL_NULL) {
        snprintf(why, whylen, "is required for a local enterprise (local=true)");
        return j;
    }
    return -1;
}

static const column memberships[] = {
    USCC_REF("uscc", KEY, "企业"),
    CHAIN_REF("chain", KEY, "产业链"),
    SEGMENT_REF("segment", KEY, "环节"),
    ENUM("role", REQ | IDX, roles, NULL, "角色"),
    /* not indexed: two values only, and an index would lure SQLite away from the chain's */
    ENUM("status", 0, membership_statuses, "confirmed", "确认状态"),
};

static const column indicators[] = {
    USCC_REF("uscc", KEY, "企业"),
    YEAR("year", KEY, "年度"),
    MONEY("output_value", 0, "产值"),
    MONEY("revenue", 0, "主营业务收入"),
    MONEY("value_added", COLF_NEGATIVE, "工业增加值"),
    MONEY("tax_paid", 0, "纳税额"),
    MONEY("rd_expense", 0, "研发投入"),
    {.name = "employees", .type = COL_INT, .min = 0, .max = 10000000, .label_zh = "从业人员"},
    BOOL("above_scale", 0, NULL, "规上企业"),
    MONEY("new_fixed_asset_investment", 0, "新增固定资产投资"),
};

static const column supply_links[] = {
    USCC_REF("supplier", KEY, "供应商"),
    USCC_REF("customer", KEY, "客户"),
    YEAR("year", KEY, "年度"),
    MONEY("amount", REQ, "采购金额"),
};

static int supply_links_rule(const table *t, const cell *row, char *why, size_t whylen)
{
    int i, j;
    const cell *s = col(t, row, "supplier", &i), *c = col(t, row, "customer", &j);
    if (s->kind == CELL_TEXT && c->kind == CELL_TEXT && strcmp(s->s, c->s) == 0) {
        snprintf(why, whylen, "must differ from the supplier");
        return j;
    }
    return -1;
}

static const column projects[] = {
    CODE("id", KEY, "项目编号"),
    USCC_REF("uscc", REQ | IDX, "项目单位"),
    TEXT("name", REQ | COLF_NAME, "项目名称"),
    CHAIN_REF("chain", IDX, "产业链"),
    REF("division", COL_DIVISION, IDX, "divisions", "code", "所在市（区）"),
    ENUM("kind", REQ, project_kinds, NULL, "类型"),
    MONEY("total_investment", 0, "总投资"),
    MONEY("fixed_asset_investment", 0, "固定资产投资"),
    MONEY("equipment_investment", 0, "设备投资"),
    MONEY("approved_equipment_purchase", 0, "核定设备购置额"),
    ENUM("stage", REQ | IDX, project_stages, NULL, "阶段"),
    DATE("start_date", 0, "开工日期"),
    DATE("planned_completion", 0, "计划竣工"),
    DATE("completion_date", 0, "实际竣工"),
    BOOL("key", 0, "false", "重点项目"),
    BOOL("new_investment", 0, "false", "新引进项目"),
    {.name = "plot_ratio", .type = COL_DECIMAL, .scale = 2, .label_zh = "容积率"},
    TEXT("land_use", 0, "用地性质"),
    /* a rate approved below the article's maximum (不超過10%), in percent: 8 = 8% */
    {.name = "approved_award_rate", .type = COL_DECIMAL, .scale = 2, .label_zh = "核定奖补比例（%）", .since_version = 9},
};

static int projects_rule(const table *t, const cell *row, char *why, size_t whylen)
{
    int i, j, r;
    if ((r = check_order(t, row, "equipment_investment", "fixed_asset_investment",
                         "is smaller than equipment_investment (equipment is part of fixed-asset investment)", why, whylen)) >= 0)
        return r;
    if ((r = check_order(t, row, "fixed_asset_investment", "total_investment",
                         "is smaller than fixed_asset_investment (fixed assets are part of the total)", why, whylen)) >= 0)
        return r;
    if ((r = check_order(t, row, "start_date", "completion_date", "is before start_date", why, whylen)) >= 0)
        return r;
    const cell *stage = col(t, row, "stage", &i), *done = col(t, row, "completion_date", &j);
    if (done->kind != CELL_NULL && !text_is(stage, "completed") && !text_is(stage, "producing")) {
        snprintf(why, whylen, "is set but stage is '%s' (only completed or producing projects have a completion date)", stage->s);
        return j;
    }
    return -1;
}

static const column persons[] = {
    CODE("id", KEY, "人员编号"),
    USCC_REF("uscc", REQ | IDX, "任职企业"),
    YEAR("year", KEY, "年度"),
    ENUM("role", REQ, person_roles, NULL, "类别"),
    MONEY("wage_income", 0, "工资薪金收入"),
    MONEY("iit_paid", 0, "缴纳个人所得税"),
    /* how explanations and award lists name the person */
    {.name = "name", .type = COL_TEXT, .label_zh = "姓名", .since_version = 9},
    /* a multiple approved below the article's maximum (最高500%), in percent: 300 = 300% */
    {.name = "approved_award_multiple", .type = COL_DECIMAL, .scale = 2, .label_zh = "核定奖励倍数（%）", .since_version = 9},
};

static const column events[] = {
    CODE("id", KEY, "事项编号"),
    USCC_REF("uscc", REQ | IDX, "企业"),
    DATE("date", REQ | IDX, "日期"),
    ENUM("kind", REQ | IDX, event_kinds, NULL, "事项类型"),
    MONEY("amount", 0, "核定金额"),
    TEXT("detail", 0, "说明"),
    {.name = "flags", .type = COL_LIST, .item = COL_CODE, .label_zh = "标记"},
    /* the chain a (reserve) chain-master designation is for */
    {.name = "chain",
     .type = COL_CODE,
     .flags = IDX,
     .ref_table = "chains",
     .ref_column = "code",
     .label_zh = "产业链",
     .since_version = 8},
};

static const column targets[] = {
    CODE("id", KEY, "目标编号"),
    TEXT("name", REQ | COLF_NAME, "目标企业"),
    TEXT("location", 0, "所在地"),
    CHAIN_REF("chain", IDX, "产业链"),
    SEGMENT_REF("segment", 0, "补链环节"),
    USCC_REF("recommended_by", IDX, "推荐链主"),
    TEXT("owner", IDX, "责任人"),
    ENUM("stage", REQ | IDX, target_stages, NULL, "进展"),
    MONEY("expected_investment", 0, "预计投资"),
    DATE("updated", 0, "更新日期"),
};

static int targets_rule(const table *t, const cell *row, char *why, size_t whylen)
{
    int i, j;
    const cell *chain = col(t, row, "chain", &i), *segment = col(t, row, "segment", &j);
    if (segment->kind != CELL_NULL && chain->kind == CELL_NULL) {
        snprintf(why, whylen, "needs the chain it belongs to (chain is empty)");
        return j;
    }
    return -1;
}

static const column platforms[] = {
    CODE("id", KEY, "平台编号"),
    TEXT("name", REQ | COLF_NAME, "平台名称"),
    ENUM("kind", REQ | IDX, platform_kinds, NULL, "类型"),
    ENUM("level", REQ | IDX, levels, NULL, "级别"),
    USCC_REF("host_uscc", IDX, "依托企业"),
    DATE("approved", 0, "认定日期"),
};

static const column appeals[] = {
    CODE("id", KEY, "诉求编号"),
    USCC_REF("uscc", REQ | IDX, "企业"),
    CHAIN_REF("chain", IDX, "产业链"),
    CODE("category", IDX, "类别"),
    TEXT("summary", REQ | COLF_NAME, "诉求内容"),
    TEXT("department", IDX, "承办部门"),
    DATE("opened", REQ, "提出日期"),
    DATE("due", 0, "办结时限"),
    ENUM("status", IDX, appeal_statuses, "open", "状态"),
    DATE("resolved", 0, "办结日期"),
    TEXT("outcome", 0, "办理结果"),
};

static int appeals_rule(const table *t, const cell *row, char *why, size_t whylen)
{
    int r;
    if ((r = check_order(t, row, "opened", "due", "is before the opening date", why, whylen)) >= 0)
        return r;
    return check_order(t, row, "opened", "resolved", "is before the opening date", why, whylen);
}

/* 一套重點企業名錄: the key-enterprise directory of the work list. A chain's masters, reserve
 * masters and backbone enterprises (memberships) are on it by definition; these rows add the
 * enterprises a department put on it by decision. */
static const column key_enterprises[] = {
    USCC_REF("uscc", KEY, "企业"),   CHAIN_REF("chain", KEY, "产业链"),
    DATE("since", REQ, "列入日期"),  TEXT("decided_by", REQ | IDX, "决定单位"),
    TEXT("document", 0, "决定文号"),
};

/* The orders of the dashboard's lists (schema version 10): enterprises by founding date or name,
 * across the city or within one division (a division account's scope is a division filter), and
 * one year's indicators by output value. */
static const table_order enterprises_orders[] = {
    {{"founded"}, 10},
    {{"name"}, 10},
    {{"division", "founded"}, 10},
    {{"division", "name"}, 10},
};
static const table_order indicators_orders[] = {
    {{"year", "output_value"}, 10},
};
#define ORDERS(var) var##_orders, sizeof var##_orders / sizeof var##_orders[0]
#define NO_ORDERS NULL, 0

/* The tables: the column array, the label, the schema migration that creates the table, its
 * cross-field rule (NULL: none), the orders of its lists (with their count). */
#define TABLE_LIST(X)                                                                                                              \
    X(divisions, "行政区划", 1, NULL, NO_ORDERS)                                                                                   \
    X(clusters, "产业集群", 1, NULL, NO_ORDERS)                                                                                    \
    X(chains, "产业链", 1, NULL, NO_ORDERS)                                                                                        \
    X(segments, "产业链环节", 1, NULL, NO_ORDERS)                                                                                  \
    X(enterprises, "企业", 1, enterprises_rule, ORDERS(enterprises))                                                               \
    X(memberships, "链上企业", 1, NULL, NO_ORDERS)                                                                                 \
    X(indicators, "年度指标", 1, NULL, ORDERS(indicators))                                                                         \
    X(supply_links, "配套关系", 1, supply_links_rule, NO_ORDERS)                                                                   \
    X(projects, "重点项目", 1, projects_rule, NO_ORDERS)                                                                           \
    X(persons, "人才", 1, NULL, NO_ORDERS)                                                                                         \
    X(events, "事项", 1, NULL, NO_ORDERS)                                                                                          \
    X(targets, "招商目标", 1, targets_rule, NO_ORDERS)                                                                             \
    X(platforms, "创新平台", 1, NULL, NO_ORDERS)                                                                                   \
    X(appeals, "企业诉求", 1, appeals_rule, NO_ORDERS)                                                                             \
    X(key_enterprises, "重点企业名录", 8, NULL, NO_ORDERS)

/* (the orders come as two arguments, the array and its count) */
#define TABLE_ROW(var, zh, version, rule, ...) {#var, zh, var, sizeof var / sizeof var[0], version, rule, __VA_ARGS__},
static const table table_defs[] = {TABLE_LIST(TABLE_ROW)};
#undef TABLE_ROW
#define TABLE_FITS(var, ...) _Static_assert(sizeof var / sizeof var[0] <= TABLES_MAX_COLS, #var " outgrew TABLES_MAX_COLS");
TABLE_LIST(TABLE_FITS)
#undef TABLE_FITS
_Static_assert(sizeof table_defs / sizeof table_defs[0] <= TABLES_MAX, "the contract outgrew TABLES_MAX");

/* Dependency order: a table comes after every table it references, so importing or creating in
 * this order never meets a dangling reference. */
const table *const tables_all[] = {
    &table_defs[0],  &table_defs[1],  &table_defs[2],  &table_defs[3],  &table_defs[4],
    &table_defs[5],  &table_defs[6],  &table_defs[7],  &table_defs[8],  &table_defs[9],
    &table_defs[10], &table_defs[11], &table_defs[12], &table_defs[13], &table_defs[14],
};
const size_t tables_count = sizeof tables_all / sizeof tables_all[0];

const table *tables_find(const char *name)
{
    for (size_t i = 0; i < tables_count; i++)
        if (strcmp(tables_all[i]->name, name) == 0)
            return tables_all[i];
    return NULL;
}

int table_column_index(const table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

size_t table_key_columns(const table *t, int idx[TABLES_MAX_KEY])
{
    size_t n = 0;
    for (size_t i = 0; i < t->ncols && n < TABLES_MAX_KEY; i++)
        if (t->cols[i].flags & COLF_KEY)
            idx[n++] = (int)i;
    return n;
}

int row_check(const table *t, const cell *row, char *why, size_t whylen)
{
    return t->row_rule ? t->row_rule(t, row, why, whylen) : -1;
}

/* ---- names beside codes ------------------------------------------------------------------------- */

int column_ref_name(const column *c, const table **ref)
{
    const table *rt = c->ref_table && !c->ref_scope && c->type != COL_LIST ? tables_find(c->ref_table) : NULL;
    int key[8];
    if (!rt || table_key_columns(rt, key) != 1 || strcmp(rt->cols[key[0]].name, c->ref_column) != 0)
        return -1;
    for (size_t i = 0; i < rt->ncols; i++)
        if (rt->cols[i].flags & COLF_NAME) {
            *ref = rt;
            return (int)i;
        }
    return -1;
}

void column_ref_name_header(const column *c, bool zh, strbuf *out)
{
    if (zh)
        strbuf_printf(out, "%s名称", c->label_zh);
    else
        strbuf_printf(out, "%s_name", strcmp(c->name, "uscc") == 0 ? "enterprise" : c->name);
}

int table_ref_name_column(const table *t, const char *s, size_t n)
{
    strbuf h;
    strbuf_init(&h);
    int found = -1;
    for (size_t i = 0; i < t->ncols && found < 0; i++) {
        const table *rt;
        for (int zh = 0; zh < 2 && found < 0 && column_ref_name(&t->cols[i], &rt) >= 0; zh++) {
            strbuf_reset(&h);
            column_ref_name_header(&t->cols[i], zh, &h);
            if (h.len == n && memcmp(h.data, s, n) == 0)
                found = (int)i;
        }
    }
    strbuf_free(&h);
    return found;
}
