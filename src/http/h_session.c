/*
 * h_session — signing in and out; an admin's accounts (list, create, disable and enable, unlock).
 *
 * POST /api/v1/session {"name", "password"} answers 200 with the session cookie (HttpOnly,
 * SameSite=Strict, Secure under TLS) and {"csrf": TOKEN}; writes must send that token back as
 * X-CSRF-Token. Failed sign-ins are counted per account and per client address (an IPv6 address
 * by its /64 network, which its owner can rotate through); past the limit
 * the answer is 429 with Retry-After, whether the password is right or not, so guessing stops.
 * An attempt is checked and counted as a failure in one write transaction before the password
 * check (Argon2id, deliberately slow, outside the write lock), and given back when it succeeds:
 * parallel attempts cannot all pass the check before any of them is counted.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/handlers.h"
#include "http/request.h"
#include "policy/policy.h"
#include "store/audit.h"

#define SESSION_TTL_S (8 * 3600)
#define THROTTLE_WINDOW_S (15 * 60)
#define THROTTLE_PER_ACCOUNT 5
#define THROTTLE_PER_ADDRESS 20

static json_t *account_json(const account *a)
{
    return json_pack("{s:s, s:s, s:s, s:o}", "name", a->name, "role", account_role_name(a->role), "scope", a->scope, "lang",
                     *a->lang ? json_string(a->lang) : json_null());
}

static void set_cookie(http_req *rq, http_resp *rs, const char *token, int max_age)
{
    http_header_add(rs, "Set-Cookie",
                    arena_printf(rq->a, "lz_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token, max_age,
                                 rq->tls ? "; Secure" : ""));
}

/* Takes one attempt: *retry is the seconds until the account or the address may try again (0:
 * it may now, and the attempt is counted as a failure until open_session gives it back). */
static int take_attempt(http_req *rq, const char *akey, const char *ikey, int64_t now, int64_t *retry, lz_err *err)
{
    int64_t r1, r2;
    if (store_begin(rq->st, err) < 0 ||
        accounts_throttle_check(rq->st, akey, now, THROTTLE_PER_ACCOUNT, THROTTLE_WINDOW_S, &r1, err) < 0 ||
        accounts_throttle_check(rq->st, ikey, now, THROTTLE_PER_ADDRESS, THROTTLE_WINDOW_S, &r2, err) < 0)
        return LZ_EINTERNAL;
    *retry = r1 > r2 ? r1 : r2;
    if (*retry == 0 && (accounts_throttle_fail(rq->st, akey, now, THROTTLE_WINDOW_S, err) < 0 ||
                        accounts_throttle_fail(rq->st, ikey, now, THROTTLE_WINDOW_S, err) < 0))
        return LZ_EINTERNAL;
    return store_commit(rq->st, err);
}

static int open_session(http_req *rq, const account *a, const char *akey, const char *ikey, int64_t now, char *token, char *csrf,
                        lz_err *err)
{
    const char *after = http_json_text(rq->a, json_pack("{s:s, s:s}", "account", a->name, "address", rq->address));
    audit_entry e = {.actor = a->name, .via = "POST /api/v1/session", .target = "sessions", .after = after};
    if (store_begin(rq->st, err) < 0 || accounts_throttle_clear(rq->st, akey, err) < 0 ||
        accounts_throttle_release(rq->st, ikey, err) < 0 ||
        accounts_session_create(rq->st, a->name, now, SESSION_TTL_S, token, csrf, err) < 0 || audit_append(rq->st, &e, err) < 0)
        return LZ_EINTERNAL;
    return store_commit(rq->st, err);
}

/* Opens a session for a and answers as a sign-in does: the cookie, the CSRF token, the account. */
static int signed_in(http_req *rq, http_resp *rs, const account *a, const char *akey, const char *ikey, int64_t now, lz_err *err)
{
    char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1];
    if (open_session(rq, a, akey, ikey, now, token, csrf, err) < 0)
        return -1;
    set_cookie(rq, rs, token, SESSION_TTL_S);
    http_json(rs, 200,
              json_pack("{s:s, s:o, s:I}", "csrf", csrf, "account", account_json(a), "expires_in", (json_int_t)SESSION_TTL_S));
    return 0;
}

