/*
 * commands — the CLI's command table. main.c only dispatches; each command group lives in its
 * own cmd_<group>.c and registers one line in main.c's table.
 *
 * A command returns an exit code: 0 ok, 1 bad input (a user can fix it), 2 usage (wrong
 * arguments), 3 internal error. Commands print results to stdout and problems to stderr.
 */
#ifndef LZ_COMMANDS_H
#define LZ_COMMANDS_H

#include "core/err.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

typedef struct command {
    const char *name;
    const char *summary;
    const char *usage;                 /* full --help text */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} command;

/* Maps an lz_err code to an exit code and prints the message to stderr as "lianzhang: MSG". */
int cli_fail(const lz_err *err);
/* Prints "lianzhang CMD: usage: ..." to stderr and returns EXIT_USAGE. */
int cli_usage(const command *cmd);
/* True if argv has -h or --help. */
int cli_wants_help(int argc, char **argv);
/* The actor recorded in the audit log for CLI writes: "cli:<login name>". */
const char *cli_actor(void);
/* "import enterprises file.csv" style description of this command line, for the audit log. */
const char *cli_via(int argc, char **argv);
/* The folder of policy rule files: dir when given, else $LIANZHANG_POLICIES, else the default. */
#define CLI_DEFAULT_POLICIES "policies/jiangmen"
const char *cli_policy_dir(const char *dir);

extern const command cmd_init, cmd_import, cmd_export, cmd_check, cmd_columns, cmd_template;
extern const command cmd_serve, cmd_user, cmd_audit;                             /* the server, its accounts, the audit log */
extern const command cmd_demo;                                                   /* the reference data set */
extern const command cmd_calendar;                                               /* the official working-day calendar */
extern const command cmd_policy, cmd_awards, cmd_explain, cmd_whatif, cmd_award; /* support policies */

#endif
