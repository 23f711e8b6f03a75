/*
 * facts — the catalogue of facts rule files may read, resolved against the table declarations, and
 * the column-wise world that holds them (see facts.h).
 *
 * A catalogue row states only what the data contract does not: the name rule files use, whose fact
 * it is, the table (and the column when it is not named like the fact), the labels explanations
 * use, and what is special about it (a type the column does not imply, a prefix or derivation, the
 * column's default applying, a membership list). facts_get resolves the rest from model/tables.c
 * once; facts_catalog_check (run by the unit tests) says which row no longer fits the contract.
 *
 * Yearly facts are stored subject-major ([i * nyears + year - year0]) because the engine reads
 * "this subject's value in the year this subject entered above size", a different year per
 * subject.
 */
#include "model/facts.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "model/cellfmt.h"
#include "model/tables.h"

/* ---- the catalogue ---- */

/* A row as declared; facts_def is what it resolves to. */
typedef struct fact_decl {
    const char *name;
    facts_kind kind;
    const char *table;
    const char *column; /* NULL: named like the fact */
    const char *label[3];
    bool typed; /* the type is stated: the column's type does not imply it */
    facts_type type;
    int prefix;
    const char *(*derive)(const char *text);
    bool column_default; /* absent takes the column's default */
    bool membership;
} fact_decl;

#define E FACTS_ENTERPRISE
#define P FACTS_PROJECT
#define H FACTS_PERSON
#define V FACTS_EVENT
/* A catalogue row; the optional designated fields (column, TYPED, prefix, derive, column_default,
 * membership) follow. */
#define FACT(n, k, tbl, zh_cn, zh_tw, en, ...)                                                                                     \
    {                                                                                                                              \
        .name = n, .kind = k, .table = tbl, .label = {zh_cn, zh_tw, en}, __VA_ARGS__                                               \
    }
#define TYPED(t) .typed = true, .type = t
static const fact_decl decls[] = {
    FACT("industry_code", E, "enterprises", "行业代码", "行業代碼", "industry code"),
    FACT("industry_division", E, "enterprises", "行业大类", "行業大類", "industry division", .column = "industry_code",
         .prefix = 2),
    FACT("industry_section", E, "enterprises", "行业门类", "行業門類", "industry section", .column = "industry_code",
         .derive = facts_industry_section),
    FACT("listing_board", E, "enterprises", "上市板块", "上市板塊", "listing board"),
    FACT("local", E, "enterprises", "本地企业", "本地企業", "local enterprise", .column_default = true),
    FACT("founded", E, "enterprises", "成立日期", "成立日期", "founded"),
    FACT("key_enterprise", E, "key_enterprises", "列入重点企业名录", "列入重點企業名錄", "on the key-enterprise directory",
         .column = "uscc", TYPED(FT_BOOL), .membership = true),
    FACT("above_scale_entry_year", E, "enterprises", "规上入库年份", "規上入庫年份", "year entered above size (statistics bureau)"),
    FACT("output_value", E, "indicators", "产值", "產值", "output value"),
    FACT("revenue", E, "indicators", "主营业务收入", "主營業務收入", "main business revenue"),
    FACT("value_added", E, "indicators", "工业增加值", "工業增加值", "industrial value added"),
    FACT("tax_paid", E, "indicators", "纳税额", "納稅額", "tax paid"),
    FACT("rd_expense", E, "indicators", "研发投入", "研發投入", "R&D expense"),
    FACT("employees", E, "indicators", "从业人员", "從業人員", "employees"),
    FACT("above_scale", E, "indicators", "规上企业", "規上企業", "above designated size"),
    FACT("new_fixed_asset_investment", E, "indicators", "新增固定资产投资", "新增固定資產投資", "new fixed-asset investment"),
    FACT("kind", P, "projects", "项目类型", "項目類型", "project kind"),
    FACT("stage", P, "projects", "项目阶段", "項目階段", "project stage"),
    FACT("chain", P, "projects", "所属产业链", "所屬產業鏈", "industrial chain"),
    FACT("total_investment", P, "projects", "总投资", "總投資", "total investment"),
    FACT("fixed_asset_investment", P, "projects", "固定资产投资", "固定資產投資", "fixed-asset investment"),
    FACT("equipment_investment", P, "projects", "设备投资", "設備投資", "equipment investment"),
    FACT("approved_equipment_purchase", P, "projects", "核定设备购置额", "核定設備購置額", "approved equipment purchase"),
    FACT("start_date", P, "projects", "开工日期", "開工日期", "start date"),
    FACT("planned_completion", P, "projects", "计划竣工", "計劃竣工", "planned completion"),
    FACT("completion_date", P, "projects", "实际竣工日期", "實際竣工日期", "completion date"),
    FACT("key", P, "projects", "重点项目", "重點項目", "key project"),
    FACT("new_investment", P, "projects", "新引进项目", "新引進項目", "newly introduced project"),
    FACT("plot_ratio", P, "projects", "容积率", "容積率", "plot ratio"),
    FACT("approved_award_rate", P, "projects", "核定奖补比例（%）", "核定獎補比例（%）", "approved award rate (%)"),
    FACT("land_use", P, "projects", "用地性质", "用地性質", "land use"),
    FACT("role", H, "persons", "人才类别", "人才類別", "role"),
    FACT("wage_income", H, "persons", "工资薪金收入", "工資薪金收入", "wage income"),
    FACT("iit_paid", H, "persons", "缴纳个人所得税", "繳納個人所得稅", "individual income tax paid"),
    FACT("approved_award_multiple", H, "persons", "核定奖励倍数（%）", "核定獎勵倍數（%）", "approved award multiple (%)"),
    FACT("kind", V, "events", "事项类型", "事項類型", "event kind"),
    FACT("date", V, "events", "事项日期", "事項日期", "event date"),
    FACT("amount", V, "events", "核定金额", "核定金額", "approved amount"),
    FACT("detail", V, "events", "说明", "說明", "detail"),
    FACT("flags", V, "events", "标记", "標記", "flags"),
};
#undef TYPED
#undef FACT
#undef E
#undef P
#undef H
#undef V
const size_t facts_catalog_count = sizeof decls / sizeof decls[0];
_Static_assert(sizeof decls / sizeof decls[0] <= FACTS_MAX, "the catalogue outgrew FACTS_MAX");

