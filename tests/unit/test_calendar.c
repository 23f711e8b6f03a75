/* Unit tests of the official working-day calendar (store/calendar.h) and of appeal due dates
 * counted in it (workflow_due_date), on the shipped notices of data/calendar/ and on known
 * dates: the day before a Golden Week, a make-up Saturday, a year without a notice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"

#include "core/date.h"
#include "core/strbuf.h"
#include "store/calendar.h"
#include "store/workflow.h"

typedef struct fixture {
    char path[TESTDB_PATH_MAX];
    store *st;
} fixture;

static void load(store *st, int year)
{
    char file[64];
    snprintf(file, sizeof file, "data/calendar/%d.csv", year);
    strbuf text;
    strbuf_init(&text);
    lz_err err = {0};
    size_t n = 0;
    assert_int_equal(strbuf_read_file(&text, file, &err), 0);
    assert_int_equal(store_begin(st, &err), 0);
    if (calendar_load_year(st, year, text.data, text.len, file, &n, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(store_commit(st, &err), 0);
    assert_true(n > 20);
    strbuf_free(&text);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->st = testdb_create(f->path);
    for (int y = 2021; y <= 2026; y++)
        load(f->st, y);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->st);
    testdb_remove(f->path);
    free(f);
    return 0;
}

/* The day n working days after y-m-d, as text; *fallback_year as calendar_add_working_days says. */
static const char *after(store *st, int y, int m, int d, int n, int *fallback_year)
{
    static char text[DATE_LEN + 1];
    int32_t day;
    lz_err err = {0};
    assert_int_equal(calendar_add_working_days(st, date_from_ymd(y, m, d), n, &day, fallback_year, &err), 0);
    date_format(day, text);
    return text;
}

static void the_day_before_national_day_2023_waits_out_the_eight_days_off(void **state)
{
    fixture *f = *state;
    int fb;
    /* 2023-09-29..10-06 off; Saturday 10-07 and Sunday 10-08 are worked */
    assert_string_equal(after(f->st, 2023, 9, 28, 5, &fb), "2023-10-11");
    assert_int_equal(fb, 0);
    assert_string_equal(after(f->st, 2023, 9, 28, 1, &fb), "2023-10-07");
}

static void make_up_weekends_count_and_holidays_do_not(void **state)
{
    fixture *f = *state;
    int fb;
    /* Spring Festival 2026: 02-15..02-23 off, Saturdays 02-14 and 02-28 worked */
    assert_string_equal(after(f->st, 2026, 2, 13, 1, &fb), "2026-02-14");
    assert_string_equal(after(f->st, 2026, 2, 14, 1, &fb), "2026-02-24");
    assert_string_equal(after(f->st, 2026, 2, 24, 4, &fb), "2026-02-28");
    /* Labour Day 2025: 05-01..05-05 off, Sunday 04-27 worked */
    assert_string_equal(after(f->st, 2025, 4, 25, 1, &fb), "2025-04-27");
    assert_string_equal(after(f->st, 2025, 4, 30, 1, &fb), "2025-05-06");
    /* New Year 2023 began on Saturday 2022-12-31, in the 2023 notice: Monday 01-02 is off */
    assert_string_equal(after(f->st, 2022, 12, 30, 1, &fb), "2023-01-03");
    assert_int_equal(fb, 0);
}

static void a_year_without_a_notice_counts_monday_to_friday_and_says_which(void **state)
{
    fixture *f = *state;
    int fb;
    assert_string_equal(after(f->st, 2026, 12, 30, 3, &fb), "2027-01-04");
    assert_int_equal(fb, 2027);
    assert_string_equal(after(f->st, 2020, 12, 31, 1, &fb), "2021-01-04");
    assert_int_equal(fb, 0); /* 2021-01-01..03 off by the 2021 notice; 2020 was not counted in */
}

static void an_appeal_is_due_after_its_categorys_working_days(void **state)
{
    fixture *f = *state;
    lz_err err = {0};
    int32_t due;
    int fb;
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(workflow_deadline_set(f->st, "finance", 5, &err), 0);
    assert_int_equal(store_commit(f->st, &err), 0);
    assert_int_equal(workflow_due_date(f->st, "finance", date_from_ymd(2023, 9, 28), &due, &fb, &err), 0);
    assert_int_equal(due, date_from_ymd(2023, 10, 11));
    /* no deadline of its own: the default's ten working days */
    assert_int_equal(workflow_due_date(f->st, "other", date_from_ymd(2023, 9, 28), &due, &fb, &err), 0);
    assert_int_equal(due, date_from_ymd(2023, 10, 18));
}

static void a_bad_file_is_refused_with_its_line(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"date,kind,name\n2027-10-01,holiday,x\n", "t.csv:2: 2027-10-01 is outside the notice of 2026"},
        {"date,kind,name\n2026-10-01,vacation,x\n", "t.csv:2: kind: 'vacation' is neither holiday nor workday"},
        {"date,kind,name\n2026-10-12,workday,x\n", "t.csv:2: 2026-10-12 is a make-up working day but already a weekday"},
        {"date,kind,name\n2026-10-01,holiday,x\n2026-10-01,holiday,x\n", "t.csv:3: 2026-10-01 is listed twice"},
        {"2026-10-01,holiday,x\n", "t.csv:1: the first line is the header date,kind,name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lz_err err = {0};
        size_t n;
        assert_int_equal(store_begin(f->st, &err), 0);
        assert_int_equal(calendar_load_year(f->st, 2026, cases[i].text, strlen(cases[i].text), "t.csv", &n, &err), LZ_EINPUT);
        store_rollback(f->st);
        assert_non_null(strstr(err.msg, cases[i].msg));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_day_before_national_day_2023_waits_out_the_eight_days_off, setup, teardown),
        cmocka_unit_test_setup_teardown(make_up_weekends_count_and_holidays_do_not, setup, teardown),
        cmocka_unit_test_setup_teardown(a_year_without_a_notice_counts_monday_to_friday_and_says_which, setup, teardown),
        cmocka_unit_test_setup_teardown(an_appeal_is_due_after_its_categorys_working_days, setup, teardown),
        cmocka_unit_test_setup_teardown(a_bad_file_is_refused_with_its_line, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
