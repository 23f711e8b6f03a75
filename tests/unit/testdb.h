/* A database file of its own for each unit test, so that no test depends on what an earlier one
 * left behind: a fresh path under /tmp, a store created there, and the removal of the file with
 * its WAL and shared-memory companions. Included by the test programs only, after cmocka.h. */
#ifndef LZ_TESTDB_H
#define LZ_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "refdata/load.h"
#include "store/store.h"

#define TESTDB_PATH_MAX 64

/* A new, unused path /tmp/lz-test-XXXXXX followed by suffix (".db", ".xlsx"). */
static inline void testdb_path(char path[TESTDB_PATH_MAX], const char *suffix)
{
    snprintf(path, TESTDB_PATH_MAX, "/tmp/lz-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    assert_true(strlen(path) + strlen(suffix) < TESTDB_PATH_MAX);
    strcat(path, suffix);
}

/* An empty database (current schema) at a new path, written into path. */
static inline store *testdb_create(char path[TESTDB_PATH_MAX])
{
    testdb_path(path, ".db");
    store *st = NULL;
    lz_err err = {0};
    if (store_open(&st, path, STORE_CREATE, &err) != 0)
        fail_msg("%s", err.msg);
    return st;
}

/* Removes the database file and the WAL and shared-memory files SQLite keeps beside it. */
static inline void testdb_remove(const char *path)
{
    char side[TESTDB_PATH_MAX + 8];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* A database at a new path holding the synthetic reference data of n enterprises (seed 7), loaded
 * through the importer like `lianzhang demo`. */
static inline store *testdb_synthetic(char path[TESTDB_PATH_MAX], int64_t n)
{
    store *st = testdb_create(path);
    synth_params p = {.seed = 7, .enterprises = n};
    errlist errs;
    errlist_init(&errs, 5);
    refdata_counts counts = {{0}};
    lz_err err = {0};
    int rc = refdata_load(st, &p, "test", "unit", NULL, NULL, &errs, &counts, &err);
    for (size_t i = 0; i < errs.count; i++)
        print_error("%s\n", errs.items[i]);
    errlist_free(&errs);
    if (rc != 0)
        fail_msg("%s", err.msg);
    return st;
}

#endif
