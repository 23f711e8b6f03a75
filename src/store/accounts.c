/*
 * accounts — accounts, sessions and the login throttle in SQLite (see accounts.h for the contract).
 */
#include "store/accounts.h"

#include <pthread.h>
#include <pwquality.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/strset.h"
#include "store/schema.h"
#include "store/store_impl.h"

static const char *const role_names[ROLE_COUNT + 1] = {"admin", "bureau", "chain", "division", "enterprise", NULL};
/* The languages of the UI an account may choose. */
static const char *const account_langs[] = {"zh-CN", "zh-TW", "en", NULL};

const char *account_role_name(account_role r)
{
    return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

int account_role_parse(const char *s, account_role *out)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (strcmp(s, role_names[r]) == 0) {
            *out = (account_role)r;
            return 0;
        }
    }
    return -1;
}

/* Schema migration 4 (listed in schema.c). */
int store_migrate_accounts(store *st, lz_err *err);
int store_migrate_accounts(store *st, lz_err *err)
{
    return store_exec(st,
                      "CREATE TABLE accounts ("
                      " name TEXT PRIMARY KEY, role TEXT NOT NULL, scope TEXT NOT NULL DEFAULT '',"
                      " password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
                      "CREATE TABLE sessions ("
                      " token_hash TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES accounts(name),"
                      " csrf TEXT NOT NULL, created INTEGER NOT NULL, expires INTEGER NOT NULL);"
                      "CREATE INDEX sessions_account ON sessions(account);"
                      "CREATE TABLE login_throttle ("
                      " key TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_failure INTEGER NOT NULL);",
                      err);
}

/* Schema migration 13 (listed in schema.c): the UI language an account chose, remembered across
 * browsers. */
int store_migrate_account_lang(store *st, lz_err *err);
int store_migrate_account_lang(store *st, lz_err *err)
{
    return store_exec(st, "ALTER TABLE accounts ADD COLUMN lang TEXT;", err);
}

/* The tables (schema.h): what migrations 4 and 13 made, and PostgreSQL's DDL. Sessions' and the
 * throttle's times are Unix seconds. */
static const store_column accounts_columns[] = {
    {.name = "name", .type = STORE_TEXT, .flags = STORE_KEY},
    {.name = "role", .type = STORE_ENUM, .flags = STORE_REQUIRED, .values = role_names},
    {.name = "scope", .type = STORE_TEXT, .flags = STORE_REQUIRED, .default_sql = "''"},
    {.name = "password_hash", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "disabled", .type = STORE_BOOL, .flags = STORE_REQUIRED, .default_sql = "0"},
    {.name = "lang", .type = STORE_ENUM, .values = account_langs, .since_version = 13},
};
extern const store_table store_table_accounts;
const store_table store_table_accounts = {.name = "accounts", .version = 4, STORE_COLUMNS(accounts_columns)};

static const store_column sessions_columns[] = {
    {.name = "token_hash", .type = STORE_TEXT, .flags = STORE_KEY},
    {.name = "account", .type = STORE_TEXT, .flags = STORE_REQUIRED, .ref_table = "accounts", .ref_column = "name"},
    {.name = "csrf", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "created", .type = STORE_INT, .flags = STORE_REQUIRED},
    {.name = "expires", .type = STORE_INT, .flags = STORE_REQUIRED},
};
static const store_index sessions_indexes[] = {{.name = "sessions_account", .columns = "account"}};
extern const store_table store_table_sessions;
const store_table store_table_sessions = {
    .name = "sessions", .version = 4, STORE_COLUMNS(sessions_columns), .indexes = sessions_indexes, .nindexes = 1};

static const store_column login_throttle_columns[] = {
    {.name = "key", .type = STORE_TEXT, .flags = STORE_KEY},
    {.name = "failures", .type = STORE_INT, .flags = STORE_REQUIRED},
    {.name = "first_failure", .type = STORE_INT, .flags = STORE_REQUIRED},
};
extern const store_table store_table_login_throttle;
const store_table store_table_login_throttle = {.name = "login_throttle", .version = 4, STORE_COLUMNS(login_throttle_columns)};

