/* xlsx_write — the formats, widths and closing that every written workbook shares (see xlsx_write.h). */
#include "exchange/xlsx_write.h"

#include <string.h>

#include "core/text.h"
#include "model/cellfmt.h"

#define XLSX_WIDTH_MIN 6
#define XLSX_WIDTH_MAX 60 /* a long name wraps its column no wider than a screen's third */

void xlsx_formats_add(lxw_workbook *wb, xlsx_formats *f)
{
    f->head = workbook_add_format(wb);
    format_set_bold(f->head);
    f->money = xlsx_money_format(wb, 0);
    f->date = workbook_add_format(wb);
    format_set_num_format(f->date, "yyyy-mm-dd");
    f->text = workbook_add_format(wb);
    format_set_num_format(f->text, "@");
}

lxw_format *xlsx_money_format(lxw_workbook *wb, int unit_pow10)
{
    char code[32] = "#,##0.00";
    for (int i = 0; i < unit_pow10 && strlen(code) + 1 < sizeof code; i++)
        strcat(code, "#");
    lxw_format *f = workbook_add_format(wb);
    format_set_num_format(f, code);
    return f;
}

lxw_format *xlsx_column_format(const xlsx_formats *f, const column *c)
{
    return c->type == COL_MONEY ? f->money : c->type == COL_DATE ? f->date : column_holds_text(c) ? f->text : NULL;
}

void xlsx_widths_see(xlsx_widths *w, lxw_col_t col, const char *s, size_t n)
{
    size_t width = text_display_width(s, n);
    if (col < XLSX_MAX_COLS && width > w->w[col])
        w->w[col] = width;
}

void xlsx_finish_sheet(lxw_worksheet *ws, const xlsx_widths *w, lxw_col_t ncols, lxw_row_t last_row)
{
    for (lxw_col_t c = 0; c < ncols && c < XLSX_MAX_COLS; c++) {
        size_t width = w->w[c] + 2; /* the filter's button beside the header */
        width = width < XLSX_WIDTH_MIN ? XLSX_WIDTH_MIN : width > XLSX_WIDTH_MAX ? XLSX_WIDTH_MAX : width;
        worksheet_set_column(ws, c, c, (double)width, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    if (ncols)
        worksheet_autofilter(ws, 0, 0, last_row, ncols - 1);
}

int xlsx_close(lxw_workbook *wb, lxw_error rc, const char *path, const char *what, lz_err *err)
{
    lxw_error closed = workbook_close(wb);
    if (rc == LXW_NO_ERROR)
        rc = closed;
    if (rc == LXW_NO_ERROR)
        return 0;
    /* the file is created only on close: a folder that does not exist is bad input, not ours */
    return err_set(err, rc == LXW_ERROR_CREATING_XLSX_FILE ? LZ_EINPUT : LZ_EINTERNAL, "%s: writing the %s: %s", path, what,
                   lxw_strerror(rc));
}
