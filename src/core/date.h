/*
 * date — ISO 8601 calendar dates (YYYY-MM-DD) as text and as day numbers.
 * Day numbers count from 1970-01-01 (proleptic Gregorian), so differences are days.
 */
#ifndef LZ_DATE_H
#define LZ_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DATE_LEN 10

/* Strict YYYY-MM-DD with a real calendar day in 1900..2199. Returns 0 or -1 with why. */
int date_parse(const char *s, size_t n, int32_t *days, char *why, size_t whylen);
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* Writes "YYYY-MM-DD" and a NUL into buf (11 bytes). */
void date_format(int32_t days, char buf[DATE_LEN + 1]);
/* 0 = Monday .. 6 = Sunday. */
int date_weekday(int32_t days);
/* The day `n` working days (Monday..Friday) after `days`. */
int32_t date_add_working_days(int32_t days, int n);
/* Today in UTC+8 (the city's civil date). */
int32_t date_today(void);
/* Now in UTC as the records stamp it, "2024-05-20T08:30:00Z". */
#define DATE_STAMP_SIZE 32
void date_now_utc(char buf[DATE_STAMP_SIZE]);

#endif