/* The body's two required string members (fields, NULL-terminated); NULL with rs filled, else
 * the body, which owns the strings and which the caller frees. */
static json_t *string_pair(http_req *rq, http_resp *rs, const char *const *fields, const char **first, const char **second)
{
    json_t *body = http_body_object(rq, rs);
    if (!body)
        return NULL;
    bool bad = false;
    *first = *second = NULL;
    if (http_only_fields(body, fields, rs) == 0) {
        *first = http_string_field(body, fields[0], true, rs, &bad);
        if (!bad)
            *second = http_string_field(body, fields[1], true, rs, &bad);
    }
    if (!*first || !*second) {
        json_decref(body);
        return NULL;
    }
    return body;
}

/* Takes one attempt at account name's password from this address: 1 to go on, 0 when the
 * throttle refuses it (rs filled: 429), -1 on a store error (err). Keys go to akey and ikey. */
static int attempt(http_req *rq, http_resp *rs, const char *name, int64_t now, const char **akey, const char **ikey, lz_err *err)
{
    char net[REQUEST_THROTTLE_KEY_LEN];
    request_throttle_key(rq->address, net);
    *akey = arena_printf(rq->a, "account:%s", name);
    *ikey = arena_printf(rq->a, "address:%s", net);
    int64_t retry = 0;
    if (take_attempt(rq, *akey, *ikey, now, &retry, err) < 0)
        return -1;
    if (retry == 0)
        return 1;
    http_header_add(rs, "Retry-After", arena_printf(rq->a, "%lld", (long long)retry));
    http_problem(rs, 429, NULL, "too many failed attempts for this account or address; wait and try again");
    return 0;
}

enum { ATTEMPT_ANSWERED, ATTEMPT_WRONG, ATTEMPT_RIGHT };

/* One throttled check of name's password: counted before the slow hash (attempt), then verified.
 * ATTEMPT_ANSWERED when the throttle already answered; negative on a store error. */
static int verified_attempt(http_req *rq, http_resp *rs, const char *name, const char *password, int64_t now, account *a,
                            const char **akey, const char **ikey, lz_err *err)
{
    int go = attempt(rq, rs, name, now, akey, ikey, err);
    if (go <= 0)
        return go < 0 ? go : ATTEMPT_ANSWERED;
    bool ok = false;
    int rc = accounts_verify(rq->st, name, password, a, &ok, err);
    if (rc < 0)
        return rc;
    return ok ? ATTEMPT_RIGHT : ATTEMPT_WRONG;
}

void h_session_create(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"name", "password", NULL};
    const char *name, *password, *akey, *ikey;
    json_t *body = string_pair(rq, rs, fields, &name, &password);
    if (!body)
        return;
    if (strlen(name) > ACCOUNT_NAME_MAX) {
        http_bad_field(rs, "name", "no such account");
        json_decref(body);
        return;
    }
    lz_err err = {0};
    int64_t now = (int64_t)time(NULL);
    account a;
    int go = verified_attempt(rq, rs, name, password, now, &a, &akey, &ikey, &err);
    if (go < 0)
        goto fail;
    if (go == ATTEMPT_ANSWERED)
        goto done;
    if (go == ATTEMPT_WRONG) {
        http_problem(rs, 401, NULL, "wrong name or password, or the account is disabled");
        goto done;
    }
    if (signed_in(rq, rs, &a, akey, ikey, now, &err) < 0)
        goto fail;
    goto done;
fail:
    store_rollback(rq->st);
    http_fail(rs, &err);
done:
    json_decref(body);
}

/* Answers account a of this session with the session's CSRF token. */
static void session_answer(http_req *rq, http_resp *rs, const account *a)
{
    json_t *out = account_json(a);
    json_object_set_new(out, "csrf", json_string(rq->csrf));
    http_json(rs, 200, out);
}

void h_session_get(http_req *rq, http_resp *rs)
{
    session_answer(rq, rs, rq->who);
}

