/*
 * cmd_policy — the support-policy commands: `policy list|check|test|show` on rule files,
 * `awards` and `explain` on a database year, `whatif` on a facts document, and `award` for the
 * ledger's status moves. Output formats are contracts (the CSV header, the JSON shape, amounts as
 * "3000000.00"); the engine itself is src/policy/.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "cli/commands.h"
#include "cli/table.h"
#include "core/arena.h"
#include "core/csv.h"
#include "core/money.h"
#include "exchange/import.h"
#include "exchange/xlsx_write.h"
#include "model/cellfmt.h"
#include "model/labels.h"
#include "model/tables.h"
#include "policy/policy.h"
#include "store/accounts.h"
#include "store/ledger.h"
#include "store/workflow.h"

typedef struct opts {
    const char *db, *dir, *policy, *uscc, *format, *out, *lang_name, *file, *reason, *as, *unit_name;
    int year, year_to; /* --year Y, or --years Y-YEAR_TO (year_to 0: one year) */
    bool all, record, no_bom;
    policy_lang lang;
    int unit_pow10; /* --unit: the table's amounts in units of 10^unit_pow10 yuan */
    const char *positional[4];
    int npos;
} opts;

/* The policy folder (cli_policy_dir), or NULL with the reason printed. */
static const char *policy_dir(const opts *o)
{
    lz_err err = {0};
    const char *dir = cli_policy_dir(o->dir, "--dir", &err);
    if (!dir)
        cli_fail(&err);
    return dir;
}

/* Parses --options (values may follow as the next word); the rest are positional. */
static int parse_opts(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--all") == 0) {
            o->all = true;
            continue;
        }
        if (strcmp(a, "--record") == 0) {
            o->record = true;
            continue;
        }
        if (strcmp(a, "--no-bom") == 0) {
            o->no_bom = true;
            continue;
        }
        if (strcmp(a, "--years") == 0) {
            int from, to, used = 0;
            if (i + 1 >= argc || sscanf(argv[++i], "%d-%d%n", &from, &to, &used) != 2 || argv[i][used] || from < TABLES_YEAR_MIN ||
                to > TABLES_YEAR_MAX || to < from)
                return -1;
            o->year = from;
            o->year_to = to;
            continue;
        }
        static const char *const names[] = {"--dir",  "--policy", "--enterprise", "--format", "-o",
                                            "--lang", "--reason", "--as",         "--unit",   "--year"};
        const char **slots[] = {&o->dir,       &o->policy, &o->uscc, &o->format,    &o->out,
                                &o->lang_name, &o->reason, &o->as,   &o->unit_name, NULL};
        const char *year_text = NULL;
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (strcmp(a, names[k]) == 0)
                slot = slots[k] ? slots[k] : &year_text;
        if (slot) {
            if (i + 1 >= argc)
                return -1;
            *slot = argv[++i];
            if (year_text) {
                char *end;
                long y = strtol(year_text, &end, 10);
                if (*end || y < TABLES_YEAR_MIN || y > TABLES_YEAR_MAX)
                    return -1;
                o->year = (int)y;
            }
            continue;
        }
        if (a[0] == '-' || o->npos == 4)
            return -1;
        o->positional[o->npos++] = a;
    }
    o->unit_pow10 = o->unit_name ? label_unit_option(o->unit_name) : 0;
    if (o->unit_pow10 < 0)
        return fprintf(stderr, "lianzhang: --unit: " LABEL_UNIT_OPTIONS ", not '%s'\n", o->unit_name), -1;
    int lang = cli_lang(o->lang_name);
    if (lang < 0)
        return -1;
    o->lang = (policy_lang)lang;
    return 0;
}

static int load_set(const opts *o, policy_set **set)
{
    const char *dir = policy_dir(o);
    if (!dir)
        return EXIT_INPUT;
    lz_err err = {0};
    return cli_policy_set_load(dir, set, &err) ? cli_fail(&err) : EXIT_OK;
}

/* ---- policy list | check | test | show ---- */

/* "article", "assumed", "confirmed" as a reader says them. */
static const char *source_word(const char *source, policy_lang lang)
{
    static const struct {
        const char *source, *word[3];
    } words[] = {{"article", {"原文", "原文", "article"}},
                 {"assumed", {"假设", "假設", "assumed"}},
                 {"confirmed", {"已确认", "已確認", "confirmed"}}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i].source, source) == 0)
            return words[i].word[lang];
    return source;
}

static void list_policies(const policy_set *set, policy_lang lang)
{
    static const char *const words[][3] = {
        {"政策", "政策", "policy"},
        {"对象", "對象", "subject"},
        {"部门", "部門", "dept"},
        {"适用奖励年度", "適用獎勵年度", "valid"},
        {"类型", "類型", "kind"},
        {"名称", "名稱", "name"},
        {"资金", "資金", "money"},
        {"准予事项", "准予事項", "right"},
        {"仅有描述", "僅有描述", "described"},
        {"不限", "不限", "open"},
        {"（含假设参数）", "（含假設參數）", " (has assumed parameters)"},
        {"（原文未量化）", "（原文未量化）", " (described, not quantified in the source)"},
    };
    enum { HEADINGS = 6, W_MONEY = 6, W_RIGHT, W_DESCRIBED, W_OPEN, W_ASSUMED, W_UNQUANTIFIED };
    const char *headings[HEADINGS];
    for (size_t c = 0; c < HEADINGS; c++)
        headings[c] = words[c][lang];
    cli_table *t = cli_table_new(HEADINGS, headings, NULL);
    for (size_t i = 0; i < policy_set_count(set); i++) {
        policy_info in;
        policy_describe(policy_set_at(set, i), &in);
        size_t assumed = 0;
        for (size_t k = 0; k < in.nparams; k++)
            assumed += in.params[k].assumed;
        char valid[64], to[8] = "", name[512];
        if (in.valid_to)
            snprintf(to, sizeof to, "%d", in.valid_to);
        if (in.valid_from)
            snprintf(valid, sizeof valid, "%d–%s %s", in.valid_from, to, source_word(in.valid_source, lang));
        else
            snprintf(valid, sizeof valid, "%s", words[W_OPEN][lang]);
        const char *kind = words[in.described_only ? W_DESCRIBED : in.entitlement ? W_RIGHT : W_MONEY][lang];
        snprintf(name, sizeof name, "%s%s", in.name[lang],
                 in.described_only ? words[W_UNQUANTIFIED][lang]
                 : assumed         ? words[W_ASSUMED][lang]
                                   : "");
        const char *row[HEADINGS] = {in.id, policy_subject_label(in.subject, lang), in.department, valid, kind, name};
        cli_table_add(t, row);
    }
    cli_table_print(t, stdout);
    cli_table_free(t);
}

