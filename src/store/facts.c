/*
 * facts — the catalogue of facts rule files may read, and the column-wise loader (see facts.h).
 *
 * Loading runs one SELECT per subject table with exactly the columns the compiled policies need,
 * and fills flat arrays; subjects are found by a hash of their id. Yearly facts are stored
 * subject-major ([i * nyears + year - year0]) because the engine reads "this subject's value in the
 * year this subject entered above size", a different year per subject.
 */
#include "store/facts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/strmap.h"
#include "core/strbuf.h"
#include "store/store_impl.h"

/* 重點企業: on the directory by a decision taken by the end of the statistics year (?2), or a
 * chain's master, reserve master or backbone enterprise, which the directory holds by definition. */
#define KEY_ENTERPRISE_SQL                                                                                                         \
    "SELECT \"uscc\" FROM \"key_enterprises\" WHERE \"since\" < printf('%04d-01-01', ?2 + 1) AND (?1 IS NULL OR \"uscc\" = ?1)"    \
    " UNION SELECT \"uscc\" FROM \"memberships\" WHERE \"role\" IN ('chain_master', 'reserve_master', 'backbone')"                 \
    " AND (?1 IS NULL OR \"uscc\" = ?1)"

#define E FACTS_ENTERPRISE
#define P FACTS_PROJECT
#define H FACTS_PERSON
#define V FACTS_EVENT
/* A catalogue row; the optional designated fields (prefix, default, derive, members_sql) follow. */
#define FACT(n, k, tbl, col, ty, yr, zh_cn, zh_tw, en, ...)                                                                        \
    {                                                                                                                              \
        .name = n, .kind = k, .table = tbl, .column = col, .type = ty, .yearly = yr, .label = {zh_cn, zh_tw, en}, __VA_ARGS__      \
    }
