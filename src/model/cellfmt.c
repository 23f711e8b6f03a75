/* cellfmt — text <-> cell conversion per column type (see cellfmt.h); a row's cross-field rules are in tables.c. */
#include "model/cellfmt.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/money.h"
#include "core/text.h"
#include "core/uscc.h"
#include "model/labels.h"

#define CODE_MAX 64
#define TEXT_MAX 4000 /* characters; a summary or outcome, not a document */

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int parse_bool(const char *s, size_t n, int64_t *v)
{
    static const char *const yes[] = {"true", "1", "是", "yes", "y", "t", NULL};
    static const char *const no[] = {"false", "0", "否", "no", "n", "f", NULL};
    for (int i = 0; yes[i]; i++)
        if (strlen(yes[i]) == n && strncasecmp(s, yes[i], n) == 0)
            return *v = 1, 0;
    for (int i = 0; no[i]; i++)
        if (strlen(no[i]) == n && strncasecmp(s, no[i], n) == 0)
            return *v = 0, 0;
    return -1;
}

static void enum_choices(const column *c, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; c->values[i] && o + 1 < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s (%s)", i ? ", " : "", c->values[i], c->labels_zh[i]);
}

bool column_holds_text(const column *c)
{
    return c->type != COL_INT && c->type != COL_MONEY && c->type != COL_DECIMAL && c->type != COL_BOOL;
}

int cell_scale(const column *c)
{
    return c->type == COL_MONEY ? MONEY_SCALE : c->type == COL_DECIMAL ? c->scale : 0;
}

void cell_range(const column *c, int64_t *min, int64_t *max)
{
    if (c->type == COL_INT) {
        *min = c->min;
        *max = c->max;
        return;
    }
    int64_t unit = 1;
    for (int i = 0; i < cell_scale(c); i++)
        unit *= 10;
    *max = CELL_NUMBER_MAX * unit;
    *min = c->flags & COLF_NEGATIVE ? -*max : 0;
}

/* A number outside its column's range: true, with the value and the range in why. */
static bool out_of_range(const column *c, int64_t v, char *why, size_t whylen)
{
    int64_t min, max;
    cell_range(c, &min, &max);
    if (v >= min && v <= max)
        return false;
    char value[MONEY_FMT_MAX], lo[MONEY_FMT_MAX], hi[MONEY_FMT_MAX];
    int scale = cell_scale(c);
    fixed_format(v, scale, value, sizeof value);
    fixed_format(min, scale, lo, sizeof lo);
    fixed_format(max, scale, hi, sizeof hi);
    snprintf(why, whylen, "%s is outside the safe range %s..%s", value, lo, hi);
    return true;
}

/* ---- numbers and dates as people type them ------------------------------------------------ */

#define NUMBER_TEXT_MAX 80

/* Whether s[i] starts a thousands group: three digits, then the end, '.' or another ','. */
static bool thousands_group(const char *s, size_t n, size_t i)
{
    return i + 3 <= n && all_digits(s + i, 3) && (i + 3 == n || s[i + 3] == '.' || s[i + 3] == ',');
}

/* Strips a money cell's currency sign (￥ or ¥) and unit word (元, 万元, 亿 ...; sets *pow10). */
static int money_decorations(const char **s, size_t *n, int *pow10, char *why, size_t whylen)
{
    static const char *const signs[] = {"￥", "¥"};
    for (size_t k = 0; k < 2; k++)
        if (*n >= strlen(signs[k]) && memcmp(*s, signs[k], strlen(signs[k])) == 0) {
            *s += strlen(signs[k]);
            *n -= strlen(signs[k]);
        }
    size_t end = *n;
    while (end > 0 && ((*s)[end - 1] < '0' || (*s)[end - 1] > '9') && (*s)[end - 1] != '.')
        end--;
    if (end == *n)
        return 0;
    int unit = label_unit(*s + end, *n - end);
    if (unit < 0) {
        snprintf(why, whylen, "'%.*s' is not an amount (a unit after it may be 元, 万元 or 亿元)", (int)*n, *s);
        return -1;
    }
    *pow10 = unit;
    *n = end;
    trim(s, n);
    return 0;
}

/* The plain decimal text (into buf) of a number as typed: thousands separators dropped, and for
 * money a currency sign and a unit word; the figure scaled by 10^pow10 by moving the decimal
 * point, so that "12.3万" is exactly "123000". */
