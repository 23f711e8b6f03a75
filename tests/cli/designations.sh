#!/usr/bin/env bash
# The chain-master designation decision on the masters fixture (tests/cli/fixtures/masters, see
# masters.sh: chain bat, A master, C reserve master, B member ranked 3rd in 2023, D under the
# revenue floor, E not local), with the designation events that make the fixture consistent.
# A chain account proposes, may not approve its own proposal, an admin approves; then the rows an
# import of the same facts would hold are there, `check` is clean, the audit log holds, and the
# chain-master award policy sees the new master.
. "$(dirname "$0")/lib.bash"
MF="$FIX/masters"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export LIANZHANG_POLICIES="$T/no-policies"
DB="$T/db"
A=91440703MA4UC00010 B=91440703MA4UC00023 C=91440703MA4UC00036 D=91440704MA4UC0004P E=91310000MA4UC0005R

"$LZ" init "$DB" > /dev/null || fail "init"
for t in divisions clusters chains segments enterprises memberships indicators supply_links; do
  "$LZ" import "$DB" "$t" "$MF/$t.csv" > /dev/null || fail "import $t"
done
printf 'id,uscc,date,kind,detail,chain\nV1,%s,2021-06-30,chain_master_designated,第一批链主企业,bat\nV2,%s,2021-06-30,reserve_master_designated,第一批后备链主企业,bat\n' \
  "$A" "$C" > "$T/events.csv"
"$LZ" import "$DB" events "$T/events.csv" > /dev/null || fail "import events"
for u in "chief chain bat" "other chain pet" "firm enterprise $B" "root admin -"; do
  read -r name role scope <<< "$u"
  scope_arg=()
  [ "$scope" != - ] && scope_arg=(--scope "$scope")
  printf 'Xq7!vRt#2pLm9zW\n' | "$LZ" user add "$DB" "$name" --role "$role" "${scope_arg[@]}" --password-stdin > /dev/null \
    || fail "user add $name"
done
expect_exit 0 "the fixture with its designations is consistent" "$LZ" check "$DB"

propose() { "$LZ" masters propose "$DB" --chain bat --year 2023 --criteria "$MF/test.criteria" --batch 第二批链主企业 "$@"; }

# Gates and roles: refused with the reason, nothing recorded.
expect_exit 1 "a candidate under the revenue floor is refused" propose --enterprise "$D" --kind master --as chief
expect_in "$ERR" "failed the gate 'revenue_floor' in the evaluation of 2023" "the refusal names the gate"
expect_exit 1 "a candidate that is not local is refused" propose --enterprise "$E" --kind reserve --as chief
expect_in "$ERR" "gate 'local'" "the refusal names the local gate"
expect_exit 1 "the master is not designated again" propose --enterprise "$A" --kind master --as chief
expect_exit 1 "only a reserve master leaves the pool" propose --enterprise "$B" --kind leave-reserve --as chief
expect_exit 1 "another chain's account may not propose" propose --enterprise "$B" --kind master --as other
expect_exit 1 "an enterprise account may not propose" propose --enterprise "$B" --kind master --as firm
expect_in "$ERR" "not by an enterprise account" "the refusal names the role"
expect_exit 1 "an unknown kind names the field" propose --enterprise "$B" --kind boss --as chief
expect_in "$ERR" "kind: one of master, reserve, leave-reserve, revoke" "the kinds are listed"
run "$LZ" masters decisions "$DB" --format csv
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "1" "no refusal left a decision behind"

# B, third in the evaluation and outside its proposed batch, passes the gates: it may be proposed.
expect_exit 0 "the chain's account proposes B as master" propose --enterprise "$B" --kind master --date 2023-06-30 --as chief \
  --reason "strong revenue"
expect_exit 1 "a second pending decision on B is refused" propose --enterprise "$B" --kind master --as chief
run "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$MF/test.criteria" --format json
expect_eq "$(printf '%s' "$OUT" | jq -c '.chains[0].pending')" "[{\"id\":1,\"uscc\":\"$B\",\"kind\":\"master\",\"proposed_by\":\"chief\"}]" \
  "the evaluation shows the decision waiting"
run "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$MF/test.criteria" --format csv --lang en
expect_in "$OUT" "$B,乙,member,0.2500,pending" "the evaluation's table marks B pending"
expect_exit 1 "the proposer cannot approve it" "$LZ" masters decide "$DB" 1 approved --as chief
expect_in "$ERR" "four eyes" "the refusal says why"
expect_exit 1 "an out-of-scope account cannot approve it" "$LZ" masters decide "$DB" 1 approved --as other
expect_exit 1 "a rejection needs a reason" "$LZ" masters decide "$DB" 1 rejected --as root
run "$LZ" export "$DB" memberships
expect_in "$OUT" "$B,乙,bat,新能源电池,mat,member,confirmed" "nothing is written before approval"

expect_exit 0 "a second account approves" "$LZ" masters decide "$DB" 1 approved --as root
expect_exit 1 "a decided proposal is not decided again" "$LZ" masters decide "$DB" 1 rejected --as root --reason late
expect_in "$ERR" "decision 1 is approved already" "the refusal says it is decided"
run "$LZ" masters decisions "$DB" --format json
expect_eq "$(printf '%s' "$OUT" | jq -c '.[0] | [.id, .kind, .status, .proposed_by, .decided_by, .year, .rank, .score]')" \
  '[1,"master","approved","chief","root",2023,3,"0.2500"]' "the decision keeps what it was based on and who decided"
