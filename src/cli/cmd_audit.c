/*
 * cmd_audit — `lianzhang audit verify|head|list DB`: checks the hash chain of the audit log,
 * prints its latest hash for an operator to keep elsewhere (a later `verify --head HASH` then
 * also catches a log cut back to before that entry), and lists entries for a person to read.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/table.h"
#include "core/csv.h"
#include "core/date.h"
#include "store/audit.h"

enum list_format { LIST_TABLE, LIST_JSON, LIST_CSV };

typedef struct list_out {
    enum list_format format;
    json_t *array;    /* LIST_JSON */
    cli_table *table; /* LIST_TABLE */
    strbuf line;
} list_out;

enum { AUDIT_COLS = 5 };
static const char *const audit_headings[][3] = {{"序号", "序號", "seq"},
                                                {"时间", "時間", "at"},
                                                {"操作人", "操作人", "actor"},
                                                {"对象", "對象", "target"},
                                                {"途径", "途徑", "via"}};

static json_t *json_or_null(const char *text)
{
    return text ? json_loads(text, 0, NULL) : json_null();
}

static int list_entry(void *ctx, const audit_row *r)
{
    list_out *o = ctx;
    if (o->format == LIST_JSON) {
        json_array_append_new(o->array, json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o}", "seq", (json_int_t)r->seq, "at", r->at, "actor",
                                                  r->e.actor, "via", r->e.via, "target", r->e.target, "before",
                                                  json_or_null(r->e.before), "after", json_or_null(r->e.after)));
        return 0;
    }
    if (o->format == LIST_TABLE) {
        char seq[24];
        snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
        const char *row[AUDIT_COLS] = {seq, r->at, r->e.actor, r->e.target, r->e.via};
        cli_table_add(o->table, row);
        return 0;
    }
    strbuf_reset(&o->line);
    strbuf_printf(&o->line, "%lld", (long long)r->seq);
    const char *fields[] = {r->at, r->e.actor, r->e.via, r->e.target, r->e.before, r->e.after};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        strbuf_putc(&o->line, ',');
        if (fields[i])
            csv_write_text(&o->line, fields[i], strlen(fields[i]));
    }
    strbuf_puts(&o->line, "\r\n");
    fwrite(o->line.data, 1, o->line.len, stdout);
    return 0;
}

/* Reads the options after DB into f and the format: EXIT_OK, EXIT_USAGE for an unknown option,
 * EXIT_INPUT after a message naming a bad value. */
