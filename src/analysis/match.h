/*
 * match — what an enterprise could get, through the policy engine on the store's data: the
 * policies it is eligible for, those pending a committee's amount, those undetermined with the
 * facts to supply, and its near misses (a numeric condition failed by less than 10% of its
 * threshold, with the exact shortfall). And, city-wide, the eligible results of an award year
 * that have no award in the ledger yet (免申即享: granted without an application).
 *
 * `year` is the award year, as for `awards`: decided on the statistics of year-1. Nothing is
 * written. The results are the JSON the API returns and the CLI prints (docs/analysis.md).
 */
#ifndef LZ_MATCH_H
#define LZ_MATCH_H

#include <jansson.h>

#include "core/err.h"
#include "policy/policy.h"
#include "store/store.h"

/* A near miss: the gap is under this share of the required value, in basis points. */
enum { MATCH_NEAR_BP = 1000 };

/* {"year","uscc","name","eligible":[…],"pending":[…],"undetermined":[…],"near_misses":[…]} for the
 * enterprise `uscc`; LZ_ENOTFOUND when no such enterprise is stored. *out is a new reference the
 * caller owns; set and st are borrowed. */
int match_enterprise(const policy_set *set, store *st, int year, const char *uscc, policy_lang lang, json_t **out, lz_err *err);

/* {"year","department","unclaimed":[…]}: eligible results of `year` with no ledger award for
 * (year, policy, subject), of the policies of `department` (NULL: every department). */
int match_unclaimed(const policy_set *set, store *st, int year, const char *department, policy_lang lang, json_t **out,
                    lz_err *err);

#endif
