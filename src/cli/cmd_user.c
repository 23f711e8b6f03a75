/*
 * cmd_user — accounts of the server: add, passwd, disable, enable, list, demo-accounts.
 *
 * A password is read from standard input (--password-stdin), never from the command line where
 * other users of the machine could see it. Every change is audited like a data write; the audit
 * entry records the account's name, role, scope and state, never its password or hash. A bureau's
 * department is checked here, where both the policy files and the data are in reach.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/table.h"
#include "core/strbuf.h"
#include "policy/policy.h"
#include "store/accounts.h"
#include "store/audit.h"

#define PASSWORD_MAX 1024

static int read_password(char *buf, size_t cap, lz_err *err)
{
    if (!fgets(buf, (int)cap, stdin))
        return err_set(err, LZ_EINPUT, "no password on standard input");
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

static char *account_json(const account *a)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "name", a->name, "role", account_role_name(a->role), "scope", a->scope,
                          "disabled", a->disabled);
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    return s;
}

/* Runs op on the account inside one transaction with its audit entry (state before and after). */
typedef int (*account_op)(store *st, const char *name, void *arg, lz_err *err);

static int audited(store *st, const char *name, account_op op, void *arg, int argc, char **argv, lz_err *err)
{
    account before, after;
    bool had = false, has = false;
    char *b = NULL, *a = NULL;
    char target[ACCOUNT_NAME_MAX + 16];
    snprintf(target, sizeof target, "accounts/%s", name);
    int rc = store_begin(st, err);
    if (rc == 0)
        rc = accounts_get(st, name, &before, &had, err);
    if (rc == 0)
        rc = op(st, name, arg, err);
    if (rc == 0)
        rc = accounts_get(st, name, &after, &has, err);
    if (rc == 0) {
        b = had ? account_json(&before) : NULL;
        a = has ? account_json(&after) : NULL;
        audit_entry e = {.actor = cli_actor(), .via = cli_via(argc, argv), .target = target, .before = b, .after = a};
        rc = audit_append(st, &e, err);
    }
    free(b);
    free(a);
    if (rc == 0)
        rc = store_commit(st, err);
    if (rc < 0)
        store_rollback(st);
    return rc;
}

typedef struct add_args {
    account_role role;
    const char *scope, *password, *policies;
} add_args;

static int op_add(store *st, const char *name, void *arg, lz_err *err)
{
    add_args *a = arg;
    return accounts_add(st, name, a->role, a->scope, a->password, err);
}

static int op_passwd(store *st, const char *name, void *arg, lz_err *err)
{
    return accounts_set_password(st, name, arg, err);
}

static int op_unlock(store *st, const char *name, void *arg, lz_err *err)
{
    (void)arg;
    return accounts_unlock(st, name, err);
}

static int op_disable(store *st, const char *name, void *arg, lz_err *err)
{
    return accounts_set_disabled(st, name, arg != NULL, err);
}

/* ---- departments ----------------------------------------------------------------------------- */

/* A bureau account sees the policies of its department and the chains it leads: its scope must
 * name a department the policy folder declares (when it loads: a database of another city may
 * have none) or a chain of the database leads (accounts_check_department, shared with the API). */
static int check_department(store *st, const char *dir, const char *scope, lz_err *err)
{
    errlist errors;
    errlist_init(&errors, 1);
    policy_set *set = NULL;
    lz_err ignored = {0};
    const char **known = NULL;
    size_t n = 0;
    if (policy_set_load(dir, &set, &errors, &ignored) == 0) {
        known = xcalloc(policy_set_count(set) + 1, sizeof *known);
        for (size_t i = 0; i < policy_set_count(set); i++) {
            policy_info info;
            policy_describe(policy_set_at(set, i), &info);
            known[n++] = info.department;
        }
    }
    int rc = accounts_check_department(st, scope, known, n, err);
    free(known);
    policy_set_free(set);
    errlist_free(&errors);
    return rc;
}

/* ---- subcommands ----------------------------------------------------------------------------- */