const facts_def facts_catalog[] = {
    FACT("industry_code", E, "enterprises", "industry_code", FT_TEXT, false, "行业代码", "行業代碼", "industry code"),
    FACT("industry_division", E, "enterprises", "industry_code", FT_TEXT, false, "行业大类", "行業大類", "industry division",
         .prefix = 2),
    FACT("industry_section", E, "enterprises", "industry_code", FT_TEXT, false, "行业门类", "行業門類", "industry section",
         .derive = facts_industry_section),
    FACT("listing_board", E, "enterprises", "listing_board", FT_TEXT, false, "上市板块", "上市板塊", "listing board"),
    FACT("local", E, "enterprises", "local", FT_BOOL, false, "本地企业", "本地企業", "local enterprise", .has_default = true,
         .default_value = 1),
    FACT("founded", E, "enterprises", "founded", FT_DATE, false, "成立日期", "成立日期", "founded"),
    FACT("key_enterprise", E, "key_enterprises", "uscc", FT_BOOL, false, "列入重点企业名录", "列入重點企業名錄",
         "on the key-enterprise directory", .has_default = true, .default_value = 0, .members_sql = KEY_ENTERPRISE_SQL),
    FACT("above_scale_entry_year", E, "enterprises", "above_scale_entry_year", FT_YEAR, false, "规上入库年份", "規上入庫年份",
         "year entered above size (statistics bureau)"),
    FACT("output_value", E, "indicators", "output_value", FT_MONEY, true, "产值", "產值", "output value"),
    FACT("revenue", E, "indicators", "revenue", FT_MONEY, true, "主营业务收入", "主營業務收入", "main business revenue"),
    FACT("value_added", E, "indicators", "value_added", FT_MONEY, true, "工业增加值", "工業增加值", "industrial value added"),
    FACT("tax_paid", E, "indicators", "tax_paid", FT_MONEY, true, "纳税额", "納稅額", "tax paid"),
    FACT("rd_expense", E, "indicators", "rd_expense", FT_MONEY, true, "研发投入", "研發投入", "R&D expense"),
    FACT("employees", E, "indicators", "employees", FT_COUNT, true, "从业人员", "從業人員", "employees"),
    FACT("above_scale", E, "indicators", "above_scale", FT_BOOL, true, "规上企业", "規上企業", "above designated size"),
    FACT("new_fixed_asset_investment", E, "indicators", "new_fixed_asset_investment", FT_MONEY, true, "新增固定资产投资",
         "新增固定資產投資", "new fixed-asset investment"),
    FACT("kind", P, "projects", "kind", FT_TEXT, false, "项目类型", "項目類型", "project kind"),
    FACT("stage", P, "projects", "stage", FT_TEXT, false, "项目阶段", "項目階段", "project stage"),
    FACT("chain", P, "projects", "chain", FT_TEXT, false, "所属产业链", "所屬產業鏈", "industrial chain"),
    FACT("total_investment", P, "projects", "total_investment", FT_MONEY, false, "总投资", "總投資", "total investment"),
    FACT("fixed_asset_investment", P, "projects", "fixed_asset_investment", FT_MONEY, false, "固定资产投资", "固定資產投資",
         "fixed-asset investment"),
    FACT("equipment_investment", P, "projects", "equipment_investment", FT_MONEY, false, "设备投资", "設備投資",
         "equipment investment"),
    FACT("approved_equipment_purchase", P, "projects", "approved_equipment_purchase", FT_MONEY, false, "核定设备购置额",
         "核定設備購置額", "approved equipment purchase"),
    FACT("start_date", P, "projects", "start_date", FT_DATE, false, "开工日期", "開工日期", "start date"),
    FACT("planned_completion", P, "projects", "planned_completion", FT_DATE, false, "计划竣工", "計劃竣工", "planned completion"),
    FACT("completion_date", P, "projects", "completion_date", FT_DATE, false, "实际竣工日期", "實際竣工日期", "completion date"),
    FACT("key", P, "projects", "key", FT_BOOL, false, "重点项目", "重點項目", "key project"),
    FACT("new_investment", P, "projects", "new_investment", FT_BOOL, false, "新引进项目", "新引進項目", "newly introduced project"),
    FACT("plot_ratio", P, "projects", "plot_ratio", FT_DECIMAL2, false, "容积率", "容積率", "plot ratio"),
    FACT("approved_award_rate", P, "projects", "approved_award_rate", FT_DECIMAL2, false, "核定奖补比例（%）", "核定獎補比例（%）",
         "approved award rate (%)"),
    FACT("land_use", P, "projects", "land_use", FT_TEXT, false, "用地性质", "用地性質", "land use"),
    FACT("role", H, "persons", "role", FT_TEXT, true, "人才类别", "人才類別", "role"),
    FACT("wage_income", H, "persons", "wage_income", FT_MONEY, true, "工资薪金收入", "工資薪金收入", "wage income"),
    FACT("iit_paid", H, "persons", "iit_paid", FT_MONEY, true, "缴纳个人所得税", "繳納個人所得稅", "individual income tax paid"),
    FACT("approved_award_multiple", H, "persons", "approved_award_multiple", FT_DECIMAL2, true, "核定奖励倍数（%）",
         "核定獎勵倍數（%）", "approved award multiple (%)"),
    FACT("kind", V, "events", "kind", FT_TEXT, false, "事项类型", "事項類型", "event kind"),
    FACT("date", V, "events", "date", FT_DATE, false, "事项日期", "事項日期", "event date"),
    FACT("amount", V, "events", "amount", FT_MONEY, false, "核定金额", "核定金額", "approved amount"),
    FACT("detail", V, "events", "detail", FT_TEXT, false, "说明", "說明", "detail"),
    FACT("flags", V, "events", "flags", FT_LIST, false, "标记", "標記", "flags"),
};
#undef FACT
#undef E
#undef P
#undef H
#undef V
const size_t facts_catalog_count = sizeof facts_catalog / sizeof facts_catalog[0];

static const char *const kind_names[FACTS_KINDS] = {"enterprise", "project", "person", "event"};
static const char *const kind_tables[FACTS_KINDS] = {"enterprises", "projects", "persons", "events"};

int facts_find(facts_kind kind, const char *name)
{
    for (size_t i = 0; i < facts_catalog_count; i++)
        if (facts_catalog[i].kind == kind && strcmp(facts_catalog[i].name, name) == 0)
            return (int)i;
    return -1;
}

