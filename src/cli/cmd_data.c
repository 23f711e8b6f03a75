/*
 * cmd_data — the commands that move the work list in and out: init, import, export, check, backup,
 * and migrate between SQLite and PostgreSQL.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "core/strbuf.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "exchange/template.h"
#include "model/labels.h"
#include "store/audit.h"
#include "store/pg_copy.h"
#include "store/store.h"

#define MAX_REPORTED_ERRORS 50

/* ---- init ---------------------------------------------------------------------------------------- */

static int run_init(int argc, char **argv)
{
    if (argc != 2)
        return cli_usage(&cmd_init);
    FILE *f = fopen(argv[1], "rb");
    if (f) {
        fclose(f);
        fprintf(stderr, "lianzhang: %s already exists; init creates a new database\n", argv[1]);
        return EXIT_INPUT;
    }
    store *st;
    lz_err err;
    if (store_open(&st, argv[1], STORE_CREATE, &err) < 0)
        return cli_fail(&err);
    printf("created %s (schema version %d)\n", store_path(st), store_schema_version(st));
    store_close(st);
    return EXIT_OK;
}

const command cmd_init = {"init", "create an empty database",
                          "lianzhang init DB\n"
                          "  Creates DB, an empty SQLite database with the current schema. Refuses an existing file.\n"
                          "  DB may be a PostgreSQL database instead (a postgres:// URL or a libpq connection string,\n"
                          "  as migrate takes them): its schema is created there, refused if it has one already.\n",
                          run_init};

/* ---- import -------------------------------------------------------------------------------------- */

static void print_columns(FILE *out)
{
    for (size_t i = 0; i < tables_count; i++) {
        const table *t = tables_all[i];
        fprintf(out, "  %-13s", t->name);
        for (size_t c = 0; c < t->ncols; c++)
            fprintf(out, "%s%s%s", c ? "," : "", t->cols[c].name, (t->cols[c].flags & COLF_KEY) ? "*" : "");
        fputc('\n', out);
    }
    fputs("  (* natural key: a row with the same key is updated)\n", out);
}

/* On a terminal, how many rows a long import has read (cli_status: nothing in a pipe). */
static void show_rows_read(void *ctx, size_t rows)
{
    (void)ctx;
    static const char *const words[3][2] = {{"已读取", "行…"}, {"已讀取", "行…"}, {"read", "rows…"}};
    int lang = cli_lang(NULL);
    cli_status("%s %zu %s", words[lang][0], rows, words[lang][1]);
}

static int run_import(int argc, char **argv)
{
    static const struct option opts[] = {{"unit", required_argument, NULL, 'u'}, {0}};
    int unit = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "u:", opts, NULL)) != -1) {
        if (c != 'u')
            return cli_usage(&cmd_import);
        if ((unit = label_unit_option(optarg)) < 0) {
            fprintf(stderr, "lianzhang: unknown unit '%s' (" LABEL_UNIT_OPTIONS ")\n", optarg);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 3)
        return cli_usage(&cmd_import);
    const char *db = argv[optind], *file = argv[optind + 2];
    const table *t = tables_find(argv[optind + 1]);
    if (!t) {
        fprintf(stderr, "lianzhang: unknown table '%s'; tables and columns:\n", argv[optind + 1]);
        print_columns(stderr);
        return EXIT_USAGE;
    }
    store *st;
    lz_err err;
    if (store_open(&st, db, 0, &err) < 0)
        return cli_fail(&err);
    errlist errs;
    errlist_init(&errs, MAX_REPORTED_ERRORS);
    import_stats stats = {0};
    import_options opt = {.actor = cli_actor(), .via = cli_via(argc, argv), .unit_pow10 = unit, .progress = show_rows_read};
    int rc = import_file(st, t, file, &opt, &errs, &stats, &err);
    cli_status_clear();
    for (size_t i = 0; i < errs.count; i++)
        fprintf(stderr, "%s\n", errs.items[i]);
    if (errs.total > errs.count)
        fprintf(stderr, "... and %zu more errors\n", errs.total - errs.count);
    int code = rc < 0 ? cli_fail(&err) : EXIT_OK;
    if (rc == 0)
        printf("%s: %zu rows from %s (%zu inserted, %zu updated)\n", t->name, stats.rows, file, stats.inserted, stats.updated);
    errlist_free(&errs);
    store_close(st);
    return code;
}

