#!/usr/bin/env bash
# `lianzhang awards --format table` (the view for a terminal) on the policy fixtures, checked
# against the CSV contract of the same run: the same rows, amounts grouped by thousands, and a
# total of the eligible amounts only. Then the refusals of the awards command: an unknown format,
# xlsx without a file, a policy that does not exist, recording a run of one enterprise.
. "$(dirname "$0")/lib.bash"
export LIANZHANG_POLICIES="$(cd "$(dirname "$0")/../.." && pwd)/policies/jiangmen"
C=91440704142740223L

load_policy_fixtures "$T/db" || fail "the policy fixtures load"

run "$LZ" awards "$T/db" --year 2022 --format csv --all
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
CSV=$OUT
run "$LZ" awards "$T/db" --year 2022 --format table
TABLE=$OUT
expect_eq "$(printf '%s\n' "$TABLE" | head -1 | tr -s ' ')" "policy subject subject_id uscc status amount" "the table's header"
# The table's rows are the CSV's shown rows (all but not_eligible), amounts grouped by thousands.
want=$(printf '%s\n' "$CSV" | awk -F, 'NR > 1 && $5 != "not_eligible" {
  n = split($6, p, "."); w = p[1]; g = "";
  while (length(w) > 3) { g = "," substr(w, length(w) - 2) g; w = substr(w, 1, length(w) - 3) }
  print $1, $2, $3, $4, $5, w g "." p[2] }')
got=$(printf '%s\n' "$TABLE" | sed '1d;$d' | tr -s ' ' | sed 's/^ //')
expect_eq "$got" "$want" "table rows are the CSV rows with grouped amounts"
expect_in "$TABLE" "miit.tech_upgrade          project    P2                       $C   eligible          1,234,567.89" \
  "columns line up: policy, subject, id, uscc, status, amount right-aligned"
# The total is of eligible amounts only (pending ones count nothing), summed in fen.
total=$(printf '%s\n' "$CSV" | awk -F, 'NR > 1 && $5 == "eligible" { split($6, p, "."); fen += p[1] * 100 + p[2] }
  END { printf "%d.%02d", fen / 100, fen % 100 }')
expect_eq "$total" "4634567.89" "the CSV's eligible amounts sum to 4,634,567.89"
expect_eq "$(printf '%s\n' "$TABLE" | tail -1)" "total eligible: 4,634,567.89" "the table ends with the total of eligible amounts"
run "$LZ" awards "$T/db" --year 2022 --format table --all
expect_in "$OUT" "P3                       $C   not_eligible              0.00" "--all shows not-eligible rows at 0.00"
expect_eq "$(printf '%s\n' "$OUT" | tail -1)" "total eligible: 4,634,567.89" "and they add nothing to the total"

# ---- refusals ----
expect_exit 2 "an unknown --format is a usage error" "$LZ" awards "$T/db" --year 2022 --format yaml
expect_in "$ERR" "unknown format 'yaml' (table, csv, json, xlsx)" "the message lists the formats"
expect_exit 2 "--format xlsx without -o is a usage error" "$LZ" awards "$T/db" --year 2022 --format xlsx
expect_in "$ERR" "--format xlsx needs -o FILE.xlsx" "the message says what is missing"
expect_exit 1 "--format xlsx into a folder that does not exist is bad input" \
  "$LZ" awards "$T/db" --year 2022 --format xlsx -o "$T/no/such/folder/a.xlsx"
expect_in "$ERR" "$T/no/such/folder/a.xlsx" "the message names the file"
expect_exit 1 "--policy naming no policy is bad input" "$LZ" awards "$T/db" --year 2022 --policy no.such
expect_in "$ERR" "no policy no.such in" "the message names the policy"
expect_exit 2 "--record of a run filtered to one enterprise is refused" \
  "$LZ" awards "$T/db" --year 2022 --enterprise "$C" --record
expect_in "$ERR" "--record records a whole year (or one --policy), not one --enterprise" "the message says why"
expect_eq "$(sqlite3 "$T/db" 'SELECT count(*) FROM awards')" "0" "and nothing was recorded"
finish
