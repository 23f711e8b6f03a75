/*
 * audit — the tamper-evident log of every write.
 *
 * Every write, from the API or the CLI, appends one entry: who (account name, or "cli:<os user>"),
 * when (UTC, ISO 8601), through what (route or command), the table and key touched, and the row
 * before and after as JSON (NULL for a create or a delete). Each entry stores the SHA-256 of its
 * own content chained with the previous entry's hash, so editing, removing or reordering any entry
 * breaks the chain, and a truncated log is caught against a head hash kept elsewhere.
 * The append must run inside the caller's write transaction, so the log and the change commit together.
 */
#ifndef LZ_AUDIT_H
#define LZ_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "store/store.h"

#define AUDIT_HASH_HEX 65 /* 64 hex digits + NUL */

typedef struct audit_entry {
    const char *actor;  /* who */
    const char *via;    /* "POST /api/v1/enterprises" or "import enterprises enterprises.csv" */
    const char *target; /* "enterprises/91440700MA4UXXXX0X", or a table name for bulk operations */
    const char *before; /* JSON or NULL */
    const char *after;  /* JSON or NULL */
} audit_entry;

int audit_append(store *st, const audit_entry *e, lz_err *err);

/* Which entries audit_list reads: each set member narrows (all ANDed). since and until are dates
 * (YYYY-MM-DD, until inclusive); a page continues before (newest first) or after (oldest first)
 * the sequence number `from`, 0 to start; limit 0 is no limit. */
typedef struct audit_filter {
    const char *actor, *target, *since, *until;
    bool oldest_first;
    int64_t from;
    size_t limit;
} audit_filter;

/* One entry as read: its strings are borrowed from the driver for the callback only. */
typedef struct audit_row {
    int64_t seq;
    const char *at;
    audit_entry e;
} audit_row;

/* Called per entry; non-zero stops early (not an error). */
typedef int (*audit_row_fn)(void *ctx, const audit_row *r);
int audit_list(store *st, const audit_filter *f, audit_row_fn fn, void *ctx, lz_err *err);
/* The first entry after sequence number `seq` that may have changed what a computation read:
 * any but a sign-in or sign-out (target "sessions") and an account's own change ("accounts/NAME").
 * fn is called with it, or not at all when there is none. */
int audit_first_change_after(store *st, int64_t seq, audit_row_fn fn, void *ctx, lz_err *err);
/* The latest entry's hash (the all-zero hash for an empty log) and the entry count. */
int audit_head(store *st, char hash[AUDIT_HASH_HEX], int64_t *count, lz_err *err);
/* Walks the whole chain. On success *bad_seq is 0; otherwise it names the first entry whose hash or
 * link does not match, and report says what is wrong. expected_head (may be NULL) must be the hash
 * of some entry, else the log was truncated after it was taken. Returns 0 when the walk could run. */
int audit_verify(store *st, const char *expected_head, int64_t *bad_seq, strbuf *report, lz_err *err);

#endif
