/*
 * err — how errors travel in Lianzhang.
 *
 * Library code never prints and never exits. A function that can fail returns an int (0 on
 * success, negative on failure) and writes a message a user can act on into an `lz_err` the caller
 * passes (may be NULL when the caller does not care). A message names the place (FILE:LINE,
 * the column or JSON field) and what was expected.
 *
 * Five shapes of error are in use, each where its layer needs it:
 *
 *  - `lz_err` (code + message): every layer, for an operation that stops at its first problem
 *    (open a store, write a row, move an award). The code says whose fault it is, which the
 *    command line turns into an exit status (cli_fail) and the server into an HTTP status
 *    (http_fail).
 *  - `why`/`whylen` (a caller's buffer for the reason alone): the checks of one value in core and
 *    model (money_parse, date_parse, uscc_validate, cell_parse, row_check) and workflow_may_set.
 *    They are called once per field of every imported row, so they take no lz_err and no code:
 *    the caller knows the place (file, line, column) and puts it in front of the reason.
 *  - `errlist` (many messages): whatever reads many rows (exchange's importer, import-paid, the
 *    rule files' checker), so that one run reports every problem instead of the first one; it
 *    keeps the first `limit` messages and counts the rest.
 *  - a JSON `errors` array of {"field", "reason"}: http only, the problem document's list of the
 *    fields of a request body that are wrong (an errlist or a parse's faults, converted at the
 *    edge).
 *  - LZ_ERESPONDED: http only, between a handler's steps. A step that has already filled the
 *    response with the precise problem (a 400 naming the fields, a 403, a 404) returns it so that
 *    the handler rolls back and sends that response instead of mapping an lz_err to another one.
 *    It never reaches a user, a log or the command line.
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
    LZ_EBUSY = -6,     /* another writer holds the database longer than we wait: try again later */
    LZ_ERESPONDED = -7 /* http: the response already says what was wrong (see above); no message */
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
    /* When set, called before a message is added (but not for the messages it adds itself): a
     * producer that judges its input late, in batches (the importer), reports what it has been
     * given first, so that the messages stay in the order of the input. */
    void (*before_add)(void *ctx);
    void *before_add_ctx;
} errlist;

void errlist_init(errlist *l, size_t limit);
void errlist_add(errlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void errlist_free(errlist *l);

/* Allocation that aborts on out-of-memory: the one place the program may stop for it. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* An array v of n elements of `size` bytes in *cap allocated, with room for one more (doubling
 * from 1024 when full): the usual `v = xgrow(v, n, &cap, sizeof *v); v[n++] = ...`. */
void *xgrow(void *v, size_t n, size_t *cap, size_t size);
/* An array v with room for at least n elements of `size` bytes (*cap allocated, never shrinking):
 * a buffer kept from one unit of work to the next, so that the largest is faulted in once. The
 * contents are kept only up to the old capacity. */
void *xreserve(void *v, size_t n, size_t *cap, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