static const char *const kind_names[FACTS_KINDS] = {"enterprise", "project", "person", "event"};
static const char *const kind_tables[FACTS_KINDS] = {"enterprises", "projects", "persons", "events"};

static const char *decl_column_name(const fact_decl *d)
{
    return d->column ? d->column : d->name;
}

/* The column a row reads, or NULL when the contract has no such table or column. */
static const column *decl_column(const fact_decl *d)
{
    const table *t = tables_find(d->table);
    int c = t ? table_column_index(t, decl_column_name(d)) : -1;
    return c >= 0 ? &t->cols[c] : NULL;
}

/* A table with a `year` in its key holds one row per subject and year. */
static bool year_keyed(const char *table_name)
{
    const table *t = tables_find(table_name);
    int c = t ? table_column_index(t, "year") : -1;
    return c >= 0 && (t->cols[c].flags & COLF_KEY);
}

/* What a column's values are to a rule; false when its type implies none (a decimal not in
 * hundredths). An integer column is a year when it takes the years the contract accepts, else a
 * count; codes, enumerations and free text are text. */
static bool type_of_column(const column *c, facts_type *out)
{
    switch (c->type) {
    case COL_MONEY:
        *out = FT_MONEY;
        return true;
    case COL_INT:
        *out = c->min == TABLES_YEAR_MIN && c->max == TABLES_YEAR_MAX ? FT_YEAR : FT_COUNT;
        return true;
    case COL_DECIMAL:
        *out = FT_DECIMAL2;
        return c->scale == 2;
    case COL_BOOL:
        *out = FT_BOOL;
        return true;
    case COL_DATE:
        *out = FT_DATE;
        return true;
    case COL_LIST:
        *out = FT_LIST;
        return true;
    default:
        *out = FT_TEXT;
        return true;
    }
}

/* The integer the column's declared default stands for (what an empty cell of it parses to). */
static int column_default(const column *c, int64_t *out)
{
    arena a;
    arena_init(&a, 256);
    cell v;
    char why[128];
    int rc = c->default_text && cell_parse(c, "", 0, &a, &v, why, sizeof why) == 0 && v.kind == CELL_INT ? 0 : -1;
    *out = rc == 0 ? v.i : 0;
    arena_free(&a);
    return rc;
}

static void resolve(const fact_decl *d, facts_def *out)
{
    const column *c = decl_column(d);
    facts_type from_column = FT_TEXT;
    bool derived = !d->typed && c && type_of_column(c, &from_column);
    *out = (facts_def){.name = d->name,
                       .kind = d->kind,
                       .table = d->table,
                       .column = decl_column_name(d),
                       .type = derived ? from_column : d->type,
                       .yearly = year_keyed(d->table),
                       .prefix = d->prefix,
                       .label = {d->label[0], d->label[1], d->label[2]},
                       .has_default = d->column_default || d->membership,
                       .derive = d->derive,
                       .membership = d->membership};
    if (d->column_default && c)
        column_default(c, &out->default_value);
}

static facts_def catalog[FACTS_MAX];
static pthread_once_t catalog_once = PTHREAD_ONCE_INIT;

static void resolve_catalog(void)
{
    for (size_t i = 0; i < facts_catalog_count; i++)
        resolve(&decls[i], &catalog[i]);
}

