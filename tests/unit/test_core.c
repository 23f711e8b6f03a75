/* Unit tests of src/core: money, USCC, dates, UTF-8, the CSV reader/writer, the string map and set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/date.h"
#include "core/money.h"
#include "core/pair.h"
#include "core/sort_u64.h"
#include "core/strmap.h"
#include "core/strset.h"
#include "core/text.h"
#include "core/uscc.h"

static int64_t parse_ok(const char *s)
{
    int64_t v = -1;
    char why[200];
    assert_int_equal(money_parse(s, strlen(s), true, &v, why, sizeof why), 0);
    return v;
}

static const char *parse_err(const char *s, bool allow_negative)
{
    static char why[200];
    int64_t v;
    assert_int_equal(money_parse(s, strlen(s), allow_negative, &v, why, sizeof why), -1);
    return why;
}

static void money_parses_yuan_into_fen(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("0"), 0);
    assert_int_equal(parse_ok("1"), 100);
    assert_int_equal(parse_ok("1.5"), 150);
    assert_int_equal(parse_ok("1.05"), 105);
    assert_int_equal(parse_ok("12345678.90"), 1234567890);
    assert_int_equal(parse_ok("-0.01"), -1);
    assert_int_equal(parse_ok(".5"), 50);
    assert_int_equal(parse_ok("92233720368547758.07"), INT64_MAX);
}

static void money_rejects_what_is_not_money(void **state)
{
    (void)state;
    assert_non_null(strstr(parse_err("1.234", true), "more than 2 decimals"));
    assert_non_null(strstr(parse_err("92233720368547758.08", true), "too large"));
    assert_non_null(strstr(parse_err("99999999999999999999", true), "too large"));
    assert_non_null(strstr(parse_err("1,000", true), "not a number"));
    assert_non_null(strstr(parse_err("abc", true), "not a number"));
    assert_non_null(strstr(parse_err("", true), "not a number"));
    assert_non_null(strstr(parse_err(".", true), "not a number"));
    assert_non_null(strstr(parse_err("1.2.3", true), "not a number"));
    assert_non_null(strstr(parse_err("-5", false), "negative"));
}

static void money_formats_exactly(void **state)
{
    (void)state;
    char buf[MONEY_FMT_MAX];
    money_format(0, buf);
    assert_string_equal(buf, "0.00");
    money_format(-1, buf);
    assert_string_equal(buf, "-0.01");
    money_format(300000000, buf);
    assert_string_equal(buf, "3000000.00");
    money_format(INT64_MIN, buf);
    assert_string_equal(buf, "-92233720368547758.08");
    money_format_grouped(123456789, buf);
    assert_string_equal(buf, "1,234,567.89");
    money_format_grouped(100, buf);
    assert_string_equal(buf, "1.00");
    money_format_in_unit(123456789, 4, buf); /* 1,234,567.89 yuan in 万元: every fen kept */
    assert_string_equal(buf, "123.456789");
    money_format_in_unit(3000000000, 4, buf);
    assert_string_equal(buf, "3,000.00");
    money_format_in_unit(10000000000, 8, buf); /* 1 亿元 */
    assert_string_equal(buf, "1.00");
    money_format_in_unit(-50, 4, buf);
    assert_string_equal(buf, "-0.00005");
    money_format_in_unit(123456789, 0, buf);
    assert_string_equal(buf, "1,234,567.89");
    money_format_in_unit(INT64_MIN, 8, buf);
    assert_string_equal(buf, "-922,337,203.6854775808");
    fixed_format_short(160, 2, buf, sizeof buf);
    assert_string_equal(buf, "1.6");
    fixed_format_short(300, 2, buf, sizeof buf);
    assert_string_equal(buf, "3");
}