static int show_policy(const policy_set *set, const char *id, policy_lang lang)
{
    const policy *p = policy_set_find(set, id);
    if (!p) {
        fprintf(stderr, "lianzhang: no policy %s\n", id);
        return EXIT_INPUT;
    }
    policy_info in;
    policy_describe(p, &in);
    printf("%s — %s\n%s / %s\ndepartment: %s\nsubject: %s\nfile: %s (version %s)\nclause: %s\n", in.id, in.name[lang],
           in.name[POLICY_ZH_TW], in.name[POLICY_EN], in.department, in.subject, in.file, in.hash, in.clause);
    if (in.readings[lang])
        printf("reading: %s\n", in.readings[lang]);
    if (in.valid_from) {
        printf("valid: award years %d-", in.valid_from);
        if (in.valid_to)
            printf("%d", in.valid_to);
        printf(" (%s", in.valid_source);
        if (in.valid_document)
            printf(" %s %s", in.valid_document, in.valid_document_date);
        printf(")\n");
    }
    for (size_t k = 0; k < in.nparams; k++) {
        const policy_param_info *pa = &in.params[k];
        printf("param %s = %s (%s", pa->name, pa->value, pa->assumed ? "ASSUMED" : pa->source);
        if (pa->document)
            printf(" %s %s", pa->document, pa->document_date);
        printf(pa->maximum ? ", maximum)" : ")");
        printf(pa->labels[lang] ? " — %s\n" : "\n", pa->labels[lang]);
    }
    if (in.entitlement)
        printf("grant: %s\n", in.grants[lang]);
    return EXIT_OK;
}

static int check_files(const opts *o)
{
    const char *target = o->npos > 1 ? o->positional[1] : policy_dir(o);
    if (!target)
        return EXIT_INPUT;
    size_t n = strlen(target);
    errlist errors;
    errlist_init(&errors, 200);
    lz_err err = {0};
    policy_set *set = NULL;
    int rc;
    if (n > 7 && strcmp(target + n - 7, ".policy") == 0) {
        strbuf b;
        strbuf_init(&b);
        if (strbuf_read_file(&b, target, &err) < 0) {
            strbuf_free(&b);
            errlist_free(&errors);
            return cli_fail(&err);
        }
        rc = policy_set_load_text(target, b.data ? b.data : "", b.len, &set, &errors, &err);
        strbuf_free(&b);
    } else {
        rc = policy_set_load(target, &set, &errors, &err);
    }
    for (size_t i = 0; i < errors.count; i++)
        fprintf(stderr, "%s\n", errors.items[i]);
    if (errors.total > errors.count)
        fprintf(stderr, "... and %zu more\n", errors.total - errors.count);
    errlist_free(&errors);
    if (rc)
        return cli_fail(&err);
    printf("%zu policies ok\n", policy_set_count(set));
    policy_set_free(set);
    return EXIT_OK;
}

static int test_policies(const policy_set *set, const char *only)
{
    strbuf report;
    strbuf_init(&report);
    int failed = 0;
    size_t cases = 0;
    for (size_t i = 0; i < policy_set_count(set); i++) {
        const policy *p = policy_set_at(set, i);
        policy_info in;
        policy_describe(p, &in);
        if (only && strcmp(only, in.id) != 0)
            continue;
        failed += policy_run_tests(set, p, &report);
        cases += in.ntests;
    }
    fputs(report.data ? report.data : "", stdout);
    printf("%zu passed, %d failed\n", cases - (size_t)failed, failed);
    strbuf_free(&report);
    return failed ? EXIT_INPUT : EXIT_OK;
}

static int run_policy(int argc, char **argv)
{
    opts o;
    if (parse_opts(argc, argv, &o) != 0 || o.npos < 1)
        return cli_usage(&cmd_policy);
    const char *sub = o.positional[0];
    if (strcmp(sub, "check") == 0)
        return check_files(&o);
    policy_set *set;
    int code = load_set(&o, &set);
    if (code)
        return code;
    if (strcmp(sub, "list") == 0)
        list_policies(set, o.lang);
    else if (strcmp(sub, "test") == 0)
        code = test_policies(set, o.policy);
    else if (strcmp(sub, "show") == 0 && o.npos == 2)
        code = show_policy(set, o.positional[1], o.lang);
    else
        code = cli_usage(&cmd_policy);
    policy_set_free(set);
    return code;
}

const command cmd_policy = {
    "policy",
    "support-policy rule files: list, check, test, show",
    "lianzhang policy list|check|test|show [--dir DIR] [FILE|ID] [--policy ID] [--lang zh-CN|zh-TW|en]\n"
    "  list    every policy with subject, department, validity and whether it is described only\n"
    "  check   parse and type-check rule files (a directory or one FILE.policy); errors as FILE:LINE:COL: message\n"
    "  test    run the policies' own test cases (all, or --policy ID)\n"
    "  show    one policy: names, clause, reading, parameters with their source\n"
    "  DIR defaults to " CLI_POLICY_DEFAULTS ".\n",
    run_policy,
};

/* ---- awards: output formats ---- */

static const char *amount_text(const policy_result *r, char buf[MONEY_FMT_MAX])
{
    money_format(r->status == POLICY_ELIGIBLE ? r->amount_fen : 0, buf);
    return buf;
}

static bool shown(const opts *o, const policy_result *r)
{
    return o->all || r->status != POLICY_NOT_ELIGIBLE;
}

/* The columns of an award row in CSV and XLSX: a contract scripts read. Names stand beside the
 * codes a person reads (the policy's in the chosen language, the enterprise's from the database). */
enum { AWARD_FIELDS = 9, AWARD_SUBJECT = 3, AWARD_USCC = 5, AWARD_STATUS = 7, AWARD_AMOUNT = 8 };
static const char *const award_header[AWARD_FIELDS] = {"policy", "policy_name",     "department", "subject", "subject_id",
                                                       "uscc",   "enterprise_name", "status",     "amount"};
static const char *const award_header_zh[AWARD_FIELDS] = {"政策编号",         "政策名称", "主管部门", "对象类型",  "对象编号",
                                                          "统一社会信用代码", "企业名称", "状态",     "金额（元）"};

/* The name of the enterprise with this USCC, text in a; "" when there is no database (whatif) or
 * no such enterprise. The lookup is the one exports use for a uscc column. */
