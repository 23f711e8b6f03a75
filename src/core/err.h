/*
 * err — how errors travel in Lianzhang.
 *
 * Library code never prints and never exits. A function that can fail returns an int (0 on
 * success, negative on failure) and writes a message a user can act on into an `lz_err` the caller
 * passes (may be NULL when the caller does not care). A message names the place (FILE:LINE,
 * the column or JSON field) and what was expected.
 *
 * `errlist` collects many messages (one per bad row of an import), keeping the first `limit`
 * and counting the rest, so that one run reports every problem instead of the first one.
 */
#ifndef LZ_ERR_H
#define LZ_ERR_H

#include <stddef.h>

enum {
    LZ_OK = 0,
    LZ_EINPUT = -1,    /* bad input: the user can fix it */
    LZ_ENOTFOUND = -2, /* the thing named does not exist */
    LZ_ECONFLICT = -3, /* a state transition or uniqueness rule refused */
    LZ_EDENIED = -4,   /* not allowed for this account */
    LZ_EINTERNAL = -5, /* storage, memory or a bug: not the user's fault */
    LZ_EBUSY = -6      /* another writer holds the database longer than we wait: try again later */
};

typedef struct lz_err {
    int code;
    char msg[1024];
} lz_err;

/* Formats a message into err (if non-NULL) and returns code, so `return err_set(...)` reads well. */
int err_set(lz_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prepends "prefix: " to an existing message (adds the outer context: a file name, a field). */
int err_wrap(lz_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(lz_err *err);

typedef struct errlist {
    char **items; /* owned; the first `limit` messages in arrival order */
    size_t count; /* messages kept */
    size_t total; /* messages reported, kept or not */
    size_t limit;
} errlist;

void errlist_init(errlist *l, size_t limit);
void errlist_add(errlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void errlist_free(errlist *l);

/* Allocation that aborts on out-of-memory: the one place the program may stop for it. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
