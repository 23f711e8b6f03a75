/* libFuzzer target: the CSV reader must never crash, hang or leak on any bytes, and every record
 * it returns must hold valid UTF-8 fields without NUL bytes within the size limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_reader *r = csv_open_mem((const char *)data, size, "fuzz.csv");
    csv_record rec;
    lz_err err;
    while (csv_next(r, &rec, &err) > 0) {
        for (size_t i = 0; i < rec.nfields; i++)
            if (!utf8_valid(rec.fields[i], rec.lens[i]) || rec.lens[i] > CSV_FIELD_MAX || memchr(rec.fields[i], '\0', rec.lens[i]))
                abort();
    }
    csv_close(r);
    return 0;
}