static const char *enterprise_name(store *st, const char *uscc, arena *a)
{
    const char *name = NULL;
    lz_err err;
    if (st && *uscc && store_enterprise_name(st, uscc, a, &name, &err) < 0)
        name = NULL;
    return name ? name : "";
}

static void award_fields(const opts *o, store *st, const policy_result *r, arena *a, char amount[MONEY_FMT_MAX],
                         const char *fields[AWARD_FIELDS])
{
    policy_info in;
    policy_describe(r->policy, &in);
    const char *values[AWARD_FIELDS] = {in.id,
                                        in.name[o->lang],
                                        in.department,
                                        r->subject,
                                        r->subject_id,
                                        r->uscc,
                                        enterprise_name(st, r->uscc, a),
                                        policy_status_name(r->status),
                                        amount_text(r, amount)};
    memcpy(fields, values, sizeof values);
}

/* With --years the rows of every year follow one header, each led by its award year. A file
 * written with -o starts with a byte order mark, for Excel, unless --no-bom. */
static void write_csv(const opts *o, store *st, const policy_run *run, FILE *out, bool first)
{
    strbuf line;
    strbuf_init(&line);
    arena a;
    arena_init(&a, 4096);
    if (first) {
        strbuf_puts(&line, o->out && !o->no_bom ? "\xEF\xBB\xBF" : "");
        strbuf_puts(&line, o->year_to ? "year," : "");
        for (int f = 0; f < AWARD_FIELDS; f++)
            strbuf_printf(&line, "%s%s", f ? "," : "", award_header[f]);
        strbuf_putc(&line, '\n');
        fwrite(line.data, 1, line.len, out);
    }
    for (size_t i = 0; i < policy_run_count(run); i++) {
        const policy_result *r = policy_run_at(run, i);
        if (!shown(o, r))
            continue;
        char amount[MONEY_FMT_MAX];
        const char *fields[AWARD_FIELDS];
        arena_reset(&a);
        award_fields(o, st, r, &a, amount, fields);
        strbuf_reset(&line);
        if (o->year_to)
            strbuf_printf(&line, "%d,", policy_run_year(run));
        for (int f = 0; f < AWARD_FIELDS; f++) {
            if (f)
                strbuf_putc(&line, ',');
            if (f == AWARD_AMOUNT) /* the amount: a number */
                csv_write_field(&line, fields[f], strlen(fields[f]));
            else /* ids and names come from the data: quoted when one holds a comma, guarded when it starts like a formula */
                csv_write_text(&line, fields[f], strlen(fields[f]));
        }
        strbuf_putc(&line, '\n');
        fwrite(line.data, 1, line.len, out);
    }
    arena_free(&a);
    strbuf_free(&line);
}

/* The words of the awards table: headings, a right granted, the total line. */
static const char *const award_words[][3] = {
    {"政策", "政策", "policy"},
    {"政策名称", "政策名稱", "name"},
    {"对象", "對象", "subject"},
    {"对象编号", "對象編號", "subject_id"},
    {"统一社会信用代码", "統一社會信用代碼", "uscc"},
    {"结论", "結論", "status"},
    {"金额（元）", "金額（元）", "amount (yuan)"},
    {"（准予事项）", "（准予事項）", "(right)"},
    {"符合条件合计：", "符合條件合計：", "total eligible: "},
    {"奖励年度", "獎勵年度", "award year"},
    {"金额（万元）", "金額（萬元）", "amount (10,000 yuan)"},
    {"金额（亿元）", "金額（億元）", "amount (100 million yuan)"},
};
enum { AW_HEADINGS = 7, AW_AMOUNT = 6, AW_RIGHT = 7, AW_TOTAL, AW_YEAR, AW_AMOUNT_WAN, AW_AMOUNT_YI };

static void write_table(const opts *o, const policy_run *run, FILE *out)
{
    policy_lang lang = o->lang;
    if (o->year_to)
        fprintf(out, "%s %d\n", award_words[AW_YEAR][lang], policy_run_year(run));
    const char *headings[AW_HEADINGS];
    for (size_t c = 0; c < AW_HEADINGS; c++)
        headings[c] = award_words[c][lang];
    if (o->unit_pow10)
        headings[AW_AMOUNT] = award_words[o->unit_pow10 == 4 ? AW_AMOUNT_WAN : AW_AMOUNT_YI][lang];
    static const bool right[AW_HEADINGS] = {[6] = true};
    cli_table *t = cli_table_new(AW_HEADINGS, headings, right);
    int64_t total = 0;
    for (size_t i = 0; i < policy_run_count(run); i++) {
        const policy_result *r = policy_run_at(run, i);
        if (!shown(o, r))
            continue;
        policy_info in;
        policy_describe(r->policy, &in);
        char amount[MONEY_FMT_MAX];
        money_format_in_unit(r->status == POLICY_ELIGIBLE ? r->amount_fen : 0, o->unit_pow10, amount);
        const char *row[AW_HEADINGS] = {in.id,
                                        in.name[lang],
                                        policy_subject_label(r->subject, lang),
                                        r->subject_id,
                                        r->uscc,
                                        policy_status_label(r->status, lang),
                                        r->grant ? award_words[AW_RIGHT][lang] : amount};
        cli_table_add(t, row);
        if (r->status == POLICY_ELIGIBLE)
            total += r->amount_fen;
    }
    cli_table_print(t, out);
    cli_table_free(t);
    char sum[MONEY_FMT_MAX];
    money_format_in_unit(total, o->unit_pow10, sum);
    fprintf(out, "%s%s\n", award_words[AW_TOTAL][lang], sum);
}

/* Totals are summed in fen and written as yuan strings once, at the end (as_yuan). */
static void add_total(json_t *totals, const char *key, int64_t fen)
{
    json_t *cur = json_object_get(totals, key);
    int64_t sum = fen;
    if (cur)
        money_add(json_integer_value(cur), fen, &sum); /* a year's awards are far from overflowing */
    json_object_set_new(totals, key, json_integer(sum));
}

static json_t *as_yuan(json_t *totals)
{
    const char *key;
    json_t *fen;
    json_object_foreach(totals, key, fen)
    {
        char buf[MONEY_FMT_MAX];
        money_format(json_integer_value(fen), buf);
        json_object_set_new(totals, key, json_string(buf));
    }
    return totals;
}

