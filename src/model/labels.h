/*
 * labels — the names people type for columns and units: a column's English name (any case) or its
 * zh-CN label (tables.c), the label also in traditional script, with or without a unit in
 * parentheses ("产值（万元）", "產值(萬元)"). Traditional script is folded to simplified by a small
 * map of the characters the labels use, so each label is declared once.
 */
#ifndef LZ_LABELS_H
#define LZ_LABELS_H

#include <stddef.h>

#include "core/strbuf.h"
#include "model/tables.h"

/* Appends s[0..n) folded for comparison: traditional characters of the labels in simplified form,
 * full-width parentheses as ASCII ones, ASCII letters in lower case, spaces dropped. */
void label_fold(const char *s, size_t n, strbuf *out);
/* The power of ten a unit word stands for in yuan or units: 元 0, 万/万元 4, 亿/亿元 8 (either
 * script, surrounding spaces ignored); -1 when s[0..n) is no unit. */
int label_unit(const char *s, size_t n);
/* The unit an option names (import --unit, the upload's ?unit=): a word label_unit takes, or its
 * pinyin for a keyboard without Chinese (yuan 0, wan 4, yi 8); -1 when s is none of these. */
int label_unit_option(const char *s);
#define LABEL_UNIT_OPTIONS "元, 万元 or 亿元 (yuan, wan, yi)"
/* The column of t that a header cell names, or -1. A trailing "(unit)" is allowed on a money
 * column and sets *unit_pow10 (else 0). */
int label_column(const table *t, const char *s, size_t n, int *unit_pow10);
/* The index of the choice of enum column c whose label s[0..n) is (either script), or -1. */
int label_choice(const column *c, const char *s, size_t n);

#endif