static void money_scale_rounds_half_up_once(void **state)
{
    (void)state;
    int64_t r;
    /* 10% of 12,345,678.90 = 1,234,567.89 exactly */
    assert_true(money_scale(1234567890, 10, 100, &r));
    assert_int_equal(r, 123456789);
    /* 10% of 0.05 = 0.005 -> 0.01 (half up) */
    assert_true(money_scale(5, 1, 10, &r));
    assert_int_equal(r, 1);
    /* 10% of 0.04 = 0.004 -> 0.00 */
    assert_true(money_scale(4, 1, 10, &r));
    assert_int_equal(r, 0);
    /* negative: half away from zero */
    assert_true(money_scale(-5, 1, 10, &r));
    assert_int_equal(r, -1);
    /* 500% x 40% of 100,000.00 = 200,000.00 */
    assert_true(money_scale(10000000, 500 * 40, 100 * 100, &r));
    assert_int_equal(r, 20000000);
    assert_false(money_scale(INT64_MAX, 2, 1, &r));
    assert_false(money_scale(1, 1, 0, &r));
    /* a product just below 2^64 (one machine division) and one past it (128 bits) round alike:
     * (2^64 - 2) / 4 and (3 x (2^63 - 1)) / 6 are both 2^62 - 0.5 */
    assert_true(money_scale(INT64_MAX, 2, 4, &r));
    assert_int_equal(r, INT64_C(4611686018427387904));
    assert_true(money_scale(INT64_MAX, 3, 6, &r));
    assert_int_equal(r, INT64_C(4611686018427387904));
    assert_true(money_scale(-INT64_MAX, 3, 6, &r));
    assert_int_equal(r, -INT64_C(4611686018427387904));
    /* half up against the largest divisor */
    assert_true(money_scale(1, INT64_MAX / 2 + 1, INT64_MAX, &r));
    assert_int_equal(r, 1);
    assert_true(money_scale(1, INT64_MAX / 2, INT64_MAX, &r));
    assert_int_equal(r, 0);
    assert_false(money_add(INT64_MAX, 1, &r));
    assert_false(money_mul(INT64_MAX / 2 + 1, 2, &r));
    assert_true(money_sub(0, INT64_MAX, &r));
    assert_int_equal(r, -INT64_MAX);
}

static void uscc_accepts_valid_codes(void **state)
{
    (void)state;
    char why[200];
    char code[USCC_LEN + 1];
    uscc_complete("91440703MA4UQX1BX", code);
    assert_int_equal(uscc_validate(code, 18, why, sizeof why), 0);
    /* a published example: 91350100M000100Y43 */
    assert_int_equal(uscc_validate("91350100M000100Y43", 18, why, sizeof why), 0);
}

static void uscc_names_the_expected_check_character(void **state)
{
    (void)state;
    char why[200];
    assert_int_equal(uscc_validate("91350100M000100Y44", 18, why, sizeof why), -1);
    assert_string_equal(why, "check character is '4', expected '3'");
    assert_int_equal(uscc_validate("91350100M000100Y4", 17, why, sizeof why), -1);
    assert_string_equal(why, "must be 18 characters, got 17");
    assert_int_equal(uscc_validate("91350100I000100Y43", 18, why, sizeof why), -1);
    assert_non_null(strstr(why, "character 9 'I' is not allowed"));
    assert_int_equal(uscc_validate("91350100m000100Y43", 18, why, sizeof why), -1);
    assert_non_null(strstr(why, "upper case"));
}

static void uscc_check_of_31_is_zero(void **state)
{
    (void)state;
    /* Search bodies until one has sum % 31 == 0, whose check must be '0' (31 -> 0). */
    char body[18] = "9144070000000000";
    bool seen = false;
    for (int i = 0; i < 31 && !seen; i++) {
        body[16] = uscc_charset[i];
        body[17] = '\0';
        if (uscc_check_char(body) == '0')
            seen = true;
    }
    assert_true(seen);
}

static void dates_are_strict_and_calendar_true(void **state)
{
    (void)state;
    int32_t d;
    char why[200], buf[11];
    assert_int_equal(date_parse("2024-02-29", 10, &d, why, sizeof why), 0);
    date_format(d, buf);
    assert_string_equal(buf, "2024-02-29");
    assert_int_equal(date_parse("2023-02-29", 10, &d, why, sizeof why), -1);
    assert_int_equal(date_parse("2023-13-01", 10, &d, why, sizeof why), -1);
    assert_int_equal(date_parse("2023/01/01", 10, &d, why, sizeof why), -1);
    assert_int_equal(date_parse("23-01-01", 8, &d, why, sizeof why), -1);
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    /* 2026-11-27 is a Friday; 3 working days later is Wednesday 2026-12-02 */
    date_format(date_add_working_days(date_from_ymd(2026, 11, 27), 3), buf);
    assert_string_equal(buf, "2026-12-02");
}