static int user_add(store *st, int argc, char **argv, lz_err *err)
{
    add_args a = {.role = ROLE_COUNT};
    bool from_stdin = false;
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--role") == 0 && i + 1 < argc && account_role_parse(argv[i + 1], &a.role) == 0)
            i++;
        else if (strcmp(argv[i], "--scope") == 0 && i + 1 < argc)
            a.scope = argv[++i];
        else if (strcmp(argv[i], "--policies") == 0 && i + 1 < argc)
            a.policies = argv[++i];
        else if (strcmp(argv[i], "--password-stdin") == 0)
            from_stdin = true;
        else
            return err_set(err, LZ_EINPUT, "%s: unexpected (roles: admin bureau chain division enterprise)", argv[i]);
    }
    if (a.role == ROLE_COUNT || !from_stdin)
        return err_set(err, LZ_EINPUT, "user add needs --role ROLE and --password-stdin");
    if (a.role == ROLE_BUREAU && a.scope) {
        const char *dir = cli_policy_dir(a.policies, "--policies", err);
        if (!dir || check_department(st, dir, a.scope, err) < 0)
            return err->code;
    }
    char pw[PASSWORD_MAX];
    int rc = read_password(pw, sizeof pw, err);
    a.password = pw;
    if (rc == 0)
        rc = audited(st, argv[3], op_add, &a, argc, argv, err);
    sodium_memzero(pw, sizeof pw);
    if (rc == 0)
        printf("added %s (%s%s%s)\n", argv[3], account_role_name(a.role), a.scope ? " " : "", a.scope ? a.scope : "");
    return rc;
}

static int user_passwd(store *st, int argc, char **argv, lz_err *err)
{
    if (argc != 5 || strcmp(argv[4], "--password-stdin") != 0)
        return err_set(err, LZ_EINPUT, "user passwd needs --password-stdin");
    char pw[PASSWORD_MAX];
    int rc = read_password(pw, sizeof pw, err);
    if (rc == 0)
        rc = audited(st, argv[3], op_passwd, pw, argc, argv, err);
    sodium_memzero(pw, sizeof pw);
    if (rc == 0)
        printf("password of %s changed; its sessions ended\n", argv[3]);
    return rc;
}

/* `user list`: name, role (as `user add --role` takes it), scope, state; headings in the
 * environment's language. */
static const char *const account_words[][3] = {
    {"账号", "帳號", "name"},  {"角色", "角色", "role"},   {"范围", "範圍", "scope"},
    {"状态", "狀態", "state"}, {"正常", "正常", "active"}, {"已停用", "已停用", "disabled"},
};
enum { ACCOUNT_COLS = 4, AW_ACTIVE = 4, AW_DISABLED };

static void add_account(void *ctx, const account *a)
{
    int lang = cli_lang(NULL);
    const char *row[ACCOUNT_COLS] = {a->name, account_role_name(a->role), a->scope,
                                     account_words[a->disabled ? AW_DISABLED : AW_ACTIVE][lang]};
    cli_table_add(ctx, row);
}

static int list_accounts(store *st, lz_err *err)
{
    int lang = cli_lang(NULL);
    const char *headings[ACCOUNT_COLS];
    for (size_t c = 0; c < ACCOUNT_COLS; c++)
        headings[c] = account_words[c][lang];
    cli_table *t = cli_table_new(ACCOUNT_COLS, headings, NULL);
    int rc = accounts_list(st, add_account, t, err);
    if (rc == 0)
        cli_table_print(t, stdout);
    cli_table_free(t);
    return rc;
}

/* ---- demo accounts --------------------------------------------------------------------------- */

typedef struct first_row {
    char value[2][ACCOUNT_SCOPE_MAX + 1]; /* two columns of the first row */
    int cols[2];
} first_row;

static int take_first(void *ctx, const cell *row)
{
    first_row *f = ctx;
    for (int i = 0; i < 2; i++)
        if (f->cols[i] >= 0 && row[f->cols[i]].kind == CELL_TEXT)
            snprintf(f->value[i], sizeof f->value[i], "%.*s", (int)row[f->cols[i]].n, row[f->cols[i]].s);
    return 1;
}

