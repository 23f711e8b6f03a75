/*
 * indicator_packs — the packs of each year's indicators (see indicator_packs.h). SQLite only:
 * the values are SQLite blobs, bound and read through the statement's sqlite3_stmt.
 *
 * A pack's bytes, row after row in USCC order: how many leading bytes the USCC shares with the
 * row before it in the pack and the length of the rest (two varints), then the rest; a byte
 * whose bit k (0 .. 5) says figure k of analysis_sql_yearly is known and bit 6 is the above-size
 * flag; then each known figure, zigzag-encoded, as a varint (little-endian base 128). Its row count
 * is stored beside it, and a pack that does not decode to exactly that many rows is refused.
 */
#include "store/indicator_packs.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/sort_u64.h"
#include "store/schema.h"
#include "store/store_impl.h"

/* A pack closes once it holds this many bytes: about two thousand rows, a blob a few dozen pages
 * long, and hundreds of packs a year for two threads to share. */
#define PACK_BYTES (64u << 10)
#define FIGURES ANALYSIS_SQL_YEAR_FIGURES
#define ABOVE_SCALE_BIT (1u << FIGURES)
/* Rows noted in one year beyond which its packs are rebuilt whole (one scan), not one by one. */
#define DUE_ROWS_MAX 4096

/* The columns every read of rows gives, after the year: the USCC, the figures in the order of
 * analysis_sql_yearly's (masters_sql_figure's of one year), the above-size flag. */
#define ROW_COLUMNS                                                                                                                \
    "SELECT \"year\", \"uscc\", \"revenue\", \"tax_paid\", \"output_value\", \"rd_expense\", \"employees\", \"value_added\","      \
    " COALESCE(\"above_scale\", 0) FROM \"indicators\""
/* Year ?1, by a scan in storage order. */
static const char years_sql[] = ROW_COLUMNS " WHERE +\"year\" = ?1";
/* Year ?1 with USCCs from ?2 (up to ?3), through the key's index, in USCC order. */
static const char range_sql[] = ROW_COLUMNS " WHERE \"uscc\" >= ?2 AND +\"year\" = ?1 ORDER BY \"uscc\"";
static const char bounded_range_sql[] = ROW_COLUMNS " WHERE \"uscc\" >= ?2 AND \"uscc\" < ?3 AND +\"year\" = ?1 ORDER BY \"uscc\"";

/* ---- a year's rows in memory ------------------------------------------------------------- */

typedef struct packed_row {
    const char *uscc; /* in the rows' arena */
    unsigned flags;   /* known figures; ABOVE_SCALE_BIT */
    int64_t fen[FIGURES];
} packed_row;

/* The rows of one year, as read to be packed or compared. */
typedef struct year_rows {
    int year;
    arena a;
    packed_row *r;
    size_t n, cap;
} year_rows;

static void rows_init(year_rows *y, int year)
{
    *y = (year_rows){.year = year};
    arena_init(&y->a, 1 << 20);
}

static void rows_free(year_rows *y)
{
    free(y->r);
    arena_free(&y->a);
}

static packed_row *new_row(year_rows *y, const char *uscc)
{
    y->r = xgrow(y->r, y->n, &y->cap, sizeof *y->r);
    packed_row *r = &y->r[y->n++];
    *r = (packed_row){.uscc = arena_strdup(&y->a, uscc ? uscc : "")};
    return r;
}

/* Adds the statement's row (ROW_COLUMNS, of the year: the statement asks for it alone). */
static void take_row(year_rows *y, sql_stmt *s)
{
    packed_row *r = new_row(y, sql_column_text(s, 1));
    r->flags = sql_column_int(s, 2 + FIGURES) ? ABOVE_SCALE_BIT : 0;
    for (int k = 0; k < FIGURES; k++)
        if (sql_column_type(s, 2 + k) != SQL_NULL) {
            r->flags |= 1u << k;
            r->fen[k] = sql_column_int64(s, 2 + k);
        }
}

/* Steps s (bound) to its end, each row taken. */
static int read_rows(store *st, sql_stmt *s, year_rows *y, lz_err *err)
{
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW)
        take_row(y, s);
    return store_read_finish(st, s, rc, err, "reading the indicators to pack");
}

static const char *row_uscc(const void *ctx, size_t i)
{
    return ((const year_rows *)ctx)->r[i].uscc;
}

