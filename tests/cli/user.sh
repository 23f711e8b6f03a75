#!/usr/bin/env bash
# lianzhang user: accounts with roles and scopes, passwords only from stdin, audited changes,
# demo accounts with random passwords.
source "$(dirname "$0")/lib.bash"
DB="$T/db"
load_good "$DB" || { fail "load fixtures"; finish; }

run "$LZ" user add "$DB" alice --role admin --password-stdin <<< 'correct horse battery'
expect_eq "$RC" 0 "an admin account is added"
run "$LZ" user add "$DB" alice --role admin --password-stdin <<< 'correct horse battery'
expect_eq "$RC" 1 "a taken name is refused"
expect_in "$ERR" "already exists" "and the message says so"
run "$LZ" user add "$DB" bob --role admin --password-stdin <<< 'short'
expect_eq "$RC" 1 "a password under 10 characters is refused"
expect_in "$ERR" "at least 10 characters" "and the message says how long it must be"
# Ten characters are not enough: the quality check (libpwquality) says why a password is refused.
run "$LZ" user add "$DB" bob --role admin --password-stdin <<< 'aaaaaaaaaa'
expect_eq "$RC" 1 "aaaaaaaaaa is refused for an admin"
expect_in "$ERR" "password refused: The password is a palindrome" "with the reason"
run "$LZ" user add "$DB" bob --role admin --password-stdin <<< 'password123'
expect_in "$ERR" "password refused: The password fails the dictionary check - it is based on a dictionary word" "a dictionary word is refused, saying so"
run "$LZ" user add "$DB" bob --role admin --password-stdin <<< 'abcdefghijkl'
expect_in "$ERR" "too simplistic/systematic" "a sequence is refused, saying so"
run "$LZ" user add "$DB" zhangwei --role admin --password-stdin <<< 'zhangwei-2024!x'
expect_in "$ERR" "contains the user name" "a password with the account's name is refused, saying so"
if db_sql "$DB" "SELECT count(*) FROM accounts WHERE name IN ('bob', 'zhangwei')" | grep -qx 0; then
  pass "no refused password adds the account"; else fail "no refused password adds the account"; fi
run "$LZ" user add "$DB" bob --role chain --password-stdin <<< 'long enough pw'
expect_in "$ERR" "needs --scope" "a chain account needs a scope"
run "$LZ" user add "$DB" bob --role chain --scope nochain --password-stdin <<< 'long enough pw'
expect_in "$ERR" "no such chains row" "a scope naming a missing chain is refused"
run "$LZ" user add "$DB" bob --role chain --scope battery --password-stdin <<< 'long enough pw'
expect_eq "$RC" 0 "a chain account scoped to an existing chain is added"
# A bureau is scoped to a department that a policy file or a chain of the data names.
POLICIES="$(cd "$(dirname "$0")/../.." && pwd)/policies/jiangmen"
run "$LZ" user add "$DB" gx --role bureau --scope 市工信 --policies "$POLICIES" --password-stdin <<< 'long enough pw'
expect_eq "$RC" 1 "a bureau scoped to no known department is refused"
expect_in "$ERR" "scope '市工信': no such department" "the message names the scope"
expect_in "$ERR" "市人才工作局, 市工信局, 市科技局" "and lists the valid departments"
run "$LZ" user add "$DB" talent --role bureau --scope 市人才工作局 --policies "$POLICIES" --password-stdin <<< 'long enough pw'
expect_eq "$RC" 0 "a department that only a policy file names is accepted"
run env -u LIANZHANG_POLICIES "$LZ" user add "$DB" gx --role bureau --scope 市工信局 --policies "$T/none" --password-stdin <<< 'long enough pw'
expect_eq "$RC" 0 "a department leading a chain of the data is accepted without policies"
run "$LZ" user add "$DB" 'bad name!' --role admin --password-stdin <<< 'long enough pw'
expect_eq "$RC" 1 "a name with spaces or punctuation is refused"
run "$LZ" user add "$DB" carol --role admin
expect_eq "$RC" 1 "without --password-stdin nothing is added"
run "$LZ" user add "$DB" dave --role superuser --password-stdin <<< 'long enough pw'
expect_eq "$RC" 1 "an unknown role is refused"

run env LANG=C "$LZ" user list "$DB"
expect_eq "$(printf '%s\n' "$OUT" | head -1 | tr -s ' ')" "账号 角色 范围 状态" "headings in Chinese unless the environment asks for English"
expect_in "$OUT" "bob" "list shows the accounts"
expect_in "$OUT" "battery" "with their scopes"
if printf '%s' "$OUT" | grep -q 'carol\|dave'; then fail "refused accounts are not listed"; else pass "refused accounts are not listed"; fi

run "$LZ" user disable "$DB" bob
run env LANG=en_US.UTF-8 "$LZ" user list "$DB"
expect_in "$OUT" "disabled" "disable marks the account"
run env LANG=zh_CN.UTF-8 "$LZ" user list "$DB"
expect_in "$OUT" "已停用" "in the environment's language"
run "$LZ" user passwd "$DB" bob --password-stdin <<< '1234567890'
expect_eq "$RC" 1 "a weak new password is refused"
expect_in "$ERR" "password refused: The password fails the dictionary check" "with the reason"
run "$LZ" user passwd "$DB" bob --password-stdin <<< 'another password'
expect_eq "$RC" 0 "the password changes to a strong one"
run "$LZ" user disable "$DB" nobody
expect_eq "$RC" 1 "disabling a missing account is an error"

if db_sql "$DB" "SELECT count(*) FROM accounts WHERE password_hash LIKE '\$argon2id\$%'" | grep -qx 4; then
  pass "passwords are stored as Argon2id hashes"; else fail "passwords are stored as Argon2id hashes"; fi
if db_sql "$DB" "SELECT coalesce(before,'') || coalesce(after,'') FROM audit_log" | grep -q 'correct horse\|argon2'; then
  fail "the audit log holds neither passwords nor hashes"; else pass "the audit log holds neither passwords nor hashes"; fi
run db_sql "$DB" "SELECT count(*) FROM audit_log WHERE target LIKE 'accounts/%'"
expect_eq "$OUT" 6 "every account change is audited (add alice, bob, talent, gx, disable, passwd)"
run "$LZ" audit verify "$DB"
expect_eq "$RC" 0 "the audit log verifies after account changes"

run "$LZ" user demo-accounts "$DB"
expect_eq "$RC" 0 "demo accounts are created"
for role in admin bureau chain division enterprise; do
  expect_in "$OUT" "demo-$role" "a demo account for $role"
done
expect_eq "$(db_sql "$DB" "SELECT role || ' ' || scope FROM accounts WHERE name = 'demo-bureau-2'")" \
  "$(db_sql "$DB" "SELECT role || ' ' || scope FROM accounts WHERE name = 'demo-bureau'")" "a second account of the same bureau approves what the first reviews"
first=$(printf '%s' "$OUT" | sed -n 's/.*demo-admin .*password: \(.*\)$/\1/p')
run "$LZ" user demo-accounts "$DB"
second=$(printf '%s' "$OUT" | sed -n 's/.*demo-admin .*password: \(.*\)$/\1/p')
if [ -n "$first" ] && [ "$first" != "$second" ] && [ ${#first} -ge 16 ]; then
  pass "demo passwords are random and new on every run"; else fail "demo passwords are random and new on every run" "$first / $second"; fi
finish