static void utf8_validation_finds_the_bad_byte(void **state)
{
    (void)state;
    assert_true(utf8_valid("江门 ok", strlen("江门 ok")));
    assert_int_equal(utf8_invalid_at("ab\xff", 3), 2);
    assert_int_equal(utf8_invalid_at("\xc0\xaf", 2), 0);         /* overlong */
    assert_int_equal(utf8_invalid_at("\xed\xa0\x80", 3), 0);     /* surrogate */
    assert_int_equal(utf8_invalid_at("\xe6\xb1", 2), 0);         /* truncated */
    assert_int_equal(utf8_invalid_at("\xf4\x90\x80\x80", 4), 0); /* above U+10FFFF */
    assert_int_equal(utf8_length("江门", 6), 2);
}

/* What a terminal gives each character: CJK and full-width two columns, a combining mark none. */
static void display_width_counts_columns(void **state)
{
    (void)state;
    assert_int_equal(text_display_width("abc", 3), 3);
    assert_int_equal(text_display_width("江门市", strlen("江门市")), 6);
    assert_int_equal(text_display_width("金额（元）", strlen("金额（元）")), 10);
    assert_int_equal(text_display_width("e\xcc\x81", 3), 1); /* e + U+0301 */
    assert_int_equal(text_display_width("\xff"
                                        "a",
                                        2),
                     2);                                    /* an invalid byte counts one */
    assert_int_equal(text_display_width("\xe6\xb1", 2), 2); /* a truncated character: one per byte */
    assert_int_equal(text_display_width("1,234.50", 8), 8);
    const char *mixed = "江门 A1（集团）é";
    assert_int_equal(text_display_width(mixed, strlen(mixed)), 2 * 2 + 3 + 4 * 2 + 1);
    assert_int_equal(text_display_width("\xf0\xa0\x80\x80", 4), 2); /* U+20000, beyond the BMP */
}

/* Reads all records of data into "a|b|c;..." with line numbers: "L1:a|b;L3:c". */
static char *csv_dump(const char *data, size_t n, lz_err *err, int *rc)
{
    csv_reader *r = csv_open_mem(data, n, "t.csv");
    csv_record rec;
    strbuf out;
    strbuf_init(&out);
    while ((*rc = csv_next(r, &rec, err)) > 0) {
        strbuf_printf(&out, "%sL%ld:", out.len ? ";" : "", rec.line);
        for (size_t i = 0; i < rec.nfields; i++) {
            if (i)
                strbuf_putc(&out, '|');
            strbuf_append(&out, rec.fields[i], rec.lens[i]);
        }
    }
    csv_close(r);
    return strbuf_detach(&out);
}

