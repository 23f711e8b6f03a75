/*
 * tests — a policy's own test cases as data, for whoever shows them (the API's
 * GET /api/v1/policies/{id}/tests). Running them for `lianzhang policy test` is policy_run_tests
 * (policy.h); both run each case the same way (tests.c).
 */
#ifndef LZ_POLICY_TESTS_H
#define LZ_POLICY_TESTS_H

#include <jansson.h>

#include "policy/policy.h"

/* The cases of p, each run now against the engine of set, as a JSON array (caller owns it):
 *   [{"name", "year", "line", "passed": bool, "failure": text or null,
 *     "subjects": [{"id", "inputs": [{"of", "fact", "year", "value"}], "paid": [{"year", "amount"}],
 *                   "expect": {"status", "amount", "text"} or null}]}]
 * "of" is null for the case's own subject, else the related one ("employer", "owner", ...);
 * "year" is null for a fact that is not yearly; "value" is the literal as the rule file writes it;
 * an amount is yuan with two decimals ("500000.00"); "status" is a result's name or "none" (out of
 * the policy's scope: no result at all); "amount" is null unless the status is eligible. */
json_t *policy_tests_json(const policy_set *set, const policy *p);

#endif