const command cmd_import = {"import", "load a CSV, XLSX or JSON file into a table (all or nothing)",
                            "lianzhang import [--unit 元|万元|亿元|yuan|wan|yi] DB TABLE FILE\n"
                            "  Loads FILE (.csv UTF-8 with a header row, .xlsx, or .json array of objects) into TABLE.\n"
                            "  Columns are matched by name or Chinese label (simplified or traditional) in any order;\n"
                            "  a title above the header is skipped. Rows with an existing key are updated.\n"
                            "  --unit: the sheet's amounts are in 万元 (or 亿元), unless a header names its own unit,\n"
                            "  like 产值（万元）; a cell may carry its own (12.3万, ￥5,000.00).\n"
                            "  One bad row and nothing is written: errors are listed as FILE:LINE: COLUMN: reason.\n"
                            "  Tables: divisions clusters chains segments enterprises memberships indicators\n"
                            "          supply_links projects persons events targets platforms appeals\n"
                            "  ('lianzhang columns' describes every column.)\n",
                            run_import};

/* ---- export -------------------------------------------------------------------------------------- */

static int write_output(const char *path, const strbuf *data, lz_err *err)
{
    if (!path || strcmp(path, "-") == 0) {
        fwrite(data->data ? data->data : "", 1, data->len, stdout);
        return fflush(stdout) == 0 ? 0 : err_set(err, LZ_EINTERNAL, "writing to standard output failed");
    }
    /* Write beside the target and rename: a reader never sees half a file. */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.partial", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return err_set(err, LZ_EINPUT, "%s: cannot create", path);
    size_t wrote = fwrite(data->data ? data->data : "", 1, data->len, f);
    if (fclose(f) != 0 || wrote != data->len || rename(tmp, path) != 0) {
        remove(tmp);
        return err_set(err, LZ_EINPUT, "%s: write failed", path);
    }
    return 0;
}

/* The formats in sheet_format's order, as --format and -o FILE's extension name them. */
static const char *const export_formats[] = {[SHEET_CSV] = "csv", [SHEET_XLSX] = "xlsx", [SHEET_JSON] = "json", NULL};

/* Reads export's options into opt; returns EXIT_OK or a usage error (already explained). */
static int export_options_parse(int argc, char **argv, export_options *opt, const char **format_name, const char **output)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
                                         {"no-bom", no_argument, NULL, 'b'},       {"lang", required_argument, NULL, 'l'},
                                         {"unit", required_argument, NULL, 'u'},   {0}};
    *opt = (export_options){.names = true, .bom = true};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
        if (c == 'f')
            *format_name = optarg;
        else if (c == 'o')
            *output = optarg;
        else if (c == 'b')
            opt->bom = false;
        else if (c == 'l' && (strcmp(optarg, "en") == 0 || strcmp(optarg, "zh-CN") == 0))
            opt->english = strcmp(optarg, "en") == 0;
        else if (c == 'u' && (opt->unit_pow10 = label_unit(optarg, strlen(optarg))) >= 0)
            continue;
        else
            return cli_usage(&cmd_export);
    }
    return argc - optind == 2 ? EXIT_OK : cli_usage(&cmd_export);
}

