/* err — error objects, error lists and the aborting allocator (see err.h). */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

int err_set(lz_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

int err_wrap(lz_err *err, const char *fmt, ...)
{
    if (!err)
        return LZ_EINTERNAL;
    char prefix[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t n = strlen(prefix);
    if (n > sizeof err->msg - 3)
        n = sizeof err->msg - 3;
    memcpy(err->msg, prefix, n);
    memcpy(err->msg + n, ": ", 2);
    size_t rest = sizeof err->msg - n - 3;
    size_t olen = strnlen(old, rest);
    memcpy(err->msg + n + 2, old, olen);
    err->msg[n + 2 + olen] = '\0';
    return err->code;
}

void err_clear(lz_err *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}

void errlist_init(errlist *l, size_t limit)
{
    memset(l, 0, sizeof *l);
    l->limit = limit;
}

void errlist_add(errlist *l, const char *fmt, ...)
{
    void (*before)(void *) = l->before_add;
    if (before) {
        l->before_add = NULL;
        before(l->before_add_ctx);
        l->before_add = before;
    }
    l->total++;
    if (l->count >= l->limit)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    l->items = xrealloc(l->items, (l->count + 1) * sizeof *l->items);
    l->items[l->count++] = xstrdup(buf);
}

void errlist_free(errlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static void *check_alloc(void *p)
{
    if (!p) {
        fputs("lianzhang: out of memory\n", stderr);
        abort();
    }
    return p;
}

enum { HUGE_PAGE = 2 << 20, HUGE_FROM = 8 << 20 };

/* Asks the kernel to back the whole 2 MiB pages inside a large block with huge pages (where the
 * system leaves that to the program): a million-row index or array is then faulted in 512 times
 * less often and its random lookups miss the TLB far less; on the analyses of a million
 * enterprises the faults alone were a sixth of the time. Advice only: nothing depends on it. */
static void *huge_pages(void *p, size_t n)
{
    if (n < HUGE_FROM)
        return p;
    uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (hi > lo)
        madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    return p;
}

void *xmalloc(size_t n)
{
    return huge_pages(check_alloc(malloc(n ? n : 1)), n);
}

void *xcalloc(size_t n, size_t size)
{
    void *p = check_alloc(calloc(n ? n : 1, size ? size : 1));
    return size && n <= SIZE_MAX / size ? huge_pages(p, n * size) : p;
}

void *xrealloc(void *p, size_t n)
{
    return huge_pages(check_alloc(realloc(p, n ? n : 1)), n);
}

void *xgrow(void *v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return v;
    *cap = *cap ? *cap * 2 : 1024;
    return xrealloc(v, *cap * size);
}

void *xreserve(void *v, size_t n, size_t *cap, size_t size)
{
    if (n <= *cap && v)
        return v;
    *cap = n > *cap ? n : *cap;
    return xrealloc(v, *cap * size);
}

char *xstrdup(const char *s)
{
    return check_alloc(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
    return check_alloc(strndup(s, n));
}
