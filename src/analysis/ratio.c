/* ratio — exact fractions and money as the analyses print them (see ratio.h). */
#include "analysis/ratio.h"

#include "core/strbuf.h"

#include "core/money.h"

bool ratio_bp(int64_t num, int64_t den, int64_t *bp)
{
    return den > 0 && money_scale(num, RATIO_ONE, den, bp);
}

ratio_whole ratio_whole_of(int64_t whole)
{
    return (ratio_whole){whole, (double)RATIO_ONE / (double)whole};
}

int64_t ratio_part_bp(const ratio_whole *w, int64_t part)
{
    /* The quotient is at most RATIO_ONE, so the double's estimate is off by at most one either
     * way; the exact remainder then settles the quotient and its rounding. */
    int64_t q = (int64_t)((double)part * w->scale);
    __int128 r = (__int128)part * RATIO_ONE - (__int128)q * w->whole;
    for (; r < 0; r += w->whole)
        q--;
    for (; r >= w->whole; r -= w->whole)
        q++;
    return q + (2 * r >= w->whole);
}

void ratio_format_bp(int64_t bp, char buf[RATIO_FMT_MAX])
{
    fixed_format(bp, RATIO_SCALE, buf, RATIO_FMT_MAX);
}

bool ratio_format(int64_t num, int64_t den, char buf[RATIO_FMT_MAX])
{
    int64_t bp;
    buf[0] = '\0';
    if (!ratio_bp(num, den, &bp))
        return false;
    ratio_format_bp(bp, buf);
    return true;
}

json_t *ratio_json(int64_t num, int64_t den)
{
    char buf[RATIO_FMT_MAX];
    return ratio_format(num, den, buf) ? json_string(buf) : json_null();
}

json_t *ratio_money_json(int64_t fen)
{
    char buf[MONEY_FMT_MAX];
    money_format(fen, buf);
    return json_string(buf);
}

void ratio_append_reason(json_t *list, const char *template, const char *const *args)
{
    strbuf b;
    strbuf_init(&b);
    strbuf_fill(&b, template, args);
    json_array_append_new(list, json_string(b.data ? b.data : ""));
    strbuf_free(&b);
}