/* ---- validation ------------------------------------------------------------------------------ */

int accounts_check_name(const char *name, lz_err *err)
{
    size_t n = strlen(name);
    if (n == 0 || n > ACCOUNT_NAME_MAX)
        return err_set(err, LZ_EINPUT, "account name: 1 to %d characters", ACCOUNT_NAME_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("._@-", c);
        if (!ok)
            return err_set(err, LZ_EINPUT, "account name '%s': only letters, digits and . _ @ - are allowed", name);
    }
    return 0;
}

/* The data row a scope names must exist: an account scoped to a typo would see nothing. */
static int check_scope_row(store *st, const char *table_name, const char *scope, account_role role, lz_err *err)
{
    const table *t = tables_find(table_name);
    cell key = cell_text(scope, strlen(scope));
    cell row[TABLES_MAX_COLS];
    arena a;
    arena_init(&a, 1024);
    bool found = false;
    int rc = store_get(st, t, &key, &a, row, &found, err);
    arena_free(&a);
    if (rc < 0)
        return rc;
    if (!found)
        return err_set(err, LZ_EINPUT, "scope '%s': no such %s row in %s (a %s account is scoped to one)", scope, table_name,
                       table_name, account_role_name(role));
    return 0;
}

int accounts_check_scope(store *st, account_role role, const char *scope, lz_err *err)
{
    scope = scope ? scope : "";
    if (role == ROLE_ADMIN)
        return *scope ? err_set(err, LZ_EINPUT, "an admin account has no scope") : 0;
    if (!*scope)
        return err_set(err, LZ_EINPUT, "a %s account needs --scope (%s)", account_role_name(role),
                       role == ROLE_BUREAU     ? "a department name"
                       : role == ROLE_CHAIN    ? "a chain code"
                       : role == ROLE_DIVISION ? "a division code"
                                               : "an enterprise USCC");
    if (strlen(scope) > ACCOUNT_SCOPE_MAX)
        return err_set(err, LZ_EINPUT, "scope: at most %d characters", ACCOUNT_SCOPE_MAX);
    switch (role) {
    case ROLE_CHAIN:
        return check_scope_row(st, "chains", scope, role, err);
    case ROLE_DIVISION:
        return check_scope_row(st, "divisions", scope, role, err);
    case ROLE_ENTERPRISE:
        return check_scope_row(st, "enterprises", scope, role, err);
    default:
        return 0;
    }
}

/* The departments a bureau may be scoped to: those the caller knows (the policy files'), and those
 * leading a chain in the database. */
typedef struct departments {
    strset seen;
    const char **names;
    size_t n;
} departments;

static void department_add(departments *d, const char *name, size_t len)
{
    if (len == 0 || !strset_add(&d->seen, name, len))
        return;
    d->names = xrealloc(d->names, (d->n + 1) * sizeof *d->names);
    d->names[d->n++] = arena_strndup(&d->seen.mem, name, len);
}

