/* table — aligned tables for a terminal, by display width (see table.h). */
#include "cli/table.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "core/err.h"

struct cli_table {
    size_t ncols, nrows, cap;
    const char **cells; /* row-major, (nrows + 1) x ncols; row 0 is the headings */
    size_t width[CLI_TABLE_MAX_COLS];
    bool right[CLI_TABLE_MAX_COLS];
    arena text;
};

static void add_row(cli_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->cells = xrealloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
    }
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = cells[c] ? cells[c] : "";
        size_t n = strlen(s), w = text_display_width(s, n);
        t->cells[t->nrows * t->ncols + c] = arena_strndup(&t->text, s, n);
        if (w > t->width[c])
            t->width[c] = w;
    }
    t->nrows++;
}

cli_table *cli_table_new(size_t ncols, const char *const *headings, const bool *right)
{
    cli_table *t = xcalloc(1, sizeof *t);
    t->ncols = ncols < CLI_TABLE_MAX_COLS ? ncols : CLI_TABLE_MAX_COLS;
    for (size_t c = 0; right && c < t->ncols; c++)
        t->right[c] = right[c];
    arena_init(&t->text, 16384);
    add_row(t, headings);
    return t;
}

void cli_table_add(cli_table *t, const char *const *cells)
{
    add_row(t, cells);
}

static void pad(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

void cli_table_print(const cli_table *t, FILE *out)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t n = strlen(s), gap = t->width[c] - text_display_width(s, n);
            bool last = c + 1 == t->ncols;
            if (c)
                fputc(' ', out);
            if (t->right[c])
                pad(out, gap);
            fwrite(s, 1, n, out);
            if (!t->right[c] && !last) /* no trailing blanks at the end of a line */
                pad(out, gap);
        }
        fputc('\n', out);
    }
}

void cli_table_free(cli_table *t)
{
    if (!t)
        return;
    arena_free(&t->text);
    free(t->cells);
    free(t);
}
