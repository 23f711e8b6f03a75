/*
 * explain — the trace of one result, for people: the conclusion, the clause quoted, the reading,
 * the parameters with their source (assumed ones flagged), each condition with the values used,
 * the arithmetic, and what top-up, caps and pool did.
 *
 * Nothing is stored per row during a year's run: explaining re-runs the policy's program for the
 * one subject and reads every node's register, so the explanation shows exactly the values the
 * decision used. Wording comes from one message table per language (zh-CN, zh-TW, en).
 */
#include "policy/run.h"

#include <string.h>

#include "core/date.h"
#include "core/money.h"

typedef enum msg {
    M_RESULT,
    M_ELIGIBLE,
    M_PENDING,
    M_UNDETERMINED,
    M_NOT_ELIGIBLE,
    M_CLAUSE,
    M_READING,
    M_PARAMS,
    M_ASSUMED,
    M_ARTICLE,
    M_CONFIRMED,
    M_CONDITIONS,
    M_MISSING,
    M_REQUIRED_SHORT,
    M_NOT_ABOVE,
    M_ALLOWED_OVER,
    M_NOT_EQUAL,
    M_AMOUNT,
    M_TIER,
    M_NO_TIER,
    M_BONUS,
    M_TOPUP,
    M_CAP_AWARD,
    M_CAP_YEARLY,
    M_CAP_CUMULATIVE,
    M_POOL,
    M_POOL_EMPTY,
    M_GRANT,
    M_AWAITING,
    M_SUBJECT,
    M_YES,
    M_NO,
    M_CAP_MISSING,
    M_OVERFLOW,
    M_VALID,
    M_VALID_FROM,
    M_MAXIMUM,
    M_COUNT
} msg;

static const char *const messages[M_COUNT][3] = {
    [M_RESULT] = {"结论", "結論", "Result"},
    [M_ELIGIBLE] = {"符合条件", "符合條件", "eligible"},
    [M_PENDING] = {"符合条件，金额待评审委员会核定", "符合條件，金額待評審委員會核定",
                   "eligible, amount pending a committee decision"},
    [M_UNDETERMINED] = {"无法判定", "無法判定", "undetermined"},
    [M_NOT_ELIGIBLE] = {"不符合条件", "不符合條件", "not eligible"},
    [M_CLAUSE] = {"条款", "條款", "Clause"},
    [M_READING] = {"解读", "解讀", "Reading"},
    [M_PARAMS] = {"参数", "參數", "Parameters"},
    [M_ASSUMED] = {"假设值，待主管部门确认", "假設值，待主管部門確認", "ASSUMED, awaiting the department's confirmation"},
    [M_ARTICLE] = {"原文", "原文", "source"},
    [M_CONFIRMED] = {"主管部门确认", "主管部門確認", "confirmed by"},
    [M_CONDITIONS] = {"条件", "條件", "Conditions"},
    [M_MISSING] = {"缺少数据", "缺少數據", "missing"},
    [M_REQUIRED_SHORT] = {"要求，差", "要求，差", "required,"},
    [M_NOT_ABOVE] = {"未超过要求的", "未超過要求的", "not above the required"},
    [M_ALLOWED_OVER] = {"上限，超出", "上限，超出", "allowed, over by"},
    [M_NOT_EQUAL] = {"不等于要求的", "不等於要求的", "is not the required"},
    [M_AMOUNT] = {"计算", "計算", "Amount"},
    [M_TIER] = {"档次", "檔次", "Tier"},
    [M_NO_TIER] = {"未达到任何档次", "未達到任何檔次", "no tier reached"},
    [M_BONUS] = {"加码", "加碼", "Bonus"},
    [M_TOPUP] = {"补差", "補差", "Top-up"},
    [M_CAP_AWARD] = {"单笔上限", "單筆上限", "cap per award"},
    [M_CAP_YEARLY] = {"年度上限", "年度上限", "cap per year"},
    [M_CAP_CUMULATIVE] = {"累计上限", "累計上限", "cumulative cap"},
    [M_POOL] = {"专项资金额度", "專項資金額度", "Budget pool"},
    [M_POOL_EMPTY] = {"资金池已用完", "資金池已用完", "the pool is used up"},
    [M_GRANT] = {"准予", "准予", "Allowed"},
    [M_AWAITING] = {"待核定金额", "待核定金額", "approved amount not yet recorded"},
    [M_SUBJECT] = {"对象", "對象", "Subject"},
    [M_YES] = {"是", "是", "yes"},
    [M_NO] = {"否", "否", "no"},
    [M_CAP_MISSING] = {"上限参数缺失", "上限參數缺失", "cap value missing"},
    [M_OVERFLOW] = {"数值超出可计算范围（运算溢出），无法判定", "數值超出可計算範圍（運算溢出），無法判定",
                    "a figure is out of range (arithmetic overflow): undetermined"},
    [M_VALID] = {"适用奖励年度", "適用獎勵年度", "Award years in force"},
    [M_VALID_FROM] = {"起", "起", "onwards"},
    [M_MAXIMUM] = {"原文为上限，未核定更低值时按上限计付", "原文為上限，未核定更低值時按上限計付",
                   "the source's maximum, paid unless a lower one is approved"},
};

typedef struct explainer {
    const policy_run *run;
    const policy *p;
    const rule *r;
    vm_regs regs;
    pval params[RULE_MAX_PARAMS];
    uint8_t pknown[RULE_MAX_PARAMS];
    policy_lang lang;
    strbuf *out;
} explainer;

static const char *M(const explainer *x, msg m)
{
    return messages[m][x->lang];
}

/* ---- values ---- */

/* Money and numbers keep every exact decimal, but at least two for money. */
static void put_decimal(strbuf *b, pval v, int scale, bool money)
{
    bool neg = v < 0;
    unsigned __int128 mag = neg ? (unsigned __int128)(-v) : (unsigned __int128)v;
    unsigned __int128 p = (unsigned __int128)pval_pow10(scale);
    unsigned __int128 whole = mag / p, frac = mag % p;
    char digits[64];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + (int)(whole % 10));
        whole /= 10;
    } while (whole);
    if (neg)
        strbuf_putc(b, '-');
    for (int i = nd - 1; i >= 0; i--) {
        strbuf_putc(b, digits[i]);
        if (money && i > 0 && i % 3 == 0)
            strbuf_putc(b, ',');
    }
    char f[40];
    int nf = 0;
    for (int i = 0; i < scale; i++) {
        f[scale - 1 - i] = (char)('0' + (int)(frac % 10));
        frac /= 10;
    }
    nf = scale;
    int keep = money ? 2 : 0;
    while (nf > keep && f[nf - 1] == '0')
        nf--;
    if (nf > 0) {
        strbuf_putc(b, '.');
        strbuf_append(b, f, (size_t)nf);
    }
}