run "$LZ" export "$DB" memberships
expect_in "$OUT" "$B,乙,bat,新能源电池,mat,chain_master,confirmed" "the membership has the master's role"
run "$LZ" export "$DB" events
expect_in "$OUT" "designation-1,$B,乙,2023-06-30,chain_master_designated,,第二批链主企业,,bat,新能源电池" \
  "the designation event names its chain and batch"
run "$LZ" export "$DB" key_enterprises
expect_in "$OUT" "$B,乙,bat,新能源电池,2023-06-30,root," "the key-enterprise directory has B since the designation"
expect_exit 0 "check is clean after the approval" "$LZ" check "$DB"
run "$LZ" masters evaluate "$DB" --year 2023 --chain bat --criteria "$MF/test.criteria" --format json
expect_eq "$(printf '%s' "$OUT" | jq -c '.chains[0] | [.masters, .pending]')" "[[\"$A\",\"$B\"],[]]" \
  "after approval B is a master and nothing waits"
run "$LZ" audit list "$DB" --format csv
for target in master_decisions/1 "memberships/$B/bat/mat" events/designation-1 "key_enterprises/$B/bat"; do
  expect_in "$OUT" "$target" "audited: $target"
done
expect_exit 0 "the audit log holds" "$LZ" audit verify "$DB"

# The chain-master award of 2024 (designations of 2023) sees the new master.
run env LIANZHANG_POLICIES="$ROOT/policies/jiangmen" "$LZ" awards "$DB" --year 2024 --format csv
expect_in "$OUT" "miit.chain_master,链主企业奖励,市工信局,event,designation-1,$B" "the chain-master policy sees the new master"

# Out of the reserve pool: C becomes a backbone enterprise, and check still agrees.
propose_c() { "$LZ" masters propose "$DB" --chain bat --year 2023 --criteria "$MF/test.criteria" --batch 调整 --enterprise "$C" "$@"; }
expect_exit 0 "the chain's account proposes C leaves the pool" propose_c --kind leave-reserve --as chief
expect_exit 0 "the proposer may withdraw it" "$LZ" masters decide "$DB" 2 withdrawn --as chief
expect_exit 0 "and propose it again" propose_c --kind leave-reserve --as chief
expect_exit 1 "only the proposer withdraws" "$LZ" masters decide "$DB" 3 withdrawn --as root
expect_exit 0 "approved by the admin" "$LZ" masters decide "$DB" 3 approved --as root
run "$LZ" export "$DB" memberships
expect_in "$OUT" "$C,丙,bat,新能源电池,mat,backbone,confirmed" "C left the pool: a backbone enterprise"
expect_exit 0 "check is clean after C left the pool" "$LZ" check "$DB"
run "$LZ" masters decisions "$DB" --chain bat --status withdrawn --format csv
expect_eq "$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f1,4,10)" "2,leave-reserve,withdrawn" "decisions filter by status"
# Revoking A, a master since 2021: it becomes a backbone enterprise, and check agrees with the revocation.
expect_exit 0 "the chain's account proposes revoking A" "$LZ" masters propose "$DB" --chain bat --year 2023 \
  --criteria "$MF/test.criteria" --batch 撤销 --date 2024-01-15 --enterprise "$A" --kind revoke --as chief
expect_exit 0 "approved by the admin" "$LZ" masters decide "$DB" 4 approved --as root
run "$LZ" export "$DB" memberships
expect_in "$OUT" "$A,甲,bat,新能源电池,mat,backbone,confirmed" "A is no longer master"
run "$LZ" export "$DB" events
expect_in "$OUT" "designation-4,$A,甲,2024-01-15,chain_master_revoked,,撤销,,bat" "the revocation is an event of the chain"
expect_exit 0 "check is clean after the revocation" "$LZ" check "$DB"
expect_exit 0 "the audit log still holds" "$LZ" audit verify "$DB"
# An end of a designation that memberships do not follow is reported, as a designation would be.
printf 'id,uscc,date,kind,chain\nV9,%s,2025-01-01,chain_master_revoked,bat\n' "$B" > "$T/revoked.csv"
"$LZ" import "$DB" events "$T/revoked.csv" > /dev/null || fail "import a revocation"
expect_exit 1 "check reports a revoked master whose membership still says master" "$LZ" check "$DB"
expect_in "$OUT$ERR" "V9: chain: chain_master_revoked for bat on 2025-01-01, but memberships give $B on bat the role chain_master" \
  "the report names the event and the role"
expect_exit 1 "an unknown status is refused" "$LZ" masters decisions "$DB" --status done
expect_in "$ERR" "status: one of proposed, approved, rejected, withdrawn" "the refusal names the field"
expect_exit 1 "an unknown chain is refused" "$LZ" masters decisions "$DB" --chain nope
run env LIANZHANG_POLICIES="$ROOT/policies/jiangmen" "$LZ" explain "$DB" --year 2024 --enterprise "$B" --policy miit.chain_master --lang en
expect_in "$OUT" "designation-1" "explain shows the chain-master award of the new master's designation"
finish