static int add_chain_department(void *ctx, const cell *row)
{
    departments *d = ctx;
    int col = table_column_index(tables_find("chains"), "lead_department");
    if (row[col].kind == CELL_TEXT)
        department_add(d, row[col].s, row[col].n);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int accounts_check_department(store *st, const char *scope, const char *const *known, size_t nknown, lz_err *err)
{
    departments d = {.n = 0};
    strset_init(&d.seen);
    for (size_t i = 0; i < nknown; i++)
        if (known[i])
            department_add(&d, known[i], strlen(known[i]));
    store_query q = {.t = tables_find("chains")};
    int rc = store_scan(st, &q, add_chain_department, &d, err);
    bool found = false;
    for (size_t i = 0; i < d.n && !found; i++)
        found = strcmp(d.names[i], scope) == 0;
    if (rc == 0 && !found) {
        qsort(d.names, d.n, sizeof *d.names, by_name);
        strbuf list;
        strbuf_init(&list);
        for (size_t i = 0; i < d.n; i++)
            strbuf_printf(&list, "%s%s", i ? ", " : "", d.names[i]);
        rc = err_set(err, LZ_EINPUT,
                     "scope '%s': no such department; a bureau account is scoped to a department that a policy file "
                     "or a chain of the database names: %s",
                     scope, d.n ? list.data : "none known (load the chains or the policies first)");
        strbuf_free(&list);
    }
    free(d.names);
    strset_free(&d.seen);
    return rc;
}

/* libpwquality with its built-in defaults (not the machine's pwquality.conf, so that every
 * installation accepts the same passwords) and our minimum length: refuses dictionary words,
 * palindromes, sequences, too few kinds of characters and the account's name, saying which. */
int accounts_check_password(const char *name, const char *password, lz_err *err)
{
    if (strlen(password) < ACCOUNT_PASSWORD_MIN)
        return err_set(err, LZ_EINPUT, "password: at least %d characters", ACCOUNT_PASSWORD_MIN);
    pwquality_settings_t *pwq = pwquality_default_settings();
    if (!pwq)
        return err_set(err, LZ_EINTERNAL, "checking the password: out of memory");
    pwquality_set_int_value(pwq, PWQ_SETTING_MIN_LENGTH, ACCOUNT_PASSWORD_MIN);
    void *aux = NULL;
    int score = pwquality_check(pwq, password, NULL, name, &aux);
    pwquality_free_settings(pwq);
    if (score >= 0)
        return 0;
    bool no_dictionary = score == PWQ_ERROR_CRACKLIB_CHECK && aux && strstr(aux, "error loading");
    char why[PWQ_MAX_ERROR_MESSAGE_LEN];
    const char *text = pwquality_strerror(why, sizeof why, score, aux);
    if (no_dictionary)
        return err_set(err, LZ_EINTERNAL, "checking the password: cracklib's dictionary is missing (install cracklib-runtime)");
    return err_set(err, LZ_EINPUT, "password refused: %s; choose a longer one, not based on words, names or sequences", text);
}

/* Random text is refused now and then (cracklib calls one with many neighbouring characters one
 * apart "systematic", about one draw in 300), so a draw the check refuses is drawn again. */
int accounts_generate_password(const char *name, char out[ACCOUNT_GENERATED_PASSWORD_SIZE], lz_err *err)
{
    if (sodium_init() < 0)
        return err_set(err, LZ_EINTERNAL, "libsodium failed to initialise");
    lz_err why;
    for (int tries = 0; tries < 100; tries++) {
        unsigned char raw[15];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(out, ACCOUNT_GENERATED_PASSWORD_SIZE, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        sodium_memzero(raw, sizeof raw);
        int rc = accounts_check_password(name, out, &why);
        if (rc == 0)
            return 0;
        if (rc != LZ_EINPUT)
            return err_set(err, rc, "%s", why.msg);
    }
    return err_set(err, LZ_EINTERNAL, "no generated password passed the quality check in 100 draws");
}

static int hash_password(const char *name, const char *password, char out[crypto_pwhash_STRBYTES], lz_err *err)
{
    int rc = accounts_check_password(name, password, err);
    if (rc < 0)
        return rc;
    if (sodium_init() < 0)
        return err_set(err, LZ_EINTERNAL, "libsodium failed to initialise");
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return err_set(err, LZ_EINTERNAL, "hashing the password: out of memory");
    return 0;
}

/* ---- statements ------------------------------------------------------------------------------ */

static int step_write(store *st, sql_stmt *s, const char *what, lz_err *err)
{
    int rc = sql_step(s);
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, what);
}

/* Runs a write whose one parameter ?1 is the text value. */
static int write_one(store *st, const char *sql, const char *value, const char *what, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, value, -1);
    return step_write(st, s, what, err);
}