const char *facts_kind_name(facts_kind kind)
{
    return kind_names[kind];
}

int facts_kind_parse(const char *name)
{
    for (int i = 0; i < FACTS_KINDS; i++)
        if (strcmp(kind_names[i], name) == 0)
            return i;
    return -1;
}

/* ---- building ---- */

typedef struct world_private {
    strmap ids[FACTS_KINDS];
    size_t indexed[FACTS_KINDS]; /* subjects of each kind already in ids[] */
    strmap *dicts;               /* per fact id */
} world_private;

void facts_world_init(facts_world *w, int year, int year0, int nyears)
{
    memset(w, 0, sizeof *w);
    w->year = year;
    arena_init(&w->mem, 1 << 20);
    for (int k = 0; k < FACTS_KINDS; k++) {
        w->sets[k].year0 = year0;
        w->sets[k].nyears = nyears;
        w->sets[k].cols = xcalloc(facts_catalog_count, sizeof(facts_col));
    }
    world_private *p = xcalloc(1, sizeof *p);
    p->dicts = xcalloc(facts_catalog_count, sizeof *p->dicts);
    w->index = p;
}

static void world_private_free(facts_world *w)
{
    world_private *p = w->index;
    if (!p)
        return;
    for (int k = 0; k < FACTS_KINDS; k++)
        strmap_free(&p->ids[k]);
    for (size_t i = 0; i < facts_catalog_count; i++)
        strmap_free(&p->dicts[i]);
    free(p->dicts);
    free(p);
    w->index = NULL;
}

void facts_world_free(facts_world *w)
{
    for (int k = 0; k < FACTS_KINDS; k++) {
        facts_set *s = &w->sets[k];
        for (size_t i = 0; s->cols && i < facts_catalog_count; i++) {
            free(s->cols[i].v);
            free(s->cols[i].known);
            free(s->cols[i].dict);
        }
        free(s->cols);
        free(s->ids);
        free(s->uscc);
        free(s->link);
    }
    world_private_free(w);
    arena_free(&w->mem);
    memset(w, 0, sizeof *w);
}

static size_t col_width(const facts_set *s, int fact)
{
    return facts_catalog[fact].yearly ? (size_t)s->nyears : 1;
}

static void col_resize(facts_set *s, int fact, size_t old_cap, size_t cap)
{
    facts_col *c = &s->cols[fact];
    size_t w = col_width(s, fact);
    if (cap == 0)
        return;
    c->v = xrealloc(c->v, cap * w * sizeof *c->v);
    c->known = xrealloc(c->known, cap * w);
    memset(c->known + old_cap * w, 0, (cap - old_cap) * w);
}

static void set_grow(facts_world *w, facts_kind kind, size_t cap)
{
    facts_set *s = &w->sets[kind];
    s->ids = xrealloc(s->ids, cap * sizeof *s->ids);
    s->uscc = xrealloc(s->uscc, cap * sizeof *s->uscc);
    s->link = xrealloc(s->link, cap * sizeof *s->link);
    for (size_t f = 0; f < facts_catalog_count; f++)
        if (s->cols[f].loaded)
            col_resize(s, (int)f, s->cap, cap);
    s->cap = cap;
}

/* Room for n subjects at once: a million enterprises without twelve rounds of copying. */
static void set_reserve(facts_world *w, facts_kind kind, size_t n)
{
    if (n > w->sets[kind].cap)
        set_grow(w, kind, n);
    world_private *p = w->index;
    strmap_reserve(&p->ids[kind], n);
}

/* A subject at the end of its set, not yet in the id index (see index_new_subjects). */
static size_t set_append(facts_world *w, facts_kind kind, const char *id, const char *uscc)
{
    facts_set *s = &w->sets[kind];
    if (s->n == s->cap)
        set_grow(w, kind, s->cap ? s->cap * 2 : 256);
    size_t i = s->n++;
    s->ids[i] = arena_strndup(&w->mem, id, strlen(id));
    s->uscc[i] = kind == FACTS_ENTERPRISE ? s->ids[i] : arena_strndup(&w->mem, uscc, strlen(uscc));
    s->link[i] = -1;
    return i;
}

