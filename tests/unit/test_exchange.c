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
#include "model/labels.h"
#include "testdb.h"

/* How the tests import: as an actor of their own, money in yuan, nobody watching. */
static const import_options unit_test_import = {.actor = "test", .via = "unit"};
static const import_options plain_import = {.actor = "t", .via = "u"};

static char xlsxpath[TESTDB_PATH_MAX];

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
    int rc = import_buffer(st, tables_find(table_name), SHEET_XLSX, "book.xlsx", data.data, data.len, &unit_test_import, errs,
                           &stats, &err);
    strbuf_free(&data);
    return rc;
}

static void xlsx_as_excel_writes_it_imports(void **state)
{
    (void)state;
    char dbpath[TESTDB_PATH_MAX];
    testdb_path(xlsxpath, ".xlsx");
    write_workbook();
    store *st = testdb_create(dbpath);
    lz_err err;
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
    assert_int_equal(export_query(st, &q, SHEET_CSV, NULL, &out, &err), 0);
    assert_string_equal(out.data, "uscc,name,division,industry_code,founded,local,listing_board,above_scale_entry_year\r\n"
                                  "91440703MA4UA0001G,江门示例正极材料有限公司,440703,,2015-03-01,true,none,\r\n"
                                  "91440704MA4UA00022,江门示例负极材料有限公司,440703,,2018-06-30,true,none,\r\n");
    strbuf_free(&out);
    errlist_free(&errs);
    store_close(st);
    testdb_remove(dbpath);
    unlink(xlsxpath);
}

static void damaged_workbooks_are_bad_input(void **state)
{
    (void)state;
    char dbpath[TESTDB_PATH_MAX];
    store *st = testdb_create(dbpath);
    lz_err err;
    errlist errs;
    errlist_init(&errs, 50);
    import_stats stats;
    const char junk[] = "PK\003\004 this is not really a zip";
    int rc = import_buffer(st, tables_find("divisions"), SHEET_XLSX, "junk.xlsx", junk, sizeof junk - 1, &plain_import, &errs,
                           &stats, &err);
    assert_int_equal(rc, LZ_EINPUT);
    assert_int_equal(errs.count, 1);
    assert_non_null(strstr(errs.items[0], "junk.xlsx: not an .xlsx workbook"));
    errlist_free(&errs);
    store_close(st);
    testdb_remove(dbpath);
}

/* A fresh database with one division and one enterprise, for the tests below. */
static store *open_with_enterprise(char dbpath[TESTDB_PATH_MAX])
{
    store *st = testdb_create(dbpath);
    lz_err err;
    errlist errs;
    errlist_init(&errs, 50);
    import_stats stats;
    const char *d = "code,name\n440703,蓬江区\n", *e = "uscc,name,division\n91440703MA4UA0001G,示例,440703\n";
    assert_int_equal(
        import_buffer(st, tables_find("divisions"), SHEET_CSV, "d.csv", d, strlen(d), &plain_import, &errs, &stats, &err), 0);
    assert_int_equal(
        import_buffer(st, tables_find("enterprises"), SHEET_CSV, "e.csv", e, strlen(e), &plain_import, &errs, &stats, &err), 0);
    errlist_free(&errs);
    return st;
}

/* An indicators row of doubles as spreadsheets hold them: 73338502.96 is stored as
 * 73338502.95999999, a formula's cached result may be 1234.5000000000002. rd_expense: 0 = empty. */
