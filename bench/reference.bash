# Shared steps of the benchmarks that read the reference data set through a server
# (bench/lists.sh, bench/analysis.sh); sourced after `cd` to the repository's root, with
# NAME (the benchmark's name, for messages and bench/out/NAME), N (enterprises) and LZ set.
#   reference_copy ACCOUNT: generates the data set once (bench/out/policy/demo-N.db, the one
#     bench/policy.sh keeps), copies it to $OUT/run.db and adds an admin ACCOUNT with a random
#     password ($PW); opening the copy upgrades a file of an older schema, outside any timing.
#   reference_serve ACCOUNT: starts `lianzhang serve` on the copy ($SPID, $URL) and signs in
#     ($COOKIE). The server is stopped and the copy removed when the script exits.
for tool in node curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "$NAME: $tool is missing (make deps)"; exit 1; }
done
DATA=bench/out/policy/demo-$N.db
OUT=bench/out/$NAME
mkdir -p "$OUT" "$(dirname "$DATA")"
SPID=
reference_cleanup() {
  [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
  rm -f "$OUT"/run.db*
}
trap reference_cleanup EXIT

reference_copy() {
  [ -f "$DATA" ] || "$LZ" demo "$DATA" --enterprises "$N" --seed 1 > /dev/null
  cp "$DATA" "$OUT/run.db"
  sync # the copy's write-back would otherwise be timed with the runs
  PW=$(node -e "import('$PWD/tests/api/password.mjs').then((m) => console.log(m.strongPassword()))")
  printf '%s\n' "$PW" | "$LZ" user add "$OUT/run.db" "$1" --role admin --password-stdin > /dev/null
}

reference_serve() {
  "$LZ" serve "$OUT/run.db" --listen 127.0.0.1:0 --access-log none > "$OUT/serve.out" 2> "$OUT/serve.err" &
  SPID=$!
  for _ in $(seq 1 100); do grep -q http "$OUT/serve.out" 2>/dev/null && break; sleep 0.1; done
  URL=$(grep -o 'http://[0-9.:]*' "$OUT/serve.out")
  COOKIE=
  for _ in $(seq 1 30); do # the first start's escalation sweep may hold the write lock a moment
    curl -s -D "$OUT/login.h" -o "$OUT/login.json" -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"password\":\"$PW\"}" "$URL/api/v1/session"
    COOKIE=$(sed -n 's/^Set-Cookie: \([^;]*\).*/\1/ip' "$OUT/login.h")
    [ -n "$COOKIE" ] && break
    sleep 1
  done
  [ -n "$COOKIE" ] || { echo "$NAME: cannot sign in: $(cat "$OUT/login.json")"; cat "$OUT/serve.err"; exit 1; }
}
