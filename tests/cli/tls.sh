#!/usr/bin/env bash
# `lianzhang serve --tls-cert FILE --tls-key FILE`: HTTPS with a throwaway self-signed certificate
# made here by openssl. The server answers over TLS with that very certificate (curl verifies it
# against the file, not only with -k), answers nothing in plain HTTP on the same port, and stops
# cleanly; a certificate without its key, or files that are missing, empty or not PEM, are
# refused before anything listens (each under a timeout: a server that started would never exit).
. "$(dirname "$0")/lib.bash"
command -v openssl > /dev/null || { fail "openssl is installed (scripts/deps.sh)"; finish; }

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$T/key.pem" -out "$T/cert.pem" 2> "$T/openssl.err" || fail "openssl makes a certificate" "$(cat "$T/openssl.err")"
"$LZ" init "$T/db" > /dev/null || fail "init"

serve_bg "$T/db" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
expect_in "$URL" "https://127.0.0.1:" "serve with --tls-cert/--tls-key prints an https:// URL"
run curl -sk --max-time 10 "$URL/healthz"
expect_in "$OUT" '"ok"' "GET /healthz over HTTPS (curl -k)"
run curl -s --max-time 10 --cacert "$T/cert.pem" "$URL/healthz"
expect_eq "$RC" "0" "the certificate served is the one given (curl verifies it against cert.pem)"
run curl -s --max-time 10 "http://${URL#https://}/healthz"
if [ "$RC" -ne 0 ] && ! printf '%s' "$OUT" | grep -q '"ok"'; then pass "plain HTTP on the TLS port gets no answer"; else fail "plain HTTP on the TLS port gets no answer" "curl exit $RC" "$OUT"; fi
kill -TERM "$PID"
if wait "$PID"; then pass "the HTTPS server stops cleanly on SIGTERM"; else fail "the HTTPS server stops cleanly on SIGTERM" "$(tail -20 "$T/serve.err")"; fi
PID=

expect_exit 2 "a certificate without its key is a usage error" "$LZ" serve "$T/db" --tls-cert "$T/cert.pem"
expect_exit 2 "a key without its certificate is a usage error" "$LZ" serve "$T/db" --tls-key "$T/key.pem"
expect_exit 1 "a missing certificate file is bad input" \
  timeout 20 "$LZ" serve "$T/db" --listen 127.0.0.1:0 --tls-cert "$T/none.pem" --tls-key "$T/key.pem"
expect_in "$ERR" "none.pem: cannot open" "the message names the missing file"
: > "$T/empty.pem"
expect_exit 1 "an empty key file is bad input" \
  timeout 20 "$LZ" serve "$T/db" --listen 127.0.0.1:0 --tls-cert "$T/cert.pem" --tls-key "$T/empty.pem"
expect_in "$ERR" "empty.pem: empty, or larger than" "the message names the empty file"
echo "not a key" > "$T/junk.pem"
expect_exit 1 "a key that is not PEM: refused, nothing listens" \
  timeout 20 "$LZ" serve "$T/db" --listen 127.0.0.1:0 --tls-cert "$T/cert.pem" --tls-key "$T/junk.pem"
finish