/* The year's rows in USCC order (a scan gives them in storage order). */
static void sort_rows(year_rows *y)
{
    sort_u128_item *k = xmalloc(2 * (y->n ? y->n : 1) * sizeof *k);
    for (size_t i = 0; i < y->n; i++)
        k[i] = sort_u128_text_key(y->r[i].uscc, i);
    sort_u128_texts(k, y->n, k + y->n, row_uscc, y);
    packed_row *sorted = xmalloc((y->n ? y->n : 1) * sizeof *sorted);
    for (size_t i = 0; i < y->n; i++)
        sorted[i] = y->r[k[i].value];
    free(k);
    free(y->r);
    y->r = sorted;
    y->cap = y->n;
}

/* Every row of the year, by a scan of the table, in USCC order. */
static int read_year(store *st, year_rows *y, lz_err *err)
{
    sql_stmt *s = store_prepare_scan(st, years_sql, err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, y->year);
    int rc = read_rows(st, s, y, err);
    if (rc == 0)
        sort_rows(y);
    return rc;
}

/* ---- writing packs ------------------------------------------------------------------------- */

typedef struct pack {
    unsigned char *data;
    size_t len, cap;
    int64_t rows;
    const char *prev; /* the USCC of the pack's previous row */
} pack;

static void put_byte(pack *p, unsigned b)
{
    if (p->len == p->cap) {
        p->cap = p->cap ? 2 * p->cap : PACK_BYTES + 1024;
        p->data = xrealloc(p->data, p->cap);
    }
    p->data[p->len++] = (unsigned char)b;
}

static void put_varint(pack *p, uint64_t u)
{
    for (; u >= 0x80; u >>= 7)
        put_byte(p, (unsigned)(u & 0x7f) | 0x80);
    put_byte(p, (unsigned)u);
}

/* Zigzag: small magnitudes, negative or not, in few bytes. */
static void put_signed(pack *p, int64_t v)
{
    put_varint(p, (uint64_t)v << 1 ^ (0 - ((uint64_t)v >> 63)));
}

static void put_row(pack *p, const packed_row *r)
{
    size_t shared = 0, n = strlen(r->uscc);
    while (p->prev && shared < n && p->prev[shared] == r->uscc[shared])
        shared++;
    put_varint(p, shared);
    put_varint(p, n - shared);
    for (size_t i = shared; i < n; i++)
        put_byte(p, (unsigned char)r->uscc[i]);
    put_byte(p, r->flags);
    for (int k = 0; k < FIGURES; k++)
        if (r->flags & 1u << k)
            put_signed(p, r->fen[k]);
    p->prev = r->uscc;
    p->rows++;
}

static int write_pack(store *st, int year, const char *first, pack *p, lz_err *err)
{
    sql_stmt *s =
        store_prepare(st, "INSERT INTO \"indicator_packs\" (\"year\", \"first\", \"rows\", \"data\") VALUES (?1, ?2, ?3, ?4)", err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, year);
    sql_bind_text(s, 2, first, -1);
    sql_bind_int64(s, 3, p->rows);
    sqlite3_bind_blob(s->lite, 4, p->data, (int)p->len, SQLITE_STATIC);
    int rc = sql_step(s);
    sql_reset(s);
    p->len = 0;
    p->rows = 0;
    p->prev = NULL;
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "writing the indicators' packs");
}

/* The year's rows (sorted) as packs: the first keyed by `first`, each next one by its first row's
 * USCC. */
static int write_packs(store *st, const year_rows *y, const char *first, lz_err *err)
{
    pack p = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < y->n; i++) {
        if (p.rows == 0 && i > 0)
            first = y->r[i].uscc;
        put_row(&p, &y->r[i]);
        if (p.len >= PACK_BYTES || i + 1 == y->n)
            rc = write_pack(st, y->year, first, &p, err);
    }
    free(p.data);
    return rc;
}

/* ---- rebuilding ---------------------------------------------------------------------------- */

static int exec_bound(store *st, const char *sql, int year, const char *text, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, year);
    if (text)
        sql_bind_text(s, 2, text, -1);
    int rc = sql_step(s);
    sql_reset(s);
    return rc == SQL_DONE ? 0 : store_sql_error(st, err, "replacing the indicators' packs");
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The packs of the n years (in any order, repeated or not), whole, from a scan of the table a
 * year: one year's rows in memory at a time. */
