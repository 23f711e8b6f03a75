/*
 * assets — lookup in the built-in table of the UI's files (see assets.h). The table itself is
 * generated (web/dist/assets.c); it holds a handful of files, so a linear search is enough.
 */
#include "http/assets.h"

#include <string.h>

const web_asset *assets_find(const char *path)
{
    for (size_t i = 0; i < web_nassets; i++)
        if (strcmp(web_assets[i].path, path) == 0)
            return &web_assets[i];
    return NULL;
}