static int write_json(const opts *o, const policy_run *run, FILE *out)
{
    json_t *doc = json_object(), *results = json_array(), *by_policy = json_object(), *by_dept = json_object();
    json_object_set_new(doc, "year", json_integer(policy_run_year(run)));
    for (size_t i = 0; i < policy_run_count(run); i++) {
        const policy_result *r = policy_run_at(run, i);
        if (!shown(o, r))
            continue;
        policy_info in;
        policy_describe(r->policy, &in);
        char amount[MONEY_FMT_MAX];
        strbuf ex;
        strbuf_init(&ex);
        lz_err err;
        if (policy_explain(run, i, o->lang, &ex, &err) != 0)
            strbuf_puts(&ex, err.msg);
        json_t *item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "policy", in.id, "subject", r->subject, "subject_id",
                                 r->subject_id, "uscc", r->uscc, "status", policy_status_name(r->status), "amount",
                                 amount_text(r, amount), "explanation", ex.data ? ex.data : "");
        if (r->grant) /* what is allowed, in the language asked for */
            json_object_set_new(item, "grant", json_string(in.grants[o->lang]));
        json_array_append_new(results, item);
        strbuf_free(&ex);
        if (r->status == POLICY_ELIGIBLE) {
            add_total(by_policy, in.id, r->amount_fen);
            add_total(by_dept, in.department, r->amount_fen);
        }
    }
    json_object_set_new(doc, "results", results);
    json_object_set_new(doc, "totals", json_pack("{s:o, s:o}", "policy", as_yuan(by_policy), "department", as_yuan(by_dept)));
    int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_ENSURE_ASCII * 0);
    fputc('\n', out);
    json_decref(doc);
    return rc;
}

/* ---- awards: the workbook ---- */

/* One sheet being written: its next row and the widths its cells need. */
typedef struct award_sheet {
    lxw_worksheet *ws;
    const xlsx_formats *fmt;
    xlsx_widths widths;
    lxw_row_t row;
} award_sheet;

static void sheet_text(award_sheet *s, lxw_col_t col, const char *text, lxw_format *f)
{
    worksheet_write_string(s->ws, s->row, col, text, f);
    xlsx_widths_see(&s->widths, col, text, strlen(text));
}

/* An amount as the number its exact yuan text names (a spreadsheet's 15 digits hold it exactly). */
static void sheet_money(award_sheet *s, lxw_col_t col, int64_t fen)
{
    char text[MONEY_FMT_MAX];
    money_format(fen, text);
    worksheet_write_number(s->ws, s->row, col, strtod(text, NULL), s->fmt->money);
    xlsx_widths_see(&s->widths, col, text, strlen(text) + strlen(text) / 3);
}

static void sheet_start(award_sheet *s, lxw_workbook *wb, const xlsx_formats *fmt, const char *name, const char *const *head, int n)
{
    *s = (award_sheet){.ws = workbook_add_worksheet(wb, name), .fmt = fmt};
    for (int c = 0; c < n; c++)
        sheet_text(s, (lxw_col_t)c, head[c], fmt->head);
}

/* The totals row under a sheet's rows (the number of awards beside the sum when count >= 0), then
 * widths, frozen header and filter (over the rows only). */
static void sheet_end(award_sheet *s, lxw_col_t ncols, lxw_col_t amount_col, int64_t count, int64_t fen, bool zh)
{
    lxw_row_t last = s->row;
    s->row++;
    sheet_text(s, 0, zh ? "合计" : "Total", s->fmt->head);
    if (count >= 0)
        worksheet_write_number(s->ws, s->row, amount_col - 1, (double)count, s->fmt->head);
    sheet_money(s, amount_col, fen);
    xlsx_finish_sheet(s->ws, &s->widths, ncols, last);
}

/* Eligible amounts summed in fen per group (a policy, a department): key -> [count, fen, cells...]. */
static void group_add(json_t *groups, const char *key, const char *const *cells, int ncells, int64_t fen)
{
    json_t *g = json_object_get(groups, key);
    if (!g) {
        g = json_pack("[I, I]", (json_int_t)0, (json_int_t)0);
        for (int i = 0; i < ncells; i++)
            json_array_append_new(g, json_string(cells[i]));
        json_object_set_new(groups, key, g);
    }
    int64_t sum = 0;
    money_add(json_integer_value(json_array_get(g, 1)), fen, &sum);
    json_array_set_new(g, 0, json_integer(json_integer_value(json_array_get(g, 0)) + 1));
    json_array_set_new(g, 1, json_integer(sum));
}

/* A subtotal sheet: the group's cells, its number of awards and its sum, then the totals. */
static void write_groups(lxw_workbook *wb, const xlsx_formats *fmt, const char *name, const char *const *head, int ncells,
                         json_t *groups, bool zh)
{
    award_sheet s;
    sheet_start(&s, wb, fmt, name, head, ncells + 2);
    int64_t count = 0, total = 0;
    const char *key;
    json_t *g;
    json_object_foreach(groups, key, g)
    {
        s.row++;
        for (int c = 0; c < ncells; c++)
            sheet_text(&s, (lxw_col_t)c, json_string_value(json_array_get(g, (size_t)c + 2)), NULL);
        int64_t n = json_integer_value(json_array_get(g, 0)), fen = json_integer_value(json_array_get(g, 1));
        worksheet_write_number(s.ws, s.row, (lxw_col_t)ncells, (double)n, NULL);
        sheet_money(&s, (lxw_col_t)ncells + 1, fen);
        count += n;
        money_add(total, fen, &total);
    }
    sheet_end(&s, (lxw_col_t)ncells + 2, (lxw_col_t)ncells + 1, count, total, zh);
}

/* Sheet 1: one row per award and the totals; sheets 2 and 3: eligible awards per policy and per
 * department, each with the same total. */