void h_session_delete(http_req *rq, http_resp *rs)
{
    lz_err err = {0};
    audit_entry e = {.actor = rq->who->name,
                     .via = "DELETE /api/v1/session",
                     .target = "sessions",
                     .before = http_json_text(rq->a, json_pack("{s:s}", "account", rq->who->name))};
    if (store_begin(rq->st, &err) < 0 || accounts_session_delete(rq->st, rq->session_token, &err) < 0 ||
        audit_append(rq->st, &e, &err) < 0 || store_commit(rq->st, &err) < 0) {
        store_rollback(rq->st);
        http_fail(rs, &err);
        return;
    }
    set_cookie(rq, rs, "", 0);
    http_no_content(rs);
}

/* Remembers the UI language the account chose ({"lang": "zh-TW"}), so that it follows the account
 * to another browser. A preference, not data: it is not audited and no session ends. */
void h_session_lang(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"lang", NULL};
    json_t *body = http_body_object(rq, rs);
    if (!body)
        return;
    bool bad = false;
    const char *lang = http_only_fields(body, fields, rs) == 0 ? http_string_field(body, "lang", true, rs, &bad) : NULL;
    lz_err err = {0};
    if (lang && accounts_set_lang(rq->st, rq->who->name, lang, &err) < 0) {
        if (err.code == LZ_EINPUT)
            http_bad_field(rs, "lang", "%s", err.msg);
        else
            http_fail(rs, &err);
    } else if (lang) {
        account a = *rq->who;
        snprintf(a.lang, sizeof a.lang, "%s", lang);
        session_answer(rq, rs, &a);
    }
    json_decref(body);
}

/* Writes the new password with its audit entry (the hash never appears in the log): every
 * session of the account ends, this one included; the caller opens a fresh one. */
static int change_password(http_req *rq, const char *password, lz_err *err)
{
    audit_entry e = {.actor = rq->who->name,
                     .via = "POST /api/v1/session/password",
                     .target = arena_printf(rq->a, "accounts/%s", rq->who->name),
                     .after = http_json_text(rq->a, json_pack("{s:s, s:s}", "account", rq->who->name, "password", "changed"))};
    if (store_begin(rq->st, err) < 0 || accounts_set_password(rq->st, rq->who->name, password, err) < 0 ||
        audit_append(rq->st, &e, err) < 0)
        return err->code;
    return store_commit(rq->st, err);
}

void h_session_password(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"current", "new", NULL};
    const char *current, *password, *akey, *ikey;
    json_t *body = string_pair(rq, rs, fields, &current, &password);
    if (!body)
        return;
    lz_err err = {0};
    int64_t now = (int64_t)time(NULL);
    account a;
    /* the current password is guessed no faster here than at sign-in */
    int go = verified_attempt(rq, rs, rq->who->name, current, now, &a, &akey, &ikey, &err);
    if (go < 0)
        goto fail;
    if (go == ATTEMPT_ANSWERED)
        goto done;
    if (go == ATTEMPT_WRONG) {
        http_bad_field(rs, "current", "not the account's password");
        goto done;
    }
    int rc = change_password(rq, password, &err);
    if (rc == LZ_EINPUT) {
        store_rollback(rq->st);
        http_bad_field(rs, "new", "%s", err.msg);
        goto done;
    }
    if (rc < 0 || signed_in(rq, rs, &a, akey, ikey, now, &err) < 0)
        goto fail;
    goto done;
fail:
    store_rollback(rq->st);
    http_fail(rs, &err);
done:
    json_decref(body);
}

static void add_account(void *ctx, const account *a)
{
    json_t *row = account_json(a);
    json_object_set_new(row, "disabled", json_boolean(a->disabled));
    json_array_append_new(ctx, row);
}

/* Every account with its role, scope and whether it is disabled (admin): never a password or a
 * session. */
void h_accounts_list(http_req *rq, http_resp *rs)
{
    if (rq->who->role != ROLE_ADMIN) {
        http_forbidden(rs, "an admin lists accounts");
        return;
    }
    lz_err err = {0};
    json_t *items = json_array();
    if (accounts_list(rq->st, add_account, items, &err) < 0) {
        json_decref(items);
        http_fail(rs, &err);
        return;
    }
    http_json(rs, 200, json_pack("{s:o}", "items", items));
}

