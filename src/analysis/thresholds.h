/*
 * thresholds — the figures the analyses judge by: when a chain segment is thin, how far along a
 * project is at each stage, how far behind makes a light yellow or red. Each has a default
 * compiled in and may be overridden by a small text file an official can read (the reference
 * city's is policies/jiangmen/analysis.conf); like a policy parameter, each value carries its
 * source: `article`, `assumed`, or `confirmed` with the confirming document.
 *
 * File format, one parameter a line, '#' starts a comment:
 *     NAME = VALUE SOURCE [DOCUMENT...]
 * VALUE is a count ("2"), a ratio with up to 4 decimals ("0.3000") or a percentage with up to 2
 * ("30%"); ratios and percentages are kept in basis points (1/10000). A name the file does not
 * give keeps its default; an unknown name, a bad value or source is an error naming FILE:LINE.
 *
 * Ownership: a thresholds value is plain data (no pointers into the file); copy it freely.
 */
#ifndef LZ_THRESHOLDS_H
#define LZ_THRESHOLDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

/* The file the CLI and the server read from a policy folder when no other is named. */
#define THRESHOLDS_FILE "analysis.conf"

typedef enum thresholds_source { THRESHOLDS_ARTICLE, THRESHOLDS_ASSUMED, THRESHOLDS_CONFIRMED } thresholds_source;

/* The parameters, in the order of the defaults table in thresholds.c. */
typedef enum thresholds_id {
    TH_THIN_MAX_ENTERPRISES, /* a segment with 1..this many local enterprises is thin */
    TH_THIN_SUPPLY_RATE,     /* bp: a segment with purchases and a local supply rate below this is thin */
    TH_PROGRESS_PLANNED,     /* bp of progress a project has reached at each stage (projects.stage) */
    TH_PROGRESS_SIGNED,
    TH_PROGRESS_LAND,
    TH_PROGRESS_CONSTRUCTION,
    TH_PROGRESS_COMPLETED,
    TH_PROGRESS_PRODUCING,
    TH_YELLOW_FROM, /* bp: behind plan by at least this much is yellow */
    TH_RED_ABOVE,   /* bp: behind plan by more than this is red */
    THRESHOLDS_COUNT
} thresholds_id;

typedef struct thresholds_param {
    int64_t value; /* a count, or basis points */
    thresholds_source source;
    char document[160]; /* `confirmed`: the document that fixed it; else "" */
} thresholds_param;

typedef struct thresholds {
    thresholds_param p[THRESHOLDS_COUNT];
} thresholds;

/* The reader of every settings file of this form (the thresholds, the masters' criteria): the
 * caller names its settings and parses their values; the reader does the lines, the '=', the
 * source and the document. values[count] are overwritten by what the file gives; *last_line is
 * the last line that set one. Returns 0, or LZ_EINPUT / LZ_ENOTFOUND with err naming FILE:LINE. */
typedef struct settings_form {
    size_t count;
    const char *(*name)(size_t id);
    /* the text s[0..n) as setting id's value in *v; -1 with a reason in why */
    int (*parse)(size_t id, const char *s, size_t n, int64_t *v, char *why, size_t whylen);
} settings_form;
int settings_read(const char *path, const settings_form *form, thresholds_param *values, long *last_line, lz_err *err);
/* {"value": VALUE, "source": "assumed"[, "document": "…"]}; takes VALUE. */
json_t *settings_json(const thresholds_param *p, json_t *value);

void thresholds_defaults(thresholds *t);
/* Overrides t's values with those path gives. Returns 0, or LZ_EINPUT / LZ_ENOTFOUND with err
 * naming FILE:LINE and what was expected; t is unchanged then. */
int thresholds_load(thresholds *t, const char *path, lz_err *err);
/* The file's name of a parameter ("diagnosis.thin_supply_rate"). */
const char *thresholds_name(thresholds_id id);
/* The parameter that gives a project stage's progress (projects.stage value), or -1. */
int thresholds_stage_progress(const char *stage);
/* Every parameter whose name starts with prefix, as {name: {"value", "source", "document"?}};
 * ratios as 4-decimal strings. Caller owns the result. */
json_t *thresholds_json(const thresholds *t, const char *prefix);

#endif