/* Stored codes as words for a Chinese reader (zh-CN, zh-TW); a code not listed is shown as stored. */
static const struct {
    const char *code, *word[2];
} code_words[] = {
    {"new", {"新建", "新建"}},
    {"expansion", {"扩产", "擴產"}},
    {"tech_upgrade", {"技术改造", "技術改造"}},
    {"other", {"其他", "其他"}},
    {"planned", {"计划", "計劃"}},
    {"signed", {"已签约", "已簽約"}},
    {"land", {"已供地", "已供地"}},
    {"construction", {"在建", "在建"}},
    {"completed", {"已竣工", "已竣工"}},
    {"producing", {"已投产", "已投產"}},
    {"executive", {"高管", "高管"}},
    {"backbone", {"骨干人才", "骨幹人才"}},
    {"none", {"未上市", "未上市"}},
    {"main", {"主板", "主板"}},
    {"star", {"科创板", "科創板"}},
    {"chinext", {"创业板", "創業板"}},
    {"bse", {"北交所", "北交所"}},
    {"hk", {"港股", "港股"}},
    {"national", {"国家级认定", "國家級認定"}},
    {"provincial", {"省级认定", "省級認定"}},
    {"overseas_chinese_capital", {"侨资参与", "僑資參與"}},
    {"chain_master_designated", {"链主企业认定", "鏈主企業認定"}},
    {"reserve_master_designated", {"后备链主认定", "後備鏈主認定"}},
    {"reserve_master_removed", {"移出后备链主", "移出後備鏈主"}},
    {"chain_master_revoked", {"撤销链主", "撤銷鏈主"}},
    {"talent_studio_established", {"人才工作室建立", "人才工作室建立"}},
    {"talent_project_landed", {"高端人才项目落户", "高端人才項目落戶"}},
    {"research_institute_established", {"研究院设立", "研究院設立"}},
    {"research_institute_operating", {"研究院运营", "研究院運營"}},
    {"national_innovation_center", {"国家技术创新中心", "國家技術創新中心"}},
    {"provincial_innovation_center", {"省技术创新中心", "省技術創新中心"}},
    {"national_key_lab", {"重点实验室", "重點實驗室"}},
    {"new_rd_institution", {"新型研发机构", "新型研發機構"}},
    {"offshore_rd_institution", {"离岸研发机构", "離岸研發機構"}},
    {"competition_prize", {"创新创业大赛获奖", "創新創業大賽獲獎"}},
    {"shareholding_reform", {"股改", "股改"}},
    {"listing_tutoring_filed", {"辅导备案", "輔導備案"}},
    {"listing_application_accepted", {"申报受理", "申報受理"}},
    {"listed", {"已上市", "已上市"}},
    {"fund_established", {"基金设立", "基金設立"}},
    {"cluster_pool_award", {"产业集群优胜奖励", "產業集群優勝獎勵"}},
    {"transfer_pool_award", {"技术转化奖励", "技術轉化獎勵"}},
};

static void put_code(const explainer *x, strbuf *b, const char *code)
{
    if (x->lang != POLICY_EN)
        for (size_t i = 0; i < sizeof code_words / sizeof code_words[0]; i++)
            if (strcmp(code_words[i].code, code) == 0) {
                strbuf_puts(b, code_words[i].word[x->lang]);
                return;
            }
    strbuf_printf(b, x->lang == POLICY_EN ? "\"%s\"" : "%s", code);
}

static void put_value(const explainer *x, strbuf *b, ptype t, int scale, pval v)
{
    switch (t) {
    case PT_MONEY:
        put_decimal(b, v, scale, true);
        break;
    case PT_PERCENT:
        put_decimal(b, v * 100, scale, false);
        strbuf_putc(b, '%');
        break;
    case PT_NUMBER:
        put_decimal(b, v, scale, false);
        break;
    case PT_BOOL:
        strbuf_puts(b, M(x, v ? M_YES : M_NO));
        break;
    case PT_DATE: {
        char d[DATE_LEN + 1];
        date_format((int32_t)v, d);
        strbuf_puts(b, d);
        break;
    }
    case PT_TEXT: {
        const symtab *s = &x->run->set->syms;
        put_code(x, b, v > 0 && (size_t)v <= s->n ? s->names[v - 1] : "…");
        break;
    }
    case PT_LIST: {
        const symtab *s = &x->run->set->syms;
        strbuf_putc(b, '[');
        for (size_t i = 1, k = 0; i <= s->n && i < 63; i++)
            if ((v >> i) & 1) {
                strbuf_puts(b, k++ ? (x->lang == POLICY_EN ? ";" : "、") : "");
                put_code(x, b, s->names[i - 1]);
            }
        strbuf_putc(b, ']');
        break;
    }
    default:
        strbuf_printf(b, "%lld", (long long)v);
        break;
    }
}

static void put_node_value(const explainer *x, strbuf *b, const node *n)
{
    if (!vm_known(&x->regs, n, 0))
        strbuf_printf(b, "(%s)", M(x, M_MISSING));
    else
        put_value(x, b, n->type, n->scale, vm_get(&x->regs, n, 0));
}

static void put_label(const explainer *x, strbuf *b, const char *label)
{
    size_t len;
    const char *part = rule_label_part(label, (int)x->lang, &len);
    strbuf_append(b, part, len);
}

static void put_fen(strbuf *b, int64_t fen)
{
    char buf[MONEY_FMT_MAX];
    money_format_grouped(fen, buf);
    strbuf_puts(b, buf);
}

/* ---- expressions with their values ---- */

static const char *op_text(tok_kind op)
{
#define SHOWN(kind, text, shown, ...)                                                                                              \
    case kind:                                                                                                                     \
        return shown;
    switch (op) {
        OP_LIST(SHOWN, SHOWN, OP_NONE)
    default:
        return "?"; /* not an operator: and/or are written as words */
    }
#undef SHOWN
}

static void put_expr(const explainer *x, strbuf *b, const node *n);