static int rebuild_years(store *st, int *years, size_t n, lz_err *err)
{
    if (n == 0)
        return 0;
    qsort(years, n, sizeof *years, compare_ints);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i > 0 && years[i] == years[i - 1])
            continue;
        year_rows y;
        rows_init(&y, years[i]);
        rc = exec_bound(st, "DELETE FROM \"indicator_packs\" WHERE \"year\" = ?1", y.year, NULL, err);
        if (rc == 0)
            rc = read_year(st, &y, err);
        if (rc == 0)
            rc = write_packs(st, &y, "", err);
        rows_free(&y);
    }
    return rc;
}

/* The key (first USCC) of the year's pack that `sql` finds from a USCC, into *first: NULL when
 * there is none. */
static int pack_key(store *st, const char *sql, int year, const char *uscc, arena *a, const char **first, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, year);
    sql_bind_text(s, 2, uscc, -1);
    int rc = sql_step(s);
    *first = rc == SQL_ROW ? arena_strdup(a, sql_column_text(s, 0)) : NULL;
    return store_read_finish(st, s, rc, err, "finding the indicators' packs");
}

/* The pack after the one keyed ?2, and the pack whose range holds the USCC ?2. */
static const char next_pack_sql[] =
    "SELECT \"first\" FROM \"indicator_packs\" WHERE \"year\" = ?1 AND \"first\" > ?2 ORDER BY \"first\" LIMIT 1";
static const char pack_of_sql[] =
    "SELECT \"first\" FROM \"indicator_packs\" WHERE \"year\" = ?1 AND \"first\" <= ?2 ORDER BY \"first\" DESC LIMIT 1";

/* The pack of the year keyed `first`, again from the rows of its range. */
static int rebuild_pack(store *st, int year, const char *first, lz_err *err)
{
    year_rows y;
    rows_init(&y, year);
    const char *next;
    int rc = pack_key(st, next_pack_sql, year, first, &y.a, &next, err);
    if (rc == 0)
        rc = exec_bound(st, "DELETE FROM \"indicator_packs\" WHERE \"year\" = ?1 AND \"first\" = ?2", year, first, err);
    sql_stmt *s = rc == 0 ? store_prepare(st, next ? bounded_range_sql : range_sql, err) : NULL;
    if (rc == 0 && !s)
        rc = LZ_EINTERNAL;
    if (rc == 0) {
        sql_bind_int(s, 1, year);
        sql_bind_text(s, 2, first, -1);
        if (next)
            sql_bind_text(s, 3, next, -1);
        rc = read_rows(st, s, &y, err);
    }
    if (rc == 0)
        rc = write_packs(st, &y, first, err);
    rows_free(&y);
    return rc;
}

/* The years `sql` lists, into *years (the caller frees it). */
static int years_of(store *st, const char *sql, int **years, size_t *n, lz_err *err)
{
    *years = NULL;
    *n = 0;
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    size_t cap = 0;
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW) {
        *years = xgrow(*years, *n, &cap, sizeof **years);
        (*years)[(*n)++] = sql_column_int(s, 0);
    }
    return store_read_finish(st, s, rc, err, "finding the indicators' years");
}

/* rebuild_years in a transaction of its own. */
static int rebuild_years_alone(store *st, int *years, size_t n, lz_err *err)
{
    int rc = store_begin(st, err);
    if (rc == 0 && (rc = rebuild_years(st, years, n, err)) == 0)
        return store_commit(st, err);
    store_rollback(st);
    return rc;
}

int indicator_packs_rebuild_all(store *st, lz_err *err)
{
    int *years;
    size_t n;
    int rc = years_of(st, "SELECT DISTINCT \"year\" FROM \"indicators\" UNION SELECT \"year\" FROM \"indicator_packs\"", &years, &n,
                      err);
    if (rc == 0)
        rc = rebuild_years(st, years, n, err);
    free(years);
    return rc < 0 ? err_wrap(err, "packing the indicators") : 0;
}

/* The years that have rows and no packs, found through the index on year a year at a time. */
static const char unpacked_sql[] =
    "WITH RECURSIVE y(\"year\") AS (SELECT min(\"year\") FROM \"indicators\""
    " UNION ALL SELECT (SELECT min(\"year\") FROM \"indicators\" WHERE \"year\" > y.\"year\") FROM y WHERE y.\"year\" IS NOT NULL)"
    " SELECT \"year\" FROM y WHERE \"year\" IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM \"indicator_packs\" p WHERE p.\"year\" = y.\"year\")";

