/* pair — see pair.h. */
#include "core/pair.h"

#include <pthread.h>

typedef struct there_job {
    void (*fn)(void *);
    void *arg;
} there_job;

static void *run_there(void *arg)
{
    there_job *j = arg;
    j->fn(j->arg);
    return NULL;
}

bool pair_run(void (*here)(void *a), void *a, void (*there)(void *b), void *b)
{
    there_job j = {there, b};
    pthread_t t;
    if (pthread_create(&t, NULL, run_there, &j) != 0)
        return false;
    here(a);
    pthread_join(t, NULL);
    return true;
}