void h_account_unlock(http_req *rq, http_resp *rs)
{
    if (rq->who->role != ROLE_ADMIN) {
        http_forbidden(rs, "an admin unlocks accounts");
        return;
    }
    const char *name = rq->params[0];
    lz_err err = {0};
    audit_entry e = {.actor = rq->who->name,
                     .via = "POST /api/v1/accounts/{name}/unlock",
                     .target = arena_printf(rq->a, "accounts/%s", name),
                     .after = http_json_text(rq->a, json_pack("{s:s, s:s}", "account", name, "throttle", "lifted"))};
    if (strlen(name) > ACCOUNT_NAME_MAX) {
        http_not_found(rs, "accounts");
        return;
    }
    if (store_begin(rq->st, &err) < 0 || accounts_unlock(rq->st, name, &err) < 0 || audit_append(rq->st, &e, &err) < 0 ||
        store_commit(rq->st, &err) < 0) {
        store_rollback(rq->st);
        if (err.code == LZ_ENOTFOUND)
            http_not_found(rs, "accounts");
        else
            http_fail(rs, &err);
        return;
    }
    http_no_content(rs);
}

/* ---- creating an account --------------------------------------------------------------------- */

/* A string member of the body: NULL when absent (a field error when required) or not a string. */
static const char *body_string(json_t *body, const char *name, bool required, json_t *errors)
{
    json_t *v = json_object_get(body, name);
    if (v && json_is_string(v))
        return json_string_value(v);
    if (v && !json_is_null(v))
        http_field_error(errors, name, "expected a string");
    else if (required)
        http_field_error(errors, name, "required");
    return NULL;
}

/* A bureau's scope: a department a loaded policy declares or a chain of the database leads. */
static int check_department(http_req *rq, const char *scope, lz_err *err)
{
    size_t n = rq->policies ? policy_set_count(rq->policies) : 0;
    const char **known = xcalloc(n + 1, sizeof *known);
    for (size_t i = 0; i < n; i++) {
        policy_info in;
        policy_describe(policy_set_at(rq->policies, i), &in);
        known[i] = in.department;
    }
    int rc = accounts_check_department(rq->st, scope, known, n, err);
    free(known);
    return rc;
}

/* Records one field's failed check in errors; a failure that is not the input's is kept in fatal. */
static void field_check(int rc, const lz_err *why, const char *field, json_t *errors, lz_err *fatal)
{
    if (rc == LZ_EINPUT)
        http_field_error(errors, field, why->msg);
    else if (rc < 0 && fatal->code == 0)
        *fatal = *why;
}

/* The checks of `lianzhang user add` (store/accounts.c), each naming its field; a taken name too. */
static void check_new_account(http_req *rq, const char *name, const char *role_text, const char *scope, const char *password,
                              json_t *errors, bool *taken, lz_err *fatal)
{
    lz_err why = {0};
    account_role role = ROLE_COUNT;
    if (name) {
        account old;
        int rc = accounts_check_name(name, &why);
        if (rc == 0 && (rc = accounts_get(rq->st, name, &old, taken, &why)) == 0 && *taken)
            http_field_error(errors, "name", arena_printf(rq->a, "account '%s' already exists", name));
        field_check(rc, &why, "name", errors, fatal);
    }
    if (role_text && account_role_parse(role_text, &role) < 0)
        http_field_error(errors, "role", "one of admin, bureau, chain, division, enterprise");
    if (role != ROLE_COUNT) {
        int rc = accounts_check_scope(rq->st, role, scope, &why);
        if (rc == 0 && role == ROLE_BUREAU)
            rc = check_department(rq, scope, &why);
        field_check(rc, &why, "scope", errors, fatal);
    }
    if (password)
        field_check(accounts_check_password(name ? name : "", password, &why), &why, "password", errors, fatal);
}