static void csv_case(const char *in, const char *want)
{
    lz_err err;
    int rc;
    char *got = csv_dump(in, strlen(in), &err, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(got, want);
    free(got);
}

static void csv_error(const char *in, size_t n, const char *want)
{
    lz_err err;
    int rc;
    free(csv_dump(in, n, &err, &rc));
    assert_true(rc < 0);
    assert_string_equal(err.msg, want);
}

static void csv_reads_rfc4180_as_spreadsheets_write_it(void **state)
{
    (void)state;
    csv_case("a,b\n1,2\n", "L1:a|b;L2:1|2");
    csv_case("a,b\r\n1,2\r\n", "L1:a|b;L2:1|2");
    csv_case("\xEF\xBB\xBF"
             "a,b\n1,2",
             "L1:a|b;L2:1|2");
    csv_case("a,b\r1,2\r", "L1:a|b;L2:1|2");
    csv_case("a,b\n\n\n1,2\n", "L1:a|b;L4:1|2");
    csv_case("a,b\n,\n", "L1:a|b;L2:|");
    csv_case("a\n\"x,\"\"y\"\"\"\n", "L1:a;L2:x,\"y\"");
    csv_case("a,b\n\"line1\nline2\",z\n3,4\n", "L1:a|b;L2:line1\nline2|z;L4:3|4");
    csv_case("a,b\n\"\",x\n", "L1:a|b;L2:|x");
    csv_case("", "");
}

static void csv_reports_the_line_of_a_broken_field(void **state)
{
    (void)state;
    csv_error("a\n\"open\n", 8, "t.csv:2: quoted field 1 is never closed (missing '\"')");
    csv_error("a,b\n1,x\"y\n", 10, "t.csv:2: field 2 has a '\"' inside an unquoted value (quote the whole field)");
    csv_error("a\n\"q\"x\n", 7, "t.csv:2: field 1 has text after its closing quote");
    csv_error("a,b\n1,\xff\n", 7, "t.csv:2: field 2 is not valid UTF-8 (byte 1); save the file as UTF-8");
}

static void csv_takes_very_long_fields(void **state)
{
    (void)state;
    size_t n = 3 * 1024 * 1024;
    char *data = malloc(n + 8);
    memcpy(data, "a\n", 2);
    memset(data + 2, 'x', n);
    memcpy(data + 2 + n, "\n", 1);
    csv_reader *r = csv_open_mem(data, n + 3, "big.csv");
    csv_record rec;
    lz_err err;
    assert_int_equal(csv_next(r, &rec, &err), 1);
    assert_int_equal(csv_next(r, &rec, &err), 1);
    assert_int_equal(rec.lens[0], n);
    csv_close(r);
    free(data);
}

static void csv_writer_quotes_only_when_needed(void **state)
{
    (void)state;
    strbuf b;
    strbuf_init(&b);
    csv_write_field(&b, "plain", 5);
    strbuf_putc(&b, '|');
    csv_write_field(&b, "a,b", 3);
    strbuf_putc(&b, '|');
    csv_write_field(&b, "say \"hi\"", 8);
    strbuf_putc(&b, '|');
    csv_write_field(&b, "l1\nl2", 5);
    assert_string_equal(b.data, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"l1\nl2\"");
    strbuf_free(&b);
}

static void strmap_finds_every_key_across_growth(void **state)
{
    (void)state;
    enum { N = 50000 };
    static char keys[N][16];
    strmap m = {0};
    assert_int_equal(strmap_get(&m, "absent", 6), -1);
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        assert_int_equal(strmap_put(&m, keys[i], strlen(keys[i]), i), i);
    }
    assert_int_equal(m.count, N);
    for (int i = 0; i < N; i++)
        assert_int_equal(strmap_get(&m, keys[i], strlen(keys[i])), i);
    assert_int_equal(strmap_put(&m, "k7", 2, 99), 7); /* present: the stored value stays */
    assert_int_equal(strmap_get(&m, "k", 1), -1);     /* a prefix of a key is another key */
    assert_int_equal(strmap_get(&m, "k70", 2), 7);    /* only the first n bytes count */
    strmap_free(&m);
}

/* strmap_get_many answers as strmap_get does key by key: keys present (a thousand, so that some
 * probe past others), absent, a prefix of the keys, an empty map, more keys than one group. */
static void strmap_get_many_answers_as_get_does(void **state)
{
    (void)state;
    enum { N = 1000, ASKED = 2 * N + 3 };
    static char keys[N][16], asked_text[ASKED][16];
    const char *asked[ASKED];
    size_t lens[ASKED];
    int32_t got[ASKED];
    strmap m = {0};
    for (size_t i = 0; i < ASKED; i++) {
        if (i < N)
            snprintf(asked_text[i], sizeof asked_text[i], "k%zu", i * 7 % N); /* present, in another order */
        else
            snprintf(asked_text[i], sizeof asked_text[i], "%s%zu", i % 2 ? "k" : "x", i); /* absent, some look alike */
        asked[i] = asked_text[i];
        lens[i] = strlen(asked_text[i]);
    }
    strmap_get_many(&m, asked, lens, ASKED, got);
    for (size_t i = 0; i < ASKED; i++)
        assert_int_equal(got[i], -1);
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        strmap_put(&m, keys[i], strlen(keys[i]), i);
    }
    lens[ASKED - 1] = 1; /* "k": a prefix of every key, itself none */
    strmap_get_many(&m, asked, lens, ASKED, got);
    for (size_t i = 0; i < ASKED; i++)
        assert_int_equal(got[i], strmap_get(&m, asked[i], lens[i]));
    for (size_t i = 0; i < N; i++)
        assert_int_equal(got[i], (int32_t)(i * 7 % N));
    assert_int_equal(got[ASKED - 1], -1);
    strmap_free(&m);
}

static void strmap_reserve_keeps_the_contents(void **state)
{
    (void)state;
    strmap m = {0};
    strmap_put(&m, "a\0b", 3, 1); /* byte strings: an inner NUL is part of the key */
    strmap_put(&m, "a\0c", 3, 2);
    strmap_reserve(&m, 100000);
    assert_true(m.cap >= 200000);
    assert_int_equal(strmap_get(&m, "a\0b", 3), 1);
    assert_int_equal(strmap_get(&m, "a\0c", 3), 2);
    assert_int_equal(strmap_get(&m, "a", 1), -1);
    strmap_free(&m);
}