/* Words for the language's connectives and functions, by policy_lang. */
typedef enum word {
    W_AND,
    W_OR,
    W_NOT,
    W_KNOWN,
    W_UNKNOWN,
    W_LESSER,
    W_GREATER,
    W_YEAR_OF,
    W_FIRST_YEAR,
    W_AWARD_YEAR,
    W_EACH_YEAR,
    W_HOLDS_IN,
    W_ONE_OF,
    W_LACKS,
    W_NONE_OF,
    W_NOT_APPLICABLE,
    W_DOES_NOT_HOLD,
    W_COUNT
} word;

static const char *const connectives[W_COUNT][3] = {
    [W_AND] = {"，且", "，且", " and "},
    [W_OR] = {"，或", "，或", " or "},
    [W_NOT] = {"并非", "並非", "not "},
    [W_KNOWN] = {"（已记录）", "（已記錄）", " (on record)"},
    [W_UNKNOWN] = {"未记录", "未記錄", " not on record"},
    [W_LESSER] = {"较小值", "較小值", "the lesser of "},
    [W_GREATER] = {"较大值", "較大值", "the greater of "},
    [W_YEAR_OF] = {" 的年份", " 的年份", "the year of "},
    [W_FIRST_YEAR] = {"首个满足条件的年份", "首個滿足條件的年份", "the first year with "},
    [W_AWARD_YEAR] = {"奖励年度", "獎勵年度", "award year"},
    [W_EACH_YEAR] = {"该年", "該年", "that year"},
    [W_HOLDS_IN] = {"，含", "，含", " includes "},
    [W_ONE_OF] = {"，属于", "，屬於", ", one of "},
    [W_LACKS] = {"，不含", "，不含", " does not include "},
    [W_NONE_OF] = {"，不属于", "，不屬於", ", none of "},
    [W_NOT_APPLICABLE] = {"本年不适用（适用条件 ", "本年不適用（適用條件 ", "does not apply this year ("},
    [W_DOES_NOT_HOLD] = {" 不成立）", " 不成立）", " does not hold)"},
};

static const char *W(const explainer *x, word w)
{
    return connectives[w][x->lang];
}

/* After a heading ("结论：", "Result: "), and between parts of a line ("，", ", "). */
static const char *colon(const explainer *x)
{
    return x->lang == POLICY_EN ? ": " : "：";
}
static const char *comma(const explainer *x)
{
    return x->lang == POLICY_EN ? ", " : "，";
}

/* A fact's name for the explanation: the relation in words, never the rule file's path. */
static void put_fact_name(const explainer *x, strbuf *b, const node *n)
{
    static const struct {
        const char *word, *zh[2];
    } relations[] = {{"employer", {"任职企业的", "任職企業的"}},
                     {"owner", {"项目单位的", "項目單位的"}},
                     {"enterprise", {"所属企业的", "所屬企業的"}}};
    for (size_t i = 0; n->related && i < sizeof relations / sizeof relations[0]; i++)
        if (strcmp(relations[i].word, n->relation) == 0)
            strbuf_puts(b, x->lang == POLICY_EN ? relations[i].word : relations[i].zh[x->lang]);
    if (n->related && x->lang == POLICY_EN)
        strbuf_puts(b, "'s ");
    strbuf_puts(b, facts_get(n->fact)->label[x->lang]);
}

static void put_fact(const explainer *x, strbuf *b, const node *n)
{
    put_fact_name(x, b, n);
    if (n->b) {
        strbuf_putc(b, '[');
        put_node_value(x, b, n->b);
        strbuf_putc(b, ']');
    }
    strbuf_putc(b, ' ');
    put_node_value(x, b, n);
}

/* A named value: a parameter or a `let` by its label, the award year, the year being tried. */
static void put_named(const explainer *x, strbuf *b, const node *n)
{
    const char *label = n->kind == N_PARAM ? x->r->params[n->target].label : n->kind == N_LET ? x->r->lets[n->target].label : NULL;
    if (n->kind == N_LET && !label) { /* an unnamed intermediate value reads as what it computes */
        put_expr(x, b, x->r->lets[n->target].expr);
        return;
    }
    if (label && (x->lang != POLICY_EN || n->kind == N_LET))
        put_label(x, b, label);
    else if (n->kind == N_YEAR || n->kind == N_ITER)
        strbuf_puts(b, W(x, n->kind == N_YEAR ? W_AWARD_YEAR : W_EACH_YEAR));
    else
        strbuf_puts(b, n->name);
    strbuf_putc(b, ' ');
    put_node_value(x, b, n);
    if (n->kind == N_PARAM && x->r->params[n->target].values[0].source.assumed)
        strbuf_printf(b, " [%s]", M(x, M_ASSUMED));
}

/* known(f) and not known(f): "规上入库年份 2019（已记录）", "规上入库年份未记录". */
static void put_known(const explainer *x, strbuf *b, const node *f, bool negated)
{
    bool on_record = vm_known(&x->regs, f, 0);
    if (negated && on_record)
        strbuf_puts(b, W(x, W_NOT));
    if (f->kind == N_FACT) {
        put_fact_name(x, b, f);
        if (f->b) {
            strbuf_putc(b, '[');
            put_node_value(x, b, f->b);
            strbuf_putc(b, ']');
        }
    } else {
        put_expr(x, b, f);
    }
    if (on_record && f->kind == N_FACT) {
        strbuf_putc(b, ' ');
        put_node_value(x, b, f);
    }
    strbuf_puts(b, W(x, on_record ? W_KNOWN : W_UNKNOWN));
}

/* `x in (a, b)`: "项目阶段 在建，属于计划、已签约"; `"x" in list`: "标记 [...]，含 x"; failed: "不属于",
 * "不含". */
static void put_in(const explainer *x, strbuf *b, const node *n, bool failed)
{
    if (n->a->kind == N_LITERAL && n->nargs == 1) {
        put_expr(x, b, n->args[0]);
        strbuf_puts(b, W(x, failed ? W_LACKS : W_HOLDS_IN));
        put_expr(x, b, n->a);
        return;
    }
    put_expr(x, b, n->a);
    strbuf_puts(b, W(x, failed ? W_NONE_OF : W_ONE_OF));
    for (size_t i = 0; i < n->nargs; i++) {
        strbuf_puts(b, i ? (x->lang == POLICY_EN ? ", " : "、") : "");
        put_expr(x, b, n->args[i]);
    }
}

