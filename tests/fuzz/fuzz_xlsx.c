/* libFuzzer target: the XLSX reader must never crash, hang or leak on any bytes, must report a bad
 * cell through its callback rather than deliver it, and every row it delivers must hold no more
 * text than its bound allows (XLSX_HOLD_MAX times the input plus XLSX_HOLD_FLOOR). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exchange/xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t limit;

static int on_row(void *ctx, long rownum, size_t n, const char *const *cells, const size_t *lens)
{
    (void)ctx, (void)rownum;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (strlen(cells[i]) != lens[i]) /* each cell is NUL-terminated at its length */
            abort();
        total += lens[i];
    }
    if (total > limit)
        abort();
    return 0;
}

static void on_error(void *ctx, long rownum, const char *ref, const char *why)
{
    (void)ctx, (void)rownum;
    if (!ref[0] || !why[0])
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    limit = XLSX_HOLD_FLOOR + size * XLSX_HOLD_MAX;
    lz_err err;
    xlsx_read_rows((const char *)data, size, "divisions", "fuzz.xlsx", on_row, on_error, NULL, &err);
    return 0;
}
