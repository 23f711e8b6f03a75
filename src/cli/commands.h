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
/* The account a change is made as (--as NAME): it must exist and be enabled, and be an admin when
 * admin_only names what only an admin does ("records earlier payments"; NULL: any role). Fills
 * who and returns EXIT_OK, else prints why and returns the exit code. */
struct store;
struct account;
int cli_account(struct store *st, const char *name, const char *admin_only, struct account *who);
/* Closes st (ending its read, and closing its twin) on a thread of its own while emit(ctx) writes
 * the result on this one; emit's code. emit must not touch the store. A whole city read through
 * a mapped database leaves hundreds of thousands of its pages mapped, and unmapping them takes
 * longer than writing the document (on a million enterprises, 50 ms against 30). */
int cli_close_emitting(struct store *st, int (*emit)(void *ctx), void *ctx);
/* "import enterprises file.csv" style description of this command line, for the audit log. */
const char *cli_via(int argc, char **argv);
/* The folder of policy rule files, the first of: dir (the command's option, named by option in
 * the error), $LIANZHANG_POLICIES, CLI_POLICIES_SUBDIR under the working directory (a source
 * tree), the same under LIANZHANG_SHARE_DIR (where `make install` puts them; the Makefile
 * compiles it in from PREFIX). NULL with err saying both ways to name one and the places looked
 * when none is given and neither folder exists. */
#define CLI_POLICIES_SUBDIR "policies/jiangmen"
#define CLI_POLICY_DEFAULTS "$LIANZHANG_POLICIES, else ./" CLI_POLICIES_SUBDIR ", else " LIANZHANG_SHARE_DIR "/" CLI_POLICIES_SUBDIR
const char *cli_policy_dir(const char *dir, const char *option, lz_err *err);
struct policy_set;
/* Loads the policies of dir into *set (the caller frees it), printing each rule error on stderr. */
int cli_policy_set_load(const char *dir, struct policy_set **set, lz_err *err);
/* The format an output goes in, as an index into names (the command's formats, NULL-terminated):
 * format_name (--format) when given, else the one path's extension names (-o FILE: ".xlsx" is
 * "xlsx", any case), else fallback when there is no path. Refuses with a message on stderr, naming
 * the file, and returns -1 (a usage error): an unknown --format, a FILE whose extension names
 * another format than --format, and a FILE whose extension names none when --format is absent. */
int cli_output_format(const char *format_name, const char *path, const char *const *names, int fallback);
/* The analyses' thresholds: the file `config` when given (it must exist), else policy_dir's
 * THRESHOLDS_FILE when there (policy_dir may be NULL: none found), else the defaults built in. Returns 0, or an error naming
 * FILE:LINE. */
struct thresholds;
int cli_load_thresholds(const char *config, const char *policy_dir, struct thresholds *th, lz_err *err);
/* The masters' criteria the same way: `file` when given, else policy_dir's MASTERS_CRITERIA_FILE when there, else built in. */
struct masters_criteria;
int cli_load_masters_criteria(const char *file, const char *policy_dir, struct masters_criteria *c, lz_err *err);

/* The language of headings, words and explanations, as a policy_lang: the --lang tag when given
 * (-1 when it is not one of zh-CN, zh-TW, en), else what LC_ALL / LC_MESSAGES / LANG ask for,
 * else zh-CN. */
int cli_lang(const char *tag);

/* A status line on stderr for a long step ("正在计算 2023 年度…"), replaced by the next one and
 * erased by cli_status_clear; nothing at all when stderr is not a terminal. */
void cli_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_status_clear(void);

extern const command cmd_init, cmd_import, cmd_export, cmd_check, cmd_columns, cmd_template, cmd_backup, cmd_migrate;
extern const command cmd_serve, cmd_user, cmd_audit;                             /* the server, its accounts, the audit log */
extern const command cmd_demo;                                                   /* the reference data set */
extern const command cmd_calendar;                                               /* the official working-day calendar */
extern const command cmd_policy, cmd_awards, cmd_explain, cmd_whatif, cmd_award; /* support policies */
extern const command cmd_chain, cmd_projects, cmd_clusters;                      /* the chain leader's analyses */
extern const command cmd_masters;                                                /* who should lead a chain */
extern const command cmd_targets;                                                /* whom to bring in */
extern const command cmd_match;    /* what an enterprise could get; unclaimed awards */
extern const command cmd_overview; /* the cockpit's figures */
extern const command cmd_report;   /* the chain leader's workbook */

#endif
