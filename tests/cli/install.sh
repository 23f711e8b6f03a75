#!/usr/bin/env bash
# `make install` under a temporary PREFIX (its own build, with that prefix compiled in): the
# installed program, run from another folder, finds the policies installed beside it, honours
# LIANZHANG_POLICIES, and says both ways to name them when there are none; the manual page
# renders and has a section with the options of every command that --help lists; `make
# uninstall` removes it all, and DESTDIR stages an install without touching PREFIX.
. "$(dirname "$0")/lib.bash"
: "${LZ_ROOT:?set LZ_ROOT to the source tree}"
P="$T/usr"
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$LZ_ROOT" -j2 BUILD="$T/build" PREFIX="$P" OPT=-O0 "$@" > "$T/make.log" 2>&1; }

if mk install; then pass "make install builds and installs under PREFIX"; else fail "make install" "$(tail -20 "$T/make.log")"; fi
I="$P/bin/lianzhang"
for f in "$I" "$P/share/man/man1/lianzhang.1" "$P/share/lianzhang/policies/jiangmen/miit.tech_upgrade.policy"; do
  if [ -f "$f" ]; then pass "installed ${f#"$P"/}"; else fail "installed ${f#"$P"/}"; fi
done

cd "$T" || exit 1 # no policies/ here
expect_exit 0 "the installed program, run elsewhere, finds the installed policies" env -u LIANZHANG_POLICIES "$I" policy check
run env -u LIANZHANG_POLICIES "$I" policy --help
expect_in "$OUT" "$P/share/lianzhang/policies/jiangmen" "its help names the installed folder"
mkdir -p "$T/mine" && cp "$LZ_ROOT/policies/jiangmen/miit.tech_upgrade.policy" "$T/mine/"
run env LIANZHANG_POLICIES="$T/mine" "$I" policy list
expect_in "$OUT" "miit.tech_upgrade" "LIANZHANG_POLICIES is read"
expect_not_in "$OUT" "finance.neeq" "and comes before the installed folder"
run env -u LIANZHANG_POLICIES "$I" policy list --dir "$T/mine"
expect_not_in "$OUT" "finance.neeq" "--dir comes before the installed folder"
"$I" init "$T/db" > /dev/null
expect_exit 1 "serve reads LIANZHANG_POLICIES too: a folder that is not there stops it" \
  env LIANZHANG_POLICIES="$T/none" "$I" serve "$T/db" --listen 127.0.0.1:0 --access-log none
expect_in "$ERR" "$T/none" "naming that folder"

# The manual page: rendered by man (groff where man is missing), one section per command with
# the options its --help shows.
if command -v man > /dev/null; then page=$(MANWIDTH=200 man -l "$P/share/man/man1/lianzhang.1" 2>&1 | col -b)
else page=$(groff -man -Tutf8 "$P/share/man/man1/lianzhang.1" 2>&1 | col -b); fi
expect_in "$page" "LIANZHANG_POLICIES" "the manual page renders and explains LIANZHANG_POLICIES"
missing=()
for cmd in $("$I" --help | sed -n 's/^  \([a-z]*\)  .*/\1/p'); do
  section=$(printf '%s\n' "$page" | sed -n "/^   $cmd\$/,/^   [a-z]*\$/p")
  [ -n "$section" ] || { missing+=("$cmd: no section"); continue; }
  for opt in $("$I" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    printf '%s' "$section" | grep -qF -- "$opt" || missing+=("$cmd $opt")
  done
done
expect_eq "${missing[*]}" "" "the manual page has every command of --help, with the options each --help lists"

# Without any policies: every way to give them is named.
mk uninstall
if [ ! -e "$I" ] && [ ! -e "$P/share/lianzhang" ] && [ ! -e "$P/share/man/man1/lianzhang.1" ]; then pass "make uninstall removes what install put"
else fail "make uninstall" "$(find "$P" -type f | head)"; fi
mk DESTDIR="$T/stage" install
S="$T/stage$P"
if [ -x "$S/bin/lianzhang" ] && [ -d "$S/share/lianzhang/policies/jiangmen" ] && [ ! -e "$I" ]; then pass "DESTDIR stages the install"
else fail "DESTDIR stages the install"; fi
expect_exit 1 "with no policies anywhere, a policy command fails as bad input" env -u LIANZHANG_POLICIES "$S/bin/lianzhang" policy list
expect_in "$ERR" "LIANZHANG_POLICIES" "the error names LIANZHANG_POLICIES"
expect_in "$ERR" "--dir DIR" "and --dir"
expect_in "$ERR" "$P/share/lianzhang/policies/jiangmen" "and the places it looked"
finish