/* Puts the subjects appended since the last call into the id index, all at once (a million ids
 * one by one would wait on a cache miss each). */
static void index_new_subjects(facts_world *w, facts_kind kind)
{
    world_private *p = w->index;
    facts_set *s = &w->sets[kind];
    strmap_put_all(&p->ids[kind], (const char *const *)s->ids + p->indexed[kind], s->n - p->indexed[kind],
                   (int32_t)p->indexed[kind]);
    p->indexed[kind] = s->n;
}

size_t facts_set_add(facts_world *w, facts_kind kind, const char *id, const char *uscc)
{
    size_t i = set_append(w, kind, id, uscc);
    index_new_subjects(w, kind);
    return i;
}

static facts_col *col_for(facts_world *w, facts_kind kind, int fact)
{
    facts_set *s = &w->sets[kind];
    facts_col *c = &s->cols[fact];
    if (!c->loaded) {
        c->loaded = true;
        col_resize(s, fact, 0, s->cap);
    }
    return c;
}

static int slot_of(facts_world *w, facts_kind kind, size_t i, int fact, int year, size_t *slot, lz_err *err)
{
    facts_set *s = &w->sets[kind];
    if (!facts_catalog[fact].yearly) {
        *slot = i;
        return 0;
    }
    if (year < s->year0 || year >= s->year0 + s->nyears)
        return err_set(err, LZ_EINPUT, "%s[%d]: the year must be between %d and %d", facts_catalog[fact].name, year, s->year0,
                       s->year0 + s->nyears - 1);
    *slot = i * (size_t)s->nyears + (size_t)(year - s->year0);
    return 0;
}

int facts_put_int(facts_world *w, facts_kind kind, size_t i, int fact, int year, int64_t v, lz_err *err)
{
    size_t slot = 0;
    int rc = slot_of(w, kind, i, fact, year, &slot, err);
    if (rc)
        return rc;
    facts_col *c = col_for(w, kind, fact);
    c->v[slot] = v;
    c->known[slot] = 1;
    return 0;
}

static int64_t dict_index(facts_world *w, int fact, const char *s, size_t n)
{
    world_private *p = w->index;
    facts_col *c = &w->sets[facts_catalog[fact].kind].cols[fact];
    int32_t found = strmap_get(&p->dicts[fact], s, n);
    if (found >= 0)
        return found;
    if (c->ndict % 64 == 0)
        c->dict = xrealloc(c->dict, (c->ndict + 64) * sizeof *c->dict);
    char *copy = arena_strndup(&w->mem, s, n);
    c->dict[c->ndict] = copy;
    strmap_put(&p->dicts[fact], copy, n, (int32_t)c->ndict);
    return (int64_t)c->ndict++;
}

static bool is_derived(const facts_def *d)
{
    return d->prefix || d->derive;
}

/* GB/T 4754-2017: the first division (two digits) of each section, A to T. */
static const struct {
    int first_division;
    const char *section;
} sections[] = {{1, "A"},  {6, "B"},  {13, "C"}, {44, "D"}, {47, "E"}, {51, "F"}, {53, "G"}, {61, "H"}, {63, "I"}, {66, "J"},
                {70, "K"}, {71, "L"}, {73, "M"}, {76, "N"}, {80, "O"}, {83, "P"}, {84, "Q"}, {86, "R"}, {91, "S"}, {97, "T"}};

