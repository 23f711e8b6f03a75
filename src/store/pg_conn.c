/*
 * pg_conn — connecting to PostgreSQL, and its errors as the program's (see pg_conn.h).
 */
#include "store/pg_conn.h"

#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* library code never prints; NOTICEs (IF EXISTS and the like) say nothing we need */
}

void pg_conn_redacted(const char *conninfo, char *out, size_t len)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &msg);
    strbuf b;
    strbuf_init(&b);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (o->val && *o->val && strcmp(o->keyword, "password") != 0)
            strbuf_printf(&b, "%s%s=%s", b.len ? " " : "", o->keyword, o->val);
    snprintf(out, len, "%s", b.len ? b.data : "the PG* environment's defaults");
    strbuf_free(&b);
    PQconninfoFree(opts);
    PQfreemem(msg);
}

/* libpq's multi-line message as one line: each line break and the indentation after it become
 * one space, and the last one goes. */
void pg_conn_one_line(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r != '\n' && *r != '\t') {
            *w++ = *r;
            continue;
        }
        while (r[1] == ' ' || r[1] == '\t' || r[1] == '\n')
            r++;
        if (w > s && w[-1] != ' ')
            *w++ = ' ';
    }
    while (w > s && w[-1] == ' ')
        w--;
    *w = 0;
}

PGconn *pg_conn_connect(const char *conninfo, char *described, size_t len, lz_err *err)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &msg);
    if (!opts) {
        /* the text itself is not repeated, where libpq quotes it too: it may hold a password */
        strbuf why;
        strbuf_init(&why);
        const char *m = msg ? msg : "out of memory", *at;
        while ((at = strstr(m, conninfo)) != NULL && *conninfo) {
            strbuf_append(&why, m, (size_t)(at - m));
            strbuf_puts(&why, "(the name given)");
            m = at + strlen(conninfo);
        }
        strbuf_puts(&why, m);
        pg_conn_one_line(why.data);
        PQfreemem(msg);
        err_set(err, LZ_EINPUT, "not a PostgreSQL URL or connection string: %s", why.data);
        strbuf_free(&why);
        return NULL;
    }
    PQconninfoFree(opts);
    PGconn *conn = PQconnectdb(conninfo);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        char who[512], why[512];
        pg_conn_redacted(conninfo, who, sizeof who);
        snprintf(why, sizeof why, "%s", conn ? PQerrorMessage(conn) : "out of memory");
        pg_conn_one_line(why);
        err_set(err, LZ_EINPUT, "cannot connect to PostgreSQL (%s): %s", who, why);
        PQfinish(conn);
        return NULL;
    }
    PQsetNoticeProcessor(conn, quiet_notices, NULL);
    if (pg_conn_session(conn, err) < 0) {
        PQfinish(conn);
        return NULL;
    }
    const char *host = PQhost(conn);
    if (described)
        snprintf(described, len, "PostgreSQL database %s on %s%s%s (user %s)", PQdb(conn), host && *host ? host : "localhost",
                 host && *host == '/' ? " port " : ":", PQport(conn), PQuser(conn));
    return conn;
}

int pg_conn_fail(lz_err *err, int code, PGconn *conn, const PGresult *r, const char *context)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (state && (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0))
        code = LZ_EINPUT;
    if (state && (strcmp(state, "55P03") == 0 || strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
        return err_set(err, LZ_EBUSY, "%s: the database is busy (another writer holds it); try again", context);
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
    const char *where = r ? PQresultErrorField(r, PG_DIAG_CONTEXT) : NULL;
    char msg[768];
    snprintf(msg, sizeof msg, "%s%s%s%s%s%s", primary ? primary : PQerrorMessage(conn), detail ? " (" : "", detail ? detail : "",
             detail ? ")" : "", where ? "; " : "", where ? where : "");
    pg_conn_one_line(msg);
    return err_set(err, code, "%s: %s", context, msg);
}

int pg_conn_exec(PGconn *conn, const char *sql, const char *context, lz_err *err)
{
    PGresult *r = PQexec(conn, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : pg_conn_fail(err, LZ_EINTERNAL, conn, r, context);
    PQclear(r);
    return rc;
}

/* The session's settings that the text of values depends on. */
int pg_conn_session(PGconn *conn, lz_err *err)
{
    return pg_conn_exec(conn, "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'",
                        "setting up the session", err);
}

void pg_conn_copy_text(strbuf *b, const char *text, size_t n)
{
    strbuf_reserve(b, n + n / 8 + 8);
    for (size_t j = 0; j < n; j++) {
        char c = text[j];
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
            strbuf_putc(b, '\\');
            c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
        }
        strbuf_putc(b, c);
    }
}

int pg_conn_put_copy(PGconn *conn, strbuf *b, const char *context, lz_err *err)
{
    if (b->len && PQputCopyData(conn, b->data, (int)b->len) != 1) {
        char why[512];
        snprintf(why, sizeof why, "%s", PQerrorMessage(conn));
        pg_conn_one_line(why);
        return err_set(err, LZ_EINTERNAL, "copying %s: %s", context, why);
    }
    strbuf_reset(b);
    return 0;
}

int pg_conn_copy_result(PGconn *conn, const char *context, lz_err *err)
{
    int rc = 0;
    PGresult *r;
    while ((r = PQgetResult(conn)) != NULL) {
        if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pg_conn_fail(err, LZ_EINPUT, conn, r, context);
        PQclear(r);
    }
    return rc;
}
