/*
 * backup — an online copy of the database (see store.h): SQLite's backup API copies every page in
 * one read transaction of the source, so the copy is one consistent moment even while the server
 * writes (in WAL mode a reader never blocks a writer). The copy is built under DEST.partial,
 * flushed to disk and only then renamed to DEST: an interrupted backup leaves no file that looks
 * like a finished one.
 */
#include "store/store_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SIDE_MAX 4096

void store_remove_files(const char *path)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    char side[SIDE_MAX];
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++)
        if (snprintf(side, sizeof side, "%s%s", path, sides[i]) < (int)sizeof side)
            remove(side);
}

/* Copies every page of st's main database into the new file at path. */
static int copy_pages(store *st, const char *path, lz_err *err)
{
    sqlite3 *to = NULL;
    int rc = sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(to, "main", store_db(st), "main");
        rc = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(to);
        if (b && sqlite3_backup_finish(b) != SQLITE_OK && rc == SQLITE_DONE)
            rc = sqlite3_errcode(to);
    }
    int out = 0;
    if (rc == SQLITE_CANTOPEN)
        out = err_set(err, LZ_EINPUT, "%s: cannot create the copy (does its folder exist, and may it be written?)", path);
    else if (rc != SQLITE_DONE)
        out = err_set(err, LZ_EINTERNAL, "%s: the copy failed: %s", path, to ? sqlite3_errmsg(to) : "out of memory");
    if (sqlite3_close(to) != SQLITE_OK && out == 0)
        out = err_set(err, LZ_EINTERNAL, "%s: cannot close the copy", path);
    return out;
}

/* The file's bytes on disk before it is given its name. */
static int flush(const char *path, lz_err *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return err_set(err, LZ_EINTERNAL, "%s: cannot flush the copy: %s", path, strerror(e));
    }
    close(fd);
    return 0;
}

int store_file_publish(const char *partial, const char *dest, lz_err *err)
{
    if (flush(partial, err) < 0)
        return LZ_EINTERNAL;
    if (rename(partial, dest) != 0)
        return err_set(err, LZ_EINTERNAL, "cannot rename %s to %s: %s", partial, dest, strerror(errno));
    return 0;
}

int store_backup(store *st, const char *dest, lz_err *err)
{
    if (store_is_postgres(st))
        return err_set(err, LZ_EINPUT,
                       "%s: a PostgreSQL database is backed up by its server's tools (pg_dump, or `lianzhang migrate` to a "
                       "SQLite file); backup copies a SQLite file",
                       store_path(st));
    char partial[SIDE_MAX];
    if (snprintf(partial, sizeof partial, "%s.partial", dest) >= (int)sizeof partial - 16)
        return err_set(err, LZ_EINPUT, "%s: path too long", dest);
    if (access(dest, F_OK) == 0)
        return err_set(err, LZ_EINPUT, "%s: already exists (a backup never overwrites a file)", dest);
    store_remove_files(partial); /* what an interrupted earlier backup left */
    int rc = copy_pages(st, partial, err);
    if (rc == 0)
        rc = store_file_publish(partial, dest, err);
    if (rc < 0)
        store_remove_files(partial);
    return rc;
}
