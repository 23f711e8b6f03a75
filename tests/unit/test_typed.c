/* Unit tests of cells as officials type them: amounts with separators, currency signs and units
 * (万, 亿) parsed exactly; dates in five forms; choices by their Chinese labels in either script;
 * column headers by label, in traditional script, with a unit. And the declarations' natural keys
 * fit TABLES_MAX_KEY. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "model/cellfmt.h"
#include "model/labels.h"

/* A natural key fits the arrays every layer keeps keys in (the column counts are asserted at
 * compile time; the key flags cannot be). */
static void every_key_fits_tables_max_key(void **state)
{
    (void)state;
    for (size_t i = 0; i < tables_count; i++) {
        size_t keys = 0;
        for (size_t c = 0; c < tables_all[i]->ncols; c++)
            keys += (tables_all[i]->cols[c].flags & COLF_KEY) != 0;
        if (keys > TABLES_MAX_KEY)
            fail_msg("%s has %zu key columns, more than TABLES_MAX_KEY", tables_all[i]->name, keys);
    }
}

static const column *col(const char *tname, const char *name)
{
    const table *t = tables_find(tname);
    return &t->cols[table_column_index(t, name)];
}

/* Parses s for the column with the unit; returns 0 with *out, or -1 with the reason in why. */
static int parse(const column *c, int unit, const char *s, cell *out, char why[400])
{
    static arena a;
    arena_init(&a, 1024);
    int rc = cell_parse_unit(c, unit, s, strlen(s), &a, out, why, 400);
    if (out->kind == CELL_TEXT) { /* keep the text past the arena */
        static char copy[64];
        snprintf(copy, sizeof copy, "%.*s", (int)out->n, out->s);
        out->s = copy;
    }
    arena_free(&a);
    return rc;
}

static int64_t fen(const char *tname, const char *name, int unit, const char *s)
{
    cell v;
    char why[400];
    if (parse(col(tname, name), unit, s, &v, why) < 0)
        fail_msg("'%s': %s", s, why);
    assert_int_equal(v.kind, CELL_INT);
    return v.i;
}

static void refused(const char *tname, const char *name, int unit, const char *s, const char *reason)
{
    cell v;
    char why[400];
    assert_int_equal(parse(col(tname, name), unit, s, &v, why), -1);
    if (!strstr(why, reason))
        fail_msg("'%s': expected '%s' in '%s'", s, reason, why);
}

static void amounts_as_typed_are_exact(void **state)
{
    (void)state;
    assert_int_equal(fen("indicators", "revenue", 0, "1,234.50"), 123450);
    assert_int_equal(fen("indicators", "revenue", 0, "￥5,000.00"), 500000);
    assert_int_equal(fen("indicators", "revenue", 0, "¥5000"), 500000);
    assert_int_equal(fen("indicators", "revenue", 0, "12.3万"), 12300000);
    assert_int_equal(fen("indicators", "revenue", 0, "12.3 万元"), 12300000);
    assert_int_equal(fen("indicators", "revenue", 0, "0.5亿"), 5000000000);
    assert_int_equal(fen("indicators", "revenue", 0, "3億元"), 30000000000);
    assert_int_equal(fen("indicators", "revenue", 0, "1,234,567.89"), 123456789);
    assert_int_equal(fen("indicators", "value_added", 0, "-1,234.5"), -123450);
    /* a 万元 column: the figure moves four places; a cell's own unit wins */
    assert_int_equal(fen("indicators", "revenue", 4, "12.345678"), 12345678);
    assert_int_equal(fen("indicators", "revenue", 4, "7"), 7000000);
    assert_int_equal(fen("indicators", "revenue", 4, "5元"), 500);
    assert_int_equal(fen("indicators", "revenue", 8, "0.01"), 100000000);
    /* counts take separators, never units */
    assert_int_equal(fen("indicators", "employees", 4, "1,200"), 1200);
}

static void amounts_that_are_wrong_say_why(void **state)
{
    (void)state;
    refused("indicators", "revenue", 4, "12.3456789", "more than 2 decimals in '123456.789' (typed as '12.3456789')");
    refused("indicators", "revenue", 0, "12.3456789万", "more than 2 decimals");
    refused("indicators", "revenue", 0, "1.234", "more than 2 decimals");
    refused("indicators", "revenue", 0, "1,23.50", "does not separate thousands");
    refused("indicators", "revenue", 0, ",123", "does not separate thousands");
    refused("indicators", "revenue", 0, "1,2345", "does not separate thousands");
    refused("indicators", "revenue", 0, "12.3斤", "a unit after it may be 元, 万元 or 亿元");
    refused("indicators", "revenue", 0, "-5", "must not be negative");
    refused("indicators", "employees", 0, "12万", "is not a number");
    refused("indicators", "year", 4, "2023万", "is not a number");
    refused("indicators", "revenue", 0, "1000000000000万", "outside the safe range");
}

