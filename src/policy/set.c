/*
 * set — loading a directory of rule files into a compiled, immutable policy set, and the
 * catalogue view of each policy (policy.h).
 *
 * Every file is parsed, checked and compiled; errors of all files are collected so that
 * `lianzhang policy check` shows every problem in one run. Text literals of all policies share one
 * symbol table, so that a fact's text value is mapped to a symbol once per run, not per policy.
 */
#include "policy/ast.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

#define NAME_ROW(value, name) [value] = name,
static const char *const status_names[] = {POLICY_STATUS_LIST(NAME_ROW)};
static const char *const lang_tags[] = {POLICY_LANG_LIST(NAME_ROW)};
#undef NAME_ROW

const char *policy_status_name(policy_status s)
{
    return status_names[s];
}

const char *policy_lang_tag(policy_lang lang)
{
    return lang_tags[lang];
}

const char *policy_status_label(policy_status s, policy_lang lang)
{
    static const char *const labels[][3] = {{"符合条件", "符合條件", "eligible"},
                                            {"待核定金额", "待核定金額", "pending"},
                                            {"无法判定", "無法判定", "undetermined"},
                                            {"不符合条件", "不符合條件", "not eligible"}};
    return labels[s][lang];
}

const char *policy_subject_label(const char *subject, policy_lang lang)
{
    static const struct {
        const char *name, *label[3];
    } subjects[] = {{"enterprise", {"企业", "企業", "enterprise"}},
                    {"project", {"项目", "項目", "project"}},
                    {"person", {"人才", "人才", "person"}},
                    {"event", {"事项", "事項", "event"}}};
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++)
        if (strcmp(subjects[i].name, subject) == 0)
            return subjects[i].label[lang];
    return subject;
}

int policy_lang_parse(const char *s)
{
    for (int i = 0; i < POLICY_LANGS; i++)
        if (strcmp(s, lang_tags[i]) == 0)
            return i;
    return -1;
}

static void file_hash(const char *text, size_t len, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)hash_fnv1a(text, len));
}

/* Text literals become symbols 1, 2, ...; a list value is a 64-bit mask with bit s set for symbol s
 * (bit 0 is no symbol, bit 63 the sign), so at most 62 symbols fit. */
static void intern_literals(policy_set *set, policy *p, errlist *errors)
{
    rule *r = &p->r;
    for (size_t i = 0; i < p->prog.ncode; i++) {
        node *n = p->prog.code[i].n;
        if (n->kind == N_LITERAL && n->type == PT_TEXT)
            n->value = symtab_intern(&set->syms, n->name);
    }
    for (size_t i = 0; i < r->nparams; i++)
        for (size_t j = 0; j < r->params[i].nvalues; j++) {
            node *v = r->params[i].values[j].value;
            if (v->type == PT_TEXT)
                v->value = symtab_intern(&set->syms, v->name);
        }
    if (set->syms.n > 62)
        rule_error(errors, r->file, 1, 1, "more than 62 distinct texts in quotes across the policies");
}

static void fill_info(policy *p)
{
    rule *r = &p->r;
    policy_info *in = &p->info;
    memset(in, 0, sizeof *in);
    in->id = r->id;
    for (int i = 0; i < POLICY_LANGS; i++)
        in->name[i] = r->name[i];
    in->department = r->department;
    in->subject = facts_kind_name(r->subject);
    in->valid_from = r->valid_from;
    in->valid_to = r->valid_to;
    in->valid_source = param_source_name(&r->valid_source);
    in->valid_document = r->valid_source.document;
    in->valid_document_date = r->valid_source.document_date;
    in->clause = r->clause;
    in->reading = r->reading[POLICY_EN];
    for (int i = 0; i < POLICY_LANGS; i++)
        in->readings[i] = r->reading[i] ? r->reading[i] : r->reading[POLICY_EN];
    in->file = r->file;
    memcpy(in->hash, r->hash, sizeof in->hash);
    in->described_only = r->described_only;
    in->entitlement = r->amount_kind == AMOUNT_GRANT;
    for (int i = 0; i < POLICY_LANGS; i++)
        in->grants[i] = r->grant[i];
    in->ntests = r->ntests;
}

