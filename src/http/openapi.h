/*
 * openapi — the API's OpenAPI 3.1 document, generated from the route table (router.c) and the
 * table descriptors (model/tables.h), so that what is documented is what is served: every
 * `{table}` route is listed once per data table with that table's key in its path and its
 * columns as the row schema. Built once; the caller owns the returned reference.
 */
#ifndef LZ_OPENAPI_H
#define LZ_OPENAPI_H

#include <jansson.h>

json_t *openapi_document(void);

#endif