static int first_of(store *st, const char *table_name, const char *col_a, const char *col_b, const store_cond *conds, size_t nconds,
                    first_row *out, lz_err *err)
{
    const table *t = tables_find(table_name);
    memset(out, 0, sizeof *out);
    out->cols[0] = table_column_index(t, col_a);
    out->cols[1] = col_b ? table_column_index(t, col_b) : -1;
    store_query q = {.t = t, .conds = conds, .nconds = nconds, .limit = 1};
    return store_scan(st, &q, take_first, out, err);
}

/* A coherent set of scopes from the data: the first chain the source article names (else the
 * first chain), the first enterprise on it with a division (a local one: the map also places
 * outside suppliers, which have none), that division, the chain's lead department. */
static int demo_scopes(store *st, char scopes[ROLE_COUNT][ACCOUNT_SCOPE_MAX + 1], lz_err *err)
{
    first_row chain, ent;
    cell article = cell_text("article", 7);
    store_cond from_article = {.column = "source", .values = &article, .nvalues = 1};
    int rc = first_of(st, "chains", "code", "lead_department", &from_article, 1, &chain, err);
    if (rc == 0 && !*chain.value[0])
        rc = first_of(st, "chains", "code", "lead_department", NULL, 0, &chain, err);
    cell code = cell_text(chain.value[0], strlen(chain.value[0])), any = cell_text("", 0);
    store_cond local_member[] = {
        {.column = "uscc", .values = &code, .nvalues = 1, .via_table = "memberships", .via_column = "uscc", .via_match = "chain"},
        {.column = "division", .op = STORE_GE, .values = &any, .nvalues = 1}, /* a range never matches NULL */
    };
    if (rc == 0)
        rc = first_of(st, "enterprises", "uscc", "division", local_member, 2, &ent, err);
    if (rc < 0)
        return rc;
    if (!*chain.value[0] || !*ent.value[0] || !*ent.value[1])
        return err_set(err, LZ_EINPUT,
                       "the database needs a chain with a member enterprise in a division (run 'lianzhang demo' first)");
    snprintf(scopes[ROLE_BUREAU], ACCOUNT_SCOPE_MAX + 1, "%s", *chain.value[1] ? chain.value[1] : "市工信局");
    snprintf(scopes[ROLE_CHAIN], ACCOUNT_SCOPE_MAX + 1, "%s", chain.value[0]);
    snprintf(scopes[ROLE_DIVISION], ACCOUNT_SCOPE_MAX + 1, "%s", ent.value[1]);
    snprintf(scopes[ROLE_ENTERPRISE], ACCOUNT_SCOPE_MAX + 1, "%s", ent.value[0]);
    return 0;
}

/* One account per role, and a second of the bureau's: an award it reviews needs another account
 * of the bureau (or an admin) to approve it (four eyes). */
static const struct {
    account_role role;
    const char *suffix;
} demo_accounts[] = {{ROLE_ADMIN, ""}, {ROLE_BUREAU, ""},   {ROLE_BUREAU, "-2"},
                     {ROLE_CHAIN, ""}, {ROLE_DIVISION, ""}, {ROLE_ENTERPRISE, ""}};

