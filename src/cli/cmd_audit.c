/*
 * cmd_audit — `lianzhang audit verify|head DB`: checks the hash chain of the audit log, and
 * prints its latest hash for an operator to keep elsewhere (a later `verify --head HASH` then
 * also catches a log cut back to before that entry).
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "store/audit.h"

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
    const char *expected = NULL;
    if (verify && argc == 5 && strcmp(argv[3], "--head") == 0)
        expected = argv[4];
    else if (verify && argc != 3)
        return cli_usage(&cmd_audit);
    if (!verify && !head)
        return cli_usage(&cmd_audit);
    store *st;
    lz_err err = {0};
    if (store_open(&st, argv[2], STORE_READONLY, &err) < 0)
        return cli_fail(&err);
    int code;
    if (verify) {
        code = audit_verify_cmd(st, expected);
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

const command cmd_audit = {"audit", "verify the tamper-evident audit log, print its head",
                           "lianzhang audit verify DB [--head HASH]\n"
                           "  Walks the hash chain of the audit log: exit 0 when intact, 1 naming the first entry that was\n"
                           "  edited, removed or reordered. With --head, HASH (from an earlier 'audit head') must still be\n"
                           "  in the log, else it was truncated.\n"
                           "lianzhang audit head DB\n"
                           "  Prints the hash of the latest entry; keep it somewhere the database's users cannot write.\n",
                           run_audit};
