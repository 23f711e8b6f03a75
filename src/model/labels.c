/* labels — column and unit names as people type them (see labels.h). */
#include "model/labels.h"

#include <string.h>

/* Traditional -> simplified for every character of the labels in tables.c (column and choice
 * labels) and of the unit words that has a distinct traditional form: pairs of three-byte UTF-8
 * characters. A character not here is compared as typed. */
static const char trad_simp[] = "業业個个產产從从關关會会區区單单發发臺台號号員员務务備备頭头實实屬属總总戶户時时"
                                "來来標标狀状環环確确稱称稅税類类級级納纳經经結结給给統统編编繳缴職职節节薦荐營营"
                                "補补規规計计認认記记設设訴诉說说責责質质購购資资進进採采鏈链長长門门階阶際际項项"
                                "預预額额劃划創创別别辦办國国塊块應应開开態态濟济點点牽牵碼码積积係系內内萬万億亿"
                                "興兴傳传後后幹干擴扩術术謀谋簽签約约線线觸触訪访談谈驗验機机構构離离運运賽赛獲获"
                                "獎奖輔辅導导請请勵励轉转閉闭";
_Static_assert((sizeof trad_simp - 1) % 6 == 0, "trad_simp holds pairs of three-byte characters");

static size_t utf8_char_len(unsigned char b)
{
    return b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

static const char *simplified(const char *ch)
{
    for (size_t i = 0; i + 6 <= sizeof trad_simp - 1; i += 6)
        if (memcmp(ch, trad_simp + i, 3) == 0)
            return trad_simp + i + 3;
    return ch;
}

void label_fold(const char *s, size_t n, strbuf *out)
{
    for (size_t i = 0; i < n;) {
        size_t k = utf8_char_len((unsigned char)s[i]);
        if (k > n - i)
            k = n - i;
        if (k == 1) {
            char c = s[i];
            if (c != ' ' && c != '\t')
                strbuf_putc(out, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
        } else if (k == 3 && memcmp(s + i, "（", 3) == 0) {
            strbuf_putc(out, '(');
        } else if (k == 3 && memcmp(s + i, "）", 3) == 0) {
            strbuf_putc(out, ')');
        } else if (k == 3 && memcmp(s + i, "　", 3) != 0) { /* the ideographic space is dropped */
            strbuf_append(out, simplified(s + i), 3);
        } else if (k != 3) {
            strbuf_append(out, s + i, k);
        }
        i += k;
    }
}

int label_unit(const char *s, size_t n)
{
    static const struct {
        const char *word;
        int pow10;
    } units[] = {{"元", 0}, {"万", 4}, {"万元", 4}, {"亿", 8}, {"亿元", 8}};
    strbuf f;
    strbuf_init(&f);
    label_fold(s, n, &f);
    int pow10 = -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0] && pow10 < 0; i++)
        if (f.len == strlen(units[i].word) && memcmp(f.data, units[i].word, f.len) == 0)
            pow10 = units[i].pow10;
    strbuf_free(&f);
    return pow10;
}

int label_unit_option(const char *s)
{
    static const char *const pinyin[] = {"yuan", "wan", "yi"};
    static const int pow10[] = {0, 4, 8};
    for (size_t i = 0; i < sizeof pinyin / sizeof pinyin[0]; i++)
        if (strcmp(s, pinyin[i]) == 0)
            return pow10[i];
    return label_unit(s, strlen(s));
}

/* Whether folded text f[0..n) names column c. */
static bool names_column(const column *c, const char *f, size_t n)
{
    if (strlen(c->name) == n && memcmp(c->name, f, n) == 0)
        return true;
    strbuf label;
    strbuf_init(&label);
    label_fold(c->label_zh, strlen(c->label_zh), &label);
    bool same = label.len == n && memcmp(label.data, f, n) == 0;
    strbuf_free(&label);
    return same;
}

int label_choice(const column *c, const char *s, size_t n)
{
    strbuf f, label;
    strbuf_init(&f);
    strbuf_init(&label);
    label_fold(s, n, &f);
    int found = -1;
    for (int i = 0; c->labels_zh[i] && found < 0; i++) {
        strbuf_reset(&label);
        label_fold(c->labels_zh[i], strlen(c->labels_zh[i]), &label);
        if (label.len == f.len && memcmp(label.data, f.data, f.len) == 0)
            found = i;
    }
    strbuf_free(&f);
    strbuf_free(&label);
    return found;
}

int label_column(const table *t, const char *s, size_t n, int *unit_pow10)
{
    strbuf f;
    strbuf_init(&f);
    label_fold(s, n, &f);
    size_t len = f.len;
    *unit_pow10 = 0;
    const char *open = NULL; /* the last '(' of a text ending in ')': a label may hold a group of its own ("牵头市（区）") */
    for (size_t i = len; len && f.data[len - 1] == ')' && i-- > 0 && !open;)
        if (f.data[i] == '(')
            open = f.data + i;
    int unit = open ? label_unit(open + 1, (size_t)(f.data + len - 1 - (open + 1))) : -1;
    int found = -1;
    for (size_t i = 0; i < t->ncols && found < 0; i++) {
        const column *c = &t->cols[i];
        if (names_column(c, f.data ? f.data : "", len))
            found = (int)i;
        else if (unit >= 0 && c->type == COL_MONEY && names_column(c, f.data, (size_t)(open - f.data))) {
            found = (int)i;
            *unit_pow10 = unit;
        }
    }
    strbuf_free(&f);
    return found;
}
