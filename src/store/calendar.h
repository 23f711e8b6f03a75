/*
 * calendar — China's official working days: the public holidays and the make-up working days
 * (调休, a Saturday or Sunday worked in exchange for a weekday off) that the State Council's notice
 * arranges for each year (国务院办公厅关于X年部分节假日安排的通知). Appeal deadlines count in these
 * working days (store/workflow.c).
 *
 * A year is loaded whole from a CSV file, `date,kind,name` with kind holiday or workday, as
 * data/calendar/YEAR.csv ships it; loading a year again replaces it. A year's notice may reach
 * into the neighbouring years (2023's New Year holiday starts on 2022-12-31), so its dates may lie
 * from December of the year before to January of the year after. A date in a year without a
 * loaded notice counts Monday to Friday as working days; the count says which year that was.
 * Schema migration 10 creates the tables.
 */
#ifndef LZ_CALENDAR_H
#define LZ_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

#define CALENDAR_MAX_DAYS 120 /* rows of one year's file; a notice has about forty */

/* Replaces the year's days with those of the CSV text (borrowed; name is the file's, for
 * messages) inside the caller's write transaction. LZ_EINPUT with "NAME:LINE: reason" for a bad
 * file: an unknown kind, a date outside the year's reach or listed twice, a make-up working day
 * that is not a Saturday or Sunday. (A holiday may fall on a weekend: notices give whole periods.)
 * *ndays receives the number of days loaded. */
int calendar_load_year(store *st, int year, const char *text, size_t len, const char *name, size_t *ndays, lz_err *err);
/* calendar_load_year with its audit entry (target calendar/YEAR) by actor through via: an
 * admin's update from the command line or the API. */
int calendar_replace_year(store *st, int year, const char *text, size_t len, const char *name, const char *actor, const char *via,
                          size_t *ndays, lz_err *err);

/* The day n working days after from. *fallback_year is 0, or the first year the count passed
 * through without a loaded notice (counted Monday to Friday there). */
int calendar_add_working_days(store *st, int32_t from, int n, int32_t *day, int *fallback_year, lz_err *err);

/* Whether the year has a loaded notice. */
int calendar_has_year(store *st, int year, bool *has, lz_err *err);

/* Rows of the years loaded, oldest first: year, holidays, make-up working days. */
typedef void (*calendar_year_fn)(void *ctx, int year, int holidays, int workdays);
int calendar_years(store *st, calendar_year_fn fn, void *ctx, lz_err *err);

#endif
