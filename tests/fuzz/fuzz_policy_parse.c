/* libFuzzer target: any bytes as a rule file. Loading must report errors, never crash, leak or
 * read out of bounds; a file that loads must also run its own test cases without harm. */
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    errlist errors;
    errlist_init(&errors, 8);
    policy_set *set = NULL;
    lz_err err = {0};
    if (policy_set_load_text("fuzz.policy", (const char *)data, size, &set, &errors, &err) == 0) {
        strbuf report;
        strbuf_init(&report);
        for (size_t i = 0; i < policy_set_count(set); i++)
            policy_run_tests(set, policy_set_at(set, i), &report);
        strbuf_free(&report);
        policy_set_free(set);
    }
    errlist_free(&errors);
    return 0;
}
