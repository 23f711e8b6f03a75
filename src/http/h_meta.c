/*
 * h_meta — the server about itself: health (the database answers, which version runs) and the
 * OpenAPI document (generated once, then served as bytes).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/openapi.h"

void h_health(http_req *rq, http_resp *rs)
{
    int schema = store_schema_version(rq->st);
    if (schema < 0) {
        http_problem(rs, 503, NULL, "the database does not answer");
        return;
    }
    http_json(rs, 200, json_pack("{s:s, s:s, s:i}", "status", "ok", "version", LIANZHANG_VERSION, "schema", schema));
}

static char *openapi_text;
static void build_openapi(void)
{
    json_t *doc = openapi_document();
    openapi_text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
}

void h_openapi(http_req *rq, http_resp *rs)
{
    (void)rq;
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_openapi);
    http_bytes(rs, 200, "application/json", openapi_text, strlen(openapi_text));
}