static void dates_typed_five_ways(void **state)
{
    (void)state;
    static const char *const forms[] = {"2023/1/5",   "2023-1-5",   "2023年1月5日", "20230105",
                                        "2023.01.05", "2023-01-05", " 2023/01/05 "};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        cell v;
        char why[400];
        if (parse(col("enterprises", "founded"), 0, forms[i], &v, why) < 0)
            fail_msg("'%s': %s", forms[i], why);
        assert_string_equal(v.s, "2023-01-05");
    }
    static const char *const bad[] = {"2023",     "2023/2/30", "2023/1/5日", "2023年1月5",
                                      "2023-1/5", "23/1/5",    "20231305",   "1/5/2023"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cell v;
        char why[400];
        if (parse(col("enterprises", "founded"), 0, bad[i], &v, why) == 0)
            fail_msg("'%s' was read as %s", bad[i], v.s);
    }
}

static void choices_by_label_in_either_script(void **state)
{
    (void)state;
    cell v;
    char why[400];
    assert_int_equal(parse(col("projects", "kind"), 0, "技术改造", &v, why), 0);
    assert_string_equal(v.s, "tech_upgrade");
    assert_int_equal(parse(col("projects", "kind"), 0, "技術改造", &v, why), 0);
    assert_string_equal(v.s, "tech_upgrade");
    assert_int_equal(parse(col("projects", "stage"), 0, "在建", &v, why), 0);
    assert_string_equal(v.s, "construction");
    assert_int_equal(parse(col("events", "kind"), 0, "已上市", &v, why), 0);
    assert_string_equal(v.s, "listed");
    assert_int_equal(parse(col("projects", "kind"), 0, "tech_upgrade", &v, why), 0);
    assert_string_equal(v.s, "tech_upgrade");
    refused("projects", "kind", 0, "技改",
            "'技改' is not one of new (新建), expansion (扩产), tech_upgrade (技术改造), other (其他)");
}

/* Every choice has a label, and no two choices of a column read the same once folded. */
static void every_choice_has_a_distinct_label(void **state)
{
    (void)state;
    for (size_t t = 0; t < tables_count; t++)
        for (size_t c = 0; c < tables_all[t]->ncols; c++) {
            const column *k = &tables_all[t]->cols[c];
            if (k->type != COL_ENUM)
                continue;
            size_t nv = 0, nl = 0;
            while (k->values[nv])
                nv++;
            while (k->labels_zh[nl])
                nl++;
            assert_int_equal(nv, nl);
            for (size_t i = 0; i < nv; i++)
                assert_int_equal(label_choice(k, k->labels_zh[i], strlen(k->labels_zh[i])), (int)i);
        }
}

static void headers_by_name_label_script_and_unit(void **state)
{
    (void)state;
    const table *ind = tables_find("indicators"), *ent = tables_find("enterprises");
    int unit;
    assert_int_equal(label_column(ind, "产值（万元）", strlen("产值（万元）"), &unit), table_column_index(ind, "output_value"));
    assert_int_equal(unit, 4);
    assert_int_equal(label_column(ind, "產值(萬元)", strlen("產值(萬元)"), &unit), table_column_index(ind, "output_value"));
    assert_int_equal(unit, 4);
    assert_int_equal(label_column(ind, "纳税额 (亿元)", strlen("纳税额 (亿元)"), &unit), table_column_index(ind, "tax_paid"));
    assert_int_equal(unit, 8);
    assert_int_equal(label_column(ind, "Output_Value", strlen("Output_Value"), &unit), table_column_index(ind, "output_value"));
    assert_int_equal(unit, 0);
    assert_int_equal(label_column(ind, "從業人員", strlen("從業人員"), &unit), table_column_index(ind, "employees"));
    assert_int_equal(label_column(ent, "統一社會信用代碼", strlen("統一社會信用代碼"), &unit), table_column_index(ent, "uscc"));
    assert_int_equal(label_column(ent, "所在市（區）", strlen("所在市（區）"), &unit), table_column_index(ent, "division"));
    assert_int_equal(unit, 0);
    /* a unit only on money; an unknown unit names nothing */
    assert_int_equal(label_column(ind, "年度(万元)", strlen("年度(万元)"), &unit), -1);
    assert_int_equal(label_column(ind, "产值(千元)", strlen("产值(千元)"), &unit), -1);
    assert_int_equal(label_column(ind, "产值万元", strlen("产值万元"), &unit), -1);
    assert_int_equal(label_unit("萬元", strlen("萬元")), 4);
    assert_int_equal(label_unit(" 元 ", strlen(" 元 ")), 0);
    assert_int_equal(label_unit("千元", strlen("千元")), -1);
    /* an option takes the words and their pinyin, but a cell's text stays Chinese */
    assert_int_equal(label_unit_option("亿元"), 8);
    assert_int_equal(label_unit_option("wan"), 4);
    assert_int_equal(label_unit_option("yuan"), 0);
    assert_int_equal(label_unit_option("qian"), -1);
    assert_int_equal(label_unit("wan", 3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amounts_as_typed_are_exact),
        cmocka_unit_test(amounts_that_are_wrong_say_why),
        cmocka_unit_test(dates_typed_five_ways),
        cmocka_unit_test(choices_by_label_in_either_script),
        cmocka_unit_test(every_choice_has_a_distinct_label),
        cmocka_unit_test(headers_by_name_label_script_and_unit),
        cmocka_unit_test(every_key_fits_tables_max_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
