/* Unit tests of spreadsheet import as Excel writes it: shared strings, numbers, dates stored as
 * serial days, booleans, missing cells, a sheet chosen by the table's name, and damaged files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "exchange/export.h"
#include "exchange/import.h"

static char dbpath[64], xlsxpath[64];

static void temp_path(char *buf, const char *suffix)
{
    snprintf(buf, 64, "/tmp/lz-test-XXXXXX");
    int fd = mkstemp(buf);
    close(fd);
    unlink(buf);
    strcat(buf, suffix);
}

static void slurp(const char *path, strbuf *out)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_append(out, buf, n);
    fclose(f);
}

/* A workbook like Excel's: a decoy first sheet, then "divisions" and "enterprises" with shared strings. */
static void write_workbook(void)
{
    lxw_workbook *wb = workbook_new(xlsxpath);
    lxw_worksheet *decoy = workbook_add_worksheet(wb, "说明");
    worksheet_write_string(decoy, 0, 0, "read me", NULL);
    lxw_worksheet *d = workbook_add_worksheet(wb, "divisions");
    worksheet_write_string(d, 0, 0, "code", NULL);
    worksheet_write_string(d, 0, 1, "name", NULL);
    worksheet_write_number(d, 1, 0, 440703, NULL); /* a code typed as a number */
    worksheet_write_string(d, 1, 1, "蓬江区", NULL);
    lxw_worksheet *e = workbook_add_worksheet(wb, "enterprises");
    const char *head[] = {"uscc", "name", "division", "founded", "local", "listing_board"};
    for (int i = 0; i < 6; i++)
        worksheet_write_string(e, 0, (lxw_col_t)i, head[i], NULL);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_datetime founded = {2015, 3, 1, 0, 0, 0};
    worksheet_write_string(e, 1, 0, "91440703MA4UA0001G", NULL);
    worksheet_write_string(e, 1, 1, "江门示例正极材料有限公司", NULL);
    worksheet_write_string(e, 1, 2, "440703", NULL);
    worksheet_write_datetime(e, 1, 3, &founded, date);
    worksheet_write_boolean(e, 1, 4, 1, NULL);
    /* row 3: listing_board and local left empty (cells absent), founded as ISO text */
    worksheet_write_string(e, 2, 0, "91440704MA4UA00022", NULL);
    worksheet_write_string(e, 2, 1, "江门示例负极材料有限公司", NULL);
    worksheet_write_string(e, 2, 2, "440703", NULL);
    worksheet_write_string(e, 2, 3, "2018-06-30", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static int import_sheet(store *st, const char *table_name, errlist *errs)
{
    strbuf data;
    strbuf_init(&data);
    slurp(xlsxpath, &data);
    lz_err err;
    import_stats stats;
    int rc = import_buffer(st, tables_find(table_name), SHEET_XLSX, "book.xlsx", data.data, data.len, "test", "unit", errs, &stats,
                           &err);
    strbuf_free(&data);
    return rc;
}

static void xlsx_as_excel_writes_it_imports(void **state)
{
    (void)state;
    temp_path(dbpath, ".db");
    temp_path(xlsxpath, ".xlsx");
    write_workbook();
    store *st;
    lz_err err;
    assert_int_equal(store_open(&st, dbpath, STORE_CREATE, &err), 0);
    errlist errs;
    errlist_init(&errs, 50);
    assert_int_equal(import_sheet(st, "divisions", &errs), 0);
    assert_int_equal(import_sheet(st, "enterprises", &errs), 0);
    for (size_t i = 0; i < errs.count; i++)
        print_error("%s\n", errs.items[i]);
    assert_int_equal(errs.total, 0);
    strbuf out;
    strbuf_init(&out);
    store_query q = {.t = tables_find("enterprises")};
    assert_int_equal(export_query(st, &q, SHEET_CSV, &out, &err), 0);
    assert_string_equal(out.data, "uscc,name,division,industry_code,founded,local,listing_board,above_scale_entry_year\r\n"
                                  "91440703MA4UA0001G,江门示例正极材料有限公司,440703,,2015-03-01,true,none,\r\n"
                                  "91440704MA4UA00022,江门示例负极材料有限公司,440703,,2018-06-30,true,none,\r\n");
    strbuf_free(&out);
    errlist_free(&errs);
    store_close(st);
    unlink(xlsxpath);
}

static void damaged_workbooks_are_bad_input(void **state)
{
    (void)state;
    store *st;
    lz_err err;
    assert_int_equal(store_open(&st, dbpath, 0, &err), 0);
    errlist errs;
    errlist_init(&errs, 50);
    import_stats stats;
    const char junk[] = "PK\003\004 this is not really a zip";
    int rc =
        import_buffer(st, tables_find("divisions"), SHEET_XLSX, "junk.xlsx", junk, sizeof junk - 1, "t", "u", &errs, &stats, &err);
    assert_int_equal(rc, LZ_EINPUT);
    assert_int_equal(errs.count, 1);
    assert_non_null(strstr(errs.items[0], "junk.xlsx: not an .xlsx workbook"));
    errlist_free(&errs);
    store_close(st);
    char side[80];
    unlink(dbpath);
    snprintf(side, sizeof side, "%s-wal", dbpath);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", dbpath);
    unlink(side);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xlsx_as_excel_writes_it_imports),
        cmocka_unit_test(damaged_workbooks_are_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