int indicator_packs_restore(store *st, lz_err *err)
{
    if (store_is_postgres(st))
        return 0;
    int *years;
    size_t n;
    int rc = years_of(st, unpacked_sql, &years, &n, err);
    if (rc == 0 && n)
        rc = rebuild_years_alone(st, years, n, err);
    free(years);
    return rc < 0 ? err_wrap(err, "packing the indicators") : 0;
}

/* ---- the rows a transaction wrote ---------------------------------------------------------- */

typedef struct due_year {
    int year;
    bool whole; /* too many rows to note: the year is rebuilt whole */
    const char **usccs;
    size_t n, cap;
} due_year;

struct indicator_packs_due {
    arena a;
    due_year *y;
    size_t n, cap;
    bool every; /* a row of a year that is not an integer */
};

indicator_packs_due *indicator_packs_due_new(void)
{
    indicator_packs_due *d = xcalloc(1, sizeof *d);
    arena_init(&d->a, 4096);
    return d;
}

void indicator_packs_due_forget(indicator_packs_due *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->y[i].usccs);
    d->n = 0;
    d->every = false;
    arena_reset(&d->a);
}

void indicator_packs_due_free(indicator_packs_due *d)
{
    if (!d)
        return;
    indicator_packs_due_forget(d);
    free(d->y);
    arena_free(&d->a);
    free(d);
}

bool indicator_packs_due_any(const indicator_packs_due *d)
{
    return d->every || d->n;
}

static due_year *due_year_of(indicator_packs_due *d, int year)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->y[i].year == year)
            return &d->y[i];
    d->y = xgrow(d->y, d->n, &d->cap, sizeof *d->y);
    d->y[d->n] = (due_year){.year = year};
    return &d->y[d->n++];
}

bool indicator_packs_cover(const table *t)
{
    return strcmp(t->name, "indicators") == 0;
}

/* The cell of t's column `name` in row, or in its key's cells when `key`; a NULL cell when t has
 * no such column. */
static const cell *cell_of(const table *t, const cell *row, bool key, const char *name)
{
    static const cell none = {.kind = CELL_NULL};
    int idx[TABLES_MAX_KEY], c = table_column_index(t, name);
    if (c < 0 || !key)
        return c < 0 ? &none : &row[c];
    size_t nk = table_key_columns(t, idx);
    for (size_t k = 0; k < nk; k++)
        if (idx[k] == c)
            return &row[k];
    return &none;
}

void indicator_packs_due_note(indicator_packs_due *d, const table *t, const cell *row, bool key)
{
    const cell *year = cell_of(t, row, key, "year"), *uscc = cell_of(t, row, key, "uscc");
    if (year->kind != CELL_INT || year->i < INT32_MIN || year->i > INT32_MAX) {
        d->every = true;
        return;
    }
    due_year *y = due_year_of(d, (int)year->i);
    if (y->whole)
        return;
    if (uscc->kind != CELL_TEXT || y->n == DUE_ROWS_MAX) {
        y->whole = true;
        return;
    }
    y->usccs = xgrow(y->usccs, y->n, &y->cap, sizeof *y->usccs);
    y->usccs[y->n++] = arena_strndup(&d->a, uscc->s, uscc->n);
}

