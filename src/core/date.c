/* date — civil-date arithmetic (Howard Hinnant's days_from_civil algorithm). */
#include "core/date.h"

#include <stdio.h>
#include <time.h>

int32_t date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_to_ymd(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dim[m - 1];
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int date_parse(const char *s, size_t n, int32_t *days, char *why, size_t whylen)
{
    if (n != DATE_LEN || s[4] != '-' || s[7] != '-') {
        snprintf(why, whylen, "'%.*s' is not a date (expected YYYY-MM-DD)", (int)(n > 20 ? 20 : n), s);
        return -1;
    }
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0) {
        snprintf(why, whylen, "'%.*s' is not a date (expected YYYY-MM-DD)", (int)n, s);
        return -1;
    }
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
        snprintf(why, whylen, "'%.*s' is not a calendar day between 1900 and 2199", (int)n, s);
        return -1;
    }
    *days = date_from_ymd(y, m, d);
    return 0;
}

void date_format(int32_t days, char buf[DATE_LEN + 1])
{
    int y, m, d;
    date_to_ymd(days, &y, &m, &d);
    snprintf(buf, DATE_LEN + 1, "%04d-%02d-%02d", y, m, d);
}

int date_weekday(int32_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int w = (days + 3) % 7;
    return w < 0 ? w + 7 : w;
}

int32_t date_add_working_days(int32_t days, int n)
{
    while (n > 0) {
        days++;
        if (date_weekday(days) < 5)
            n--;
    }
    return days;
}

int32_t date_today(void)
{
    time_t now = time(NULL) + 8 * 3600;
    return (int32_t)(now / 86400);
}

void date_now_utc(char buf[DATE_STAMP_SIZE])
{
    time_t now = time(NULL);
    struct tm tm;
    strftime(buf, DATE_STAMP_SIZE, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
}
