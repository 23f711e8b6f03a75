/*
 * audit — the hash-chained audit log (see audit.h).
 *
 * hash(n) = SHA-256 over hash(n-1) and entry n's fields, each length-prefixed so that no two
 * different entries serialise alike; a field is hashed whole, by its stored length, so bytes hidden
 * after a NUL inside a value change the hash too. The first entry chains to 64 zeros.
 */
#include "store/audit.h"

#include "core/date.h"
#include "store/schema.h"
#include "store/store_impl.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static const char zero_hash[AUDIT_HASH_HEX] = "0000000000000000000000000000000000000000000000000000000000000000";

int store_migrate_audit(store *st, lz_err *err);
int store_migrate_audit(store *st, lz_err *err)
{
    return store_exec(st,
                      "CREATE TABLE audit_log (\n"
                      "  seq INTEGER PRIMARY KEY,\n"
                      "  at TEXT NOT NULL,\n"
                      "  actor TEXT NOT NULL,\n"
                      "  via TEXT NOT NULL,\n"
                      "  target TEXT NOT NULL,\n"
                      "  before TEXT,\n"
                      "  after TEXT,\n"
                      "  prev_hash TEXT NOT NULL,\n"
                      "  hash TEXT NOT NULL\n"
                      ");\n",
                      err);
}

/* The table (schema.h): what store_migrate_audit's statement created, and PostgreSQL's DDL. The
 * checks hold in PostgreSQL only (SQLite files keep the table as version 2 made it). */
static const store_column audit_log_columns[] = {
    {.name = "seq", .type = STORE_ID},
    {.name = "at", .type = STORE_TIMESTAMP, .flags = STORE_REQUIRED | STORE_MILLIS},
    {.name = "actor", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "via", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "target", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "before", .type = STORE_TEXT},
    {.name = "after", .type = STORE_TEXT},
    {.name = "prev_hash", .type = STORE_TEXT, .flags = STORE_REQUIRED},
    {.name = "hash", .type = STORE_TEXT, .flags = STORE_REQUIRED},
};
static const char *const audit_log_checks[] = {"\"seq\" >= 1", "length(\"prev_hash\") = 64", "length(\"hash\") = 64", NULL};
extern const store_table store_table_audit_log;
const store_table store_table_audit_log = {
    .name = "audit_log", .version = 2, STORE_COLUMNS(audit_log_columns), .checks = audit_log_checks};

/* One field: its length, then its bytes, all of them (a NUL inside is content too). */
static void hash_field(crypto_hash_sha256_state *h, const char *s, size_t n)
{
    /* A NULL field and an empty one differ: NULL is length 2^64-1. */
    unsigned long long len = s ? (unsigned long long)n : ~0ULL;
    unsigned char lenbuf[8];
    for (int i = 0; i < 8; i++)
        lenbuf[i] = (unsigned char)(len >> (8 * i));
    crypto_hash_sha256_update(h, lenbuf, sizeof lenbuf);
    if (s)
        crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

enum { ENTRY_FIELDS = 6 }; /* at, actor, via, target, before, after */

/* The hash of an entry whose fields (in ENTRY_FIELDS order) are text[i][0..len[i]). */
static void entry_hash(const char *prev, int64_t seq, const char *const text[ENTRY_FIELDS], const size_t len[ENTRY_FIELDS],
                       char out[AUDIT_HASH_HEX])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char seqbuf[24];
    snprintf(seqbuf, sizeof seqbuf, "%lld", (long long)seq);
    crypto_hash_sha256_init(&h);
    hash_field(&h, prev, strlen(prev));
    hash_field(&h, seqbuf, strlen(seqbuf));
    for (int i = 0; i < ENTRY_FIELDS; i++)
        hash_field(&h, text[i], len[i]);
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(out, AUDIT_HASH_HEX, digest, sizeof digest);
}

static void now_utc(char buf[32])
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, 32 - n, ".%03dZ", (int)(tv.tv_usec / 1000));
}