static void write_indicators(double rd_expense)
{
    lxw_workbook *wb = workbook_new(xlsxpath);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "indicators");
    const char *head[] = {"uscc", "year", "output_value", "revenue", "value_added", "tax_paid", "rd_expense", "employees"};
    for (int i = 0; i < 8; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, head[i], NULL);
    worksheet_write_string(ws, 1, 0, "91440703MA4UA0001G", NULL);
    worksheet_write_number(ws, 1, 1, 2021, NULL);
    worksheet_write_number(ws, 1, 2, 73338502.96, NULL);
    worksheet_write_formula_num(ws, 1, 3, "=1234.5", NULL, 1234.5000000000002);
    worksheet_write_number(ws, 1, 4, -0.1 - 0.2, NULL); /* -0.30000000000000004 */
    worksheet_write_number(ws, 1, 5, 9999999999999.99, NULL);
    if (rd_expense != 0)
        worksheet_write_number(ws, 1, 6, rd_expense, NULL);
    worksheet_write_number(ws, 1, 7, 850, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

/* Each number reads as a spreadsheet shows it (15 significant digits), then the column's scale
 * applies: a real third decimal is still an error. */
static void xlsx_numbers_read_as_a_spreadsheet_shows_them(void **state)
{
    (void)state;
    char dbpath[TESTDB_PATH_MAX];
    store *st = open_with_enterprise(dbpath);
    testdb_path(xlsxpath, ".xlsx");
    write_indicators(1e-7); /* written as 1E-07 */
    errlist errs;
    errlist_init(&errs, 50);
    assert_int_equal(import_sheet(st, "indicators", &errs), LZ_EINPUT);
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0], "book.xlsx:2: rd_expense: more than 2 decimals in '0.0000001'");
    errlist_free(&errs);
    write_indicators(0);
    errlist_init(&errs, 50);
    assert_int_equal(import_sheet(st, "indicators", &errs), 0);
    errlist_free(&errs);
    strbuf out;
    strbuf_init(&out);
    store_query q = {.t = tables_find("indicators")};
    lz_err err;
    assert_int_equal(export_query(st, &q, SHEET_CSV, NULL, &out, &err), 0);
    assert_string_equal(out.data, "uscc,year,output_value,revenue,value_added,tax_paid,rd_expense,employees,above_scale,"
                                  "new_fixed_asset_investment\r\n"
                                  "91440703MA4UA0001G,2021,73338502.96,1234.50,-0.30,9999999999999.99,,850,,\r\n");
    strbuf_free(&out);
    unlink(xlsxpath);
    store_close(st);
    testdb_remove(dbpath);
}

/* The name columns export writes beside codes import back as nothing: skipped in either form,
 * whatever they hold, while a header that only looks like one is still an unknown column. */
static void import_skips_the_names_beside_codes(void **state)
{
    (void)state;
    char dbpath[TESTDB_PATH_MAX];
    store *st = open_with_enterprise(dbpath);
    const table *t = tables_find("indicators");
    const char *en = "uscc,enterprise_name,year,employees\n91440703MA4UA0001G,not the stored name,2021,7\n";
    const char *zh = "企业,企业名称,年度,从业人员\n91440703MA4UA0001G,,2022,8\n";
    const char *bad = "uscc,uscc_name,year\n91440703MA4UA0001G,x,2023\n";
    errlist errs;
    errlist_init(&errs, 50);
    import_stats stats;
    lz_err err;
    assert_int_equal(import_buffer(st, t, SHEET_CSV, "en.csv", en, strlen(en), &plain_import, &errs, &stats, &err), 0);
    assert_int_equal(import_buffer(st, t, SHEET_CSV, "zh.csv", zh, strlen(zh), &plain_import, &errs, &stats, &err), 0);
    assert_int_equal(errs.total, 0);
    assert_int_equal(import_buffer(st, t, SHEET_CSV, "bad.csv", bad, strlen(bad), &plain_import, &errs, &stats, &err), LZ_EINPUT);
    assert_non_null(strstr(errs.items[0], "uscc_name: unknown column of indicators"));
    errlist_free(&errs);
    strbuf out;
    strbuf_init(&out);
    store_query q = {.t = t};
    assert_int_equal(export_query(st, &q, SHEET_CSV, NULL, &out, &err), 0);
    assert_non_null(strstr(out.data, "91440703MA4UA0001G,2021,,,,,,7,,\r\n91440703MA4UA0001G,2022,,,,,,8,,\r\n"));
    strbuf_free(&out);
    store_close(st);
    testdb_remove(dbpath);
}

/* A derived name column never shadows a real one: its header names no column of its table. */
static void derived_name_headers_are_no_columns(void **state)
{
    (void)state;
    strbuf h;
    strbuf_init(&h);
    size_t derived = 0;
    for (size_t i = 0; i < tables_count; i++) {
        const table *t = tables_all[i], *rt;
        for (size_t c = 0; c < t->ncols; c++)
            for (int zh = 0; zh < 2 && column_ref_name(&t->cols[c], &rt) >= 0; zh++) {
                strbuf_reset(&h);
                column_ref_name_header(&t->cols[c], zh, &h);
                int unit;
                if (label_column(t, h.data, h.len, &unit) >= 0)
                    fail_msg("%s: %s names a column", t->name, h.data);
                assert_int_equal(table_ref_name_column(t, h.data, h.len), (int)c);
                derived++;
            }
    }
    assert_true(derived >= 20); /* every uscc and chain reference at least */
    strbuf_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xlsx_as_excel_writes_it_imports),
        cmocka_unit_test(damaged_workbooks_are_bad_input),
        cmocka_unit_test(xlsx_numbers_read_as_a_spreadsheet_shows_them),
        cmocka_unit_test(import_skips_the_names_beside_codes),
        cmocka_unit_test(derived_name_headers_are_no_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