static int compare_texts(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The number `sql` counts for the year ?1. */
static int count_of_year(store *st, const char *sql, int year, int64_t *n, lz_err *err)
{
    sql_stmt *s = store_prepare(st, sql, err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, year);
    int rc = sql_step(s);
    *n = rc == SQL_ROW ? sql_column_int64(s, 0) : 0;
    return store_read_finish(st, s, rc, err, "counting the indicators' packs");
}

/* The distinct packs the year's noted rows lie in, into firsts; *whole when one lies in none (the
 * year's first rows, or rows before its first pack) or when they are more than a quarter of the
 * year's packs (one scan then costs less than reading their ranges one by one). */
static int packs_noted(store *st, indicator_packs_due *d, due_year *y, const char **firsts, size_t *n, bool *whole, lz_err *err)
{
    *n = 0;
    *whole = false;
    int rc = 0;
    for (size_t i = 0; rc == 0 && !*whole && i < y->n; i++) {
        rc = pack_key(st, pack_of_sql, y->year, y->usccs[i], &d->a, &firsts[*n], err);
        if (rc == 0 && !firsts[*n])
            *whole = true;
        else if (rc == 0)
            (*n)++;
    }
    qsort(firsts, *n, sizeof *firsts, compare_texts);
    size_t m = 0;
    for (size_t i = 0; i < *n; i++)
        if (m == 0 || strcmp(firsts[i], firsts[m - 1]) != 0)
            firsts[m++] = firsts[i];
    *n = m;
    int64_t packs = 0;
    if (rc == 0 && !*whole && m > 1 &&
        (rc = count_of_year(st, "SELECT count(*) FROM \"indicator_packs\" WHERE \"year\" = ?1", y->year, &packs, err)) == 0)
        *whole = (int64_t)m * 4 > packs;
    return rc;
}

int indicator_packs_due_rebuild(store *st, indicator_packs_due *d, lz_err *err)
{
    if (d->every) {
        indicator_packs_due_forget(d);
        return indicator_packs_rebuild_all(st, err);
    }
    int *whole = xmalloc((d->n ? d->n : 1) * sizeof *whole);
    size_t nwhole = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < d->n; i++) {
        due_year *y = &d->y[i];
        const char **firsts = xmalloc((y->n ? y->n : 1) * sizeof *firsts);
        size_t n = 0;
        bool all = y->whole;
        if (!all)
            rc = packs_noted(st, d, y, firsts, &n, &all, err);
        if (rc == 0 && all)
            whole[nwhole++] = y->year;
        for (size_t k = 0; rc == 0 && !all && k < n; k++)
            rc = rebuild_pack(st, y->year, firsts[k], err);
        free(firsts);
    }
    if (rc == 0)
        rc = rebuild_years(st, whole, nwhole, err);
    free(whole);
    indicator_packs_due_forget(d);
    return rc < 0 ? err_wrap(err, "packing the indicators") : 0;
}

/* ---- the table ----------------------------------------------------------------------------- */

/* The table, and the triggers by which a write of indicators by another program drops the packs
 * of its year, which is then read from its rows (the store's connections run no triggers). */
int store_migrate_indicator_packs(store *st, lz_err *err)
{
    int rc = store_exec(st,
                        "CREATE TABLE indicator_packs (\n"
                        "  year INTEGER NOT NULL,\n"
                        "  first TEXT NOT NULL,\n"
                        "  rows INTEGER NOT NULL,\n"
                        "  data BLOB NOT NULL,\n"
                        "  PRIMARY KEY (year, first)\n"
                        ");\n"
                        "CREATE TRIGGER indicator_packs_inserted AFTER INSERT ON indicators BEGIN\n"
                        "  DELETE FROM indicator_packs WHERE year = NEW.year;\n"
                        "END;\n"
                        "CREATE TRIGGER indicator_packs_updated AFTER UPDATE ON indicators BEGIN\n"
                        "  DELETE FROM indicator_packs WHERE year IN (OLD.year, NEW.year);\n"
                        "END;\n"
                        "CREATE TRIGGER indicator_packs_deleted AFTER DELETE ON indicators BEGIN\n"
                        "  DELETE FROM indicator_packs WHERE year = OLD.year;\n"
                        "END;\n",
                        err);
    return rc == 0 ? indicator_packs_rebuild_all(st, err) : rc;
}

/* The table (schema.h): what migration 14 made, and PostgreSQL's DDL (where it stays empty). */
static const store_column indicator_packs_columns[] = {
    {.name = "year", .type = STORE_INT, .flags = STORE_REQUIRED | STORE_KEY},
    {.name = "first", .type = STORE_TEXT, .flags = STORE_REQUIRED | STORE_KEY},
    {.name = "rows", .type = STORE_INT, .flags = STORE_REQUIRED},
    {.name = "data", .type = STORE_BLOB, .flags = STORE_REQUIRED},
};
extern const store_table store_table_indicator_packs;
const store_table store_table_indicator_packs = {
    .name = "indicator_packs", .version = 14, .derived = true, STORE_COLUMNS(indicator_packs_columns)};

/* ---- reading ------------------------------------------------------------------------------- */

