/*
 * request — checks on a request's head (see request.h).
 */
#include "http/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"

#define MAX_LENGTH_DIGITS 18 /* below 2^63: no overflow, and far above any limit */

static bool all_digits(const char *s)
{
    size_t n = strspn(s, "0123456789");
    return n > 0 && n <= MAX_LENGTH_DIGITS && s[n] == '\0';
}

int request_framing_check(const request_framing *f, uint64_t *length, bool *chunked, lz_err *err)
{
    *length = 0;
    *chunked = false;
    if (f->lengths > 0 && f->encodings > 0)
        return err_set(err, LZ_EINPUT, "Transfer-Encoding: not allowed together with Content-Length");
    if (f->lengths > 1)
        return err_set(err, LZ_EINPUT, "Content-Length: given %u times; send it once", f->lengths);
    if (f->encodings > 1 || (f->encodings == 1 && strcasecmp(f->encoding, "chunked") != 0))
        return err_set(err, LZ_EINPUT, "Transfer-Encoding: only a single 'chunked' is accepted");
    if (f->lengths == 1 && !all_digits(f->length))
        return err_set(err, LZ_EINPUT, "Content-Length: '%.40s' is not a number of bytes", f->length);
    *chunked = f->encodings == 1;
    if (f->lengths == 1)
        *length = strtoull(f->length, NULL, 10);
    return 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s[0..n) into a (a '%' not followed by two hex digits stays as it is); the
 * decoded length in *len, which a NUL in the text makes larger than its strlen. */
static char *decode(const char *s, size_t n, arena *a, size_t *len)
{
    char *out = arena_alloc(a, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        int hi = s[i] == '%' && i + 2 < n ? hex_value(s[i + 1]) : -1, lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
        if (lo >= 0) {
            out[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = '\0';
    *len = j;
    return out;
}

/* Why the decoded text cannot be taken, or NULL when it can. */
static const char *decoded_fault(const char *s, size_t n)
{
    if (memchr(s, '\0', n))
        return "contains a NUL byte (%00)";
    return utf8_valid(s, n) ? NULL : "not valid UTF-8";
}

static int check_query(const char *q, arena *a, const char **field, const char **reason)
{
    while (*q) {
        size_t n = strcspn(q, "&");
        const char *eq = memchr(q, '=', n);
        size_t klen = eq ? (size_t)(eq - q) : n, len;
        const char *key = decode(q, klen, a, &len), *why = decoded_fault(key, len);
        if (why) {
            *field = "query";
            *reason = arena_printf(a, "a parameter name %s", why);
            return -1;
        }
        const char *value = eq ? decode(eq + 1, n - klen - 1, a, &len) : "";
        if (eq && (why = decoded_fault(value, len))) {
            *field = key;
            *reason = why;
            return -1;
        }
        q += n + (q[n] == '&');
    }
    return 0;
}

int request_target_check(const char *target, arena *a, const char **field, const char **reason)
{
    size_t plen = strcspn(target, "?"), len;
    const char *path = decode(target, plen, a, &len), *why = decoded_fault(path, len);
    if (why) {
        *field = "path";
        *reason = why;
        return -1;
    }
    return target[plen] == '?' ? check_query(target + plen + 1, a, field, reason) : 0;
}

int request_forwarded_for(const char *xff, char out[INET6_ADDRSTRLEN])
{
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    last += strspn(last, " \t");
    size_t n = strcspn(last, " \t");
    if (n == 0 || n >= INET6_ADDRSTRLEN || last[n + strspn(last + n, " \t")] != '\0')
        return -1;
    char text[INET6_ADDRSTRLEN];
    memcpy(text, last, n);
    text[n] = '\0';
    unsigned char bin[sizeof(struct in6_addr)];
    int family = strchr(text, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(family, text, bin) != 1)
        return -1;
    return inet_ntop(family, bin, out, INET6_ADDRSTRLEN) ? 0 : -1;
}

void request_throttle_key(const char *address, char out[REQUEST_THROTTLE_KEY_LEN])
{
    struct in6_addr a6;
    if (inet_pton(AF_INET6, address, &a6) != 1) {
        snprintf(out, REQUEST_THROTTLE_KEY_LEN, "%s", address);
        return;
    }
    if (IN6_IS_ADDR_V4MAPPED(&a6)) {
        inet_ntop(AF_INET, &a6.s6_addr[12], out, REQUEST_THROTTLE_KEY_LEN);
        return;
    }
    memset(&a6.s6_addr[8], 0, 8);
    inet_ntop(AF_INET6, &a6, out, REQUEST_THROTTLE_KEY_LEN);
    strcat(out, "/64");
}