int audit_head(store *st, char hash[AUDIT_HASH_HEX], int64_t *count, lz_err *err)
{
    sql_stmt *s = store_prepare(st, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sql_step(s);
    if (rc == SQL_ROW) {
        *count = sql_column_int64(s, 0);
        snprintf(hash, AUDIT_HASH_HEX, "%s", (const char *)sql_column_text(s, 1));
    } else {
        *count = 0;
        memcpy(hash, zero_hash, AUDIT_HASH_HEX);
    }
    return store_read_finish(st, s, rc, err, "reading the audit log");
}

int audit_append(store *st, const audit_entry *e, lz_err *err)
{
    if (!store_in_transaction(st))
        return err_set(err, LZ_EINTERNAL, "audit entries are written inside the change's transaction");
    if (sodium_init() < 0)
        return err_set(err, LZ_EINTERNAL, "libsodium failed to initialise");
    char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX], at[32];
    int64_t count;
    if (audit_head(st, prev, &count, err) < 0)
        return LZ_EINTERNAL;
    now_utc(at);
    const char *text[ENTRY_FIELDS] = {at, e->actor, e->via, e->target, e->before, e->after};
    size_t len[ENTRY_FIELDS];
    for (int i = 0; i < ENTRY_FIELDS; i++)
        len[i] = text[i] ? strlen(text[i]) : 0;
    entry_hash(prev, count + 1, text, len, hash);
    sql_stmt *s = store_prepare(st,
                                "INSERT INTO audit_log (seq, at, actor, via, target, before, after, prev_hash, hash) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int64(s, 1, count + 1);
    for (int i = 0; i < ENTRY_FIELDS; i++)
        sql_bind_text(s, i + 2, text[i], (int)len[i]);
    sql_bind_text(s, 8, prev, -1);
    sql_bind_text(s, 9, hash, -1);
    int rc = sql_step(s);
    sql_reset(s);
    if (rc != SQL_DONE)
        return store_sql_error(st, err, "appending to the audit log");
    return 0;
}

static const char *col_text(sql_stmt *s, int i)
{
    return (const char *)sql_column_text(s, i);
}

/* The entry's time as it was written and hashed, "YYYY-MM-DDTHH:MM:SS.mmmZ": PostgreSQL's
 * timestamptz shows no fraction of a second when it is .000, which buf gets back. (SQLite keeps
 * the text as written: there a time without its milliseconds was changed.) */
static const char *written_at(store *st, const char *t, char buf[32])
{
    if (!store_is_postgres(st) || !t || strlen(t) != 20 || t[19] != 'Z')
        return t;
    snprintf(buf, 32, "%.19s.000Z", t);
    return buf;
}

/* Whether column i holds exactly the text want: every stored byte, not up to a NUL. */
static bool col_is(sql_stmt *s, int i, const char *want)
{
    const char *t = col_text(s, i);
    size_t n = (size_t)sql_column_bytes(s, i);
    return t && n == strlen(want) && memcmp(t, want, n) == 0;
}

int audit_verify(store *st, const char *expected_head, int64_t *bad_seq, strbuf *report, lz_err *err)
{
    if (sodium_init() < 0)
        return err_set(err, LZ_EINTERNAL, "libsodium failed to initialise");
    sql_stmt *s =
        store_prepare(st, "SELECT seq, at, actor, via, target, before, after, prev_hash, hash FROM audit_log ORDER BY seq", err);
    if (!s)
        return LZ_EINTERNAL;
    char prev[AUDIT_HASH_HEX];
    memcpy(prev, zero_hash, AUDIT_HASH_HEX);
    int64_t expected_seq = 1;
    bool head_seen = !expected_head || strcmp(expected_head, zero_hash) == 0;
    *bad_seq = 0;
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        int64_t seq = sql_column_int64(s, 0);
        const char *text[ENTRY_FIELDS];
        size_t len[ENTRY_FIELDS];
        for (int i = 0; i < ENTRY_FIELDS; i++) {
            text[i] = col_text(s, i + 1);
            len[i] = (size_t)sql_column_bytes(s, i + 1); /* the whole value: bytes after a NUL count */
        }
        char at[32];
        if (text[0] != written_at(st, text[0], at)) {
            text[0] = at;
            len[0] = strlen(at);
        }
        char want[AUDIT_HASH_HEX];
        entry_hash(prev, seq, text, len, want);
        if (seq != expected_seq) {
            strbuf_printf(report, "entry %lld is missing (the next entry is %lld): entries were removed or reordered\n",
                          (long long)expected_seq, (long long)seq);
            *bad_seq = expected_seq;
            break;
        }
        if (!col_is(s, 7, prev)) {
            strbuf_printf(report, "entry %lld does not link to the entry before it: entries were removed or reordered\n",
                          (long long)seq);
            *bad_seq = seq;
            break;
        }
        if (!col_is(s, 8, want)) {
            strbuf_printf(report, "entry %lld was changed after it was written (its hash does not match its content)\n",
                          (long long)seq);
            *bad_seq = seq;
            break;
        }
        memcpy(prev, want, AUDIT_HASH_HEX);
        if (expected_head && strcmp(expected_head, want) == 0)
            head_seen = true;
        expected_seq++;
    }
    int finished = store_read_finish(st, s, rc, err, "reading the audit log");
    if (finished < 0)
        return finished;
    if (!*bad_seq && !head_seen) {
        strbuf_printf(report, "the log does not contain head %s: entries after it were removed (truncated log)\n", expected_head);
        *bad_seq = expected_seq;
    }
    if (!*bad_seq)
        strbuf_printf(report, "audit log intact: %lld entries, head %s\n", (long long)(expected_seq - 1), prev);
    return 0;
}

