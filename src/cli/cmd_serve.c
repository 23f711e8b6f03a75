/*
 * cmd_serve — `lianzhang serve DB`: runs the HTTP server until SIGINT or SIGTERM, then stops
 * cleanly (in-flight requests finish, connections close, the database is left consistent).
 */
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "analysis/masters_criteria.h"
#include "analysis/thresholds.h"
#include "cli/commands.h"
#include "core/date.h"
#include "workflow/appeals.h"
#include "http/server.h"
#include "policy/policy.h"
#include "store/store.h"

#define MAX_PEM (64 * 1024)
#define FILES_BESIDE_CONNECTIONS 64 /* the database, the logs, the listening socket, libraries */

static char *read_pem(const char *path, lz_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(err, LZ_EINPUT, "%s: cannot open", path);
        return NULL;
    }
    char *buf = xmalloc(MAX_PEM + 1);
    size_t n = fread(buf, 1, MAX_PEM + 1, f);
    fclose(f);
    if (n == 0 || n > MAX_PEM) {
        free(buf);
        err_set(err, LZ_EINPUT, "%s: empty, or larger than %d bytes: not a PEM file", path, MAX_PEM);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

typedef struct serve_opts {
    const char *cert, *key, *log, *policies;
    bool per_address_given;
} serve_opts;

/* The numeric options: the long option, where its value goes, its range. */
typedef struct number_opt {
    int id;
    const char *name;
    size_t offset;
    unsigned min, max;
} number_opt;

static const number_opt number_opts[] = {
    {'t', "threads", offsetof(http_server_config, threads), 1, 256},
    {'m', "max-connections", offsetof(http_server_config, max_connections), 1, 1000000},
    {'i', "max-per-address", offsetof(http_server_config, max_per_address), 0, 1000000},
    {'h', "header-timeout", offsetof(http_server_config, header_timeout_s), 1, 3600},
    {'b', "body-timeout", offsetof(http_server_config, body_timeout_s), 1, 86400},
    {'d', "idle-timeout", offsetof(http_server_config, idle_timeout_s), 1, 86400},
};

/* Stores optarg into the option's field; a value that is not a whole number in range is a usage
 * error, said with the option's name. */
static int number_arg(int id, http_server_config *cfg)
{
    const number_opt *o = number_opts;
    while (o->id != id)
        o++;
    char *end;
    unsigned long v = strtoul(optarg, &end, 10);
    if (end == optarg || *end != '\0' || optarg[0] == '-' || v < o->min || v > o->max) {
        fprintf(stderr, "lianzhang serve: --%s '%s': expected a whole number from %u to %u\n", o->name, optarg, o->min, o->max);
        return -1;
    }
    *(unsigned *)((char *)cfg + o->offset) = (unsigned)v;
    return 0;
}

static int parse_args(int argc, char **argv, http_server_config *cfg, serve_opts *o)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"tls-cert", required_argument, NULL, 'c'},
        {"tls-key", required_argument, NULL, 'k'},
        {"access-log", required_argument, NULL, 'a'},
        {"policies", required_argument, NULL, 'p'},
        {"behind-proxy", no_argument, NULL, 'x'},
        {"max-connections", required_argument, NULL, 'm'},
        {"max-per-address", required_argument, NULL, 'i'},
        {"header-timeout", required_argument, NULL, 'h'},
        {"body-timeout", required_argument, NULL, 'b'},
        {"idle-timeout", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            cfg->listen = optarg;
            break;
        case 'i':
            o->per_address_given = true;
            /* fall through */
        case 't':
        case 'm':
        case 'h':
        case 'b':
        case 'd':
            if (number_arg(c, cfg) < 0)
                return -1;
            break;
        case 'c':
            o->cert = optarg;
            break;
        case 'k':
            o->key = optarg;
            break;
        case 'a':
            o->log = optarg;
            break;
        case 'p':
            o->policies = optarg;
            break;
        case 'x':
            cfg->behind_proxy = true;
            break;
        default:
            return -1;
        }
    }
    if (optind != argc - 1 || (!o->cert != !o->key))
        return -1;
    if (cfg->behind_proxy && !o->per_address_given)
        cfg->max_per_address = 0; /* every connection comes from the proxy: its own limits apply */
    cfg->db_path = argv[optind];
    return 0;
}