const char *facts_industry_section(const char *code)
{
    if (code[0] >= 'A' && code[0] <= 'T' && code[1] == 0)
        return code; /* already a section (a test case or what-if document may state it) */
    if (code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9')
        return NULL;
    int division = (code[0] - '0') * 10 + (code[1] - '0');
    const char *found = NULL;
    for (size_t k = 0; k < sizeof sections / sizeof sections[0] && division >= sections[k].first_division; k++)
        found = division <= 97 ? sections[k].section : NULL;
    return found;
}

int facts_put_text(facts_world *w, facts_kind kind, size_t i, int fact, int year, const char *s, lz_err *err)
{
    const facts_def *d = &facts_catalog[fact];
    if (d->derive && !(s = d->derive(s)))
        return 0; /* nothing to derive from this value: the fact stays unknown */
    size_t n = strlen(s);
    if (d->prefix && n > (size_t)d->prefix)
        n = (size_t)d->prefix;
    int rc = facts_put_int(w, kind, i, fact, year, dict_index(w, fact, s, n), err);
    /* The facts derived from this column (an industry code's division and section) follow it. */
    for (size_t f = (size_t)fact + 1; rc == 0 && !is_derived(d) && f < facts_catalog_count; f++) {
        if (!is_derived(&facts_catalog[f]) || strcmp(facts_catalog[f].column, d->column) != 0)
            break;
        rc = facts_put_text(w, kind, i, (int)f, year, s, err);
    }
    return rc;
}

int32_t facts_lookup(const facts_world *w, facts_kind kind, const char *id)
{
    world_private *p = w->index;
    return strmap_get(&p->ids[kind], id, strlen(id));
}

void facts_world_link(facts_world *w)
{
    world_private *p = w->index;
    for (int k = 0; k < FACTS_KINDS; k++) {
        facts_set *s = &w->sets[k];
        for (size_t i = 0; i < s->n; i++)
            s->link[i] = k == FACTS_ENTERPRISE ? (int32_t)i : strmap_get(&p->ids[FACTS_ENTERPRISE], s->uscc[i], strlen(s->uscc[i]));
    }
}

/* ---- loading from the store ---- */

/* Appends the needed columns of `kind` that live in `table` to the select list; ids[] gets their fact ids. */
static size_t select_columns(strbuf *sql, const facts_need *need, facts_kind kind, bool yearly, int ids[64])
{
    size_t n = 0;
    for (size_t f = 0; f < facts_catalog_count; f++) {
        const facts_def *d = &facts_catalog[f];
        if (d->kind != kind || d->yearly != yearly || !need->fact[f] || d->members_sql)
            continue;
        strbuf_printf(sql, ", \"%s\"", d->column);
        ids[n++] = (int)f;
    }
    return n;
}

static int put_column(facts_world *w, facts_kind kind, size_t i, int fact, int year, sqlite3_stmt *s, int col, lz_err *err)
{
    int t = sqlite3_column_type(s, col);
    if (t == SQLITE_NULL)
        return 0;
    const facts_def *d = &facts_catalog[fact];
    if (d->type == FT_TEXT || d->type == FT_LIST)
        return facts_put_text(w, kind, i, fact, year, (const char *)sqlite3_column_text(s, col), err);
    if (d->type == FT_DATE) {
        int32_t days;
        char why[64];
        const char *txt = (const char *)sqlite3_column_text(s, col);
        if (date_parse(txt, strlen(txt), &days, why, sizeof why) != 0)
            return 0; /* an unreadable date is an unknown date; `lianzhang check` reports it */
        return facts_put_int(w, kind, i, fact, year, days, err);
    }
    return facts_put_int(w, kind, i, fact, year, sqlite3_column_int64(s, col), err);
}

static int step_error(store *st, lz_err *err, const char *tname)
{
    char ctx[96];
    snprintf(ctx, sizeof ctx, "reading %s", tname);
    return store_sql_error(st, err, ctx);
}

static int reserve_enterprises(store *st, facts_world *w, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st, "SELECT count(*) FROM \"enterprises\"", err);
    if (!s)
        return LZ_EINTERNAL;
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return step_error(st, err, "enterprises");
    }
    set_reserve(w, FACTS_ENTERPRISE, (size_t)sqlite3_column_int64(s, 0));
    sqlite3_reset(s);
    return 0;
}

/* A query with ?1 = one enterprise (NULL: all) and ?2 = the statistics year bound. */
static sqlite3_stmt *prepare_for_year(store *st, const char *sql, const char *only_uscc, int stat_year, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return NULL;
    if (only_uscc)
        sqlite3_bind_text(s, 1, only_uscc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, stat_year);
    return s;
}