/* One statement per direction: the sequence number is the order and the cursor. An until date
 * is made "DATET~", which sorts after every time of that day ('~' after any digit or 'Z'). */
#define AUDIT_LIST_WHERE                                                                                                           \
    "FROM audit_log WHERE (actor = ?1 OR ?1 IS NULL) AND (target = ?2 OR ?2 IS NULL) AND (at >= ?3 OR ?3 IS NULL) "                \
    "AND (at < ?4 OR ?4 IS NULL) AND (?5 = 0 OR seq "

/* Steps s (SELECT seq, at, actor, via, target, before, after), one fn per entry, and resets it. */
static int each_entry(store *st, sql_stmt *s, audit_row_fn fn, void *ctx, lz_err *err)
{
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        char at[32];
        audit_row r = {.seq = sql_column_int64(s, 0),
                       .at = written_at(st, col_text(s, 1), at),
                       .e = {.actor = col_text(s, 2),
                             .via = col_text(s, 3),
                             .target = col_text(s, 4),
                             .before = col_text(s, 5),
                             .after = col_text(s, 6)}};
        if (fn(ctx, &r) != 0) {
            rc = SQL_DONE;
            break;
        }
    }
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "audit_log");
}

int audit_list(store *st, const audit_filter *f, audit_row_fn fn, void *ctx, lz_err *err)
{
    sql_stmt *s = store_prepare(
        st,
        f->oldest_first ? "SELECT seq, at, actor, via, target, before, after " AUDIT_LIST_WHERE "> ?5) ORDER BY seq LIMIT ?6"
                        : "SELECT seq, at, actor, via, target, before, after " AUDIT_LIST_WHERE "< ?5) ORDER BY seq DESC LIMIT ?6",
        err);
    if (!s)
        return LZ_EINTERNAL;
    /* until is inclusive: entries before the next day's first millisecond, a stamp both backends
     * compare with `at` (SQLite as text, PostgreSQL as a time) */
    char until[DATE_LEN + 16];
    int32_t day;
    if (f->until && date_parse(f->until, strlen(f->until), &day, NULL, 0) == 0) {
        date_format(day + 1, until);
        strcat(until, "T00:00:00.000Z");
    } else if (f->until) {
        return err_set(err, LZ_EINPUT, "until: '%s' is not a date (YYYY-MM-DD)", f->until);
    }
    const char *texts[] = {f->actor, f->target, f->since, f->until ? until : NULL};
    for (int i = 0; i < 4; i++)
        if (texts[i])
            sql_bind_text_copy(s, i + 1, texts[i], -1);
    sql_bind_int64(s, 5, f->from);
    sql_bind_int64(s, 6, f->limit ? (int64_t)f->limit : INT64_MAX); /* no LIMIT -1: PostgreSQL refuses it */
    return each_entry(st, s, fn, ctx, err);
}

int audit_first_change_after(store *st, int64_t seq, audit_row_fn fn, void *ctx, lz_err *err)
{
    sql_stmt *s = store_prepare(st,
                                "SELECT seq, at, actor, via, target, before, after FROM audit_log WHERE seq > ?1"
                                " AND target <> 'sessions' AND substr(target, 1, 9) <> 'accounts/' ORDER BY seq LIMIT 1",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int64(s, 1, seq);
    return each_entry(st, s, fn, ctx, err);
}
