/*
 * schema — the SQL of the tables the data contract declares (model/tables.h), rendered for one SQL
 * dialect, migration by migration.
 *
 * SQLite is what store_open runs (schema.c's migrations render their SQL here); PostgreSQL is the
 * first step of a second backend: its schema exists and is tested against a real
 * server (`make test-pg`), but no driver runs on it yet. Only the migrations generated from the
 * descriptors render for PostgreSQL; the table families whose migrations are hand-written SQLite
 * SQL (audit log, award ledger, accounts, workflow logs, calendar, designations) do not, and
 * store_schema_declared says which versions those are.
 *
 * Types per dialect (cells keep their kinds, see model/tables.h: integers stay integers):
 *   money (fen), integers, decimals (scaled)  SQLite INTEGER   PostgreSQL bigint
 *   booleans (0/1)                            SQLite INTEGER   PostgreSQL smallint CHECK (c IN (0, 1))
 *   dates (YYYY-MM-DD)                        SQLite TEXT      PostgreSQL date
 *   enumerations                              SQLite TEXT      PostgreSQL text CHECK (c IN (values))
 *   text, codes, lists (';'-joined)           SQLite TEXT      PostgreSQL text
 * Booleans are smallint rather than PostgreSQL's boolean because the store binds and reads them as
 * the integers 0 and 1 and its SQL compares them with integers (COALESCE("local", 1) = 1).
 * Keys, foreign keys (DEFERRABLE INITIALLY DEFERRED) and indexes are the same in both.
 */
#ifndef LZ_SCHEMA_H
#define LZ_SCHEMA_H

#include <stdbool.h>

#include "core/err.h"
#include "core/strbuf.h"

typedef enum store_dialect { STORE_DIALECT_SQLITE, STORE_DIALECT_POSTGRES } store_dialect;

/* Whether migration `version` is generated from the descriptors (and so renders for every
 * dialect); false for a hand-written SQLite migration and for a version that does not exist. */
bool store_schema_declared(int version);

/* Appends to out (borrowed; the caller owns and frees it) the DDL that migration `version` runs
 * for the declared tables in dialect d: statements separated by ";\n". Nothing for a version that
 * store_schema_declared says is hand-written. LZ_EINPUT for a version outside
 * 1..store_schema_version_latest(), else 0. */
int store_schema_render(store_dialect d, int version, strbuf *out, lz_err *err);

/* Appends the DDL of migrations 1..version in order: the declared tables as a new database at that
 * version has them (store_schema_version_latest() for the current schema). */
int store_schema_render_upto(store_dialect d, int version, strbuf *out, lz_err *err);

#endif