int indicator_packs_parts(store *st, int from, int to, int parts[ANALYSIS_SQL_PLAN_YEARS], bool *usable, lz_err *err)
{
    memset(parts, 0, ANALYSIS_SQL_PLAN_YEARS * sizeof *parts);
    *usable = false;
    if (store_is_postgres(st) || to < from || to - from >= ANALYSIS_SQL_PLAN_YEARS)
        return 0;
    sql_stmt *s = store_prepare(st,
                                "SELECT \"year\", count(*) FROM \"indicator_packs\""
                                " WHERE \"year\" BETWEEN ?1 AND ?2 GROUP BY \"year\"",
                                err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, from);
    sql_bind_int(s, 2, to);
    int rc;
    while ((rc = sql_step(s)) == SQL_ROW)
        parts[sql_column_int(s, 0) - from] = sql_column_int(s, 1);
    if ((rc = store_read_finish(st, s, rc, err, "finding the indicators' packs")) < 0)
        return rc;
    int64_t unpacked = 0; /* rows of a year without packs (through the index on year) */
    for (int y = from; rc == 0 && !unpacked && y <= to; y++)
        if (parts[y - from] == 0)
            rc = count_of_year(st, "SELECT count(*) FROM (SELECT 1 FROM \"indicators\" WHERE \"year\" = ?1 LIMIT 1)", y, &unpacked,
                               err);
    *usable = rc == 0 && !unpacked;
    return rc;
}