/* min/max, the year of a date, the first year a condition held, negation: as words with the value. */
static void put_function(const explainer *x, strbuf *b, const node *n)
{
    switch (n->kind) {
    case N_MIN:
    case N_MAX:
        strbuf_puts(b, W(x, n->kind == N_MIN ? W_LESSER : W_GREATER));
        strbuf_putc(b, '(');
        for (size_t i = 0; i < n->nargs; i++) {
            strbuf_puts(b, i ? (x->lang == POLICY_EN ? ", " : "，") : "");
            put_expr(x, b, n->args[i]);
        }
        strbuf_putc(b, ')');
        break;
    case N_DATE_YEAR:
        if (x->lang == POLICY_EN)
            strbuf_puts(b, W(x, W_YEAR_OF));
        put_expr(x, b, n->a);
        if (x->lang != POLICY_EN)
            strbuf_puts(b, W(x, W_YEAR_OF));
        break;
    case N_FIRST_YEAR: /* tried once per year: show its shape, not a last value */
        strbuf_puts(b, W(x, W_FIRST_YEAR));
        strbuf_putc(b, '(');
        put_expr(x, b, n->a);
        strbuf_putc(b, ')');
        break;
    case N_NEG:
        strbuf_puts(b, "-(");
        put_expr(x, b, n->a);
        strbuf_putc(b, ')');
        break;
    default: /* N_NOT */
        strbuf_puts(b, W(x, W_NOT));
        strbuf_putc(b, '(');
        put_expr(x, b, n->a);
        strbuf_putc(b, ')');
        break;
    }
    strbuf_puts(b, " = ");
    put_node_value(x, b, n);
}

static void put_expr(const explainer *x, strbuf *b, const node *n)
{
    switch (n->kind) {
    case N_LITERAL:
        put_value(x, b, n->type, n->scale, n->value);
        return;
    case N_FACT:
        if (n->b && n->b->kind == N_ITER) { /* inside first_year(...): the fact, not one year's value */
            put_fact_name(x, b, n);
            return;
        }
        put_fact(x, b, n);
        return;
    case N_PARAM:
    case N_LET:
    case N_YEAR:
    case N_ITER:
        put_named(x, b, n);
        return;
    case N_KNOWN:
        put_known(x, b, n->a, false);
        return;
    case N_NOT:
        if (n->a->kind == N_KNOWN) {
            put_known(x, b, n->a->a, true);
            return;
        }
        put_function(x, b, n);
        return;
    case N_IN:
        put_in(x, b, n, false);
        return;
    case N_BINARY:
        if (n->logic != LOGIC_NONE) {
            put_expr(x, b, n->a);
            strbuf_puts(b, W(x, n->logic == LOGIC_AND ? W_AND : W_OR));
            put_expr(x, b, n->b);
            return;
        }
        strbuf_putc(b, '(');
        put_expr(x, b, n->a);
        strbuf_printf(b, " %s ", op_text(n->op));
        put_expr(x, b, n->b);
        strbuf_putc(b, ')');
        if (n->type != PT_BOOL) {
            strbuf_puts(b, " = ");
            put_node_value(x, b, n);
        }
        return;
    case N_NEG:
    case N_MIN:
    case N_MAX:
    case N_FIRST_YEAR:
    case N_DATE_YEAR:
        put_function(x, b, n);
        return;
    }
}

static bool holds(const explainer *x, const node *n)
{
    return vm_known(&x->regs, n, 0) && vm_get(&x->regs, n, 0);
}

/* A condition that holds, as the reasons it holds: both sides of an `and`, the side of an `or`
 * that held, a value equal to the one required shown once ("项目类型 技术改造"). */
static void put_holds(const explainer *x, strbuf *b, const node *n)
{
    if (n->kind == N_LET && !x->r->lets[n->target].label) {
        put_holds(x, b, x->r->lets[n->target].expr);
        return;
    }
    if (n->kind == N_BINARY && n->logic == LOGIC_AND) {
        put_holds(x, b, n->a);
        strbuf_puts(b, x->lang == POLICY_EN ? "; " : "；");
        put_holds(x, b, n->b);
        return;
    }
    if (n->kind == N_BINARY && n->logic == LOGIC_OR) {
        put_holds(x, b, holds(x, n->a) ? n->a : n->b);
        return;
    }
    if (n->kind == N_BINARY && n->op == TK_EQ && n->b->kind == N_LITERAL) {
        put_expr(x, b, n->a);
        return;
    }
    put_expr(x, b, n);
}

/* ---- why a condition failed ---- */

/* The comparison that decided a false condition (nearmiss.c). */
static const node *deciding_leaf(const explainer *x, const node *n)
{
    return run_deciding_leaf(x->r, &x->regs, n);
}

/* The first missing fact or parameter under n, or NULL (nearmiss.c). */
static const node *missing_leaf(const explainer *x, const node *n)
{
    return run_missing_leaf(x->r, &x->regs, n);
}

static void put_missing(const explainer *x, strbuf *b, const node *n)
{
    const node *m = missing_leaf(x, n);
    strbuf_printf(b, "%s%s", M(x, M_MISSING), colon(x));
    if (m && m->kind == N_FACT) {
        put_fact_name(x, b, m);
        if (m->b && vm_known(&x->regs, m->b, 0))
            strbuf_printf(b, "[%lld]", (long long)vm_get(&x->regs, m->b, 0));
        if (x->lang == POLICY_EN) /* the column to fill in, for whoever prepares the data */
            strbuf_printf(b, " (%s)", facts_get(m->fact)->name);
    } else if (m && m->kind == N_FIRST_YEAR) {
        strbuf_puts(b, x->lang == POLICY_EN      ? "no year on record meets the condition"
                       : x->lang == POLICY_ZH_TW ? "記錄中無符合條件的年份"
                                                 : "记录中无符合条件的年份");
    } else if (m && (m->kind == N_PARAM || m->kind == N_LET)) {
        put_named(x, b, m);
    } else if (m) {
        put_expr(x, b, m);
    }
}

/* The other side of a failed comparison: a parameter or literal by its value (the issue's
 * "1,800,000.00 < 2,000,000.00 required"), a computed threshold with its arithmetic. */
static void put_required(const explainer *x, strbuf *b, const node *a, const node *r)
{
    if (r->kind == N_LITERAL || r->kind == N_PARAM)
        put_value(x, b, r->type == PT_NUMBER && a->type == PT_YEAR ? PT_YEAR : r->type, r->scale, vm_get(&x->regs, r, 0));
    else
        put_expr(x, b, r);
}

/* How a failed comparison reads, per operator that failed, in Chinese: the word before the required
 * value and the word before the gap ("低于要求的 200万元，差 20万元"). */