static int write_xlsx(const opts *o, store *st, const policy_run *run)
{
    if (!o->out) {
        fputs("lianzhang: --format xlsx needs -o FILE.xlsx\n", stderr);
        return EXIT_USAGE;
    }
    bool zh = o->lang != POLICY_EN;
    lxw_workbook *wb = workbook_new(o->out);
    if (!wb) {
        fprintf(stderr, "lianzhang: cannot create %s\n", o->out);
        return EXIT_INPUT;
    }
    xlsx_formats fmt;
    xlsx_formats_add(wb, &fmt);
    award_sheet s;
    sheet_start(&s, wb, &fmt, zh ? "奖补明细" : "awards", zh ? award_header_zh : award_header, AWARD_FIELDS);
    json_t *by_policy = json_object(), *by_dept = json_object();
    int64_t total = 0;
    arena a;
    arena_init(&a, 4096);
    for (size_t i = 0; i < policy_run_count(run); i++) {
        const policy_result *r = policy_run_at(run, i);
        if (!shown(o, r))
            continue;
        char amount[MONEY_FMT_MAX];
        const char *cells[AWARD_FIELDS];
        arena_reset(&a);
        award_fields(o, st, r, &a, amount, cells);
        if (zh) { /* a workbook is read by people: subject and status in words */
            cells[AWARD_SUBJECT] = policy_subject_label(r->subject, o->lang);
            cells[AWARD_STATUS] = policy_status_label(r->status, o->lang);
        }
        s.row++;
        for (int c = 0; c < AWARD_AMOUNT; c++)
            sheet_text(&s, (lxw_col_t)c, cells[c], c == AWARD_USCC ? fmt.text : NULL);
        int64_t fen = r->status == POLICY_ELIGIBLE ? r->amount_fen : 0;
        sheet_money(&s, AWARD_AMOUNT, fen);
        money_add(total, fen, &total);
        if (r->status == POLICY_ELIGIBLE) {
            group_add(by_policy, cells[0], cells, 3, fen);
            group_add(by_dept, cells[2], cells + 2, 1, fen);
        }
    }
    arena_free(&a);
    sheet_end(&s, AWARD_FIELDS, AWARD_AMOUNT, -1, total, zh);
    static const char *const policy_head[2][5] = {{"policy", "policy_name", "department", "awards", "amount"},
                                                  {"政策编号", "政策名称", "主管部门", "项数", "金额（元）"}};
    static const char *const dept_head[2][3] = {{"department", "awards", "amount"}, {"主管部门", "项数", "金额（元）"}};
    write_groups(wb, &fmt, zh ? "按政策汇总" : "by_policy", policy_head[zh], 3, by_policy, zh);
    write_groups(wb, &fmt, zh ? "按部门汇总" : "by_department", dept_head[zh], 1, by_dept, zh);
    json_decref(by_policy);
    json_decref(by_dept);
    lz_err err;
    return xlsx_close(wb, LXW_NO_ERROR, o->out, "award list", &err) == 0 ? EXIT_OK : cli_fail(&err);
}

enum award_format { AWARD_TABLE, AWARD_CSV, AWARD_JSON, AWARD_XLSX };
static const char *const award_formats[] = {
    [AWARD_TABLE] = "table", [AWARD_CSV] = "csv", [AWARD_JSON] = "json", [AWARD_XLSX] = "xlsx", NULL};

/* The format --format or -o FILE's extension names (table without either); -1 after saying why not. */
static int award_format(const opts *o)
{
    return cli_output_format(o->format, o->out, award_formats, AWARD_TABLE);
}

/* One year's results; with --years, `first` and `last` say where the year stands in the run (the
 * years go to one output: one CSV header, one JSON array). st (NULL for whatif) gives the names. */
static int write_results(const opts *o, store *st, const policy_run *run, bool first, bool last)
{
    int fmt = award_format(o);
    if (fmt < 0)
        return EXIT_USAGE;
    if (fmt == AWARD_XLSX)
        return write_xlsx(o, st, run);
    FILE *out = stdout;
    if (o->out && !(out = fopen(o->out, first ? "w" : "a"))) {
        fprintf(stderr, "lianzhang: cannot write %s: %s\n", o->out, strerror(errno));
        return EXIT_INPUT;
    }
    if (fmt == AWARD_CSV) {
        write_csv(o, st, run, out, first);
    } else if (fmt == AWARD_JSON) {
        fputs(!o->year_to ? "" : first ? "[\n" : ",\n", out);
        write_json(o, run, out);
        fputs(o->year_to && last ? "]\n" : "", out);
    } else {
        write_table(o, run, out);
    }
    if (out != stdout)
        fclose(out);
    return EXIT_OK;
}

static int record(const opts *o, store *st, const policy_run *run, int argc, char **argv)
{
    policy_ledger_diff diff;
    lz_err err = {0};
    if (policy_ledger_record(st, run, cli_actor(), cli_via(argc, argv), &diff, &err) != 0)
        return cli_fail(&err);
    fprintf(stderr, "ledger %d: %zu added, %zu changed, %zu removed, %zu unchanged, %zu kept as reviewed or later\n",
            policy_run_year(run), diff.added, diff.changed, diff.removed, diff.unchanged, diff.kept);
    /* The first run of a year adds everything: list differences only when there are few. */
    size_t differences = diff.added + diff.changed + diff.removed + diff.kept;
    if (differences <= 50 || o->all)
        fputs(diff.lines.data ? diff.lines.data : "", stderr);
    ledger_diff_free(&diff);
    return EXIT_OK;
}

/* On a terminal: which year is being read and decided (a large city takes seconds). */
static void status_computing(const opts *o, int year)
{
    static const char *const words[3][2] = {{"正在读取数据并计算", "年度奖励…"},
                                            {"正在讀取數據並計算", "年度獎勵…"},
                                            {"reading the facts and deciding the awards of", "…"}};
    cli_status("%s %d %s", words[o->lang][0], year, words[o->lang][1]);
}

/* Shared by awards and explain: open, load the rules, evaluate the year. */
static int evaluate(const opts *o, bool write, store **st, policy_set **set, policy_run **run)
{
    lz_err err = {0};
    int code = load_set(o, set);
    if (code)
        return code;
    if (store_open(st, o->db, write ? 0 : STORE_READONLY, &err) != 0) {
        policy_set_free(*set);
        return cli_fail(&err);
    }
    policy_filter f = {.policy_id = o->policy, .uscc = o->uscc};
    if (o->policy && !policy_set_find(*set, o->policy)) {
        fprintf(stderr, "lianzhang: no policy %s in %s\n", o->policy, policy_dir(o));
        code = EXIT_INPUT;
    } else {
        status_computing(o, o->year);
        if (store_read_begin_twin(*st, &err) != 0 || policy_run_store(*set, *st, o->year, &f, run, &err) != 0)
            code = cli_fail(&err);
        cli_status_clear();
    }
    if (code) {
        store_close(*st);
        policy_set_free(*set);
    }
    return code;
}