static int list_options(int argc, char **argv, audit_filter *f, enum list_format *format)
{
    for (int i = 3; i < argc; i += 2) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char why[128];
        int32_t days;
        if (!v)
            return EXIT_USAGE;
        if (strcmp(o, "--actor") == 0)
            f->actor = v;
        else if (strcmp(o, "--target") == 0)
            f->target = v;
        else if (strcmp(o, "--since") == 0 || strcmp(o, "--until") == 0) {
            if (date_parse(v, strlen(v), &days, why, sizeof why) < 0)
                return fprintf(stderr, "lianzhang: %s: %s\n", o, why), EXIT_INPUT;
            *(o[2] == 's' ? &f->since : &f->until) = v;
        } else if (strcmp(o, "--limit") == 0) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1)
                return fprintf(stderr, "lianzhang: --limit: a positive integer, not '%s'\n", v), EXIT_INPUT;
            f->limit = (size_t)n;
        } else if (strcmp(o, "--format") == 0) {
            if (strcmp(v, "table") != 0 && strcmp(v, "json") != 0 && strcmp(v, "csv") != 0)
                return fprintf(stderr, "lianzhang: --format: table, json or csv, not '%s'\n", v), EXIT_INPUT;
            *format = v[0] == 't' ? LIST_TABLE : v[0] == 'j' ? LIST_JSON : LIST_CSV;
        } else
            return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int audit_list_cmd(store *st, const audit_filter *f, enum list_format format)
{
    list_out o = {.format = format, .array = format == LIST_JSON ? json_array() : NULL};
    strbuf_init(&o.line);
    if (format == LIST_TABLE) {
        int lang = cli_lang(NULL);
        const char *headings[AUDIT_COLS];
        for (size_t c = 0; c < AUDIT_COLS; c++)
            headings[c] = audit_headings[c][lang];
        static const bool right[AUDIT_COLS] = {true};
        o.table = cli_table_new(AUDIT_COLS, headings, right);
    } else if (format == LIST_CSV)
        fputs("seq,at,actor,via,target,before,after\r\n", stdout);
    lz_err err = {0};
    int code = audit_list(st, f, list_entry, &o, &err) < 0 ? cli_fail(&err) : EXIT_OK;
    if (code == EXIT_OK && o.table)
        cli_table_print(o.table, stdout);
    cli_table_free(o.table);
    if (code == EXIT_OK && o.array) {
        json_dumpf(o.array, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    }
    json_decref(o.array);
    strbuf_free(&o.line);
    return code;
}

static int audit_verify_cmd(store *st, const char *head)
{
    lz_err err = {0};
    strbuf report;
    strbuf_init(&report);
    int64_t bad = 0;
    int code;
    if (audit_verify(st, head, &bad, &report, &err) < 0)
        code = cli_fail(&err);
    else if (bad != 0)
        code = (fprintf(stderr, "lianzhang: audit log does not verify: %s", report.data), EXIT_INPUT);
    else
        code = (fputs(report.data, stdout), EXIT_OK);
    strbuf_free(&report);
    return code;
}

static int run_audit(int argc, char **argv)
{
    bool verify = argc >= 3 && strcmp(argv[1], "verify") == 0;
    bool head = argc == 3 && strcmp(argv[1], "head") == 0;
    bool list = argc >= 3 && strcmp(argv[1], "list") == 0;
    audit_filter f = {0};
    enum list_format format = LIST_TABLE;
    int bad = list ? list_options(argc, argv, &f, &format) : EXIT_OK;
    if (bad != EXIT_OK)
        return bad == EXIT_USAGE ? cli_usage(&cmd_audit) : bad;
    const char *expected = NULL;
    if (verify && argc == 5 && strcmp(argv[3], "--head") == 0)
        expected = argv[4];
    else if (verify && argc != 3)
        return cli_usage(&cmd_audit);
    if (!verify && !head && !list)
        return cli_usage(&cmd_audit);
    store *st;
    lz_err err = {0};
    if (store_open(&st, argv[2], STORE_READONLY, &err) < 0)
        return cli_fail(&err);
    int code;
    if (verify) {
        code = audit_verify_cmd(st, expected);
    } else if (list) {
        code = audit_list_cmd(st, &f, format);
    } else {
        char hash[AUDIT_HASH_HEX];
        int64_t count;
        code = audit_head(st, hash, &count, &err) < 0 ? cli_fail(&err) : EXIT_OK;
        if (code == EXIT_OK)
            printf("%s\n", hash);
    }
    store_close(st);
    return code;
}

const command cmd_audit = {"audit", "verify the tamper-evident audit log, print its head, list its entries",
                           "lianzhang audit verify DB [--head HASH]\n"
                           "  Walks the hash chain of the audit log: exit 0 when intact, 1 naming the first entry that was\n"
                           "  edited, removed or reordered. With --head, HASH (from an earlier 'audit head') must still be\n"
                           "  in the log, else it was truncated.\n"
                           "lianzhang audit head DB\n"
                           "  Prints the hash of the latest entry; keep it somewhere the database's users cannot write.\n"
                           "lianzhang audit list DB [--actor A] [--target T] [--since DATE] [--until DATE] [--limit N]\n"
                           "                        [--format table|json|csv]\n"
                           "  The entries, newest first: who, when, through what, the row touched (and in json and csv the\n"
                           "  row before and after). --since and --until are dates (YYYY-MM-DD), both days included.\n",
                           run_audit};
