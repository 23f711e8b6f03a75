/* libFuzzer target: row validation of every table. The first byte picks the table; the rest is
 * CSV whose records are validated column by column as an import would (cell_parse, row_check),
 * and every accepted value must format back to text that parses to the same cell. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "model/cellfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_after_round_trip(const column *c, const cell *v, arena *a)
{
    strbuf text;
    strbuf_init(&text);
    cell_format(c, v, &text);
    cell again;
    char why[600];
    if (cell_parse(c, text.data ? text.data : "", text.len, a, &again, why, sizeof why) < 0)
        abort();
    if (again.kind != v->kind || (v->kind == CELL_INT && again.i != v->i) ||
        (v->kind == CELL_TEXT && (again.n != v->n || memcmp(again.s, v->s, v->n) != 0)))
        abort();
    strbuf_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const table *t = tables_all[data[0] % tables_count];
    csv_reader *r = csv_open_mem((const char *)data + 1, size - 1, "fuzz.csv");
    csv_record rec;
    lz_err err;
    arena a;
    arena_init(&a, 4096);
    cell row[TABLES_MAX_COLS];
    char why[600];
    while (csv_next(r, &rec, &err) > 0) {
        bool ok = true;
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = c < rec.nfields ? rec.fields[c] : "";
            size_t n = c < rec.nfields ? rec.lens[c] : 0;
            if (cell_parse(&t->cols[c], s, n, &a, &row[c], why, sizeof why) < 0)
                ok = false;
            else
                same_after_round_trip(&t->cols[c], &row[c], &a);
        }
        if (ok)
            (void)row_check(t, row, why, sizeof why);
        arena_reset(&a);
    }
    arena_free(&a);
    csv_close(r);
    return 0;
}