static int run_awards(int argc, char **argv)
{
    opts o;
    if (parse_opts(argc, argv, &o) != 0 || o.npos != 1 || !o.year)
        return cli_usage(&cmd_awards);
    o.db = o.positional[0];
    if (o.record && o.uscc) {
        fputs("lianzhang: --record records a whole year (or one --policy), not one --enterprise\n", stderr);
        return EXIT_USAGE;
    }
    if (o.unit_pow10 && award_format(&o) > AWARD_TABLE) { /* (a bad --format is reported once, below) */
        fputs("lianzhang: --unit shows the table's amounts in 万元 or 亿元; CSV, JSON and XLSX keep yuan\n", stderr);
        return EXIT_USAGE;
    }
    int fmt = award_format(&o);
    if (fmt < 0)
        return EXIT_USAGE;
    if (o.year_to && fmt == AWARD_XLSX) {
        fputs("lianzhang: --years writes table, csv or json (one workbook holds one year)\n", stderr);
        return EXIT_USAGE;
    }
    store *st;
    policy_set *set;
    policy_run *run;
    int code = evaluate(&o, o.record, &st, &set, &run);
    if (code)
        return code;
    /* --years: in order, each year seeing the earlier ones: recorded first with --record, else as
     * recording would leave them (policy_run_store_after). */
    policy_filter f = {.policy_id = o.policy, .uscc = o.uscc};
    for (int year = o.year;; year++) {
        code = write_results(&o, st, run, year == o.year, year >= o.year_to);
        if (code == EXIT_OK && o.record)
            code = record(&o, st, run, argc, argv);
        if (code || year >= o.year_to)
            break;
        policy_run *next = NULL;
        lz_err err = {0};
        status_computing(&o, year + 1);
        int rc = store_read_begin_twin(st, &err); /* --record ended the year's snapshot */
        if (rc == 0)
            rc = o.record ? policy_run_store(set, st, year + 1, &f, &next, &err)
                          : policy_run_store_after(set, st, run, &f, &next, &err);
        cli_status_clear();
        policy_run_free(run);
        run = next;
        if (rc != 0) {
            code = cli_fail(&err);
            break;
        }
    }
    policy_run_free(run);
    store_close(st);
    policy_set_free(set);
    return code;
}

const command cmd_awards = {
    "awards",
    "every support-policy award of a year, exactly to the fen",
    "lianzhang awards DB --year Y|--years Y1-Y2 [--policy ID] [--enterprise USCC] [--format table|csv|json|xlsx] [-o FILE]\n"
    "                 [--no-bom] [--all] [--record] [--lang zh-CN|zh-TW|en] [--unit 元|万元|亿元] [--dir POLICIES]\n"
    "  Awards for year Y are decided on year Y-1's statistics. CSV columns:\n"
    "  policy,policy_name,department,subject,subject_id,uscc,enterprise_name,status,amount (status\n"
    "  eligible|pending|undetermined|not_eligible; amount in yuan, \"0.00\" unless eligible; the policy's\n"
    "  name in --lang). Not-eligible results only with --all. With -o the file's extension names the\n"
    "  format; a CSV file starts with a UTF-8 byte order mark for Excel (--no-bom: without).\n"
    "  XLSX: the awards with a totals row, then subtotals per policy and per department.\n"
    "  --unit 万元 (or 亿元) shows the table's amounts in that unit, exactly (123.456789 万元).\n"
    "  --record writes the run to the award ledger and prints what changed since the last run\n"
    "  (each difference when there are at most 50, or with --all).\n"
    "  --years Y1-Y2 decides the years in order, each seeing the earlier ones as recording them would\n"
    "  leave the ledger (recorded one by one with --record); CSV rows then start with the year, JSON\n"
    "  is an array of the years' documents.\n",
    run_awards,
};

static int print_explanations(const opts *o, const policy_run *run)
{
    size_t shown_n = 0;
    for (size_t i = 0; i < policy_run_count(run); i++) {
        strbuf b;
        strbuf_init(&b);
        lz_err err;
        if (policy_explain(run, i, o->lang, &b, &err) != 0) {
            strbuf_free(&b);
            return cli_fail(&err);
        }
        printf("%s%s", shown_n++ ? "\n" : "", b.data);
        strbuf_free(&b);
    }
    if (!shown_n && o->policy) { /* say which part of the policy leaves the enterprise out */
        strbuf b;
        strbuf_init(&b);
        lz_err err;
        int rc = policy_explain_scope(run, o->policy, o->uscc, o->lang, &b, &err);
        if (rc == 0)
            fputs(b.data, stdout);
        strbuf_free(&b);
        return rc == 0 ? EXIT_OK : cli_fail(&err);
    }
    if (!shown_n)
        printf("no policy in force in %d applies to %s\n", policy_run_year(run), o->uscc ? o->uscc : "these facts");
    return EXIT_OK;
}

/* ---- explain: an enterprise that is not there ---- */

enum { NEAREST = 5 };

typedef struct nearest {
    const char *want;
    size_t want_len;
    char uscc[NEAREST][32], name[NEAREST][160];
    int distance[NEAREST]; /* characters that differ from `want`; INT_MAX: unused */
    arena *mem;
} nearest;

/* Keeps the enterprises whose USCC differs from the one asked for in the fewest characters (at
 * most 4), or whose name contains the text asked for (distance 0). */
static int consider(void *ctx, const cell *row)
{
    nearest *n = ctx;
    int d = strstr(row[1].s, n->want) ? 0 : 0x7fffffff;
    if (d && row[0].n == n->want_len) {
        d = 0;
        for (size_t i = 0; i < row[0].n; i++)
            d += row[0].s[i] != n->want[i];
        d = d <= 4 ? d : 0x7fffffff;
    }
    int worst = 0;
    for (int k = 1; k < NEAREST; k++)
        if (n->distance[k] > n->distance[worst])
            worst = k;
    if (d < n->distance[worst]) {
        n->distance[worst] = d;
        snprintf(n->uscc[worst], sizeof n->uscc[worst], "%s", row[0].s);
        snprintf(n->name[worst], sizeof n->name[worst], "%s", row[1].s);
    }
    return 0;
}

