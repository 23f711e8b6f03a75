/*
 * store_parts — a large table read in parts by storage order (see store_impl.h): SQLite's rowids,
 * PostgreSQL's pages. A scan in storage order reads each page once, in turn; a part of it is a
 * range of that order, which both databases seek to directly (a rowid range, a TID range scan).
 */
#include "store/store_impl.h"

#include <stdio.h>

int store_table_extent(store *st, const char *table_name, int64_t *last, lz_err *err)
{
    char sql[160];
    if (store_is_postgres(st))
        snprintf(sql, sizeof sql, "SELECT pg_relation_size('\"%s\"') / current_setting('block_size')::bigint - 1", table_name);
    else
        snprintf(sql, sizeof sql, "SELECT COALESCE(max(rowid), 0) FROM \"%s\"", table_name);
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    int rc = sql_step(s);
    *last = rc == SQL_ROW ? sql_column_int64(s, 0) : 0;
    return store_read_finish(st, s, rc, err, table_name);
}

void store_bind_part(store *st, sql_stmt *s, int64_t lo, int64_t hi)
{
    if (store_is_postgres(st)) { /* pages lo..hi: from the first row of lo to before the first of hi + 1 */
        char from[32], to[32];
        snprintf(from, sizeof from, "(%lld,0)", (long long)lo);
        snprintf(to, sizeof to, "(%lld,0)", (long long)hi + 1);
        sql_bind_text_copy(s, STORE_PART_PARAM, from, -1);
        sql_bind_text_copy(s, STORE_PART_PARAM + 1, to, -1);
    } else {
        sql_bind_int64(s, STORE_PART_PARAM, lo);
        sql_bind_int64(s, STORE_PART_PARAM + 1, hi);
    }
}