const facts_def *facts_get(int fact)
{
    pthread_once(&catalog_once, resolve_catalog);
    return &catalog[fact];
}

/* What is wrong with row d against the contract, or NULL. */
static const char *decl_problem(const fact_decl *d)
{
    const column *c = decl_column(d);
    facts_type t;
    int64_t dflt;
    if (!c)
        return "the data contract has no such table or column";
    if (!d->typed && !type_of_column(c, &t))
        return "the column's type does not say the fact's: state it";
    if (d->typed && type_of_column(c, &t) && t == d->type)
        return "states the type its column already implies";
    if (d->column_default && column_default(c, &dflt) != 0)
        return "the column declares no default a rule can read";
    return NULL;
}

int facts_catalog_check(lz_err *err)
{
    for (size_t i = 0; i < facts_catalog_count; i++) {
        const fact_decl *d = &decls[i];
        const char *why = decl_problem(d);
        if (why)
            return err_set(err, LZ_EINTERNAL, "fact %s %s (%s.%s): %s", kind_names[d->kind], d->name, d->table, decl_column_name(d),
                           why);
    }
    return 0;
}

int facts_find(facts_kind kind, const char *name)
{
    for (size_t i = 0; i < facts_catalog_count; i++)
        if (decls[i].kind == kind && strcmp(decls[i].name, name) == 0)
            return (int)i;
    return -1;
}

const char *facts_kind_name(facts_kind kind)
{
    return kind_names[kind];
}

const char *facts_kind_table(facts_kind kind)
{
    return kind_tables[kind];
}

int facts_kind_parse(const char *name)
{
    for (int i = 0; i < FACTS_KINDS; i++)
        if (strcmp(kind_names[i], name) == 0)
            return i;
    return -1;
}

/* ---- the world ---- */

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
    return facts_get(fact)->yearly ? (size_t)s->nyears : 1;
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
void facts_set_reserve(facts_world *w, facts_kind kind, size_t n)
{
    if (n > w->sets[kind].cap)
        set_grow(w, kind, n);
    world_private *p = w->index;
    strmap_reserve(&p->ids[kind], n);
}

/* A subject at the end of its set, not yet in the id index (see facts_set_index). */
size_t facts_set_append(facts_world *w, facts_kind kind, const char *id, const char *uscc)
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

void facts_set_index(facts_world *w, facts_kind kind)
{
    world_private *p = w->index;
    facts_set *s = &w->sets[kind];
    strmap_put_all(&p->ids[kind], (const char *const *)s->ids + p->indexed[kind], s->n - p->indexed[kind],
                   (int32_t)p->indexed[kind]);
    p->indexed[kind] = s->n;
}

size_t facts_set_add(facts_world *w, facts_kind kind, const char *id, const char *uscc)
{
    size_t i = facts_set_append(w, kind, id, uscc);
    facts_set_index(w, kind);
    return i;
}

facts_col *facts_col_open(facts_world *w, facts_kind kind, int fact)
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
    if (!facts_get(fact)->yearly) {
        *slot = i;
        return 0;
    }
    if (year < s->year0 || year >= s->year0 + s->nyears)
        return err_set(err, LZ_EINPUT, "%s[%d]: the year must be between %d and %d", facts_get(fact)->name, year, s->year0,
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
    facts_col *c = facts_col_open(w, kind, fact);
    c->v[slot] = v;
    c->known[slot] = 1;
    return 0;
}

static int64_t dict_index(facts_world *w, int fact, const char *s, size_t n)
{
    world_private *p = w->index;
    facts_col *c = &w->sets[facts_get(fact)->kind].cols[fact];
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
    const facts_def *d = facts_get(fact);
    if (d->derive && !(s = d->derive(s)))
        return 0; /* nothing to derive from this value: the fact stays unknown */
    size_t n = strlen(s);
    if (d->prefix && n > (size_t)d->prefix)
        n = (size_t)d->prefix;
    int rc = facts_put_int(w, kind, i, fact, year, dict_index(w, fact, s, n), err);
    /* The facts derived from this column (an industry code's division and section) follow it. */
    for (size_t f = (size_t)fact + 1; rc == 0 && !is_derived(d) && f < facts_catalog_count; f++) {
        if (!is_derived(facts_get((int)f)) || strcmp(facts_get(f)->column, d->column) != 0)
            break;
        rc = facts_put_text(w, kind, i, (int)f, year, s, err);
    }
    return rc;
}

int32_t facts_lookup_len(const facts_world *w, facts_kind kind, const char *id, size_t len)
{
    world_private *p = w->index;
    return strmap_get(&p->ids[kind], id, len);
}

int32_t facts_lookup(const facts_world *w, facts_kind kind, const char *id)
{
    return facts_lookup_len(w, kind, id, strlen(id));
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