/* Each connection is a file descriptor: the open-file limit is raised to fit max_connections
 * (up to the hard limit), or max_connections lowered to fit it, with a warning. */
static void fit_open_files(http_server_config *cfg)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    rlim_t want = (rlim_t)cfg->max_connections + FILES_BESIDE_CONNECTIONS;
    if (rl.rlim_cur >= want)
        return;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < want) {
        cfg->max_connections = rl.rlim_cur > 2 * FILES_BESIDE_CONNECTIONS ? (unsigned)(rl.rlim_cur - FILES_BESIDE_CONNECTIONS) : 1;
        fprintf(stderr, "lianzhang serve: only %llu open files allowed (ulimit -n): at most %u connections\n",
                (unsigned long long)rl.rlim_cur, cfg->max_connections);
    }
}

static FILE *open_log(const char *log, lz_err *err)
{
    if (strcmp(log, "-") == 0)
        return stdout;
    if (strcmp(log, "stderr") == 0)
        return stderr;
    FILE *f = fopen(log, "a");
    if (!f)
        err_set(err, LZ_EINPUT, "--access-log %s: cannot open for appending", log);
    else
        setvbuf(f, NULL, _IOLBF, 0);
    return f;
}

/* The periodic sweep: escalate overdue appeals (recorded as done by "system"). */
static void escalate(store *st)
{
    char at[DATE_STAMP_SIZE];
    date_now_utc(at);
    json_t *ids = json_array();
    lz_err err = {0};
    if (appeals_escalate_overdue(st, date_today(), "system", at, ids, &err) < 0)
        fprintf(stderr, "lianzhang serve: escalating overdue appeals: %s\n", err.msg);
    else if (json_array_size(ids) > 0)
        fprintf(stderr, "lianzhang serve: escalated %zu overdue appeal(s)\n", json_array_size(ids));
    json_decref(ids);
}

/* The folder cli_policy_dir finds, or NULL (its message in none). */
static const char *policy_folder(const char *given)
{
    lz_err none = {0};
    return cli_policy_dir(given, "--policies", &none);
}

/* The policy set from the folder cli_policy_dir finds; without one the server still serves the
 * data, and the award routes answer 503. */
static int load_policies(const char *given, policy_set **out, lz_err *err)
{
    *out = NULL;
    lz_err none = {0};
    const char *dir = cli_policy_dir(given, "--policies", &none);
    if (!dir) {
        fprintf(stderr, "lianzhang serve: %s: award routes answer 503\n", none.msg);
        return 0;
    }
    errlist errs;
    errlist_init(&errs, 20);
    int rc = policy_set_load(dir, out, &errs, err);
    for (size_t i = 0; i < errs.count; i++)
        fprintf(stderr, "%s/%s\n", dir, errs.items[i]); /* the rules name their files within dir */
    errlist_free(&errs);
    return rc;
}

