/* Unit tests of src/analysis/masters_criteria: the criteria file, its defaults and its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/masters_criteria.h"

static char *write_file(const char *text)
{
    static char path[] = "/tmp/lz_criteria_XXXXXX";
    strcpy(path, "/tmp/lz_criteria_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void defaults_weigh_to_one_hundred_percent(void **state)
{
    (void)state;
    masters_criteria c;
    masters_criteria_defaults(&c);
    int64_t sum = 0;
    for (int k = 0; k < MASTERS_CRITERIA_COUNT; k++)
        sum += c.p[k].value;
    assert_int_equal(sum, 10000);
    assert_int_equal(c.p[MP_BATCH_SIZE].value, 3);
    assert_string_equal(masters_criteria_name(MC_GROWTH), "growth");
    assert_string_equal(masters_criteria_label(MC_REVENUE), "主营业务规模");
}

static void file_overrides_weights_floor_and_batch(void **state)
{
    (void)state;
    masters_criteria c;
    masters_criteria_defaults(&c);
    /* revenue 20% -> 25%, tax 15% -> 10%: still 100% */
    char *path = write_file("# comment\n\nweight.revenue = 25% article\nweight.tax_paid = 0.1000 assumed\n"
                            "gate.revenue_floor = 20000000.00 confirmed 某局通知  # why\nbatch.size = 4 assumed\n");
    lz_err err = {0};
    assert_int_equal(masters_criteria_load(&c, path, &err), 0);
    unlink(path);
    assert_int_equal(c.p[MC_REVENUE].value, 2500);
    assert_int_equal(c.p[MC_REVENUE].source, THRESHOLDS_ARTICLE);
    assert_int_equal(c.p[MC_TAX_PAID].value, 1000);
    assert_int_equal(c.p[MP_REVENUE_FLOOR].value, 2000000000); /* fen */
    assert_string_equal(c.p[MP_REVENUE_FLOOR].document, "某局通知");
    assert_int_equal(c.p[MP_BATCH_SIZE].value, 4);
    assert_int_equal(c.p[MP_BATCH_RESERVES].value, 2); /* not in the file: the default */
}

static const char *load_error(const char *text)
{
    static lz_err err;
    masters_criteria c, before;
    masters_criteria_defaults(&c);
    before = c;
    char *path = write_file(text);
    err_clear(&err);
    assert_int_equal(masters_criteria_load(&c, path, &err), LZ_EINPUT);
    unlink(path);
    assert_memory_equal(&c, &before, sizeof c); /* a bad file changes nothing */
    return strstr(err.msg, ":") ? strstr(err.msg, ":") + 1 : err.msg;
}

static void file_errors_name_the_line(void **state)
{
    (void)state;
    assert_string_equal(load_error("batch.size = 2 assumed\nweight.nope = 1% assumed\n"), "2: unknown parameter 'weight.nope'");
    assert_string_equal(load_error("\n# x\nweight.revenue 20% assumed\n"), "3: expected '=' after weight.revenue");
    assert_string_equal(load_error("batch.size = 2\n"), "1: batch.size: a source (article, assumed, confirmed) after the value");
    assert_string_equal(load_error("batch.size = 2 confirmed\n"),
                        "1: batch.size: a confirmed value names its document, and only a confirmed one");
    assert_string_equal(load_error("batch.size = 2%  assumed\n"), "1: batch.size: a whole number, not '2%'");
    assert_string_equal(load_error("gate.revenue_floor = 5% assumed\n"), "1: gate.revenue_floor: a sum of yuan, not '5%'");
    assert_string_equal(load_error("weight.revenue = 101% assumed\n"), "1: weight.revenue: at most 100%, not '101%'");
    assert_string_equal(load_error("weight.revenue = 30% assumed\n\n# end\n"), "1: the weights sum to 1.1000, not 1.0000 (100%)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_weigh_to_one_hundred_percent),
        cmocka_unit_test(file_overrides_weights_floor_and_batch),
        cmocka_unit_test(file_errors_name_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