static int number_plain(const column *c, int pow10, const char *s, size_t n, char buf[NUMBER_TEXT_MAX], size_t *len, char *why,
                        size_t whylen)
{
    size_t o = 0;
    if (n && (*s == '-' || *s == '+')) {
        buf[o++] = *s++;
        n--;
    }
    if (c->type != COL_MONEY) /* a unit in yuan means nothing to a count or a ratio */
        pow10 = 0;
    else if (money_decorations(&s, &n, &pow10, why, whylen) < 0)
        return -1;
    if (n + (size_t)pow10 + 2 > NUMBER_TEXT_MAX - o) {
        snprintf(why, whylen, "'%.*s' is too long for a number", (int)(n > 40 ? 40 : n), s);
        return -1;
    }
    size_t i = 0;
    for (; i < n && s[i] != '.'; i++) {
        if (s[i] == ',' && i > 0 && thousands_group(s, n, i + 1))
            continue;
        if (s[i] == ',') {
            snprintf(why, whylen, "'%.*s' has a ',' that does not separate thousands", (int)(n > 40 ? 40 : n), s);
            return -1;
        }
        buf[o++] = s[i];
    }
    size_t frac = i < n ? i + 1 : n; /* the digits after the point move left of it */
    for (int k = 0; k < pow10; k++)
        buf[o++] = frac < n ? s[frac++] : '0';
    if (frac < n) {
        buf[o++] = '.';
        memcpy(buf + o, s + frac, n - frac);
        o += n - frac;
    }
    *len = o;
    return 0;
}

static int parse_number(const column *c, int pow10, const char *s, size_t n, cell *out, char *why, size_t whylen)
{
    char plain[NUMBER_TEXT_MAX];
    size_t len;
    int64_t min, max, v;
    cell_range(c, &min, &max);
    if (number_plain(c, pow10, s, n, plain, &len, why, whylen) < 0)
        return -1;
    if (fixed_parse(plain, len, cell_scale(c), min < 0, &v, why, whylen) < 0 || out_of_range(c, v, why, whylen)) {
        if (len != n || memcmp(plain, s, n) != 0) { /* say what the typed text became */
            size_t w = strlen(why);
            snprintf(why + w, whylen - w, " (typed as '%.*s')", (int)(n > 40 ? 40 : n), s);
        }
        return -1;
    }
    *out = cell_int(v);
    return 0;
}

/* A date as typed — 2023-1-5, 2023/1/5, 2023.01.05, 2023年1月5日, 20230105 — in ISO form; false
 * when s is none of these (date_parse then says what is wrong). */
