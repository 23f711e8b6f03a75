/* template — a blank workbook for a table (see template.h), written with libxlsxwriter. */
#include "exchange/template.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/strbuf.h"
#include "exchange/xlsx_write.h"
#include "model/cellfmt.h"

/* The choice labels joined with sep, as a drop-down list or a note shows them. */
static void choice_labels(const column *c, const char *sep, strbuf *out)
{
    for (size_t i = 0; c->labels_zh[i]; i++) {
        if (i)
            strbuf_puts(out, sep);
        strbuf_puts(out, c->labels_zh[i]);
    }
}

/* What a column takes, in the words of the people who fill it in. */
static void column_note(const column *c, strbuf *out)
{
    static const char *const kinds[] = {
        [COL_TEXT] = "文字",
        [COL_CODE] = "编码（不含空格、分号、斜杠）",
        [COL_USCC] = "18位统一社会信用代码",
        [COL_DIVISION] = "6位行政区划代码",
        [COL_INDUSTRY] = "4位国民经济行业代码",
        [COL_INT] = "整数",
        [COL_MONEY] = "金额（元，最多两位小数；也可写 12.3万）",
        [COL_DECIMAL] = "数字",
        [COL_DATE] = "日期，如 2023-01-05",
        [COL_BOOL] = "是 或 否",
        [COL_ENUM] = "填以下之一：",
        [COL_LIST] = "多项用分号 ; 隔开",
    };
    strbuf_puts(out, c->flags & COLF_REQUIRED ? "必填；" : "选填；");
    strbuf_puts(out, kinds[c->type]);
    if (c->type == COL_INT)
        strbuf_printf(out, " %lld–%lld", (long long)c->min, (long long)c->max);
    if (c->type == COL_DECIMAL)
        strbuf_printf(out, "，最多%d位小数", c->scale);
    if (c->type == COL_ENUM)
        choice_labels(c, "、", out);
    if (c->ref_table)
        strbuf_printf(out, "；须已在「%s」中", tables_find(c->ref_table)->label_zh);
}

/* Whether the choice column's labels fit a drop-down list: Excel holds 255 characters, and
 * libxlsxwriter 1.1.4 overruns its buffer past 255 bytes (and leaks a list kept on another sheet),
 * so a longer list (the twenty kinds of event) is spelled out in the notes instead. */
static bool fits_drop_down(const column *c)
{
    strbuf s;
    strbuf_init(&s);
    choice_labels(c, ",", &s);
    bool fits = s.len <= 255;
    strbuf_free(&s);
    return fits;
}

static lxw_error choice_list(lxw_worksheet *ws, lxw_col_t col, const column *c)
{
    const char *labels[32];
    size_t n = 0;
    for (; c->labels_zh[n] && n + 1 < sizeof labels / sizeof labels[0]; n++)
        labels[n] = c->labels_zh[n];
    labels[n] = NULL;
    lxw_data_validation v = {.validate = LXW_VALIDATION_TYPE_LIST, .value_list = (char **)labels};
    return worksheet_data_validation_range(ws, 2, col, TEMPLATE_ROWS + 1, col, &v);
}

int template_write(const table *t, const char *path, lz_err *err)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return err_set(err, LZ_EINTERNAL, "%s: cannot create the workbook", path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, t->name);
    xlsx_formats fmt;
    xlsx_formats_add(wb, &fmt);
    lxw_format *note = workbook_add_format(wb);
    format_set_italic(note);
    format_set_font_color(note, LXW_COLOR_GRAY);
    format_set_text_wrap(note);
    strbuf s;
    strbuf_init(&s);
    lxw_error rc = LXW_NO_ERROR;
    for (size_t i = 0; i < t->ncols && rc == LXW_NO_ERROR; i++) {
        const column *c = &t->cols[i];
        lxw_col_t col = (lxw_col_t)i;
        strbuf_reset(&s);
        if (i == 0)
            strbuf_puts(&s, TEMPLATE_NOTES_MARK);
        column_note(c, &s);
        worksheet_set_column(ws, col, col, 18, xlsx_column_format(&fmt, c));
        worksheet_write_string(ws, 0, col, c->label_zh, fmt.head);
        worksheet_write_string(ws, 1, col, s.data, note);
        if (c->type == COL_ENUM && fits_drop_down(c))
            rc = choice_list(ws, col, c);
    }
    strbuf_free(&s);
    worksheet_freeze_panes(ws, 2, 0);
    return xlsx_close(wb, rc, path, "template", err);
}
