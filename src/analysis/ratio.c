/* ratio — exact fractions and money as the analyses print them (see ratio.h). */
#include "analysis/ratio.h"

#include "core/strbuf.h"

#include "core/money.h"

bool ratio_bp(int64_t num, int64_t den, int64_t *bp)
{
    return den > 0 && money_scale(num, RATIO_ONE, den, bp);
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