static const struct {
    tok_kind op;
    const char *before[2], *gap[2];
} zh_shortfall[] = {
    {TK_GE, {"低于要求的", "低於要求的"}, {"差", "差"}},     {TK_GT, {"未超过要求的", "未超過要求的"}, {"差", "差"}},
    {TK_LE, {"超过上限", "超過上限"}, {"超出", "超出"}},     {TK_LT, {"未低于上限", "未低於上限"}, {"超出", "超出"}},
    {TK_EQ, {"不等于要求的", "不等於要求的"}, {NULL, NULL}}, {TK_NE, {"等于不允许的", "等於不允許的"}, {NULL, NULL}},
};

/* The gap between a failed comparison's sides, in the left side's unit: what is short or over (nearmiss.c). */
static pval shortfall_gap(const explainer *x, const node *c, pval *unit_out)
{
    return run_gap(&x->regs, c, unit_out);
}

static bool numeric_type(ptype t)
{
    return t == PT_MONEY || t == PT_NUMBER || t == PT_PERCENT || t == PT_YEAR;
}

static void put_shortfall_zh(const explainer *x, strbuf *b, const node *c)
{
    size_t k = 0;
    while (k + 1 < sizeof zh_shortfall / sizeof zh_shortfall[0] && zh_shortfall[k].op != c->op)
        k++;
    pval unit;
    pval gap = shortfall_gap(x, c, &unit);
    put_expr(x, b, c->a);
    strbuf_printf(b, " %s ", zh_shortfall[k].before[x->lang]);
    put_required(x, b, c->a, c->b);
    if (zh_shortfall[k].gap[0] && numeric_type(c->a->type)) {
        strbuf_printf(b, "，%s ", zh_shortfall[k].gap[x->lang]);
        put_value(x, b, c->a->type == PT_YEAR ? PT_NUMBER : c->a->type, c->scale, gap);
    }
}

/* "equipment investment 1,800,000.00 < 2,000,000.00 required, 200,000.00 short" */
static void put_shortfall(const explainer *x, strbuf *b, const node *c)
{
    if (c->kind == N_IN) {
        put_in(x, b, c, true);
        return;
    }
    if (c->kind != N_BINARY || c->logic != LOGIC_NONE || c->type != PT_BOOL || op_is_arith(c->op)) {
        put_expr(x, b, c);
        return;
    }
    if (x->lang != POLICY_EN) {
        put_shortfall_zh(x, b, c);
        return;
    }
    const node *a = c->a, *r = c->b;
    pval unit;
    pval gap = shortfall_gap(x, c, &unit);
    put_expr(x, b, a);
    strbuf_putc(b, ' ');
    msg m = M_REQUIRED_SHORT;
    switch (c->op) {
    case TK_GE:
        strbuf_puts(b, "< ");
        break;
    case TK_GT:
        m = M_NOT_ABOVE;
        break;
    case TK_LE:
        strbuf_puts(b, "> ");
        m = M_ALLOWED_OVER;
        break;
    case TK_LT:
        strbuf_puts(b, "≥ ");
        m = M_ALLOWED_OVER;
        break;
    default:
        m = M_NOT_EQUAL;
        break;
    }
    bool numeric = numeric_type(a->type);
    if (m == M_NOT_ABOVE || m == M_NOT_EQUAL) {
        strbuf_printf(b, "%s ", M(x, m));
        put_required(x, b, a, r);
        if (m == M_NOT_ABOVE && numeric) {
            strbuf_puts(b, comma(x));
            put_value(x, b, a->type, c->scale, gap);
            strbuf_puts(b, " short");
        }
        return;
    }
    put_required(x, b, a, r);
    strbuf_printf(b, " %s", M(x, m));
    if (numeric) {
        strbuf_putc(b, ' ');
        put_value(x, b, a->type == PT_YEAR ? PT_NUMBER : a->type, c->scale, gap);
        strbuf_puts(b, m == M_REQUIRED_SHORT ? " short" : "");
    }
}

/* A guarded condition whose guard does not hold: "本年不适用（适用条件 升规后第几年 1 ≥ 2 不成立）". */
static void put_not_applicable(const explainer *x, strbuf *b, const cond *c)
{
    strbuf_puts(b, W(x, W_NOT_APPLICABLE));
    put_expr(x, b, c->guard);
    strbuf_puts(b, W(x, W_DOES_NOT_HOLD));
}

static void put_condition(const explainer *x, const cond *c, int index, const result_detail *det)
{
    strbuf *b = x->out;
    bool known = vm_known(&x->regs, c->expr, 0), ok = known && vm_get(&x->regs, c->expr, 0);
    bool applies = !c->guard || !vm_known(&x->regs, c->guard, 0) || vm_get(&x->regs, c->guard, 0);
    strbuf_printf(b, "  [%s] ", !applies ? "—" : ok ? "✓" : known ? "✗" : "?");
    put_label(x, b, c->label);
    strbuf_puts(b, colon(x));
    if (!applies)
        put_not_applicable(x, b, c);
    else if (!known)
        put_missing(x, b, c->body);
    else if (!ok)
        put_shortfall(x, b, deciding_leaf(x, c->body));
    else
        put_holds(x, b, c->body);
    if (det->why == R_REQUIRE && det->index == index)
        strbuf_puts(b, "  ←");
    strbuf_putc(b, '\n');
}

/* ---- the sections ---- */

/* An award in words: "1亿元", "1000万元" when it is a whole number of 億元 or 萬元, else "1,234,567.89元" (English:
 * "1,234,567.89 yuan"). */
static void put_award(const explainer *x, strbuf *b, int64_t fen)
{
    if (x->lang != POLICY_EN && fen > 0 && fen % 10000000000 == 0) {
        strbuf_printf(b, "%lld%s", (long long)(fen / 10000000000), x->lang == POLICY_ZH_CN ? "亿元" : "億元");
        return;
    }
    if (x->lang != POLICY_EN && fen > 0 && fen % 1000000 == 0) {
        strbuf_printf(b, "%lld%s", (long long)(fen / 1000000), x->lang == POLICY_ZH_CN ? "万元" : "萬元");
        return;
    }
    put_fen(b, fen);
    strbuf_puts(b, x->lang == POLICY_EN ? " yuan" : "元");
}

/* A parameter's value: money in words for a Chinese reader (1000万元), otherwise as written. */
static void put_param_value(const explainer *x, strbuf *b, const param_value *v)
{
    const node *n = v->value;
    if (x->lang == POLICY_EN || n->type != PT_MONEY) {
        strbuf_puts(b, v->text);
        return;
    }
    int64_t fen = 0;
    if (run_round_fen(n->value, n->scale, &fen))
        put_award(x, b, fen);
}

