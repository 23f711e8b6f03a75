/* cli — helpers shared by the command files (see commands.h). */
#include "cli/commands.h"

#include "analysis/thresholds.h"
#include "core/pair.h"
#include "policy/policy.h"
#include "store/accounts.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_fail(const lz_err *err)
{
    fprintf(stderr, "lianzhang: %s\n", err->msg);
    switch (err->code) {
    case LZ_EINPUT:
    case LZ_ENOTFOUND:
    case LZ_ECONFLICT:
    case LZ_EDENIED:
        return EXIT_INPUT;
    default:
        return EXIT_INTERNAL;
    }
}

typedef struct emitting {
    int (*emit)(void *ctx);
    void *ctx;
    int code;
} emitting;

static void run_emit(void *arg)
{
    emitting *e = arg;
    e->code = e->emit(e->ctx);
}

static void run_close(void *st)
{
    store_close(st);
}

int cli_close_emitting(store *st, int (*emit)(void *ctx), void *ctx)
{
    emitting e = {emit, ctx, EXIT_OK};
    if (!pair_run(run_emit, &e, run_close, st)) {
        store_close(st);
        run_emit(&e);
    }
    return e.code;
}

int cli_usage(const command *cmd)
{
    fprintf(stderr, "lianzhang %s: usage:\n%s", cmd->name, cmd->usage);
    return EXIT_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

const char *cli_actor(void)
{
    static char actor[96];
    struct passwd *pw = getpwuid(geteuid());
    snprintf(actor, sizeof actor, "cli:%s", pw ? pw->pw_name : "unknown");
    return actor;
}

const char *cli_via(int argc, char **argv)
{
    static char via[1024];
    size_t o = 0;
    for (int i = 0; i < argc && o + 2 < sizeof via; i++) {
        char shown[512]; /* a PostgreSQL password never reaches the audit log */
        store_shown_name(argv[i], shown, sizeof shown);
        o += (size_t)snprintf(via + o, sizeof via - o, "%s%s", i ? " " : "", shown);
    }
    return via;
}

const char *cli_policy_dir(const char *dir, const char *option, lz_err *err)
{
    static const char *const defaults[] = {CLI_POLICIES_SUBDIR, LIANZHANG_SHARE_DIR "/" CLI_POLICIES_SUBDIR};
    if (dir)
        return dir;
    const char *env = getenv("LIANZHANG_POLICIES");
    if (env && *env)
        return env;
    struct stat sb;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if (stat(defaults[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            return defaults[i];
    err_set(err, LZ_EINPUT,
            "no policy rule files found: give their folder with %s DIR or LIANZHANG_POLICIES=DIR (looked in ./%s and %s)", option,
            defaults[0], defaults[1]);
    return NULL;
}

int cli_policy_set_load(const char *dir, policy_set **set, lz_err *err)
{
    errlist errors;
    errlist_init(&errors, 100);
    int rc = policy_set_load(dir, set, &errors, err);
    for (size_t i = 0; i < errors.count; i++)
        fprintf(stderr, "%s\n", errors.items[i]);
    errlist_free(&errors);
    return rc;
}

/* The language the environment asks for (LC_ALL, LC_MESSAGES, LANG as POSIX orders them):
 * zh_TW, zh_HK and zh_MO read traditional Chinese, other zh simplified, en English; anything else
 * (C, POSIX, unset) gets simplified Chinese, the users' first language. */
static int env_lang(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        if (strncmp(v, "zh_TW", 5) == 0 || strncmp(v, "zh_HK", 5) == 0 || strncmp(v, "zh_MO", 5) == 0)
            return POLICY_ZH_TW;
        if (strncmp(v, "en", 2) == 0)
            return POLICY_EN;
        return POLICY_ZH_CN;
    }
    return POLICY_ZH_CN;
}

int cli_lang(const char *tag)
{
    return tag ? policy_lang_parse(tag) : env_lang();
}

int cli_load_thresholds(const char *config, const char *policy_dir, thresholds *th, lz_err *err)
{
    thresholds_defaults(th);
    if (config)
        return thresholds_load(th, config, err);
    if (!policy_dir)
        return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", policy_dir, THRESHOLDS_FILE);
    return access(path, R_OK) == 0 ? thresholds_load(th, path, err) : 0;
}

/* Only a person watching a terminal wants a status line; a pipe or a log gets nothing. */
void cli_status(const char *fmt, ...)
{
    if (!isatty(STDERR_FILENO))
        return;
    va_list ap;
    va_start(ap, fmt);
    fputc('\r', stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\033[K", stderr); /* erase what a longer earlier line left */
    va_end(ap);
    fflush(stderr);
}

void cli_status_clear(void)
{
    if (isatty(STDERR_FILENO))
        fputs("\r\033[K", stderr);
}

/* The index of the format path's extension names, or -1. */
static int format_of_extension(const char *path, const char *const *names)
{
    const char *dot = strrchr(path, '.');
    for (int i = 0; dot && !strchr(dot, '/') && names[i]; i++)
        if (strcasecmp(dot + 1, names[i]) == 0)
            return i;
    return -1;
}

static void list_formats(const char *const *names)
{
    for (int i = 0; names[i]; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", names[i]);
}

int cli_output_format(const char *format_name, const char *path, const char *const *names, int fallback)
{
    int named = path ? format_of_extension(path, names) : -1, asked = -1;
    for (int i = 0; format_name && names[i]; i++)
        if (strcmp(format_name, names[i]) == 0)
            asked = i;
    if (format_name && asked < 0) {
        fprintf(stderr, "lianzhang: unknown format '%s' (", format_name);
        list_formats(names);
        fputs(")\n", stderr);
    } else if (format_name && named >= 0 && named != asked) {
        fprintf(stderr, "lianzhang: %s: the file's name says %s but --format says %s; name the file .%s or drop --format\n", path,
                names[named], format_name, format_name);
    } else if (!format_name && path && named < 0) {
        fprintf(stderr, "lianzhang: %s: its extension names no format; name it .csv, .json or .xlsx, or give --format (", path);
        list_formats(names);
        fputs(")\n", stderr);
    } else {
        return format_name ? asked : path ? named : fallback;
    }
    return -1;
}

/* (see commands.h) */
int cli_account(store *st, const char *name, const char *admin_only, account *who)
{
    lz_err err = {0};
    bool found = false;
    if (!name) {
        err_set(&err, LZ_EINPUT, "--as ACCOUNT: name the account that makes this change (lianzhang user list)");
        return cli_fail(&err);
    }
    if (accounts_get(st, name, who, &found, &err) != 0)
        return cli_fail(&err);
    if (!found || who->disabled)
        err_set(&err, LZ_EINPUT, "--as %s: no enabled account of that name (lianzhang user list)", name);
    else if (admin_only && who->role != ROLE_ADMIN)
        err_set(&err, LZ_EDENIED, "--as %s: only an admin account %s", name, admin_only);
    return err.code ? cli_fail(&err) : EXIT_OK;
}
