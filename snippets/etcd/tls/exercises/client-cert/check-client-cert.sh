#!/usr/bin/env bash
# Checks an answer to the exercise "A certificate for a new user" (TLS).
# Usage: bash check-client-cert.sh make-client-cert.sh
# It runs your script in a scratch directory next to a fresh ca.crt and ca.key, then inspects
# alice.crt and alice.key with openssl. Nothing outside that directory is touched; it is removed after.
(
script=${1:?usage: bash check-client-cert.sh make-client-cert.sh}
if [ ! -f "$script" ]; then echo "cannot read $script"; exit 1; fi
# bounded SECONDS COMMAND...: timeout, which Ctrl-C stops too (run by a script, timeout puts the
# command in a process group of its own, which the terminal's Ctrl-C does not reach)
bounded() {
  local pid status on_int
  on_int=$(trap -p INT)
  timeout "$@" & pid=$!
  trap 'kill -INT $pid 2>/dev/null; wait $pid; eval "${on_int:-trap - INT}"; kill -INT $BASHPID' INT
  wait $pid; status=$?
  eval "${on_int:-trap - INT}"
  return $status
}
script=$(realpath "$script")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
openssl req -x509 -new -key ca.key -subj "/CN=exercise-ca" -days 1 -out ca.crt
bounded 30 bash "$script" >/dev/null 2>&1 || true
if [ ! -s alice.crt ] || [ ! -s alice.key ]; then echo "it made no alice.crt and alice.key"; exit 1; fi
problems=()
if ! openssl verify -CAfile ca.crt alice.crt >/dev/null 2>&1; then
  problems+=("alice.crt is not signed by ca.crt, so etcd would not trust it")
elif ! openssl verify -CAfile ca.crt -purpose sslclient alice.crt >/dev/null 2>&1; then
  problems+=("alice.crt may not be used by a client: its extendedKeyUsage lacks clientAuth")
fi
cn=$(openssl x509 -in alice.crt -noout -subject -nameopt multiline | awk -F' = ' '/commonName/ { print $2 }')
if [ "$cn" != alice ]; then
  problems+=("its common name (CN) is \"$cn\", not \"alice\": with auth on, etcd takes the user name from the CN")
fi
if [ "$(openssl x509 -in alice.crt -noout -pubkey)" != "$(openssl pkey -in alice.key -pubout 2>/dev/null)" ]; then
  problems+=("alice.key is not the private key of alice.crt")
fi
if [ ${#problems[@]} -gt 0 ]; then printf '%s\n' "${problems[@]}"; exit 1; fi
echo PASS
)