/* Refusals that depend on the format: options of another format, a workbook onto a terminal. */
static int export_refusals(sheet_format format, const export_options *opt, const char *output)
{
    if (format != SHEET_XLSX && opt->unit_pow10) {
        fputs("lianzhang: --unit applies to XLSX, whose cells say their unit; CSV and JSON keep amounts in yuan\n", stderr);
        return EXIT_USAGE;
    }
    if (format == SHEET_XLSX && !output && isatty(STDOUT_FILENO)) {
        fputs("lianzhang: an XLSX workbook is binary and would garble the terminal: write it with -o FILE.xlsx\n", stderr);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int run_export(int argc, char **argv)
{
    export_options opt;
    const char *format_name = NULL, *output = NULL;
    int code = export_options_parse(argc, argv, &opt, &format_name, &output);
    if (code != EXIT_OK)
        return code;
    const table *t = tables_find(argv[optind + 1]);
    if (!t) {
        fprintf(stderr, "lianzhang: unknown table '%s' (lianzhang import --help lists them)\n", argv[optind + 1]);
        return EXIT_USAGE;
    }
    if (output && strcmp(output, "-") == 0)
        output = NULL; /* standard output, as without -o */
    int format = cli_output_format(format_name, output, export_formats, SHEET_CSV);
    if (format < 0)
        return EXIT_USAGE;
    if ((code = export_refusals((sheet_format)format, &opt, output)) != EXIT_OK)
        return code;
    opt.bom = opt.bom && output; /* standard output feeds scripts and pipes: plain UTF-8 */
    store *st;
    lz_err err;
    if (store_open(&st, argv[optind], 0, &err) < 0)
        return cli_fail(&err);
    strbuf out;
    strbuf_init(&out);
    store_query q = {.t = t};
    int rc = export_query(st, &q, (sheet_format)format, &opt, &out, &err);
    if (rc == 0)
        rc = write_output(output, &out, &err);
    strbuf_free(&out);
    store_close(st);
    return rc < 0 ? cli_fail(&err) : EXIT_OK;
}

const command cmd_export = {
    "export", "write a table as CSV, JSON or XLSX",
    "lianzhang export DB TABLE [--format csv|json|xlsx] [-o FILE] [--no-bom] [--lang zh-CN|en] [--unit 元|万元|亿元]\n"
    "  Writes every row of TABLE in a form import reads back. Default CSV to standard output; with\n"
    "  -o the format is the one the file's extension names (.csv, .json, .xlsx); --format naming\n"
    "  another is refused. CSV and XLSX carry the name beside each code that points at a named row\n"
    "  (enterprise_name beside a uscc, chain_name beside a chain; import skips them).\n"
    "  CSV: contract column names; a file written with -o starts with a UTF-8 byte order mark so\n"
    "  Excel reads it as UTF-8 (--no-bom: without); standard output never has one.\n"
    "  XLSX: Chinese headers and choice labels (--lang en: column names and stored values), money\n"
    "  as numbers with two decimals (--unit 万元: in 万元, the unit in the header), dates as dates,\n"
    "  header frozen with a filter. Never written to a terminal.\n",
    run_export};

/* ---- template ------------------------------------------------------------------------------------ */

static int run_template(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'}, {0}};
    const char *output = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (c != 'o')
            return cli_usage(&cmd_template);
        output = optarg;
    }
    if (argc - optind != 1 || !output)
        return cli_usage(&cmd_template);
    const table *t = tables_find(argv[optind]);
    if (!t) {
        fprintf(stderr, "lianzhang: unknown table '%s' (lianzhang import --help lists them)\n", argv[optind]);
        return EXIT_USAGE;
    }
    lz_err err;
    if (template_write(t, output, &err) < 0)
        return cli_fail(&err);
    printf("%s: template written to %s\n", t->name, output);
    return EXIT_OK;
}

const command cmd_template = {"template", "write a blank XLSX template of a table to fill in and import",
                              "lianzhang template TABLE -o FILE.xlsx\n"
                              "  Chinese column labels as the header, a notes row saying what each column takes (import\n"
                              "  skips it), drop-down lists for choice columns, money and date formats.\n",
                              run_template};

/* ---- columns ------------------------------------------------------------------------------------- */

static const char *type_words(const column *c, char *buf, size_t len)
{
    static const char *const names[] = {
        [COL_TEXT] = "text",
        [COL_CODE] = "code",
        [COL_USCC] = "USCC (18 characters, GB 32100-2015)",
        [COL_DIVISION] = "division code (6 digits)",
        [COL_INDUSTRY] = "industry class (4 digits, GB/T 4754-2017)",
        [COL_INT] = "integer",
        [COL_MONEY] = "money (yuan, up to 2 decimals; also 1,234.50, ￥5,000, 12.3万, 0.5亿, or a column in 万元)",
        [COL_DECIMAL] = "decimal",
        [COL_DATE] = "date (YYYY-MM-DD; also 2023/1/5, 2023.01.05, 2023年1月5日, 20230105)",
        [COL_BOOL] = "boolean (true/false, 1/0, 是/否)",
        [COL_ENUM] = "one of",
        [COL_LIST] = "list separated by ';' of",
    };
    size_t o = (size_t)snprintf(buf, len, "%s", names[c->type]);
    if (c->type == COL_LIST)
        o += (size_t)snprintf(buf + o, len - o, " %s", names[c->item]);
    if (c->type == COL_ENUM)
        for (int i = 0; c->values[i] && o < len; i++)
            o += (size_t)snprintf(buf + o, len - o, "%s`%s` %s", i ? ", " : " ", c->values[i], c->labels_zh[i]);
    if (c->type == COL_INT && o < len)
        o += (size_t)snprintf(buf + o, len - o, " %lld..%lld", (long long)c->min, (long long)c->max);
    if (c->type == COL_LIST && c->max && o < len)
        o += (size_t)snprintf(buf + o, len - o, ", %lld to %lld items", (long long)c->min, (long long)c->max);
    if (c->type == COL_DECIMAL && o < len)
        snprintf(buf + o, len - o, ", up to %d decimals", c->scale);
    return buf;
}

static void print_table_markdown(const table *t)
{
    printf("### `%s` — %s\n\n| column | 中文 | type | rules |\n|---|---|---|---|\n", t->name, t->label_zh);
    for (size_t i = 0; i < t->ncols; i++) {
        const column *c = &t->cols[i];
        char type[1500];
        printf("| `%s` | %s | %s | ", c->name, c->label_zh, type_words(c, type, sizeof type));
        const char *sep = "";
        if (c->flags & COLF_KEY)
            printf("%skey", sep), sep = "; ";
        else if (c->flags & COLF_REQUIRED)
            printf("%srequired", sep), sep = "; ";
        if (c->flags & COLF_NEGATIVE)
            printf("%smay be negative", sep), sep = "; ";
        if (c->default_text)
            printf("%sdefault `%s`", sep, c->default_text), sep = "; ";
        if (c->ref_table)
            printf("%srefers to `%s.%s`%s%s%s", sep, c->ref_table, c->ref_column, c->ref_scope ? " of the same " : "",
                   c->ref_scope ? c->scope_column : "", ""),
                sep = "; ";
        printf(" |\n");
    }
    printf("\n");
}

static int run_columns(int argc, char **argv)
{
    if (argc > 2)
        return cli_usage(&cmd_columns);
    for (size_t i = 0; i < tables_count; i++)
        if (argc == 1 || strcmp(argv[1], tables_all[i]->name) == 0)
            print_table_markdown(tables_all[i]);
    if (argc == 2 && !tables_find(argv[1])) {
        fprintf(stderr, "lianzhang: unknown table '%s'\n", argv[1]);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

const command cmd_columns = {"columns", "describe the tables and columns that import takes (Markdown)",
                             "lianzhang columns [TABLE]\n"
                             "  Prints every table (or one) with its columns, types, keys, defaults and references:\n"
                             "  the contract that CSV/XLSX files and scripts rely on (docs/data-model.md holds the same).\n",
                             run_columns};

/* ---- check --------------------------------------------------------------------------------------- */

typedef struct problems {
    size_t n;
} problems;

static void print_problem(void *ctx, const char *table_name, const char *what)
{
    problems *p = ctx;
    if (p->n++ < 1000)
        printf("%s: %s\n", table_name, what);
}

static int run_check(int argc, char **argv)
{
    if (argc != 2)
        return cli_usage(&cmd_check);
    store *st;
    lz_err err;
    if (store_open(&st, argv[1], 0, &err) < 0)
        return cli_fail(&err);
    problems p = {0};
    int rc = store_check(st, print_problem, &p, &err);
    store_close(st);
    if (rc < 0)
        return cli_fail(&err);
    if (p.n > 1000)
        printf("... and %zu more\n", p.n - 1000);
    if (p.n) {
        printf("%zu problem%s found\n", p.n, p.n == 1 ? "" : "s");
        return EXIT_INPUT;
    }
    printf("%s: consistent (every row valid, every reference resolves)\n", argv[1]);
    return EXIT_OK;
}

const command cmd_check = {"check", "report integrity and consistency problems",
                           "lianzhang check DB\n"
                           "  Re-validates every row against the data contract, checks every reference (including\n"
                           "  ';'-lists) and SQLite's own integrity, and compares each year's packed indicators with\n"
                           "  its rows (packs that differ are listed and rebuilt). Exit 0 when consistent, 1 when\n"
                           "  problems are listed.\n",
                           run_check};

/* ---- backup ---------------------------------------------------------------------------------- */

/* What a restore can be checked against: the copy's schema version and its audit head. */
static int describe_copy(const char *path, lz_err *err)
{
    store *st;
    if (store_open(&st, path, STORE_READONLY, err) < 0)
        return -1;
    char head[AUDIT_HASH_HEX];
    int64_t entries = 0;
    int rc = audit_head(st, head, &entries, err);
    if (rc == 0)
        printf("%s: schema version %d, audit log of %lld entries ending in %s\n", path, store_schema_version(st),
               (long long)entries, head);
    store_close(st);
    return rc;
}

static int run_backup(int argc, char **argv)
{
    if (argc != 3)
        return cli_usage(&cmd_backup);
    store *st;
    lz_err err;
    if (store_open(&st, argv[1], STORE_READONLY, &err) < 0)
        return cli_fail(&err);
    int rc = store_backup(st, argv[2], &err);
    store_close(st);
    if (rc == 0)
        rc = describe_copy(argv[2], &err);
    return rc < 0 ? cli_fail(&err) : EXIT_OK;
}

const command cmd_backup = {"backup", "copy the database while the server runs (online, consistent)",
                            "lianzhang backup DB FILE\n"
                            "  Copies DB to the new file FILE as one consistent moment, while servers and commands go on\n"
                            "  reading and writing it (SQLite's online backup); FILE must not exist. The copy is written to\n"
                            "  FILE.partial, flushed to disk and then renamed, so an interrupted backup leaves no FILE.\n"
                            "  Prints the copy's schema version and audit head; keep them with the copy: `lianzhang audit\n"
                            "  verify` checks a restored file against that head. To restore, stop the servers and put the copy\n"
                            "  in DB's place (docs/deploy.md).\n",
                            run_backup};

/* ---- migrate ---------------------------------------------------------------------------------- */

static int run_migrate(int argc, char **argv)
{
    if (argc != 3)
        return cli_usage(&cmd_migrate);
    const char *from = argv[1], *to = argv[2];
    bool from_pg = pg_copy_is_postgres(from), to_pg = pg_copy_is_postgres(to);
    if (from_pg == to_pg) {
        fprintf(stderr, "lianzhang: migrate copies between a SQLite file and a PostgreSQL database; %s\n",
                from_pg ? "both name PostgreSQL" : "both are SQLite files (lianzhang backup copies a file)");
        return EXIT_USAGE;
    }
    lz_err err;
    pg_copy_report r;
    if (from_pg) {
        if (pg_copy_from_postgres(from, to, &r, &err) < 0)
            return cli_fail(&err);
        printf("copied %d tables, %lld rows from %s\n", r.tables, (long long)r.rows, r.database);
        return describe_copy(to, &err) < 0 ? cli_fail(&err) : EXIT_OK;
    }
    store *st;
    if (store_open(&st, from, STORE_READONLY, &err) < 0)
        return cli_fail(&err);
    char head[AUDIT_HASH_HEX];
    int64_t entries = 0;
    int rc = pg_copy_to_postgres(st, to, &r, &err);
    if (rc == 0)
        rc = audit_head(st, head, &entries, &err);
    store_close(st);
    if (rc < 0)
        return cli_fail(&err);
    printf("copied %d tables, %lld rows to %s\n", r.tables, (long long)r.rows, r.database);
    printf("%s: schema version %d, audit log of %lld entries ending in %s\n", r.database, store_schema_version_latest(),
           (long long)entries, head);
    return EXIT_OK;
}

const command cmd_migrate = {"migrate", "copy the database between SQLite and PostgreSQL, value for value",
                             "lianzhang migrate FROM TO\n"
                             "  Copies every table, ids included, from a SQLite file to a PostgreSQL database or from a\n"
                             "  PostgreSQL database to a new SQLite file. A PostgreSQL database is a URL\n"
                             "  (postgres://USER@HOST:PORT/DBNAME, postgresql://...) or a libpq connection string, anything\n"
                             "  with '=' in it (\"host=/run/postgresql dbname=lianzhang\"); what it leaves out comes from the\n"
                             "  PG* environment variables. Anything else is a SQLite file.\n"
                             "  To PostgreSQL: the database must hold none of Lianzhang's tables (those it has are named). In\n"
                             "  one transaction it gets the latest schema, its version (table lianzhang_schema) and every row;\n"
                             "  any error rolls it all back. The SQLite file is read as one moment and not changed.\n"
                             "  From PostgreSQL: its schema version must be this binary's; TO must not exist. The file is\n"
                             "  written to TO.partial and renamed when complete.\n"
                             "  Every value comes back as the same text: a timestamp in another format, an impossible date,\n"
                             "  text where an integer belongs, a NUL byte or invalid UTF-8 is refused, naming the table, the\n"
                             "  row and the column. Prints the audit head; `lianzhang audit verify` checks the copy against it.\n",
                             run_migrate};