static bool date_typed(const char *s, size_t n, char out[DATE_LEN + 1])
{
    static const char *const seps[][3] = {{"-", "-", ""}, {"/", "/", ""}, {".", ".", ""}, {"年", "月", "日"}};
    int part[3];
    if (n == 8 && all_digits(s, n)) {
        snprintf(out, DATE_LEN + 1, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
        return true;
    }
    for (size_t form = 0; form < sizeof seps / sizeof seps[0]; form++) {
        size_t i = 0, k = 0;
        for (; k < 3; k++) {
            size_t start = i;
            for (part[k] = 0; i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4; i++)
                part[k] = part[k] * 10 + (s[i] - '0');
            size_t digits = i - start, sl = strlen(seps[form][k]);
            if (digits == 0 || (k == 0 ? digits != 4 : digits > 2) || n - i < sl || memcmp(s + i, seps[form][k], sl) != 0)
                break;
            i += sl;
        }
        if (k == 3 && i == n) {
            char iso[32]; /* part[0] has four digits, the others at most two */
            snprintf(iso, sizeof iso, "%04d-%02d-%02d", part[0], part[1], part[2]);
            memcpy(out, iso, DATE_LEN + 1);
            return true;
        }
    }
    return false;
}

/* One scalar value (a column, or an item of a list column) of type `type`. */
static int parse_scalar(const column *c, col_type type, int pow10, const char *s, size_t n, cell *out, char *why, size_t whylen)
{
    int64_t v;
    int32_t days;
    switch (type) {
    case COL_TEXT:
        if (utf8_length(s, n) > TEXT_MAX) {
            snprintf(why, whylen, "longer than %d characters", TEXT_MAX);
            return -1;
        }
        break;
    case COL_CODE:
        if (n > CODE_MAX || memchr(s, ';', n) || memchr(s, ' ', n) || memchr(s, '/', n)) {
            snprintf(why, whylen, "'%.*s' is not a code (at most %d characters, no spaces, ';' or '/')", (int)(n > 80 ? 80 : n), s,
                     CODE_MAX);
            return -1;
        }
        break;
    case COL_USCC:
        if (uscc_validate(s, n, why, whylen) < 0)
            return -1;
        break;
    case COL_DIVISION:
        if (n != 6 || !all_digits(s, n)) {
            snprintf(why, whylen, "'%.*s' is not a division code (6 digits, GB/T 2260)", (int)(n > 20 ? 20 : n), s);
            return -1;
        }
        break;
    case COL_INDUSTRY:
        if (n != 4 || !all_digits(s, n)) {
            snprintf(why, whylen, "'%.*s' is not an industry class (4 digits, GB/T 4754-2017)", (int)(n > 20 ? 20 : n), s);
            return -1;
        }
        break;
    case COL_INT:
    case COL_MONEY:
    case COL_DECIMAL:
        return parse_number(c, pow10, s, n, out, why, whylen);
    case COL_DATE:
        if (date_parse(s, n, &days, why, whylen) < 0)
            return -1;
        break;
    case COL_BOOL:
        if (parse_bool(s, n, &v) < 0) {
            snprintf(why, whylen, "'%.*s' is not a boolean (true/false, 1/0, 是/否)", (int)(n > 20 ? 20 : n), s);
            return -1;
        }
        *out = cell_int(v);
        return 0;
    case COL_ENUM: {
        for (int i = 0; c->values[i]; i++)
            if (strlen(c->values[i]) == n && memcmp(c->values[i], s, n) == 0)
                return *out = cell_text(c->values[i], n), 0;
        int i = label_choice(c, s, n);
        if (i >= 0)
            return *out = cell_text(c->values[i], strlen(c->values[i])), 0;
        char choices[1200];
        enum_choices(c, choices, sizeof choices);
        snprintf(why, whylen, "'%.*s' is not one of %s", (int)(n > 40 ? 40 : n), s, choices);
        return -1;
    }
    case COL_LIST:
        snprintf(why, whylen, "nested list");
        return -1;
    }
    *out = cell_text(s, n);
    return 0;
}

static int parse_list(const column *c, const char *s, size_t n, arena *a, cell *out, char *why, size_t whylen)
{
    char *buf = arena_alloc(a, n + 1);
    size_t o = 0;
    int64_t count = 0;
    const char *p = s, *end = s + n;
    while (p <= end) {
        const char *q = memchr(p, ';', (size_t)(end - p));
        if (!q)
            q = end;
        const char *item = p;
        size_t len = (size_t)(q - p);
        trim(&item, &len);
        if (len > 0) {
            cell ignored;
            char inner[400];
            if (parse_scalar(c, c->item, 0, item, len, &ignored, inner, sizeof inner) < 0) {
                snprintf(why, whylen, "item %lld: %s", (long long)count + 1, inner);
                return -1;
            }
            if (o)
                buf[o++] = ';';
            memcpy(buf + o, item, len);
            o += len;
            count++;
        }
        p = q + 1;
    }
    buf[o] = '\0';
    if ((c->min && count < c->min) || (c->max && count > c->max)) {
        if (c->min == c->max)
            snprintf(why, whylen, "needs %lld item%s, got %lld", (long long)c->min, c->min == 1 ? "" : "s", (long long)count);
        else
            snprintf(why, whylen, "needs %lld to %lld items separated by ';', got %lld", (long long)c->min, (long long)c->max,
                     (long long)count);
        return -1;
    }
    *out = count ? cell_text(buf, o) : cell_null();
    return 0;
}

int cell_parse(const column *c, const char *s, size_t n, arena *a, cell *out, char *why, size_t whylen)
{
    return cell_parse_unit(c, 0, s, n, a, out, why, whylen);
}

int cell_parse_unit(const column *c, int unit_pow10, const char *s, size_t n, arena *a, cell *out, char *why, size_t whylen)
{
    const char *nul = memchr(s, '\0', n);
    if (nul) { /* C strings end at one: the rest would be lost downstream */
        snprintf(why, whylen, "has a NUL byte at character %zu, which text cannot hold", utf8_length(s, (size_t)(nul - s)) + 1);
        return -1;
    }
    trim(&s, &n);
    if (n == 0 && c->default_text) {
        s = c->default_text;
        n = strlen(s);
    }
    if (n == 0) {
        if (c->flags & COLF_REQUIRED) {
            snprintf(why, whylen, "is required");
            return -1;
        }
        *out = cell_null();
        return 0;
    }
    if (c->type == COL_LIST) {
        if (parse_list(c, s, n, a, out, why, whylen) < 0)
            return -1;
        if (out->kind == CELL_NULL && (c->flags & COLF_REQUIRED)) {
            snprintf(why, whylen, "is required");
            return -1;
        }
        return 0;
    }
    char iso[DATE_LEN + 1];
    bool iso_shaped = n == DATE_LEN && s[4] == '-' && s[7] == '-'; /* the common case, left as it is */
    if (c->type == COL_DATE && !iso_shaped && date_typed(s, n, iso)) {
        s = arena_strndup(a, iso, DATE_LEN);
        n = DATE_LEN;
    }
    return parse_scalar(c, c->type, unit_pow10, s, n, out, why, whylen);
}

void cell_format(const column *c, const cell *v, strbuf *out)
{
    char buf[MONEY_FMT_MAX];
    if (v->kind == CELL_NULL)
        return;
    if (v->kind == CELL_TEXT) {
        strbuf_append(out, v->s, v->n);
        return;
    }
    switch (c->type) {
    case COL_MONEY:
        strbuf_append(out, buf, money_format(v->i, buf));
        break;
    case COL_DECIMAL:
        strbuf_append(out, buf, fixed_format_short(v->i, c->scale, buf, sizeof buf));
        break;
    case COL_BOOL:
        strbuf_puts(out, v->i ? "true" : "false");
        break;
    default: /* whole numbers: a year, a count (without printf: this runs once per row of an import) */
        strbuf_append(out, buf, fixed_format(v->i, 0, buf, sizeof buf));
        break;
    }
}
