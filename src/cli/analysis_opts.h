/*
 * analysis_opts — the options the analysis commands share (`chain diagnose`, `projects lights`,
 * `clusters progress`, `masters evaluate`, `targets recommend`, `match`, `overview`, and the masters
 * decisions beside the evaluation: `masters propose|decide|decisions`), read one way:
 * the same names, the same checks of a year, a date, a format and a language, the same messages.
 * Each command says which options it takes and checks which it needs.
 */
#ifndef LZ_CLI_ANALYSIS_OPTS_H
#define LZ_CLI_ANALYSIS_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/sheet.h"

typedef struct analysis_opts {
    int year; /* --year */
    bool has_year;
    int32_t date; /* --date (day number); today when not given */
    bool has_date;
    sheet_format format;                                                                 /* --format, default table */
    const char *chain, *division, *config, *criteria, *output, *uscc, *department, *dir; /* --chain … -o --enterprise … */
    const char *kind, *batch, *as, *reason, *status; /* --kind --batch --as --reason --status (masters decisions) */
    bool by_customer;                                /* --by customer */
    size_t top;                                      /* --top N|all (masters evaluate) */
    bool unclaimed;                                  /* --unclaimed (a flag) */
    int lang;                                        /* --lang, else the environment's (cli_lang) */
} analysis_opts;

/* Reads argv[first..argc) into o. `allowed` lists the options this command takes, separated by
 * spaces ("--year --chain --lang"). Returns EXIT_OK; EXIT_USAGE for an option not allowed or
 * without its value; EXIT_INPUT after a message on stderr naming the option and the bad value. */
int analysis_opts_parse(int argc, char **argv, int first, const char *allowed, analysis_opts *o);

/* The words of the analyses' codes, shared by their commands and the report: a segment's label
 * (missing, thin, strong) and a project's light (green, yellow, red, cannot_tell). */
extern const sheet_word analysis_label_words[], analysis_light_words[];
/* A masters candidate's status (master, proposed, reserve, gated) and an enterprise's role on a chain. */
extern const sheet_word masters_status_words[], masters_role_words[];
/* The candidates of a `masters evaluate` document as rows: each with its chain, its status in the
 * batch (masters_status_words) and its sensitivity joined into one text. New reference. */
json_t *cli_masters_rows(json_t *doc);

#endif
