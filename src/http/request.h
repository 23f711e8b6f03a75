/*
 * request — the checks a request's head must pass before the server reads a byte of its body or
 * routes it: one unambiguous body framing (no request smuggling), a target whose path and query
 * decode to UTF-8 without NUL, and the client address a trusted reverse proxy forwards.
 *
 * Pure functions of header text, so they are unit-tested and fuzzed without a network. Every
 * refusal names the header or the query parameter at fault.
 */
#ifndef LZ_REQUEST_H
#define LZ_REQUEST_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

/* What the head says about the body: how many Content-Length and Transfer-Encoding headers it
 * carries and the value of the last of each (NULL when none). */
typedef struct request_framing {
    unsigned lengths, encodings;
    const char *length, *encoding;
} request_framing;

/* Accepts exactly one way of finding where the body ends: no body, one Content-Length of digits,
 * or Transfer-Encoding: chunked alone. A request with both, two Content-Lengths or another
 * coding is refused (LZ_EINPUT, the message names the header): a proxy in front of the server
 * could read its end differently and pass a second, hidden request through. On success
 * *chunked says which, and *length is the declared length (0 when chunked or absent). */
int request_framing_check(const request_framing *f, uint64_t *length, bool *chunked, lz_err *err);

/* Checks the request target as sent, before percent-decoding: each path segment and each query
 * key and value must decode to UTF-8 without a NUL byte. Returns 0, or -1 with *field (the query
 * parameter's name, "query" when the name itself is bad, or "path") and *reason in a. */
int request_target_check(const char *target, arena *a, const char **field, const char **reason);

/* The client address a reverse proxy appended to X-Forwarded-For: the right-most entry, which
 * must be an IPv4 or IPv6 address; written to out in canonical form (so that spellings of one
 * address count as one). Returns -1 when it is not an address. */
int request_forwarded_for(const char *xff, char out[INET6_ADDRSTRLEN]);

/* What the sign-in throttle counts an address as: an IPv4 address itself (also when written as
 * an IPv4-mapped IPv6 address), an IPv6 address by its /64 prefix ("2001:db8:1:2::/64"), since
 * whoever has one address of a /64 network usually has all of them to rotate through. */
#define REQUEST_THROTTLE_KEY_LEN (INET6_ADDRSTRLEN + 4)
void request_throttle_key(const char *address, char out[REQUEST_THROTTLE_KEY_LEN]);

#endif