static void strset_notices_repeats(void **state)
{
    (void)state;
    strset s;
    strset_init(&s);
    char key[8] = "x=1";
    assert_true(strset_add(&s, key, 3));
    strcpy(key, "x=2"); /* the set keeps its own copy */
    assert_true(strset_add(&s, key, 3));
    assert_false(strset_add(&s, "x=1", 3));
    assert_false(strset_add(&s, "x=2", 3));
    strset_free(&s);
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Against qsort: keys differing in every byte, in the low bytes only (passes skipped), repeats,
 * and the edges (none, one, all equal). */
static void sort_u64_orders_as_qsort(void **state)
{
    (void)state;
    enum { N = 5000 };
    uint64_t *v = malloc(N * sizeof *v), *want = malloc(N * sizeof *want), *scratch = malloc(N * sizeof *scratch);
    uint64_t x = 88172645463325252ull; /* xorshift: the same keys on every run */
    for (int shape = 0; shape < 4; shape++) {
        for (size_t i = 0; i < N; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v[i] = shape == 0 ? x : shape == 1 ? (0xabcdull << 48 | (x & 0xffff)) : shape == 2 ? x % 7 : 42;
        }
        memcpy(want, v, N * sizeof *v);
        qsort(want, N, sizeof *want, by_u64);
        sort_u64(v, N, scratch);
        assert_memory_equal(v, want, N * sizeof *v);
    }
    uint64_t one = 9;
    sort_u64(&one, 1, scratch);
    sort_u64(NULL, 0, scratch);
    assert_int_equal(one, 9);
    free(v);
    free(want);
    free(scratch);
}

static int by_u128(const void *a, const void *b)
{
    const sort_u128_item *x = a, *y = b;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return (x->value > y->value) - (x->value < y->value); /* stable: the values were written in order */
}

/* Against qsort on (hi, lo, then the original order): keys differing in both words, in the low
 * word only (the high word's passes skipped), and repeated. */
static void sort_u128_orders_by_both_words_stably(void **state)
{
    (void)state;
    enum { N = 5000 };
    sort_u128_item *v = malloc(N * sizeof *v), *want = malloc(N * sizeof *want), *scratch = malloc(N * sizeof *scratch);
    uint64_t x = 88172645463325252ull;
    for (int shape = 0; shape < 3; shape++) {
        for (size_t i = 0; i < N; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            uint64_t hi = shape == 1 ? 0x3931333230353030ull : x % 5, lo = shape == 2 ? x % 3 : x;
            v[i] = (sort_u128_item){hi, lo, i};
        }
        memcpy(want, v, N * sizeof *v);
        qsort(want, N, sizeof *want, by_u128);
        sort_u128(v, N, scratch);
        assert_memory_equal(v, want, N * sizeof *v);
    }
    free(v);
    free(want);
    free(scratch);
}

/* Keys written in order of their low half (a place below a score, with repeated scores): sorting
 * the high half alone gives the whole order, as qsort does. */
static void sort_u64_above_keeps_the_low_order(void **state)
{
    (void)state;
    enum { N = 5000 };
    uint64_t *v = malloc(N * sizeof *v), *want = malloc(N * sizeof *want), *scratch = malloc(N * sizeof *scratch);
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        v[i] = (x % 97 + (x & 1 ? 0xfffff000ull : 0)) << 32 | i;
    }
    memcpy(want, v, N * sizeof *v);
    qsort(want, N, sizeof *want, by_u64);
    sort_u64_above(v, N, scratch, 32);
    assert_memory_equal(v, want, N * sizeof *v);
    free(v);
    free(want);
    free(scratch);
}

static void count_up(void *arg)
{
    for (int i = 0; i < 1000; i++)
        ((int *)arg)[i] = i;
}

static void pair_runs_both_halves(void **state)
{
    (void)state;
    int a[1000] = {0}, b[1000] = {0};
    assert_true(pair_run(count_up, a, count_up, b));
    assert_int_equal(a[999], 999);
    assert_int_equal(b[999], 999);
}

static void double_text_is(double d, const char *want)
{
    strbuf b;
    strbuf_init(&b);
    text_from_double(d, &b);
    assert_string_equal(b.data, want);
    strbuf_free(&b);
}

/* Doubles read as a spreadsheet shows them: 15 significant digits, never an exponent, and the
 * text is bounded (a double's exponent is at most 308). */