static int add_account_audited(http_req *rq, const char *name, account_role role, const char *scope, const char *password,
                               lz_err *err)
{
    json_t *after = json_pack("{s:s, s:s, s:s, s:b}", "name", name, "role", account_role_name(role), "scope", scope ? scope : "",
                              "disabled", 0);
    audit_entry e = {.actor = rq->who->name,
                     .via = "POST /api/v1/accounts",
                     .target = arena_printf(rq->a, "accounts/%s", name),
                     .after = http_json_text(rq->a, after)};
    if (store_begin(rq->st, err) < 0 || accounts_add(rq->st, name, role, scope, password, err) < 0 ||
        audit_append(rq->st, &e, err) < 0 || store_commit(rq->st, err) < 0) {
        store_rollback(rq->st);
        return err->code;
    }
    return 0;
}

/* POST /api/v1/accounts {name, role, scope, password} (admin): what `lianzhang user add` does,
 * with the same checks, each fault named by its field (a taken name: 409); audited like it, without
 * the password. */
void h_account_create(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"name", "role", "scope", "password", NULL};
    if (rq->who->role != ROLE_ADMIN) {
        http_forbidden(rs, "an admin creates accounts");
        return;
    }
    json_t *body = http_body_object(rq, rs), *errors = json_array();
    if (!body || http_only_fields(body, fields, rs) < 0)
        goto done;
    const char *name = body_string(body, "name", true, errors), *role_text = body_string(body, "role", true, errors);
    const char *scope = body_string(body, "scope", false, errors), *password = body_string(body, "password", true, errors);
    scope = scope && *scope ? scope : NULL;
    bool taken = false;
    lz_err err = {0};
    check_new_account(rq, name, role_text, scope, password, errors, &taken, &err);
    if (err.code) {
        http_fail(rs, &err);
    } else if (json_array_size(errors) > 0) {
        http_problem_fields(rs, taken && json_array_size(errors) == 1 ? 409 : 400, "the account was not created", errors);
        errors = NULL;
    } else {
        account_role role;
        account_role_parse(role_text, &role);
        if (add_account_audited(rq, name, role, scope, password, &err) < 0) {
            http_fail(rs, &err);
        } else {
            account a = {.role = role};
            snprintf(a.name, sizeof a.name, "%s", name);
            snprintf(a.scope, sizeof a.scope, "%s", scope ? scope : "");
            json_t *row = account_json(&a);
            json_object_set_new(row, "disabled", json_false());
            http_json(rs, 201, row);
        }
    }
done:
    json_decref(errors);
    json_decref(body);
}

/* ---- disabling and enabling ------------------------------------------------------------------ */

static json_t *account_state(const account *a)
{
    return json_pack("{s:s, s:s, s:s, s:b}", "name", a->name, "role", account_role_name(a->role), "scope", a->scope, "disabled",
                     a->disabled);
}

/* Sets the account of the path disabled or enabled, audited with its state before and after, as
 * `lianzhang user disable|enable` does; either ends its sessions. */
static int set_disabled(http_req *rq, const char *name, bool disabled, account *after, bool *found, lz_err *err)
{
    account before;
    audit_entry e = {.actor = rq->who->name,
                     .via = arena_printf(rq->a, "POST /api/v1/accounts/{name}/%s", disabled ? "disable" : "enable"),
                     .target = arena_printf(rq->a, "accounts/%s", name)};
    if (store_begin(rq->st, err) < 0 || accounts_get(rq->st, name, &before, found, err) < 0)
        goto fail;
    if (!*found) {
        store_rollback(rq->st);
        return 0;
    }
    if (accounts_set_disabled(rq->st, name, disabled, err) < 0 || accounts_get(rq->st, name, after, found, err) < 0)
        goto fail;
    e.before = http_json_text(rq->a, account_state(&before));
    e.after = http_json_text(rq->a, account_state(after));
    if (audit_append(rq->st, &e, err) < 0 || store_commit(rq->st, err) < 0)
        goto fail;
    return 0;
fail:
    store_rollback(rq->st);
    return err->code;
}

/* POST /api/v1/accounts/{name}/disable and /enable (admin). An admin does not disable itself: the
 * last admin would lock everyone out of the administration. */