static int end_sessions(store *st, const char *name, lz_err *err)
{
    return write_one(st, "DELETE FROM sessions WHERE account = ?1", name, "ending sessions", err);
}

int accounts_add(store *st, const char *name, account_role role, const char *scope, const char *password, lz_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    int rc;
    if ((rc = accounts_check_name(name, err)) < 0 || (rc = accounts_check_scope(st, role, scope, err)) < 0 ||
        (rc = hash_password(name, password, hash, err)) < 0)
        return rc;
    sql_stmt *s = store_prepare(st,
                                "INSERT INTO accounts (name, role, scope, password_hash) VALUES (?1, ?2, ?3, ?4)"
                                " ON CONFLICT DO NOTHING",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, name, -1);
    sql_bind_text(s, 2, account_role_name(role), -1);
    sql_bind_text(s, 3, scope ? scope : "", -1);
    sql_bind_text(s, 4, hash, -1);
    if ((rc = step_write(st, s, "adding an account", err)) < 0)
        return rc;
    if (store_changes(st) == 0)
        return err_set(err, LZ_ECONFLICT, "account '%s' already exists", name);
    return 0;
}

/* Runs an UPDATE of one account bound as ?1 = name (and ?2 = value when given). */
static int update_account(store *st, const char *sql, const char *name, const char *text, int number, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, name, -1);
    if (text)
        sql_bind_text(s, 2, text, -1);
    else
        sql_bind_int(s, 2, number);
    int rc = step_write(st, s, "updating an account", err);
    if (rc < 0)
        return rc;
    if (store_changes(st) == 0)
        return err_set(err, LZ_ENOTFOUND, "no account '%s'", name);
    return end_sessions(st, name, err);
}

int accounts_set_password(store *st, const char *name, const char *password, lz_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    int rc = hash_password(name, password, hash, err);
    if (rc < 0)
        return rc;
    return update_account(st, "UPDATE accounts SET password_hash = ?2 WHERE name = ?1", name, hash, 0, err);
}

int accounts_set_disabled(store *st, const char *name, bool disabled, lz_err *err)
{
    return update_account(st, "UPDATE accounts SET disabled = ?2 WHERE name = ?1", name, NULL, disabled, err);
}

int accounts_set_lang(store *st, const char *name, const char *lang, lz_err *err)
{
    bool known = false;
    for (size_t i = 0; account_langs[i]; i++)
        known = known || strcmp(lang, account_langs[i]) == 0;
    if (!known)
        return err_set(err, LZ_EINPUT, "'%s' is not a language of the UI: zh-CN, zh-TW or en", lang);
    sql_stmt *s = store_prepare(st, "UPDATE accounts SET lang = ?2 WHERE name = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, name, -1);
    sql_bind_text(s, 2, lang, -1);
    int rc = step_write(st, s, "remembering an account's language", err);
    if (rc == 0 && store_changes(st) == 0)
        return err_set(err, LZ_ENOTFOUND, "no account '%s'", name);
    return rc;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* The columns every account read selects first, in the order read_account takes them. */
#define ACCOUNT_COLUMNS "a.name, a.role, a.scope, a.disabled, a.lang"
#define ACCOUNT_NCOLUMNS 5

/* Columns 0..ACCOUNT_NCOLUMNS-1 of s are ACCOUNT_COLUMNS. */
static void read_account(sql_stmt *s, account *out)
{
    copy_text(out->name, sizeof out->name, sql_column_text(s, 0));
    if (account_role_parse((const char *)sql_column_text(s, 1), &out->role) < 0)
        out->role = ROLE_ENTERPRISE; /* an unknown role in the file gets the narrowest rights */
    copy_text(out->scope, sizeof out->scope, sql_column_text(s, 2));
    out->disabled = sql_column_int(s, 3) != 0;
    copy_text(out->lang, sizeof out->lang, sql_column_text(s, 4));
}

int accounts_get(store *st, const char *name, account *out, bool *found, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "SELECT " ACCOUNT_COLUMNS " FROM accounts a WHERE a.name = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, name, -1);
    int rc = sql_step(s);
    *found = rc == SQL_ROW;
    if (*found)
        read_account(s, out);
    sql_reset(s);
    return rc == SQL_ROW || rc == SQL_DONE ? 0 : store_sql_error(st, err, "reading an account");
}

int accounts_list(store *st, account_fn fn, void *ctx, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "SELECT " ACCOUNT_COLUMNS " FROM accounts a ORDER BY a.name", err);
    if (!s)
        return LZ_EINTERNAL;
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        account a;
        read_account(s, &a);
        fn(ctx, &a);
    }
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "listing accounts");
}