static int user_demo(store *st, int argc, char **argv, lz_err *err)
{
    char scopes[ROLE_COUNT][ACCOUNT_SCOPE_MAX + 1] = {{0}};
    int rc = demo_scopes(st, scopes, err);
    if (rc < 0)
        return rc;
    printf("Demo accounts (passwords are shown only now; run this again for new ones):\n");
    for (size_t k = 0; k < sizeof demo_accounts / sizeof demo_accounts[0] && rc == 0; k++) {
        account_role r = demo_accounts[k].role;
        char name[ACCOUNT_NAME_MAX + 1], pw[ACCOUNT_GENERATED_PASSWORD_SIZE];
        snprintf(name, sizeof name, "demo-%s%s", account_role_name(r), demo_accounts[k].suffix);
        account existing;
        bool found;
        add_args a = {.role = r, .scope = *scopes[r] ? scopes[r] : NULL, .password = pw};
        rc = accounts_generate_password(name, pw, err);
        if (rc == 0)
            rc = accounts_get(st, name, &existing, &found, err);
        if (rc == 0)
            rc = found ? audited(st, name, op_passwd, pw, argc, argv, err) : audited(st, name, op_add, &a, argc, argv, err);
        if (rc == 0)
            printf("  %-18s %-10s %-20s password: %s\n", name, account_role_name(a.role), scopes[r], pw);
        sodium_memzero(pw, sizeof pw);
    }
    return rc;
}

static int run_user(int argc, char **argv)
{
    if (argc < 3)
        return cli_usage(&cmd_user);
    const char *sub = argv[1];
    bool named = strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0 || strcmp(sub, "disable") == 0 ||
                 strcmp(sub, "enable") == 0 || strcmp(sub, "unlock") == 0;
    if ((named && argc < 4) || (!named && argc != 3) || (!named && strcmp(sub, "list") != 0 && strcmp(sub, "demo-accounts") != 0))
        return cli_usage(&cmd_user);
    if (sodium_init() < 0)
        return EXIT_INTERNAL;
    store *st;
    lz_err err = {0};
    if (store_open(&st, argv[2], 0, &err) < 0)
        return cli_fail(&err);
    int rc;
    if (strcmp(sub, "add") == 0)
        rc = user_add(st, argc, argv, &err);
    else if (strcmp(sub, "passwd") == 0)
        rc = user_passwd(st, argc, argv, &err);
    else if (strcmp(sub, "unlock") == 0)
        rc = argc == 4 ? audited(st, argv[3], op_unlock, NULL, argc, argv, &err) : err_set(&err, LZ_EINPUT, "user unlock DB NAME");
    else if (strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0)
        rc = argc == 4 ? audited(st, argv[3], op_disable, strcmp(sub, "disable") == 0 ? argv[3] : NULL, argc, argv, &err)
                       : err_set(&err, LZ_EINPUT, "user %s DB NAME", sub);
    else if (strcmp(sub, "list") == 0)
        rc = list_accounts(st, &err);
    else
        rc = user_demo(st, argc, argv, &err);
    store_close(st);
    if (rc == 0 && (strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0))
        printf("%s %sd\n", argv[3], sub);
    if (rc == 0 && strcmp(sub, "unlock") == 0)
        printf("%s unlocked\n", argv[3]);
    return rc < 0 ? cli_fail(&err) : EXIT_OK;
}

const command cmd_user = {"user", "manage the server's accounts",
                          "lianzhang user add DB NAME --role ROLE [--scope VALUE] [--policies DIR] --password-stdin\n"
                          "  ROLE and its scope: admin (none), bureau (department name), chain (chain code),\n"
                          "  division (division code), enterprise (USCC). The password is the first line of standard\n"
                          "  input: at least 10 characters, and no dictionary word, sequence or palindrome, nor the\n"
                          "  account's name (libpwquality says why it refuses one). A bureau's department must be\n"
                          "  one a policy file in DIR (default\n"
                          "  " CLI_POLICY_DEFAULTS ")\n"
                          "  or a chain of the database names.\n"
                          "lianzhang user passwd DB NAME --password-stdin   new password; the account's sessions end\n"
                          "lianzhang user disable DB NAME | enable DB NAME  a disabled account cannot sign in\n"
                          "lianzhang user unlock DB NAME                    lifts the throttle after failed sign-ins\n"
                          "lianzhang user list DB\n"
                          "lianzhang user demo-accounts DB\n"
                          "  One account per role (demo-admin, demo-bureau, ...) scoped to the first chain of the data, and\n"
                          "  demo-bureau-2 of the same bureau to approve what demo-bureau reviews (four eyes),\n"
                          "  with random passwords printed once. Run again for new passwords.\n",
                          run_user};
