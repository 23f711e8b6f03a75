/* A database file of its own for each unit test, so that no test depends on what an earlier one
 * left behind: a fresh path under /tmp, a store created there, and the removal of the file with
 * its WAL and shared-memory companions. Included by the test programs only, after cmocka.h. */
#ifndef LZ_TESTDB_H
#define LZ_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#endif