/* 0 when the enterprise exists; otherwise prints the nearest matches and returns EXIT_INPUT. */
static int enterprise_known(store *st, const char *uscc)
{
    const table *t = tables_find("enterprises");
    cell key = cell_text(uscc, strlen(uscc)), row[16];
    arena a;
    arena_init(&a, 4096);
    bool found = false;
    lz_err err = {0};
    int rc = store_get(st, t, &key, &a, row, &found, &err);
    arena_free(&a);
    if (rc != 0)
        return cli_fail(&err);
    if (found)
        return EXIT_OK;
    nearest n = {.want = uscc, .want_len = strlen(uscc)};
    for (int k = 0; k < NEAREST; k++)
        n.distance[k] = 0x7fffffff;
    store_query q = {.t = t};
    if (store_scan(st, &q, consider, &n, &err) != 0)
        return cli_fail(&err);
    fprintf(stderr, "lianzhang: no enterprise with the USCC '%s'", uscc);
    for (int d = 0, shown = 0; d <= 4; d++)
        for (int k = 0; k < NEAREST; k++)
            if (n.distance[k] == d)
                fprintf(stderr, "%s%s %s", shown++ ? "; " : "; nearest: ", n.uscc[k], n.name[k]);
    fputc('\n', stderr);
    return EXIT_INPUT;
}

static int run_explain(int argc, char **argv)
{
    opts o;
    if (parse_opts(argc, argv, &o) != 0 || o.npos != 1 || !o.year || !o.uscc)
        return cli_usage(&cmd_explain);
    o.db = o.positional[0];
    store *st;
    policy_set *set;
    policy_run *run;
    int code = evaluate(&o, false, &st, &set, &run);
    if (code)
        return code;
    code = enterprise_known(st, o.uscc);
    if (code == EXIT_OK)
        code = print_explanations(&o, run);
    policy_run_free(run);
    store_close(st);
    policy_set_free(set);
    return code;
}

const command cmd_explain = {
    "explain",
    "why an enterprise gets (or does not get) each award of a year",
    "lianzhang explain DB --year Y --enterprise USCC [--policy ID] [--lang zh-CN|zh-TW|en] [--dir POLICIES]\n"
    "  Each condition with the values used, the clause quoted, parameters with their source (assumed\n"
    "  ones flagged), the arithmetic, top-up, caps and pool scaling.\n",
    run_explain,
};

static int run_whatif(int argc, char **argv)
{
    opts o;
    if (parse_opts(argc, argv, &o) != 0 || o.npos != 1 || !o.year)
        return cli_usage(&cmd_whatif);
    strbuf doc;
    strbuf_init(&doc);
    lz_err rerr;
    if (strbuf_read_file(&doc, o.positional[0], &rerr) < 0) {
        strbuf_free(&doc);
        return cli_fail(&rerr);
    }
    policy_set *set;
    int code = load_set(&o, &set);
    if (code) {
        strbuf_free(&doc);
        return code;
    }
    policy_run *run;
    lz_err err = {0};
    policy_filter flt = {.policy_id = o.policy};
    if (policy_run_whatif(set, doc.data ? doc.data : "", doc.len, o.year, &flt, &run, &err) != 0) {
        code = EXIT_INPUT;
        fprintf(stderr, "lianzhang: %s: %s\n", o.positional[0], err.msg);
    } else {
        code = o.format ? write_results(&o, NULL, run, true, true) : print_explanations(&o, run);
        policy_run_free(run);
    }
    policy_set_free(set);
    strbuf_free(&doc);
    return code;
}

const command cmd_whatif = {
    "whatif",
    "could these facts get an award? (no database, nothing written)",
    "lianzhang whatif --year Y FACTS.json [--policy ID] [--lang zh-CN|zh-TW|en] [--format table|csv|json] [--all]\n"
    "  FACTS.json: {\"enterprise\": {\"uscc\": ..., \"indicators\": {\"2021\": {...}}}, \"projects\": [...],\n"
    "  \"persons\": [...], \"events\": [...], \"paid\": [...]}; money as decimal strings (docs/policy-language.md).\n",
    run_whatif,
};

static void print_ledger_row(void *ctx, const ledger_award *a)
{
    size_t *n = ctx;
    char amount[MONEY_FMT_MAX];
    money_format(a->amount_fen, amount);
    if ((*n)++ == 0)
        printf("id,year,policy,subject,subject_id,uscc,result,amount,status,updated_by\n");
    printf("%lld,%d,%s,%s,%s,%s,%s,%s,%s,%s\n", (long long)a->id, a->year, a->policy, a->subject, a->subject_id, a->uscc, a->result,
           amount, a->status, a->updated_by);
}

/* `award DB list`: the ledger's awards with their ids, for the status moves. */
static int list_ledger(const opts *o)
{
    store *st;
    lz_err err = {0};
    if (store_open(&st, o->positional[0], STORE_READONLY, &err) != 0)
        return cli_fail(&err);
    size_t n = 0;
    int code = ledger_list(st, o->year, o->policy, o->uscc, print_ledger_row, &n, &err) != 0 ? cli_fail(&err) : EXIT_OK;
    if (code == EXIT_OK && n == 0)
        fprintf(stderr, "lianzhang: no recorded awards (record a year with 'lianzhang awards DB --year Y --record')\n");
    store_close(st);
    return code;
}

/* ---- award DB import-paid FILE: payments made before the system existed ---- */

static const char *const paid_subjects[] = {"enterprise", "project", "person", "event", NULL};
static const char *const paid_subjects_zh[] = {"企业", "项目", "人才", "事项", NULL};
static const column paid_columns[] = {
    {.name = "year", .type = COL_INT, .flags = COLF_REQUIRED, .min = TABLES_YEAR_MIN, .max = TABLES_YEAR_MAX, .label_zh = "年度"},
    {.name = "policy", .type = COL_CODE, .flags = COLF_REQUIRED, .label_zh = "政策"},
    {.name = "subject",
     .type = COL_ENUM,
     .flags = COLF_REQUIRED,
     .values = paid_subjects,
     .labels_zh = paid_subjects_zh,
     .label_zh = "对象类型"},
    {.name = "subject_id", .type = COL_CODE, .flags = COLF_REQUIRED, .label_zh = "对象编号"},
    {.name = "uscc", .type = COL_USCC, .flags = COLF_REQUIRED, .label_zh = "统一社会信用代码"},
    {.name = "amount", .type = COL_MONEY, .flags = COLF_REQUIRED, .label_zh = "金额"},
};
/* Read like a table of the contract, but into the award ledger, not into a table of its own. */
static const table paid_table = {
    .name = "paid", .label_zh = "历史兑现", .cols = paid_columns, .ncols = sizeof paid_columns / sizeof paid_columns[0]};

typedef struct paid_reader {
    store *st;
    const policy_set *set;
    errlist *errs;
    arena *a; /* the awards' strings */
    ledger_award *awards;
    size_t n, cap;
} paid_reader;

/* One row whose fields are valid into an award; what the ledger needs beyond the fields (a known
 * policy and enterprise, a positive amount) goes to the error list as FILE:LINE: COLUMN: reason. */