/* A hash of a random password, made once, verified against when the account does not exist so
 * that an unknown name costs the same time as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static void make_dummy_hash(void)
{
    unsigned char pw[16];
    if (sodium_init() < 0)
        return;
    randombytes_buf(pw, sizeof pw);
    if (crypto_pwhash_str(dummy_hash, (const char *)pw, sizeof pw, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0'; /* out of memory: unknown names are then refused faster, never accepted */
}

int accounts_verify(store *st, const char *name, const char *password, account *out, bool *ok, lz_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_dummy_hash);
    *ok = false;
    sql_stmt *s = store_prepare(st, "SELECT " ACCOUNT_COLUMNS ", a.password_hash FROM accounts a WHERE a.name = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, name, -1);
    int rc = sql_step(s);
    char hash[crypto_pwhash_STRBYTES];
    bool known = rc == SQL_ROW;
    if (known) {
        read_account(s, out);
        copy_text(hash, sizeof hash, sql_column_text(s, ACCOUNT_NCOLUMNS));
    }
    int finished = store_read_finish(st, s, rc, err, "reading an account");
    if (finished < 0)
        return finished;
    bool match = crypto_pwhash_str_verify(known ? hash : dummy_hash, password, strlen(password)) == 0;
    *ok = known && match && !out->disabled;
    return 0;
}

/* ---- sessions -------------------------------------------------------------------------------- */

