/* Unit tests of src/analysis: ratios printed half-up, the growth still needed, the thresholds file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/progress.h"
#include "analysis/ratio.h"
#include "analysis/thresholds.h"

static const char *ratio(int64_t num, int64_t den)
{
    static char buf[RATIO_FMT_MAX];
    return ratio_format(num, den, buf) ? buf : "null";
}

static void ratios_round_half_up_to_four_decimals(void **state)
{
    (void)state;
    assert_string_equal(ratio(9, 20), "0.4500");
    assert_string_equal(ratio(1, 3), "0.3333");
    assert_string_equal(ratio(2, 3), "0.6667");
    assert_string_equal(ratio(1, 20000), "0.0001"); /* exactly half a basis point rounds up */
    assert_string_equal(ratio(1, 20001), "0.0000");
    assert_string_equal(ratio(-1, 20000), "-0.0001"); /* and away from zero below it */
    assert_string_equal(ratio(3, 1), "3.0000");
    assert_string_equal(ratio(1, 0), "null");
    assert_string_equal(ratio(0, 0), "null");
}

static void ratios_do_not_overflow_on_large_money(void **state)
{
    (void)state;
    /* 9e18 fen x 10000 does not fit in 64 bits; the quotient does */
    assert_string_equal(ratio(INT64_C(9000000000000000000), INT64_C(9000000000000000000)), "1.0000");
}

/* One whole, many parts: the same basis points as ratio_bp at the halves' edges, at the ends, for
 * wholes up to the largest and for parts drawn at random. */
static void parts_of_one_whole_round_as_ratio_bp(void **state)
{
    (void)state;
    const int64_t wholes[] = {1, 3, 7, 20000, 20001, 999983, INT64_C(123456789012345), INT64_C(4611686018427387903), INT64_MAX};
    uint64_t x = 88172645463325252ull;
    for (size_t w = 0; w < sizeof wholes / sizeof *wholes; w++) {
        ratio_whole whole = ratio_whole_of(wholes[w]);
        for (int k = 0; k < 20000; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            int64_t part = k < 3 ? (int64_t[]){0, wholes[w], wholes[w] / 2}[k] : (int64_t)(x % ((uint64_t)wholes[w] + 1));
            int64_t want = -1;
            assert_true(ratio_bp(part, wholes[w], &want));
            assert_int_equal(ratio_part_bp(&whole, part), want);
        }
    }
    ratio_whole half = ratio_whole_of(20000);
    assert_int_equal(ratio_part_bp(&half, 1), 1); /* half a basis point rounds up */
    assert_int_equal(ratio_part_bp(&half, 0), 0);
    ratio_whole just_over = ratio_whole_of(20001);
    assert_int_equal(ratio_part_bp(&just_over, 1), 0);
}

static int64_t needed(int64_t target, int64_t output, int years)
{
    int64_t bp = -1;
    return progress_needed_bp(target, output, years, &bp) ? bp : INT64_MIN;
}

static void growth_needed_is_the_yearly_root(void **state)
{
    (void)state;
    assert_int_equal(needed(115200, 80000, 2), 2000);  /* 1.44^(1/2) = 1.2 */
    assert_int_equal(needed(100000, 40000, 2), 5811);  /* 2.5^(1/2) = 1.58113... */
    assert_int_equal(needed(110000, 100000, 1), 1000); /* one year left: the ratio itself */
    assert_int_equal(needed(800, 1000, 2), -1056);     /* ahead of target: 0.8^(1/2) - 1 = -0.10557... */
    assert_int_equal(needed(100, 100, 3), 0);
    assert_int_equal(needed(100, 0, 2), INT64_MIN);
    assert_int_equal(needed(100, 50, 0), INT64_MIN); /* the target year itself */
}

static char *write_conf(const char *text)
{
    static char path[] = "/tmp/lz_thresholds_XXXXXX";
    strcpy(path, "/tmp/lz_thresholds_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void thresholds_file_overrides_the_defaults(void **state)
{
    (void)state;
    thresholds t;
    thresholds_defaults(&t);
    assert_int_equal(t.p[TH_THIN_SUPPLY_RATE].value, 3000);
    assert_int_equal(t.p[TH_PROGRESS_CONSTRUCTION].value, 5000);
    char *path = write_conf("# comment\n\ndiagnosis.thin_supply_rate = 25.5%   assumed\n"
                            "lights.progress.land = 0.2500 confirmed 某局通知 2024-01-01  # why\n"
                            "diagnosis.thin_max_enterprises = 4 article\n");
    lz_err err = {0};
    assert_int_equal(thresholds_load(&t, path, &err), 0);
    unlink(path);
    assert_int_equal(t.p[TH_THIN_SUPPLY_RATE].value, 2550);
    assert_int_equal(t.p[TH_PROGRESS_LAND].value, 2500);
    assert_int_equal(t.p[TH_PROGRESS_LAND].source, THRESHOLDS_CONFIRMED);
    assert_string_equal(t.p[TH_PROGRESS_LAND].document, "某局通知 2024-01-01");
    assert_int_equal(t.p[TH_THIN_MAX_ENTERPRISES].value, 4);
    assert_int_equal(t.p[TH_THIN_MAX_ENTERPRISES].source, THRESHOLDS_ARTICLE);
    assert_int_equal(t.p[TH_RED_ABOVE].value, 3000); /* not in the file: the default */
    assert_int_equal(thresholds_stage_progress("land"), TH_PROGRESS_LAND);
    assert_int_equal(thresholds_stage_progress("nowhere"), -1);
}

static const char *load_error(const char *text)
{
    static lz_err err;
    thresholds t, before;
    thresholds_defaults(&t);
    before = t;
    char *path = write_conf(text);
    err_clear(&err);
    assert_int_equal(thresholds_load(&t, path, &err), LZ_EINPUT);
    unlink(path);
    assert_memory_equal(&t, &before, sizeof t); /* a bad file changes nothing */
    return strstr(err.msg, ":") ? strstr(err.msg, ":") + 1 : err.msg;
}

static void thresholds_file_errors_name_the_line(void **state)
{
    (void)state;
    assert_string_equal(load_error("lights.red_above = 20% assumed\nnope = 1 assumed\n"), "2: unknown parameter 'nope'");
    assert_string_equal(load_error("lights.red_above 20% assumed\n"), "1: expected '=' after lights.red_above");
    assert_string_equal(load_error("lights.red_above = 20%\n"),
                        "1: lights.red_above: a source (article, assumed, confirmed) after the value");
    assert_string_equal(load_error("lights.red_above = 20% confirmed\n"),
                        "1: lights.red_above: a confirmed value names its document, and only a confirmed one");
    assert_string_equal(load_error("lights.red_above = 20% assumed 某文件\n"),
                        "1: lights.red_above: a confirmed value names its document, and only a confirmed one");
    assert_string_equal(load_error("lights.red_above = 101% assumed\n"), "1: at most 100% (1.0000), not '101%'");
    assert_string_equal(load_error("diagnosis.thin_max_enterprises = 2.5 assumed\n"), "1: a whole number, not '2.5'");
    assert_non_null(strstr(load_error("diagnosis.thin_supply_rate = 0.30001 assumed\n"), "1: "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ratios_round_half_up_to_four_decimals),  cmocka_unit_test(ratios_do_not_overflow_on_large_money),
        cmocka_unit_test(parts_of_one_whole_round_as_ratio_bp),   cmocka_unit_test(growth_needed_is_the_yearly_root),
        cmocka_unit_test(thresholds_file_overrides_the_defaults), cmocka_unit_test(thresholds_file_errors_name_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