static int paid_row(void *ctx, const char *source, long line, const cell *v, lz_err *err)
{
    paid_reader *r = ctx;
    if (!policy_set_find(r->set, v[1].s))
        errlist_add(r->errs, "%s:%ld: policy: '%s' is not a policy of this city (lianzhang policy list)", source, line, v[1].s);
    /* The existence check goes through a contract column that refers to enterprises. */
    const table *persons = tables_find("persons");
    bool exists = false;
    if (store_ref_exists(r->st, &persons->cols[table_column_index(persons, "uscc")], v[4].s, NULL, &exists, err) < 0)
        return LZ_EINTERNAL;
    if (!exists)
        errlist_add(r->errs, "%s:%ld: uscc: '%s' does not exist in enterprises", source, line, v[4].s);
    if (v[5].i <= 0)
        errlist_add(r->errs, "%s:%ld: amount: a payment must be more than 0.00", source, line);
    if (r->n == r->cap)
        r->awards = xrealloc(r->awards, (r->cap = r->cap ? r->cap * 2 : 64) * sizeof *r->awards);
    r->awards[r->n++] = (ledger_award){.year = (int)v[0].i,
                                       .policy = arena_strndup(r->a, v[1].s, v[1].n),
                                       .subject = arena_strndup(r->a, v[2].s, v[2].n),
                                       .subject_id = arena_strndup(r->a, v[3].s, v[3].n),
                                       .uscc = arena_strndup(r->a, v[4].s, v[4].n),
                                       .amount_fen = v[5].i};
    return 0;
}

static int import_paid(opts *o, int argc, char **argv)
{
    const char *path = o->positional[2];
    policy_set *set;
    int code = load_set(o, &set);
    if (code)
        return code;
    store *st;
    lz_err err = {0};
    account who;
    if (store_open(&st, o->positional[0], 0, &err) != 0) {
        policy_set_free(set);
        return cli_fail(&err);
    }
    if ((code = cli_account(st, o->as, "records earlier payments", &who)) != EXIT_OK) {
        store_close(st);
        policy_set_free(set);
        return code;
    }
    errlist errs;
    errlist_init(&errs, 50);
    arena a;
    arena_init(&a, 64 * 1024);
    paid_reader r = {.st = st, .set = set, .errs = &errs, .a = &a};
    int rc = import_csv_rows(st, &paid_table, path, paid_row, &r, &errs, &err);
    for (size_t i = 0; i < errs.count; i++)
        fprintf(stderr, "%s\n", errs.items[i]);
    if (rc == 0)
        rc = ledger_import_paid(st, r.awards, r.n, who.name, cli_via(argc, argv), &err);
    code = rc ? cli_fail(&err) : EXIT_OK;
    if (rc == 0)
        printf("award ledger: %zu earlier payments imported as paid from %s\n", r.n, path);
    free(r.awards);
    arena_free(&a);
    errlist_free(&errs);
    store_close(st);
    policy_set_free(set);
    return code;
}

/* The department of the award's policy, which a bureau actor must be (NULL when the award or its
 * policy is unknown; the move then reports it). Strings live in set and a. */
static const char *award_department(store *st, const policy_set *set, int64_t id, arena *a, lz_err *err)
{
    ledger_award aw;
    bool found = false;
    const policy *p = ledger_get(st, id, a, &aw, &found, err) == 0 && found ? policy_set_find(set, aw.policy) : NULL;
    policy_info info;
    if (p)
        policy_describe(p, &info);
    return p ? info.department : NULL;
}

/* `award DB ID STATUS --as NAME`: one status move under the same four-eyes rule as the API. */
static int move_award(const opts *o, int64_t id, int argc, char **argv)
{
    store *st;
    lz_err err = {0};
    if (store_open(&st, o->positional[0], 0, &err) != 0)
        return cli_fail(&err);
    account who;
    policy_set *set = NULL;
    arena a;
    arena_init(&a, 1024);
    int code = cli_account(st, o->as, NULL, &who);
    if (code == EXIT_OK && who.role == ROLE_BUREAU)
        code = load_set(o, &set);
    const char *dept = set ? award_department(st, set, id, &a, &err) : NULL;
    if (code == EXIT_OK && workflow_award_move(st, &who, dept, id, o->positional[2], cli_via(argc, argv), o->reason, &err) != 0)
        code = cli_fail(&err);
    else if (code == EXIT_OK)
        printf("award %lld: %s (by %s)\n", (long long)id, o->positional[2], who.name);
    arena_free(&a);
    policy_set_free(set);
    store_close(st);
    return code;
}

static int run_award(int argc, char **argv)
{
    opts o;
    if (parse_opts(argc, argv, &o) != 0)
        return cli_usage(&cmd_award);
    if (o.npos == 2 && strcmp(o.positional[1], "list") == 0)
        return list_ledger(&o);
    if (o.npos == 3 && strcmp(o.positional[1], "import-paid") == 0)
        return import_paid(&o, argc, argv);
    if (o.npos != 3 || !o.as)
        return cli_usage(&cmd_award);
    char *end;
    long long id = strtoll(o.positional[1], &end, 10);
    if (*end || id <= 0)
        return cli_usage(&cmd_award);
    return move_award(&o, id, argc, argv);
}

const command cmd_award = {
    "award",
    "the award ledger: list recorded awards, move one (reviewed, approved, paid, rejected)",
    "lianzhang award DB list [--year Y] [--policy ID] [--enterprise USCC]\n"
    "lianzhang award DB ID reviewed|approved|paid|rejected --as ACCOUNT [--reason TEXT] [--dir POLICIES]\n"
    "lianzhang award DB import-paid FILE.csv --as ADMIN [--dir POLICIES]\n"
    "  import-paid: payments made before the system existed, as paid awards that top-up tiers and\n"
    "  cumulative caps count, recorded as the admin account --as names. CSV columns\n"
    "  year,policy,subject,subject_id,uscc,amount; all or nothing.\n"
    "  list: the recorded awards as CSV with their ids and statuses.\n"
    "  Legal moves: computed -> reviewed -> approved -> paid; computed|reviewed|approved -> rejected\n"
    "  (a reason is required). --as names the enabled account (lianzhang user) making the move; the\n"
    "  rule is the API's: an admin, or the bureau of the policy's department (its rules from --dir),\n"
    "  signs off; the reviewer did not compute the award, the approver neither computed nor reviewed\n"
    "  it. Each move is recorded with the account in the audit log.\n",
    run_award,
};
