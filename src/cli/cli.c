/* cli — helpers shared by the command files (see commands.h). */
#include "cli/commands.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    for (int i = 0; i < argc && o + 2 < sizeof via; i++)
        o += (size_t)snprintf(via + o, sizeof via - o, "%s%s", i ? " " : "", argv[i]);
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