/* Subjects and static facts of one kind. */
static int load_subjects(store *st, facts_world *w, facts_kind kind, const facts_need *need, const char *only_uscc, lz_err *err)
{
    strbuf sql;
    strbuf_init(&sql);
    int ids[64];
    bool ent = kind == FACTS_ENTERPRISE;
    strbuf_printf(&sql, "SELECT %s, \"uscc\"", ent ? "\"uscc\"" : kind == FACTS_PERSON ? "DISTINCT \"id\"" : "\"id\"");
    size_t ncols = kind == FACTS_PERSON ? 0 : select_columns(&sql, need, kind, false, ids);
    strbuf_printf(&sql, " FROM \"%s\" WHERE (?1 IS NULL OR \"uscc\" = ?1)", kind_tables[kind]);
    if (kind == FACTS_PERSON)
        strbuf_puts(&sql, " AND \"year\" = ?2");
    if (kind == FACTS_EVENT)
        strbuf_puts(&sql, " AND \"date\" >= printf('%04d-01-01', ?2) AND \"date\" < printf('%04d-01-01', ?2 + 1)");
    /* Enterprises in stored order (a sequential scan; each is its own cap group, so order does not
     * matter); other subjects by id, the order in which yearly caps are taken. */
    if (!ent)
        strbuf_puts(&sql, " ORDER BY \"id\"");
    sqlite3_stmt *s = prepare_for_year(st, sql.data, only_uscc, w->year - 1, err);
    strbuf_free(&sql);
    if (!s)
        return LZ_EINTERNAL;
    int rc, ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && ret == 0) {
        size_t i = set_append(w, kind, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1));
        for (size_t c = 0; c < ncols && ret == 0; c++)
            ret = put_column(w, kind, i, ids[c], 0, s, (int)c + 2, err);
    }
    index_new_subjects(w, kind);
    if (ret == 0 && rc != SQLITE_DONE)
        ret = step_error(st, err, kind_tables[kind]);
    sqlite3_reset(s);
    return ret;
}

/* Yearly facts: indicators for enterprises, the persons table's own rows for persons.
 * A job reads the rows whose rowid lies in [lo, hi] (SQLite-specific: the table's storage order),
 * so that two connections can each read half of a large table at the same time. */
typedef struct yearly_job {
    store *st;
    facts_world *w;
    facts_kind kind;
    const char *sql, *tname, *only_uscc;
    const int *ids;
    size_t ncols;
    int64_t lo, hi;
    int rc;
    lz_err err;
} yearly_job;

/* Stored as the integer it is (no dictionary, no date to parse). */
static bool is_integer(facts_type t)
{
    return t == FT_MONEY || t == FT_COUNT || t == FT_YEAR || t == FT_DECIMAL2 || t == FT_BOOL;
}

