/*
 * accounts — who may use the server: accounts with a role and a scope, their sessions, and the
 * login throttle. Schema migration 4 creates these tables beside the data tables.
 *
 * Passwords never leave this module as text: they are hashed here with Argon2id (libsodium) and
 * only the hash is stored. Session tokens are random; the database keeps only their SHA-256, so a
 * copy of the database file does not let anyone sign in. Every function runs on the caller's
 * connection; writes must run inside the caller's transaction (store_begin) so that the audit
 * entry the caller appends commits with them.
 */
#ifndef LZ_ACCOUNTS_H
#define LZ_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

typedef enum account_role {
    ROLE_ADMIN,      /* everything, including accounts */
    ROLE_BUREAU,     /* a municipal department: scope = department name (`user add` checks it against the policy
                        files and chains.lead_department, which live above this layer) */
    ROLE_CHAIN,      /* a chain leader or task-force member: scope = chain code */
    ROLE_DIVISION,   /* a district or county-level city: scope = division code */
    ROLE_ENTERPRISE, /* one enterprise: scope = its USCC */
    ROLE_COUNT
} account_role;

#define ACCOUNT_NAME_MAX 64
#define ACCOUNT_SCOPE_MAX 64
#define ACCOUNT_PASSWORD_MIN 10
#define ACCOUNT_LANG_MAX 5
#define SESSION_TOKEN_LEN 43 /* base64url of 32 random bytes, without padding */

typedef struct account {
    char name[ACCOUNT_NAME_MAX + 1];
    account_role role;
    char scope[ACCOUNT_SCOPE_MAX + 1]; /* "" for admin */
    bool disabled;
    char lang[ACCOUNT_LANG_MAX + 1]; /* the UI language the account chose: zh-CN, zh-TW or en; "" none yet */
} account;

const char *account_role_name(account_role r);
/* Returns 0 and the role, or -1 when s names no role. */
int account_role_parse(const char *s, account_role *out);

/* Checks the name (1..64 of [A-Za-z0-9._@-]), the scope against the role (a chain, division or
 * enterprise that exists) and the password, hashes the password and inserts the account.
 * LZ_ECONFLICT when the name is taken.
 *
 * A password (here and in accounts_set_password) has at least ACCOUNT_PASSWORD_MIN characters
 * and passes libpwquality's checks (dictionary words, palindromes, sequences, the account's
 * name, too few kinds of characters); LZ_EINPUT says which check refused it. */
int accounts_add(store *st, const char *name, account_role role, const char *scope, const char *password, lz_err *err);
/* accounts_add's checks one by one, for a caller that names the field at fault (the API): the
 * name; the scope against the role; the password's quality for that name. LZ_EINPUT says why. */
int accounts_check_name(const char *name, lz_err *err);
int accounts_check_scope(store *st, account_role role, const char *scope, lz_err *err);
int accounts_check_password(const char *name, const char *password, lz_err *err);
/* A bureau's scope must name a department: one of known[0..nknown) (the departments the policy
 * files declare, which live above this layer; NULL entries skipped) or a chain's lead_department.
 * An account scoped to a typo (市工信 for 市工信局) would see nothing. LZ_EINPUT lists the known. */
int accounts_check_department(store *st, const char *scope, const char *const *known, size_t nknown, lz_err *err);
/* A random password (20 characters of base64url, 120 bits) that the quality check accepts for
 * the account `name`, written into out. */
#define ACCOUNT_GENERATED_PASSWORD_SIZE 32
int accounts_generate_password(const char *name, char out[ACCOUNT_GENERATED_PASSWORD_SIZE], lz_err *err);
/* New password; every session of the account ends. */
int accounts_set_password(store *st, const char *name, const char *password, lz_err *err);
/* Disabling also ends every session of the account. */
int accounts_set_disabled(store *st, const char *name, bool disabled, lz_err *err);
/* Remembers the UI language of account name (zh-CN, zh-TW or en; anything else is LZ_EINPUT).
 * Sessions go on: a preference is not a credential. */
int accounts_set_lang(store *st, const char *name, const char *lang, lz_err *err);
int accounts_get(store *st, const char *name, account *out, bool *found, lz_err *err);
typedef void (*account_fn)(void *ctx, const account *a);
int accounts_list(store *st, account_fn fn, void *ctx, lz_err *err);
/* Checks a password. *ok is false for an unknown, disabled or wrong account, after the same
 * hashing work in every case, so the answer's timing does not tell which. */
int accounts_verify(store *st, const char *name, const char *password, account *out, bool *ok, lz_err *err);

/* ---- sessions ---- */

/* Creates a session for name lasting ttl_s seconds from now_s. token and csrf receive
 * NUL-terminated random strings (the token goes to the cookie, csrf to the client). */
int accounts_session_create(store *st, const char *name, int64_t now_s, int64_t ttl_s, char token[SESSION_TOKEN_LEN + 1],
                            char csrf[SESSION_TOKEN_LEN + 1], lz_err *err);
/* The account behind a live token (not expired, account not disabled), its CSRF token and when
 * the session expires. *found is false otherwise. Read-only. */
int accounts_session_lookup(store *st, const char *token, int64_t now_s, account *out, char csrf[SESSION_TOKEN_LEN + 1],
                            int64_t *expires_s, bool *found, lz_err *err);
int accounts_session_delete(store *st, const char *token, lz_err *err);

/* ---- login throttle ---- */

/* A key is "account:NAME" or "address:IP". After `limit` failures within window_s the key is
 * refused until window_s after its first failure: *retry_after_s > 0 says how long. */
int accounts_throttle_check(store *st, const char *key, int64_t now_s, int limit, int64_t window_s, int64_t *retry_after_s,
                            lz_err *err);
/* Counts one failure (or one attempt taken in advance: check and count in one write transaction,
 * so parallel attempts cannot all pass the check). */
int accounts_throttle_fail(store *st, const char *key, int64_t now_s, int64_t window_s, lz_err *err);
/* Gives back one attempt counted in advance that succeeded. */
int accounts_throttle_release(store *st, const char *key, lz_err *err);
int accounts_throttle_clear(store *st, const char *key, lz_err *err);
/* Lifts the sign-in throttle of account name (its "account:NAME" key): an admin's answer to a
 * person locked out by failed attempts. LZ_ENOTFOUND when there is no such account. */
int accounts_unlock(store *st, const char *name, lz_err *err);

#endif