/* ---- the subject by name ---- */

/* "某某公司（统一社会信用代码 9144…）", inside brackets "某某公司，统一社会信用代码 9144…"; the code alone
 * when the name is not on record. */
static void put_enterprise(const explainer *x, strbuf *b, arena *a, const char *uscc, bool bracketed)
{
    const char *name = run_stored_text(x->run, a, "enterprises", uscc, 0, "name");
    bool en = x->lang == POLICY_EN;
    const char *code_word = en ? "USCC" : x->lang == POLICY_ZH_CN ? "统一社会信用代码" : "統一社會信用代碼";
    if (!name)
        strbuf_puts(b, uscc);
    else if (bracketed)
        strbuf_printf(b, "%s%s%s %s", name, comma(x), code_word, uscc);
    else
        strbuf_printf(b, "%s%s%s %s%s", name, en ? " (" : "（", code_word, uscc, en ? ")" : "）");
}

/* The subject as an official names it: the enterprise by name and code; a project by name; a
 * person by name; an event by its kind, date and description (which says the batch). */
static void put_subject(const explainer *x, strbuf *b, const policy_result *res)
{
    bool en = x->lang == POLICY_EN;
    arena a;
    arena_init(&a, 1024);
    strbuf_printf(b, "%s ", policy_subject_label(facts_kind_name(x->r->subject), x->lang));
    if (x->r->subject == FACTS_ENTERPRISE) {
        put_enterprise(x, b, &a, res->uscc, false);
        arena_free(&a);
        return;
    }
    strbuf_puts(b, res->subject_id);
    const char *name = x->r->subject == FACTS_PROJECT ? run_stored_text(x->run, &a, "projects", res->subject_id, 0, "name")
                       : x->r->subject == FACTS_PERSON
                           ? run_stored_text(x->run, &a, "persons", res->subject_id, x->run->year - 1, "name")
                           : NULL;
    if (name)
        strbuf_printf(b, en ? " \"%s\"" : "「%s」", name);
    if (x->r->subject == FACTS_EVENT) {
        const char *kind = run_stored_text(x->run, &a, "events", res->subject_id, 0, "kind");
        const char *date = run_stored_text(x->run, &a, "events", res->subject_id, 0, "date");
        const char *detail = run_stored_text(x->run, &a, "events", res->subject_id, 0, "detail");
        if (kind) {
            strbuf_puts(b, en ? " " : "：");
            put_code(x, b, kind);
        }
        strbuf_printf(b, "%s%s%s%s", date ? " " : "", date ? date : "", detail ? comma(x) : "", detail ? detail : "");
    }
    strbuf_printf(b, "%s%s ", en ? " (" : "（", policy_subject_label("enterprise", x->lang));
    put_enterprise(x, b, &a, res->uscc, true);
    strbuf_puts(b, en ? ")" : "）");
    arena_free(&a);
}

/* "中小企业技术改造事后奖补 — 对象：项目 …" */
static void put_header_subject(const explainer *x, const policy_result *res)
{
    strbuf *b = x->out;
    /* The policy's code name is for English readers and programs; an official reads its name. */
    if (x->lang == POLICY_EN)
        strbuf_printf(b, "%s ", x->r->id);
    strbuf_printf(b, "%s — %s%s", x->r->name[x->lang], M(x, M_SUBJECT), colon(x));
    put_subject(x, b, res);
    strbuf_putc(b, '\n');
}

static void put_header(const explainer *x, const policy_result *res)
{
    strbuf *b = x->out;
    put_header_subject(x, res);
    static const msg status_msg[] = {M_ELIGIBLE, M_PENDING, M_UNDETERMINED, M_NOT_ELIGIBLE};
    strbuf_printf(b, "%s%s%s", M(x, M_RESULT), colon(x), M(x, status_msg[res->status]));
    if (res->grant)
        strbuf_printf(b, " — %s%s%s", M(x, M_GRANT), colon(x), x->r->grant[x->lang]);
    else if (res->status == POLICY_ELIGIBLE) {
        strbuf_puts(b, comma(x));
        put_award(x, b, res->amount_fen);
    }
    strbuf_printf(b, "\n%s%s「%s」\n", M(x, M_CLAUSE), colon(x), x->r->clause);
    const char *reading = x->r->reading[x->lang] ? x->r->reading[x->lang] : x->r->reading[POLICY_EN];
    if (reading)
        strbuf_printf(b, "%s%s%s\n", M(x, M_READING), colon(x), reading);
}

/* "（原文）", "（假设值，待主管部门确认）", "（主管部门确认 DOC DATE）"; English in round brackets */
static void put_source(const explainer *x, const param_source *s, bool maximum)
{
    strbuf *b = x->out;
    bool en = x->lang == POLICY_EN;
    strbuf_printf(b, "%s%s", en ? " (" : "（", M(x, s->assumed ? M_ASSUMED : s->document ? M_CONFIRMED : M_ARTICLE));
    if (s->document)
        strbuf_printf(b, " %s %s", s->document, s->document_date);
    if (maximum)
        strbuf_printf(b, "%s%s", en ? "; " : "；", M(x, M_MAXIMUM));
    strbuf_puts(b, en ? ")" : "）");
}

/* The award years in force, with their source: the policy's effective period. */
static void put_valid(const explainer *x)
{
    const rule *r = x->r;
    if (!r->valid_from && !r->valid_to)
        return;
    strbuf *b = x->out;
    strbuf_printf(b, "%s%s%d", M(x, M_VALID), colon(x), r->valid_from);
    if (r->valid_to)
        strbuf_printf(b, "–%d", r->valid_to);
    else
        strbuf_printf(b, " %s", M(x, M_VALID_FROM));
    put_source(x, &r->valid_source, false);
    strbuf_putc(b, '\n');
}

static void put_params(const explainer *x)
{
    put_valid(x);
    if (!x->r->nparams)
        return;
    strbuf *b = x->out;
    strbuf_printf(b, "%s%s\n", M(x, M_PARAMS), x->lang == POLICY_EN ? ":" : "：");
    for (size_t i = 0; i < x->r->nparams; i++) {
        const param *p = &x->r->params[i];
        for (size_t j = 0; j < p->nvalues; j++) {
            const param_value *v = &p->values[j];
            strbuf_puts(b, "  ");
            if (p->label && x->lang != POLICY_EN)
                put_label(x, b, p->label);
            else
                strbuf_puts(b, p->name);
            strbuf_puts(b, " = ");
            put_param_value(x, b, v);
            put_source(x, &v->source, v->maximum);
            if (v->from_year || v->to_year)
                strbuf_printf(b, " %d–%d", v->from_year, v->to_year);
            strbuf_putc(b, '\n');
        }
    }
}