static int yearly_rows(yearly_job *j)
{
    sqlite3_stmt *s = store_prepare(j->st, j->sql, &j->err);
    if (!s)
        return LZ_EINTERNAL;
    facts_set *set = &j->w->sets[j->kind];
    if (j->only_uscc)
        sqlite3_bind_text(s, 1, j->only_uscc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, set->year0);
    sqlite3_bind_int(s, 3, set->year0 + set->nyears - 1);
    sqlite3_bind_int64(s, 4, j->lo);
    sqlite3_bind_int64(s, 5, j->hi);
    world_private *p = j->w->index;
    facts_col *direct[64]; /* per selected column: its array when stored as the integer it is, else NULL */
    for (size_t c = 0; c < j->ncols; c++)
        direct[c] = is_integer(facts_catalog[j->ids[c]].type) ? &set->cols[j->ids[c]] : NULL;
    int rc, ret = 0;
    char last[128] = "";
    int32_t i = -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && ret == 0) {
        /* Rows come grouped by subject (the primary key's order): look the id up once per group. */
        const char *id = (const char *)sqlite3_column_text(s, 0);
        size_t len = (size_t)sqlite3_column_bytes(s, 0);
        if (len >= sizeof last || memcmp(id, last, len + 1) != 0) {
            /* Stored in the same order as the subjects, the next group is usually the next subject. */
            size_t guess = (size_t)(i + 1);
            i = guess < set->n && strcmp(set->ids[guess], id) == 0 ? (int32_t)guess : strmap_get(&p->ids[j->kind], id, len);
            if (len < sizeof last)
                memcpy(last, id, len + 1);
        }
        if (i < 0)
            continue; /* a person not employed in the statistics year, or an enterprise filtered out */
        int year = sqlite3_column_int(s, 1);
        /* The query keeps years in [year0, year0 + nyears): the slot is the same for every column. */
        size_t slot = (size_t)i * (size_t)set->nyears + (size_t)(year - set->year0);
        for (size_t c = 0; c < j->ncols && ret == 0; c++) {
            if (!direct[c]) {
                ret = put_column(j->w, j->kind, (size_t)i, j->ids[c], year, s, (int)c + 2, &j->err);
            } else if (sqlite3_column_type(s, (int)c + 2) != SQLITE_NULL) {
                /* Five million rows: the plain numbers go straight into their arrays. */
                direct[c]->v[slot] = sqlite3_column_int64(s, (int)c + 2);
                direct[c]->known[slot] = 1;
            }
        }
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = step_error(j->st, &j->err, j->tname);
    sqlite3_reset(s);
    return ret;
}

int64_t facts_parallel_rows = 100000;