static void fill_params(policy_set *set, policy *p)
{
    size_t total = 0;
    for (size_t i = 0; i < p->r.nparams; i++)
        total += p->r.params[i].nvalues;
    policy_param_info *all = arena_alloc(&set->mem, (total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (size_t i = 0; i < p->r.nparams; i++)
        for (size_t j = 0; j < p->r.params[i].nvalues; j++)
            all[k++] = p->r.params[i].info[j];
    p->info.params = all;
    p->info.nparams = total;
}

static int add_file(policy_set *set, const char *name, const char *text, size_t len, errlist *errors)
{
    policy *p = arena_alloc(&set->mem, sizeof *p);
    memset(p, 0, sizeof *p);
    const char *fname = arena_strndup(&set->mem, name, strlen(name));
    int bad = rule_parse(fname, text, len, &set->mem, errors, &p->r);
    if (bad)
        return bad;
    file_hash(text, len, p->r.hash);
    bad = rule_check(&p->r, &set->mem, errors);
    if (bad)
        return bad;
    for (size_t i = 0; i < set->n; i++) {
        if (strcmp(set->items[i]->r.id, p->r.id) == 0) {
            rule_error(errors, fname, p->r.line_of_id, 1, "policy %s is already defined in %s", p->r.id, set->items[i]->r.file);
            return 1;
        }
    }
    program_compile(&p->r, &p->prog, &set->mem);
    size_t before = errors->total;
    intern_literals(set, p, errors);
    fill_info(p);
    fill_params(set, p);
    p->index = set->n;
    set->items = xrealloc(set->items, (set->n + 1) * sizeof *set->items);
    set->items[set->n++] = p;
    return (int)(errors->total - before);
}

static policy_set *set_new(void)
{
    policy_set *set = xcalloc(1, sizeof *set);
    arena_init(&set->mem, 1 << 16);
    return set;
}

static int finish(policy_set *set, policy_set **out, errlist *errors, size_t before, lz_err *err)
{
    if (errors->total > before) {
        size_t n = errors->total - before;
        policy_set_free(set);
        *out = NULL;
        return err_set(err, LZ_EINPUT, "%zu error%s in the rule files", n, n == 1 ? "" : "s");
    }
    *out = set;
    return 0;
}

int policy_set_load_text(const char *name, const char *text, size_t len, policy_set **out, errlist *errors, lz_err *err)
{
    size_t before = errors->total;
    policy_set *set = set_new();
    add_file(set, name, text, len, errors);
    return finish(set, out, errors, before, err);
}

static int read_file(const char *path, char **text, size_t *len, lz_err *err)
{
    strbuf b;
    strbuf_init(&b);
    if (strbuf_read_file(&b, path, err) < 0) {
        strbuf_free(&b);
        return LZ_EINPUT;
    }
    *len = b.len;
    *text = strbuf_detach(&b);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int policy_set_load(const char *dir, policy_set **out, errlist *errors, lz_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return err_set(err, LZ_ENOTFOUND, "%s: not a directory of rule files", dir);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 7 && strcmp(e->d_name + l - 7, ".policy") == 0) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    size_t before = errors->total;
    policy_set *set = set_new();
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096], *text = NULL;
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (rc == 0 && (rc = read_file(path, &text, &len, err)) == 0)
            add_file(set, names[i], text, len, errors); /* named without the directory: answers never show server paths */
        free(text);
        free(names[i]);
    }
    free(names);
    if (rc) {
        policy_set_free(set);
        return rc;
    }
    if (n == 0) {
        policy_set_free(set);
        return err_set(err, LZ_ENOTFOUND, "%s: no *.policy files", dir);
    }
    return finish(set, out, errors, before, err);
}

void policy_set_free(policy_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        free(set->items[i]->prog.code);
    for (size_t i = 0; i < set->syms.n; i++)
        free(set->syms.names[i]);
    free(set->syms.names);
    free(set->items);
    arena_free(&set->mem);
    free(set);
}

size_t policy_set_count(const policy_set *set)
{
    return set->n;
}

const policy *policy_set_at(const policy_set *set, size_t i)
{
    return i < set->n ? set->items[i] : NULL;
}

const policy *policy_set_find(const policy_set *set, const char *id)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->items[i]->r.id, id) == 0)
            return set->items[i];
    return NULL;
}

void policy_describe(const policy *p, policy_info *out)
{
    *out = p->info;
}

const char *param_source_name(const param_source *s)
{
    return s->assumed ? "assumed" : s->document ? "confirmed" : "article";
}