/* How the amount was rounded: "四舍五入到分", "计至元，不足元部分不计", ... */
static void put_rounding(const explainer *x)
{
    static const struct {
        int64_t fen;
        const char *name[3];
    } units[] = {{1, {"分", "分", "fen"}},
                 {100, {"元", "元", "yuan"}},
                 {10000, {"百元", "百元", "100 yuan"}},
                 {1000000, {"万元", "萬元", "10,000 yuan"}}};
    const rule *r = x->r;
    const char *unit = units[0].name[x->lang];
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (units[i].fen == r->round_unit_fen)
            unit = units[i].name[x->lang];
    if (x->lang == POLICY_EN)
        strbuf_printf(x->out, "rounded %s to the %s", r->round_down ? "down" : "half-up", unit);
    else if (r->round_down)
        strbuf_printf(x->out, "%s%s，%s%s%s", x->lang == POLICY_ZH_CN ? "计至" : "計至", unit,
                      x->lang == POLICY_ZH_CN ? "不足" : "不足", unit, x->lang == POLICY_ZH_CN ? "部分不计" : "部分不計");
    else
        strbuf_printf(x->out, "%s%s", x->lang == POLICY_ZH_CN ? "四舍五入到" : "四捨五入到", unit);
}

static void put_amount(const explainer *x, const policy_result *res, const result_detail *det)
{
    strbuf *b = x->out;
    const rule *r = x->r;
    if (r->amount_kind == AMOUNT_TIERS) {
        if (det->why == R_TIER_NONE || det->why == R_TIER_MISSING) {
            strbuf_printf(b, "%s%s%s — ", M(x, M_TIER), colon(x), M(x, M_NO_TIER));
            const node *w = r->tiers[det->index].when;
            if (det->why == R_TIER_MISSING)
                put_missing(x, b, w);
            else
                put_shortfall(x, b, deciding_leaf(x, w));
            strbuf_putc(b, '\n');
            return;
        }
        if (det->tier >= 0) {
            /* tiers are written from the highest: numbered from the lowest */
            strbuf_printf(b, "%s %d%s", M(x, M_TIER), (int)r->ntiers - det->tier, colon(x));
            if (r->tiers[det->tier].label)
                put_label(x, b, r->tiers[det->tier].label);
            else if (r->tiers[det->tier].when)
                put_holds(x, b, r->tiers[det->tier].when);
            strbuf_putc(b, '\n');
        }
    }
    const node *amount = r->amount_kind == AMOUNT_TIERS ? (det->tier >= 0 ? r->tiers[det->tier].amount : NULL) : r->amount;
    if (!amount)
        return;
    strbuf_printf(b, "%s%s", M(x, M_AMOUNT), colon(x));
    if (!vm_known(&x->regs, amount, 0)) {
        if (r->amount_kind == AMOUNT_APPROVED)
            strbuf_printf(b, "%s%s", M(x, M_AWAITING), x->lang == POLICY_EN ? "; " : "；");
        put_missing(x, b, amount);
    } else {
        put_expr(x, b, amount);
    }
    strbuf_putc(b, '\n');
    for (size_t i = 0; i < r->nbonuses; i++) {
        const bonus *bo = &r->bonuses[i];
        if (!vm_known(&x->regs, bo->when, 0) || !vm_get(&x->regs, bo->when, 0))
            continue;
        strbuf_printf(b, "%s%s", M(x, M_BONUS), colon(x));
        put_label(x, b, bo->label);
        strbuf_puts(b, colon(x));
        strbuf_puts(b, "+ ");
        put_expr(x, b, bo->amount);
        strbuf_putc(b, '\n');
    }
    if (det->computed_fen || res->status == POLICY_ELIGIBLE) {
        strbuf_printf(b, "  = ");
        put_fen(b, det->computed_fen);
        strbuf_puts(b, x->lang == POLICY_EN ? " (" : "（");
        put_rounding(x);
        strbuf_puts(b, x->lang == POLICY_EN ? ")\n" : "）\n");
    }
}

/* Of what earlier years gave the subject (or, per_enterprise, its enterprise) under this policy,
 * the part paid out: the rest was decided (computed, reviewed or approved) but not yet paid. */
static int64_t paid_out_before(const explainer *x, const policy_result *res, bool per_enterprise)
{
    int64_t sum = 0;
    for (size_t k = 0; k < x->run->npaid; k++) {
        const ledger_award *a = &x->run->paid[k];
        bool same = per_enterprise ? strcmp(a->uscc, res->uscc) == 0 : strcmp(a->subject_id, res->subject_id) == 0;
        if (same && a->year < x->run->year && strcmp(a->policy, x->r->id) == 0 && strcmp(a->status, "paid") == 0)
            sum += a->amount_fen;
    }
    return sum;
}

/* "此前已获 300,000.00（已发放 100,000.00，已核定尚未发放 200,000.00）" */
static void put_before(const explainer *x, strbuf *b, const policy_result *res, int64_t before, bool per_enterprise)
{
    static const char *const parts[][3] = {{"此前已获 ", "此前已獲 ", "received before "},
                                           {"（已发放 ", "（已發放 ", " (paid out "},
                                           {"，已核定尚未发放 ", "，已核定尚未發放 ", ", decided but not yet paid "},
                                           {"）", "）", ")"}};
    int64_t paid = paid_out_before(x, res, per_enterprise);
    strbuf_puts(b, parts[0][x->lang]);
    put_fen(b, before);
    if (before == 0 || paid == before)
        return;
    strbuf_puts(b, parts[1][x->lang]);
    put_fen(b, paid);
    strbuf_puts(b, parts[2][x->lang]);
    put_fen(b, before - paid);
    strbuf_puts(b, parts[3][x->lang]);
}