static int serve(http_server_config *cfg, const serve_opts *o, lz_err *err)
{
    const char *cert = o->cert, *key = o->key, *log = o->log;
    store *st;
    if (store_open(&st, cfg->db_path, 0, err) < 0) /* upgrades the schema once, before any worker opens it */
        return err->code;
    store_close(st);
    char *cert_pem = cert ? read_pem(cert, err) : NULL, *key_pem = key && (!cert || cert_pem) ? read_pem(key, err) : NULL;
    int rc = cert && (!cert_pem || !key_pem) ? LZ_EINPUT : 0;
    cfg->tls_cert_pem = cert_pem;
    cfg->tls_key_pem = key_pem;
    if (rc == 0 && strcmp(log, "none") != 0 && !(cfg->access_log = open_log(log, err)))
        rc = LZ_EINPUT;
    policy_set *policies = NULL;
    if (rc == 0)
        rc = load_policies(o->policies, &policies, err);
    cfg->policies = policies;
    thresholds th;
    if (rc == 0)
        rc = cli_load_thresholds(NULL, policy_folder(o->policies), &th, err);
    cfg->thresholds = &th;
    masters_criteria mc;
    if (rc == 0)
        rc = cli_load_masters_criteria(NULL, policy_folder(o->policies), &mc, err);
    cfg->masters_criteria = &mc;
    /* The signals wait for sigwait in this thread; the workers inherit the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    http_server *srv = NULL;
    if (rc == 0 && (rc = http_server_start(cfg, &srv, err)) == 0) {
        char host[64];
        snprintf(host, sizeof host, "%.*s", (int)(strrchr(cfg->listen, ':') - cfg->listen), cfg->listen);
        printf("lianzhang serve: listening on %s://%s:%u/ (stop with Ctrl-C)\n", cert ? "https" : "http", host,
               http_server_port(srv));
        fflush(stdout);
        int sig;
        sigwait(&set, &sig);
        http_server_stop(srv);
        fprintf(stderr, "lianzhang serve: stopped (signal %d)\n", sig);
    }
    if (cfg->access_log && cfg->access_log != stdout && cfg->access_log != stderr)
        fclose(cfg->access_log);
    policy_set_free(policies);
    free(cert_pem);
    free(key_pem);
    return rc;
}

static int run_serve(int argc, char **argv)
{
    http_server_config cfg = {.listen = "127.0.0.1:8080",
                              .max_connections = 4096,
                              .max_per_address = 128,
                              .header_timeout_s = 10,
                              .body_timeout_s = 60,
                              .idle_timeout_s = 30,
                              .sweep = escalate,
                              .sweep_every_s = 60};
    serve_opts o = {.log = "stderr"};
    if (parse_args(argc, argv, &cfg, &o) < 0)
        return cli_usage(&cmd_serve);
    fit_open_files(&cfg);
    lz_err err = {0};
    if (serve(&cfg, &o, &err) < 0)
        return cli_fail(&err);
    return EXIT_OK;
}

const command cmd_serve = {
    "serve", "run the JSON API server",
    "lianzhang serve DB [--listen ADDR:PORT] [--threads N] [--tls-cert FILE --tls-key FILE] [--access-log FILE|-|none]\n"
    "                   [--policies DIR] [--behind-proxy] [--max-connections N] [--max-per-address N]\n"
    "                   [--header-timeout S] [--body-timeout S] [--idle-timeout S]\n"
    "  Serves the API under /api/v1 (OpenAPI document at /api/v1/openapi.json; health at /healthz).\n"
    "  --listen      IPv4 address and port, default 127.0.0.1:8080; port 0 picks a free one (printed)\n"
    "  --threads     worker threads, default: one per CPU\n"
    "  --tls-cert, --tls-key  PEM files: serve HTTPS (or run behind a reverse proxy: docs/deploy.md)\n"
    "  --access-log  one JSON line per request: to FILE, '-' (stdout), 'none'; default stderr\n"
    "  --policies    the policy rule files for the award routes, default\n"
    "                " CLI_POLICY_DEFAULTS "\n"
    "                and the analyses' thresholds (" THRESHOLDS_FILE " there, when present)\n"
    "  --behind-proxy  a reverse proxy on this machine terminates TLS: take the client address from\n"
    "                X-Forwarded-For and the scheme from X-Forwarded-Proto (only from a loopback peer)\n"
    "  --max-connections  open connections in all, default 4096 (the open-file limit is raised to fit)\n"
    "  --max-per-address  open connections from one client address, default 128; 0 = no limit\n"
    "                (the default behind a proxy, whose own limits apply)\n"
    "  --header-timeout   seconds for a request's head to arrive, from the connection's start or the\n"
    "                previous answer, default 10\n"
    "  --body-timeout     seconds for a request's body to arrive after its head, default 60\n"
    "  --idle-timeout     seconds a connection may stay silent in either direction, default 30\n"
    "  Sign in with POST /api/v1/session; accounts come from 'lianzhang user'. Stops on SIGINT/SIGTERM.\n"
    "  Every minute (and at start) appeals past their due date are escalated to their chain leader.\n",
    run_serve};