/* Reads a varint at *at before end into *u; false past the end or too long. */
static bool get_varint(const unsigned char **at, const unsigned char *end, uint64_t *u)
{
    *u = 0;
    for (unsigned shift = 0; *at < end && shift < 64; shift += 7) {
        unsigned b = *(*at)++;
        *u |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

static bool get_signed(const unsigned char **at, const unsigned char *end, int64_t *v)
{
    uint64_t u;
    if (!get_varint(at, end, &u))
        return false;
    *v = (int64_t)(u >> 1 ^ (0 - (u & 1)));
    return true;
}

/* The USCC being decoded: the previous row's, which the next one shares a beginning with. */
typedef struct uscc_buf {
    char *s;
    size_t len, cap;
} uscc_buf;

/* Decodes one row at *at into r, its USCC over the previous row's in u; false when the bytes end
 * inside it or it shares more than the previous USCC has. */
static bool get_row(const unsigned char **at, const unsigned char *end, uscc_buf *u, analysis_sql_yearly *r)
{
    uint64_t shared, rest;
    if (!get_varint(at, end, &shared) || !get_varint(at, end, &rest) || shared > u->len || (uint64_t)(end - *at) <= rest)
        return false;
    u->len = (size_t)(shared + rest);
    if (u->len >= u->cap) {
        u->cap = 2 * u->len + 32;
        u->s = xrealloc(u->s, u->cap);
    }
    memcpy(u->s + shared, *at, (size_t)rest);
    u->s[u->len] = '\0';
    *at += rest;
    unsigned flags = *(*at)++;
    r->uscc = u->s;
    r->above_scale = (flags & ABOVE_SCALE_BIT) != 0;
    for (int k = 0; k < FIGURES; k++) {
        r->known[k] = (flags & 1u << k) != 0;
        r->fen[k] = 0;
        if (r->known[k] && !get_signed(at, end, &r->fen[k]))
            return false;
    }
    return true;
}

/* Hands fn the rows of one pack; 1 when fn stopped, -1 when the pack does not decode. */
static int read_pack(const unsigned char *at, size_t bytes, int64_t rows, int year, int (*fn)(void *, const analysis_sql_yearly *),
                     void *ctx)
{
    const unsigned char *end = at + bytes;
    uscc_buf u = {0};
    analysis_sql_yearly r = {.year = year};
    int rc = 0;
    for (int64_t i = 0; rc == 0 && i < rows; i++)
        rc = !get_row(&at, end, &u, &r) ? -1 : fn(ctx, &r) != 0 ? 1 : 0;
    free(u.s);
    return rc ? rc : at == end ? 0 : -1;
}

int indicator_packs_read(store *st, int year, int lo, int hi, int (*fn)(void *ctx, const analysis_sql_yearly *r), void *ctx,
                         lz_err *err)
{
    sql_stmt *s = store_prepare_scan(st,
                                     "SELECT \"rows\", \"data\" FROM \"indicator_packs\" WHERE \"year\" = ?1"
                                     " ORDER BY \"first\" LIMIT ?3 OFFSET ?2",
                                     err);
    if (!s)
        return LZ_EINTERNAL;
    sql_bind_int(s, 1, year);
    sql_bind_int(s, 2, lo);
    sql_bind_int(s, 3, hi - lo + 1);
    int rc = SQL_DONE, read = 0;
    while (read == 0 && (rc = sql_step(s)) == SQL_ROW) {
        const unsigned char *data = sqlite3_column_blob(s->lite, 1);
        read = read_pack(data, (size_t)sqlite3_column_bytes(s->lite, 1), sql_column_int64(s, 0), year, fn, ctx);
    }
    if (read < 0) {
        sql_reset(s);
        return err_set(err, LZ_EINTERNAL, "a pack of the indicators of %d does not decode: the file is damaged", year);
    }
    return store_read_finish(st, s, read ? SQL_ROW : rc, err, "reading the indicators' packs");
}

/* ---- checking ------------------------------------------------------------------------------ */

/* The rows a year's packs hold, gathered (indicator_packs_read) in their order. */
static int gather_packed(void *ctx, const analysis_sql_yearly *r)
{
    packed_row *p = new_row(ctx, r->uscc);
    p->flags = r->above_scale ? ABOVE_SCALE_BIT : 0;
    for (int k = 0; k < FIGURES; k++)
        if (r->known[k]) {
            p->flags |= 1u << k;
            p->fen[k] = r->fen[k];
        }
    return 0;
}

static bool same_row(const packed_row *a, const packed_row *b)
{
    if (strcmp(a->uscc, b->uscc) != 0 || a->flags != b->flags)
        return false;
    for (int k = 0; k < FIGURES; k++)
        if ((a->flags & 1u << k) && a->fen[k] != b->fen[k])
            return false;
    return true;
}

/* The first place where the packs' rows and the table's differ: the USCC of the first that differs
 * (or of the row one side has beyond the other), NULL when they agree. */
static const char *first_difference(const year_rows *packed, const year_rows *rows)
{
    size_t i = 0;
    while (i < packed->n && i < rows->n && same_row(&packed->r[i], &rows->r[i]))
        i++;
    if (i < packed->n && i < rows->n)
        return strcmp(packed->r[i].uscc, rows->r[i].uscc) < 0 ? packed->r[i].uscc : rows->r[i].uscc;
    return i < packed->n ? packed->r[i].uscc : i < rows->n ? rows->r[i].uscc : NULL;
}

/* Compares the year's packs with its rows; *differs gets where, NULL when they agree. */
static int check_year(store *st, year_rows *packed, year_rows *rows, const char **differs, lz_err *err)
{
    int parts[ANALYSIS_SQL_PLAN_YEARS];
    bool usable;
    int rc = indicator_packs_parts(st, packed->year, packed->year, parts, &usable, err);
    if (rc == 0 && parts[0])
        rc = indicator_packs_read(st, packed->year, 0, parts[0] - 1, gather_packed, packed, err);
    if (rc == 0)
        rc = read_year(st, rows, err);
    if (rc == 0)
        *differs = first_difference(packed, rows);
    return rc;
}

int indicator_packs_check(store *st, store_problem_fn fn, void *ctx, lz_err *err)
{
    if (store_is_postgres(st))
        return 0;
    int *years;
    size_t n;
    int rc = years_of(st, "SELECT DISTINCT \"year\" FROM \"indicator_packs\" ORDER BY 1", &years, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        year_rows packed, rows;
        rows_init(&packed, years[i]);
        rows_init(&rows, years[i]);
        const char *differs = NULL;
        rc = store_read_begin(st, err); /* the packs and the rows of one snapshot */
        if (rc == 0)
            rc = check_year(st, &packed, &rows, &differs, err);
        store_read_end(st);
        if (rc == 0 && differs) {
            char what[512];
            snprintf(what, sizeof what,
                     "%d: the packs differ from the year's rows at %s (written past the store); rebuilt from the rows", years[i],
                     differs);
            fn(ctx, "indicator_packs", what);
            rc = rebuild_years_alone(st, &years[i], 1, err);
        }
        rows_free(&packed);
        rows_free(&rows);
    }
    free(years);
    return rc < 0 ? err_wrap(err, "checking the indicators' packs") : 0;
}