static void put_limits(const explainer *x, const policy_result *res, const result_detail *det)
{
    strbuf *b = x->out;
    const rule *r = x->r;
    if (r->topup && (det->paid_before || det->why == R_TOPUP)) {
        strbuf_printf(b, "%s%s", M(x, M_TOPUP), colon(x));
        put_before(x, b, res, det->paid_before, false);
        if (res->status == POLICY_ELIGIBLE) {
            strbuf_puts(b, x->lang == POLICY_EN      ? "; this year the difference: "
                           : x->lang == POLICY_ZH_CN ? "；本次补发差额 "
                                                     : "；本次補發差額 ");
            put_fen(b, res->amount_fen);
        }
        strbuf_putc(b, '\n');
    }
    static const msg cap_msg[] = {M_CAP_AWARD, M_CAP_YEARLY, M_CAP_CUMULATIVE};
    for (size_t c = 0; c < r->ncaps; c++) {
        bool hit = (det->caps >> c) & 1, stop = (det->why == R_YEARLY_CAP || det->why == R_CUMULATIVE_CAP) && det->index == (int)c;
        if (det->why == R_CAP_MISSING && det->index == (int)c)
            strbuf_printf(b, "%s%s%s\n", M(x, cap_msg[r->caps[c].kind]), colon(x), M(x, M_CAP_MISSING));
        if (!hit && !stop)
            continue;
        strbuf_printf(b, "%s ", M(x, cap_msg[r->caps[c].kind]));
        put_expr(x, b, r->caps[c].amount);
        if (r->caps[c].kind == CAP_CUMULATIVE) {
            strbuf_puts(b, comma(x));
            put_before(x, b, res, det->paid_before, r->caps[c].per_enterprise);
        }
        strbuf_puts(b, " → ");
        put_fen(b, res->amount_fen);
        strbuf_putc(b, '\n');
    }
    if (r->pool_total && det->pool_claims_fen > det->pool_fen) {
        strbuf_printf(b, "%s%s", M(x, M_POOL), colon(x));
        put_fen(b, det->pool_fen);
        strbuf_puts(b, " / ");
        put_fen(b, det->pool_claims_fen);
        strbuf_puts(b, " × ");
        put_fen(b, det->claim_fen);
        strbuf_puts(b, " → ");
        put_fen(b, res->amount_fen);
        if (det->why == R_POOL_EMPTY)
            strbuf_printf(b, " (%s)", M(x, M_POOL_EMPTY));
        strbuf_putc(b, '\n');
    }
}

int policy_explain(const policy_run *run, size_t i, policy_lang lang, strbuf *out, lz_err *err)
{
    if (i >= run->n)
        return err_set(err, LZ_ENOTFOUND, "no result %zu", i);
    const policy_result *res = &run->res[i];
    const result_detail *det = &run->det[i];
    explainer x = {.run = run, .p = res->policy, .r = &res->policy->r, .lang = lang, .out = out};
    vm_regs_init(&x.regs, x.p->prog.ncode);
    run_one(run, i, &x.regs, x.params, x.pknown);
    put_header(&x, res);
    if (det->why == R_OVERFLOW)
        strbuf_printf(out, "%s — %s:%d\n", M(&x, M_OVERFLOW), x.r->file, det->index);
    put_params(&x);
    if (x.r->nrequires)
        strbuf_printf(out, "%s%s\n", M(&x, M_CONDITIONS), lang == POLICY_EN ? ":" : "：");
    for (size_t c = 0; c < x.r->nrequires; c++)
        put_condition(&x, &x.r->requires[c], (int)c, det);
    if (det->why != R_REQUIRE)
        put_amount(&x, res, det);
    put_limits(&x, res, det);
    vm_regs_free(&x.regs);
    return 0;
}

/* ---- a subject the policy's scope leaves out ---- */

static void put_out_of_scope(explainer *x, const policy_result *subject)
{
    strbuf *b = x->out;
    static const char *const words[][3] = {{"不在本政策适用范围", "不在本政策適用範圍", "outside the policy's scope"},
                                           {"（适用范围：", "（適用範圍：", " (scope: "}};
    put_header_subject(x, subject);
    strbuf_printf(b, "%s%s%s", M(x, M_RESULT), colon(x), words[0][x->lang]);
    for (size_t j = 0; j < x->p->prog.nconj; j++) {
        const node *c = x->p->prog.conj[j];
        if (vm_known(&x->regs, c, 0) && vm_get(&x->regs, c, 0))
            continue;
        strbuf_puts(b, words[1][x->lang]);
        if (!vm_known(&x->regs, c, 0))
            put_missing(x, b, c);
        else
            put_shortfall(x, b, deciding_leaf(x, c));
        strbuf_puts(b, x->lang == POLICY_EN ? ")" : "）");
        break;
    }
    strbuf_putc(b, '\n');
}

int policy_explain_scope(const policy_run *run, const char *policy_id, const char *uscc, policy_lang lang, strbuf *out, lz_err *err)
{
    const policy *p = policy_set_find(run->set, policy_id);
    if (!p)
        return err_set(err, LZ_ENOTFOUND, "no policy %s", policy_id);
    explainer x = {.run = run, .p = p, .r = &p->r, .lang = lang, .out = out};
    if (!run_in_scope(p, run->year, NULL)) {
        static const char *const words[3] = {"本政策不适用于该奖励年度", "本政策不適用於該獎勵年度",
                                             "the policy is not in force in that award year"};
        strbuf_printf(out, "%s%s%s %d\n", x.r->name[lang], colon(&x), words[lang], run->year);
        put_valid(&x);
        return 0;
    }
    const facts_set *set = &run->w.sets[x.r->subject];
    size_t shown = 0;
    vm_regs_init(&x.regs, p->prog.ncode);
    for (size_t row = 0; row < set->n; row++) {
        if (strcmp(set->uscc[row], uscc) != 0)
            continue;
        run_subject(run, p, row, &x.regs, x.params, x.pknown);
        policy_result subject = {.policy = p, .subject_id = set->ids[row], .uscc = set->uscc[row]};
        strbuf_puts(out, shown++ ? "\n" : "");
        put_out_of_scope(&x, &subject);
    }
    vm_regs_free(&x.regs);
    if (!shown) {
        static const char *const none[3] = {"该企业没有可适用的", "該企業沒有可適用的", "the enterprise has no "};
        static const char *const of_last_year[3] = {"（上年度）", "（上年度）", " of the year before"};
        bool yearly = x.r->subject == FACTS_PERSON || x.r->subject == FACTS_EVENT;
        strbuf_printf(out, "%s%s%s%s%s%s\n", x.r->name[lang], colon(&x), none[lang],
                      policy_subject_label(facts_kind_name(x.r->subject), lang), yearly ? of_last_year[lang] : "",
                      lang == POLICY_EN      ? " on record"
                      : lang == POLICY_ZH_CN ? "记录"
                                             : "記錄");
    }
    return 0;
}