static void random_token(char out[SESSION_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, SESSION_TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Hex SHA-256 of the token: what the database keeps. */
static void token_hash(const char *token, char out[2 * crypto_hash_sha256_BYTES + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof h);
}

int accounts_session_create(store *st, const char *name, int64_t now_s, int64_t ttl_s, char token[SESSION_TOKEN_LEN + 1],
                            char csrf[SESSION_TOKEN_LEN + 1], lz_err *err)
{
    sql_stmt *purge = store_prepare(st, "DELETE FROM sessions WHERE expires <= ?1", err);
    if (!purge)
        return LZ_EINTERNAL;
    sql_bind_int64(purge, 1, now_s);
    int rc = step_write(st, purge, "purging expired sessions", err);
    if (rc < 0)
        return rc;
    random_token(token);
    random_token(csrf);
    char th[2 * crypto_hash_sha256_BYTES + 1];
    token_hash(token, th);
    sql_stmt *s =
        store_prepare(st, "INSERT INTO sessions (token_hash, account, csrf, created, expires) VALUES (?1, ?2, ?3, ?4, ?5)", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, th, -1);
    sql_bind_text(s, 2, name, -1);
    sql_bind_text(s, 3, csrf, -1);
    sql_bind_int64(s, 4, now_s);
    sql_bind_int64(s, 5, now_s + ttl_s);
    return step_write(st, s, "creating a session", err);
}

int accounts_session_lookup(store *st, const char *token, int64_t now_s, account *out, char csrf[SESSION_TOKEN_LEN + 1],
                            int64_t *expires_s, bool *found, lz_err *err)
{
    *found = false;
    if (strlen(token) != SESSION_TOKEN_LEN)
        return 0;
    char th[2 * crypto_hash_sha256_BYTES + 1];
    token_hash(token, th);
    sql_stmt *s = store_prepare(st,
                                "SELECT " ACCOUNT_COLUMNS ", s.csrf, s.expires FROM sessions s"
                                " JOIN accounts a ON a.name = s.account"
                                " WHERE s.token_hash = ?1 AND s.expires > ?2 AND a.disabled = 0",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, th, -1);
    sql_bind_int64(s, 2, now_s);
    int rc = sql_step(s);
    if (rc == SQL_ROW) {
        read_account(s, out);
        copy_text(csrf, SESSION_TOKEN_LEN + 1, sql_column_text(s, ACCOUNT_NCOLUMNS));
        *expires_s = sql_column_int64(s, ACCOUNT_NCOLUMNS + 1);
        *found = true;
    }
    sql_reset(s);
    return rc == SQL_ROW || rc == SQL_DONE ? 0 : store_sql_error(st, err, "reading a session");
}

int accounts_session_delete(store *st, const char *token, lz_err *err)
{
    char th[2 * crypto_hash_sha256_BYTES + 1];
    token_hash(token, th);
    return write_one(st, "DELETE FROM sessions WHERE token_hash = ?1", th, "ending a session", err);
}

/* ---- login throttle -------------------------------------------------------------------------- */

int accounts_throttle_check(store *st, const char *key, int64_t now_s, int limit, int64_t window_s, int64_t *retry_after_s,
                            lz_err *err)
{
    *retry_after_s = 0;
    sql_stmt *s = store_prepare(st, "SELECT failures, first_failure FROM login_throttle WHERE key = ?1", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, key, -1);
    int rc = sql_step(s);
    if (rc == SQL_ROW) {
        int64_t failures = sql_column_int64(s, 0), first = sql_column_int64(s, 1);
        if (failures >= limit && now_s < first + window_s)
            *retry_after_s = first + window_s - now_s;
    }
    sql_reset(s);
    return rc == SQL_ROW || rc == SQL_DONE ? 0 : store_sql_error(st, err, "reading the login throttle");
}

int accounts_throttle_fail(store *st, const char *key, int64_t now_s, int64_t window_s, lz_err *err)
{
    /* A failure after the window has passed starts a new window. */
    sql_stmt *s = store_prepare(st,
                                "INSERT INTO login_throttle (key, failures, first_failure) VALUES (?1, 1, ?2)"
                                " ON CONFLICT (key) DO UPDATE SET"
                                " failures = CASE WHEN login_throttle.first_failure + ?3 <= ?2 THEN 1"
                                "   ELSE login_throttle.failures + 1 END,"
                                " first_failure = CASE WHEN login_throttle.first_failure + ?3 <= ?2 THEN ?2"
                                "   ELSE login_throttle.first_failure END",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_text(s, 1, key, -1);
    sql_bind_int64(s, 2, now_s);
    sql_bind_int64(s, 3, window_s);
    return step_write(st, s, "recording a failed login", err);
}

int accounts_throttle_release(store *st, const char *key, lz_err *err)
{
    return write_one(st, "UPDATE login_throttle SET failures = failures - 1 WHERE key = ?1 AND failures > 0", key,
                     "releasing a sign-in attempt", err);
}

int accounts_throttle_clear(store *st, const char *key, lz_err *err)
{
    return write_one(st, "DELETE FROM login_throttle WHERE key = ?1", key, "clearing the login throttle", err);
}

int accounts_unlock(store *st, const char *name, lz_err *err)
{
    account a;
    bool found = false;
    int rc = accounts_get(st, name, &a, &found, err);
    if (rc < 0)
        return rc;
    if (!found)
        return err_set(err, LZ_ENOTFOUND, "no account '%s'", name);
    char key[ACCOUNT_NAME_MAX + 16];
    snprintf(key, sizeof key, "account:%s", name);
    return accounts_throttle_clear(st, key, err);
}