static int max_rowid(store *st, const char *tname, int64_t *out, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(
        st, strcmp(tname, "indicators") == 0 ? "SELECT max(rowid) FROM \"indicators\"" : "SELECT max(rowid) FROM \"persons\"", err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? 0 : step_error(st, err, tname);
}

static void *run_yearly_job(void *arg)
{
    yearly_job *j = arg;
    j->rc = yearly_rows(j);
    return NULL;
}

/* The second half of a big table on a second connection, in parallel (the machine has cores to
 * spare and SQLite's row decoding is most of the load). Only for numeric facts: text facts grow
 * shared dictionaries, which are not shared between threads. */
static int yearly_parallel(yearly_job *main_job, int64_t max_id)
{
    yearly_job second = *main_job;
    second.st = NULL;
    memset(&second.err, 0, sizeof second.err);
    second.rc = store_open(&second.st, store_path(main_job->st), STORE_READONLY, &second.err);
    if (second.rc) {
        main_job->err = second.err;
        return second.rc;
    }
    main_job->hi = max_id / 2;
    second.lo = max_id / 2 + 1;
    pthread_t t;
    int ret;
    if (pthread_create(&t, NULL, run_yearly_job, &second) != 0) {
        main_job->hi = max_id;
        ret = yearly_rows(main_job);
    } else {
        ret = yearly_rows(main_job);
        pthread_join(t, NULL);
        if (ret == 0 && second.rc) {
            ret = second.rc;
            main_job->err = second.err;
        }
    }
    store_close(second.st);
    return ret;
}

static int load_yearly(store *st, facts_world *w, facts_kind kind, const facts_need *need, const char *only_uscc, lz_err *err)
{
    strbuf sql;
    strbuf_init(&sql);
    int ids[64];
    const char *tname = kind == FACTS_ENTERPRISE ? "indicators" : "persons";
    strbuf_printf(&sql, "SELECT %s, \"year\"", kind == FACTS_ENTERPRISE ? "\"uscc\"" : "\"id\"");
    size_t ncols = select_columns(&sql, need, kind, true, ids);
    if (ncols == 0) {
        strbuf_free(&sql);
        return 0;
    }
    /* `+year`: scan the table in stored order (rows of one subject together, read sequentially)
     * rather than through the year index, which would fetch every row by a random lookup. */
    strbuf_printf(&sql,
                  " FROM \"%s\" WHERE +\"year\" BETWEEN ?2 AND ?3 AND (?1 IS NULL OR \"uscc\" = ?1)"
                  " AND rowid BETWEEN ?4 AND ?5",
                  tname);
    for (size_t c = 0; c < ncols; c++)
        col_for(w, kind, ids[c]);
    bool numeric = true;
    for (size_t c = 0; c < ncols; c++)
        numeric &= facts_catalog[ids[c]].type != FT_TEXT && facts_catalog[ids[c]].type != FT_LIST;
    yearly_job job = {.st = st,
                      .w = w,
                      .kind = kind,
                      .sql = sql.data,
                      .tname = tname,
                      .only_uscc = only_uscc,
                      .ids = ids,
                      .ncols = ncols,
                      .lo = INT64_MIN,
                      .hi = INT64_MAX};
    int64_t max_id = 0;
    int ret = max_rowid(st, tname, &max_id, err);
    if (ret == 0) {
        ret = numeric && !only_uscc && max_id > facts_parallel_rows ? yearly_parallel(&job, max_id) : yearly_rows(&job);
        if (ret && err)
            *err = job.err;
    }
    strbuf_free(&sql);
    return ret;
}

/* A fact true for the enterprises a query lists (members_sql): one pass over a short list, not
 * a lookup per enterprise. */
static int load_members(store *st, facts_world *w, int fact, const char *only_uscc, lz_err *err)
{
    sqlite3_stmt *s = prepare_for_year(st, facts_catalog[fact].members_sql, only_uscc, w->year - 1, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc, ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && ret == 0) {
        int32_t i = facts_lookup(w, FACTS_ENTERPRISE, (const char *)sqlite3_column_text(s, 0));
        if (i >= 0)
            ret = facts_put_int(w, FACTS_ENTERPRISE, (size_t)i, fact, 0, 1, err);
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = step_error(st, err, facts_catalog[fact].table);
    sqlite3_reset(s);
    return ret;
}

static int first_year_on_record(store *st, int last, int *year0, lz_err *err)
{
    sqlite3_stmt *s = store_prepare(
        st, "SELECT min(m) FROM (SELECT min(\"year\") AS m FROM \"indicators\" UNION ALL SELECT min(\"year\") FROM \"persons\")",
        err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sqlite3_step(s);
    *year0 = rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL ? sqlite3_column_int(s, 0) : last;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return step_error(st, err, "indicators");
    if (*year0 > last)
        *year0 = last;
    if (*year0 < last - 19)
        *year0 = last - 19;
    return 0;
}

int facts_load(store *st, int year, const facts_need *need, const char *only_uscc, facts_world *w, lz_err *err)
{
    int year0;
    int rc = first_year_on_record(st, year - 1, &year0, err);
    if (rc)
        return rc;
    facts_world_init(w, year, year0, year - year0);
    /* Related facts need the enterprises whatever kind the policy is about. */
    bool kinds[FACTS_KINDS];
    memcpy(kinds, need->kind, sizeof kinds);
    for (int k = 0; k < FACTS_KINDS; k++)
        kinds[FACTS_ENTERPRISE] |= kinds[k];
    for (size_t f = 0; f < facts_catalog_count; f++)
        if (need->fact[f])
            kinds[facts_catalog[f].kind] = true;
    for (int k = 0; k < FACTS_KINDS && rc == 0; k++) {
        if (!kinds[k])
            continue;
        for (size_t f = 0; f < facts_catalog_count; f++)
            if (need->fact[f] && facts_catalog[f].kind == (facts_kind)k)
                col_for(w, (facts_kind)k, (int)f);
        if (k == FACTS_ENTERPRISE && !only_uscc)
            rc = reserve_enterprises(st, w, err);
        if (rc == 0)
            rc = load_subjects(st, w, (facts_kind)k, need, only_uscc, err);
        for (size_t f = 0; f < facts_catalog_count && rc == 0 && k == FACTS_ENTERPRISE; f++)
            if (need->fact[f] && facts_catalog[f].members_sql)
                rc = load_members(st, w, (int)f, only_uscc, err);
        if (rc == 0 && (k == FACTS_ENTERPRISE || k == FACTS_PERSON))
            rc = load_yearly(st, w, (facts_kind)k, need, only_uscc, err);
    }
    if (rc == 0)
        facts_world_link(w);
    return rc;
}
