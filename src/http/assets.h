/*
 * assets — the browser UI's files, built into the program.
 *
 * web/build.mjs bundles web/src and writes web/dist/assets.c, which defines the table below; the
 * Makefile compiles that file into every build, so the one binary serves the UI with no files
 * beside it. Each asset is kept as is and gzip-compressed. Hashed assets (under /assets/, the
 * content hash in the name) never change under their name and may be cached for good; the page
 * (/index.html) names the hashed files of its build and must be revalidated.
 *
 * The table and its bytes are static and immutable: callers borrow them for the program's life.
 */
#ifndef LZ_ASSETS_H
#define LZ_ASSETS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct web_asset {
    const char *path;         /* "/assets/app.HASH.js", or "/index.html" for the app's page */
    const char *content_type; /* with charset for text */
    const char *data;         /* the file as is */
    size_t len;
    const char *gz; /* the same bytes gzip-compressed */
    size_t gz_len;
    bool immutable; /* a hashed name: the bytes under it never change */
} web_asset;

extern const web_asset web_assets[];
extern const size_t web_nassets;

/* The asset at path, or NULL. */
const web_asset *assets_find(const char *path);

#endif