static void account_disabled(http_req *rq, http_resp *rs, bool disabled)
{
    if (rq->who->role != ROLE_ADMIN) {
        http_forbidden(rs, "an admin disables and enables accounts");
        return;
    }
    const char *name = rq->params[0];
    if (strlen(name) > ACCOUNT_NAME_MAX) {
        http_not_found(rs, "accounts");
        return;
    }
    if (disabled && strcmp(name, rq->who->name) == 0) {
        http_problem(rs, 409, NULL, "an admin does not disable its own account (another admin can)");
        return;
    }
    account a;
    bool found = false;
    lz_err err = {0};
    if (set_disabled(rq, name, disabled, &a, &found, &err) < 0) {
        http_fail(rs, &err);
    } else if (!found) {
        http_not_found(rs, "accounts");
    } else {
        json_t *row = account_json(&a);
        json_object_set_new(row, "disabled", json_boolean(a.disabled));
        http_json(rs, 200, row);
    }
}

void h_account_disable(http_req *rq, http_resp *rs)
{
    account_disabled(rq, rs, true);
}

void h_account_enable(http_req *rq, http_resp *rs)
{
    account_disabled(rq, rs, false);
}

/* ---- another account's password ----------------------------------------------------------------- */

/* Sets name's password (its sessions end with it), audited without the password, as `lianzhang
 * user passwd` does. */
static int reset_password_audited(http_req *rq, const char *name, const char *password, bool generated, lz_err *err)
{
    audit_entry e = {
        .actor = rq->who->name,
        .via = "POST /api/v1/accounts/{name}/password",
        .target = arena_printf(rq->a, "accounts/%s", name),
        .after = http_json_text(rq->a, json_pack("{s:s, s:s, s:b}", "account", name, "password", "reset", "generated", generated))};
    if (store_begin(rq->st, err) < 0 || accounts_set_password(rq->st, name, password, err) < 0 ||
        audit_append(rq->st, &e, err) < 0 || store_commit(rq->st, err) < 0) {
        store_rollback(rq->st);
        return err->code;
    }
    return 0;
}

/* POST /api/v1/accounts/{name}/password (admin) {password} or {}: a new password for another
 * account, the one given (checked like any, refused by its field) or, without one, a generated
 * one answered this once; the account's sessions end. An admin changes its own with its current
 * password (POST /session/password): a session alone must not be enough to take an account. */
void h_account_password(http_req *rq, http_resp *rs)
{
    static const char *const fields[] = {"password", NULL};
    if (rq->who->role != ROLE_ADMIN) {
        http_forbidden(rs, "an admin resets another account's password");
        return;
    }
    const char *name = rq->params[0];
    account a;
    bool found = false;
    lz_err err = {0};
    if (strlen(name) > ACCOUNT_NAME_MAX || (accounts_get(rq->st, name, &a, &found, &err) == 0 && !found)) {
        http_not_found(rs, "accounts");
        return;
    }
    if (err.code) {
        http_fail(rs, &err);
        return;
    }
    if (strcmp(name, rq->who->name) == 0) {
        http_problem(rs, 409, NULL, "change your own password with your current one (POST /api/v1/session/password)");
        return;
    }
    json_t *body = http_body_object(rq, rs), *errors = json_array();
    if (!body || http_only_fields(body, fields, rs) < 0)
        goto done;
    const char *given = body_string(body, "password", false, errors);
    char generated[ACCOUNT_GENERATED_PASSWORD_SIZE] = "";
    lz_err why = {0};
    int rc = given ? accounts_check_password(name, given, &why) : accounts_generate_password(name, generated, &why);
    field_check(rc, &why, "password", errors, &err);
    if (json_array_size(errors) > 0) {
        http_problem_fields(rs, 400, "the password was not changed", errors);
        errors = NULL;
    } else if (err.code || reset_password_audited(rq, name, given ? given : generated, !given, &err) < 0) {
        http_fail(rs, &err);
    } else {
        http_json(rs, 200,
                  json_pack("{s:s, s:b, s:o}", "name", name, "generated", !given, "password",
                            given ? json_null() : json_string(generated)));
    }
    sodium_memzero(generated, sizeof generated);
done:
    json_decref(errors);
    json_decref(body);
}
