/*
 * pair — two pieces of work at once: one on the calling thread, the other on a thread started for
 * it, joined before returning. For the few loads that split in two (a table read on a snapshot's
 * twin, a ranking's weight moves): the machine has cores to spare and nothing else to run.
 *
 * The two must touch disjoint memory (or only read what both share). When no thread can start,
 * nothing has run and the caller chooses how to go on alone (often: both, one after the other).
 */
#ifndef LZ_PAIR_H
#define LZ_PAIR_H

#include <stdbool.h>

/* Runs here(a) on this thread while there(b) runs on a new one; true once both have returned.
 * False, having run neither, when the thread could not start. */
bool pair_run(void (*here)(void *a), void *a, void (*there)(void *b), void *b);

#endif
