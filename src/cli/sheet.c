/* sheet — an analysis's rows as a terminal table, CSV or XLSX (see sheet.h). */
#include "cli/sheet.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "cli/table.h"
#include "core/csv.h"
#include "core/strbuf.h"

static const char *const format_names[] = {"table", "json", "csv", "xlsx"};

int sheet_format_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, format_names[i]) == 0)
            return i;
    return -1;
}

/* A cell's text: strings as they are, integers in decimal, null as "". Lives in buf or the row. */
static const char *cell_text(json_t *v, char buf[32])
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    return "";
}

/* The words for a code of col in lang, or the code itself. */
static const char *worded(const sheet_column *col, const char *s, int lang)
{
    for (const sheet_word *w = col->words; w && w->code; w++)
        if (strcmp(w->code, s) == 0)
            return w->word[lang];
    return s;
}

static void write_table(const sheet_column *cols, size_t ncols, json_t *rows, int lang, FILE *out)
{
    const char *headings[CLI_TABLE_MAX_COLS];
    bool right[CLI_TABLE_MAX_COLS];
    size_t pick[CLI_TABLE_MAX_COLS], n = 0;
    for (size_t c = 0; c < ncols && n < CLI_TABLE_MAX_COLS; c++) {
        if (cols[c].wide_only)
            continue;
        headings[n] = cols[c].heading[lang];
        right[n] = cols[c].numeric;
        pick[n++] = c;
    }
    cli_table *t = cli_table_new(n, headings, right);
    json_t *row;
    size_t i;
    json_array_foreach(rows, i, row)
    {
        char bufs[CLI_TABLE_MAX_COLS][32];
        const char *cells[CLI_TABLE_MAX_COLS];
        for (size_t c = 0; c < n; c++)
            cells[c] = worded(&cols[pick[c]], cell_text(json_object_get(row, cols[pick[c]].key), bufs[c]), lang);
        cli_table_add(t, cells);
    }
    cli_table_print(t, out);
    cli_table_free(t);
}

static void write_csv(const sheet_column *cols, size_t ncols, json_t *rows, FILE *out)
{
    strbuf b;
    strbuf_init(&b);
    for (size_t c = 0; c < ncols; c++) {
        if (c)
            strbuf_putc(&b, ',');
        strbuf_puts(&b, cols[c].key);
    }
    strbuf_puts(&b, "\r\n");
    json_t *row;
    size_t i;
    json_array_foreach(rows, i, row)
    {
        for (size_t c = 0; c < ncols; c++) {
            char buf[32];
            const char *s = cell_text(json_object_get(row, cols[c].key), buf);
            if (c)
                strbuf_putc(&b, ',');
            if (cols[c].numeric) /* "-0.0500" is a number, not a formula to guard */
                csv_write_field(&b, s, strlen(s));
            else
                csv_write_text(&b, s, strlen(s));
        }
        strbuf_puts(&b, "\r\n");
    }
    fwrite(b.data, 1, b.len, out);
    strbuf_free(&b);
}

/* The number format that shows s as written: its count of decimals, thousands grouped. */
static lxw_format *number_format(lxw_workbook *wb, lxw_format *formats[5], const char *s)
{
    static const char *const patterns[5] = {"#,##0", "#,##0.0", "#,##0.00", "0.000", "0.0000"};
    const char *dot = strchr(s, '.');
    size_t decimals = dot ? strlen(dot + 1) : 0;
    if (decimals > 4)
        decimals = 4;
    if (!formats[decimals]) {
        formats[decimals] = workbook_add_format(wb);
        format_set_num_format(formats[decimals], patterns[decimals]);
    }
    return formats[decimals];
}

static void write_cell(lxw_workbook *wb, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const sheet_column *col, json_t *v, int lang,
                       lxw_format *formats[5])
{
    char buf[32];
    const char *s = cell_text(v, buf);
    if (!*s)
        return;
    if (col->numeric)
        worksheet_write_number(ws, r, c, strtod(s, NULL), number_format(wb, formats, s));
    else
        worksheet_write_string(ws, r, c, worded(col, s, lang), NULL);
}

static void write_worksheet(lxw_workbook *wb, const sheet_part *p, int lang, lxw_format *head, lxw_format *formats[5])
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, p->title[lang]);
    for (size_t c = 0; c < p->ncols; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 16, NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)c, p->cols[c].heading[lang], head);
    }
    json_t *row;
    size_t i;
    json_array_foreach(p->rows, i, row)
    {
        for (size_t c = 0; c < p->ncols; c++)
            write_cell(wb, ws, (lxw_row_t)(i + 1), (lxw_col_t)c, &p->cols[c], json_object_get(row, p->cols[c].key), lang, formats);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

static int write_xlsx(const sheet_part *parts, size_t nparts, int lang, const char *path, lz_err *err)
{
    if (!path)
        return err_set(err, LZ_EINPUT, "--format xlsx writes a file: name it with -o FILE");
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return err_set(err, LZ_EINTERNAL, "%s: cannot create the workbook", path);
    lxw_format *head = workbook_add_format(wb), *formats[5] = {NULL};
    format_set_bold(head);
    for (size_t i = 0; i < nparts; i++)
        write_worksheet(wb, &parts[i], lang, head, formats);
    lxw_error rc = workbook_close(wb);
    if (rc == LXW_NO_ERROR)
        return 0;
    return err_set(err, rc == LXW_ERROR_CREATING_XLSX_FILE ? LZ_EINPUT : LZ_EINTERNAL, "%s: writing the workbook: %s", path,
                   lxw_strerror(rc));
}

int sheet_write(sheet_format format, const sheet_part *parts, size_t nparts, int lang, FILE *out, const char *xlsx_path,
                lz_err *err)
{
    switch (format) {
    case SHEET_TABLE:
        for (size_t i = 0; i < nparts; i++) {
            if (i > 0)
                fprintf(out, "\n%s\n", parts[i].title[lang]);
            write_table(parts[i].cols, parts[i].ncols, parts[i].rows, lang, out);
        }
        return 0;
    case SHEET_CSV:
        write_csv(parts[0].cols, parts[0].ncols, parts[0].rows, out);
        return 0;
    case SHEET_XLSX:
        return write_xlsx(parts, nparts, lang, xlsx_path, err);
    default:
        return err_set(err, LZ_EINTERNAL, "sheet: JSON is printed by the caller");
    }
}
