/*
 * lianzhang — one binary for the chain-leader system: the CLI for batch work, and `serve` for the
 * JSON API. This file only dispatches to the command table.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

static const command *const commands[] = {
    &cmd_init,  &cmd_import,   &cmd_export,   &cmd_check,    &cmd_columns, &cmd_template, &cmd_backup,   &cmd_migrate, &cmd_serve,
    &cmd_user,  &cmd_audit,    &cmd_demo,     &cmd_calendar, &cmd_policy,  &cmd_awards,   &cmd_explain,  &cmd_whatif,  &cmd_award,
    &cmd_chain, &cmd_projects, &cmd_clusters, &cmd_masters,  &cmd_targets, &cmd_match,    &cmd_overview, &cmd_report,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_help(FILE *out)
{
    fputs("lianzhang — industrial clusters under the chain-leader system (鏈長制)\n\n"
          "usage: lianzhang COMMAND [ARGS]   (lianzhang COMMAND --help for details)\n\ncommands:\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\nexit codes: 0 ok, 1 bad input, 2 usage, 3 internal error\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_help(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("lianzhang " LIANZHANG_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[1], commands[i]->name) != 0)
            continue;
        if (cli_wants_help(argc - 1, argv + 1)) {
            fputs(commands[i]->usage, stdout);
            return EXIT_OK;
        }
        return commands[i]->run(argc - 1, argv + 1);
    }
    fprintf(stderr, "lianzhang: unknown command '%s' (lianzhang --help lists them)\n", argv[1]);
    return EXIT_USAGE;
}