static void doubles_read_as_spreadsheets_show_them(void **state)
{
    (void)state;
    double_text_is(73338502.95999999, "73338502.96");
    double_text_is(99.98999999999999, "99.99");
    double_text_is(1234.5000000000002, "1234.5");
    double_text_is(-0.1 - 0.2, "-0.3");
    double_text_is(9999999999999.99, "9999999999999.99");
    double_text_is(1e16, "10000000000000000");
    double_text_is(1.5e-7, "0.00000015");
    double_text_is(-0.0, "0");
    strbuf b;
    strbuf_init(&b);
    text_from_double(-1.7976931348623157e308, &b);
    assert_int_equal(b.len, 310);
    assert_memory_equal(b.data, "-179769313486232", 16);
    strbuf_free(&b);
}

/* CSV export guards text a spreadsheet would run as a formula; import takes off exactly that. */
static void csv_guards_formulas_and_unguards_exactly(void **state)
{
    (void)state;
    static const struct {
        const char *text, *csv;
    } cases[] = {
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"+1", "'+1"},
        {"-1", "'-1"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"\r=1", "\"'\r=1\""},
        {"'=1", "''=1"},
        {"''-x", "'''-x"},
        {"'quoted'", "'quoted'"},
        {"a=b", "a=b"},
        {"'", "'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        strbuf out;
        strbuf_init(&out);
        csv_write_text(&out, cases[i].text, strlen(cases[i].text));
        assert_string_equal(out.data, cases[i].csv);
        csv_reader *r = csv_open_mem(out.data, out.len, "t.csv");
        csv_record rec;
        lz_err err;
        assert_int_equal(csv_next(r, &rec, &err), 1);
        const char *field = rec.fields[0];
        size_t n = rec.lens[0];
        csv_unguard(&field, &n);
        assert_int_equal(n, strlen(cases[i].text));
        assert_memory_equal(field, cases[i].text, n);
        csv_close(r);
        strbuf_free(&out);
    }
}

/* errlist.before_add: what a late producer holds goes first, and its own messages do not call it again. */
static int late_calls;

static void report_late(void *ctx)
{
    late_calls++;
    errlist_add(ctx, "late %d", late_calls);
}

static void errlist_reports_the_late_producer_first(void **state)
{
    (void)state;
    errlist l;
    errlist_init(&l, 10);
    l.before_add = report_late;
    l.before_add_ctx = &l;
    late_calls = 0;
    errlist_add(&l, "first");
    errlist_add(&l, "second");
    assert_int_equal(late_calls, 2);
    assert_int_equal(l.total, 4);
    assert_string_equal(l.items[0], "late 1");
    assert_string_equal(l.items[1], "first");
    assert_string_equal(l.items[2], "late 2");
    assert_string_equal(l.items[3], "second");
    assert_true(l.before_add == report_late);
    errlist_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(errlist_reports_the_late_producer_first),
        cmocka_unit_test(money_parses_yuan_into_fen),
        cmocka_unit_test(money_rejects_what_is_not_money),
        cmocka_unit_test(money_formats_exactly),
        cmocka_unit_test(money_scale_rounds_half_up_once),
        cmocka_unit_test(uscc_accepts_valid_codes),
        cmocka_unit_test(uscc_names_the_expected_check_character),
        cmocka_unit_test(uscc_check_of_31_is_zero),
        cmocka_unit_test(dates_are_strict_and_calendar_true),
        cmocka_unit_test(utf8_validation_finds_the_bad_byte),
        cmocka_unit_test(csv_reads_rfc4180_as_spreadsheets_write_it),
        cmocka_unit_test(csv_reports_the_line_of_a_broken_field),
        cmocka_unit_test(csv_takes_very_long_fields),
        cmocka_unit_test(csv_writer_quotes_only_when_needed),
        cmocka_unit_test(strmap_finds_every_key_across_growth),
        cmocka_unit_test(strmap_get_many_answers_as_get_does),
        cmocka_unit_test(strmap_reserve_keeps_the_contents),
        cmocka_unit_test(strset_notices_repeats),
        cmocka_unit_test(sort_u64_orders_as_qsort),
        cmocka_unit_test(sort_u64_above_keeps_the_low_order),
        cmocka_unit_test(sort_u128_orders_by_both_words_stably),
        cmocka_unit_test(pair_runs_both_halves),
        cmocka_unit_test(doubles_read_as_spreadsheets_show_them),
        cmocka_unit_test(display_width_counts_columns),
        cmocka_unit_test(csv_guards_formulas_and_unguards_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
