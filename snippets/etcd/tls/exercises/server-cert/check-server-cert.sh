#!/usr/bin/env bash
# Checks an answer to the exercise "A certificate for a new member" (TLS).
# Usage: bash check-server-cert.sh make-member-cert.sh
# It runs your script in a scratch directory next to a fresh ca.crt and ca.key, then inspects
# m2.crt and m2.key with openssl. Nothing outside that directory is touched; it is removed after.
(
script=${1:?usage: bash check-server-cert.sh make-member-cert.sh}
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
if [ ! -s m2.crt ] || [ ! -s m2.key ]; then echo "it made no m2.crt and m2.key"; exit 1; fi
problems=()
if ! openssl verify -CAfile ca.crt m2.crt >/dev/null 2>&1; then
  problems+=("m2.crt is not signed by ca.crt, so clients and peers would not trust it")
else
  if ! openssl verify -CAfile ca.crt -purpose sslserver m2.crt >/dev/null 2>&1; then
    problems+=("m2.crt may not be used by a server: its extendedKeyUsage lacks serverAuth")
  fi
  if ! openssl verify -CAfile ca.crt -purpose sslclient m2.crt >/dev/null 2>&1; then
    problems+=("m2.crt may not be used by a client, as m2 is when it dials its peers: its extendedKeyUsage lacks clientAuth")
  fi
fi
# Clients look for the address they dial in the subjectAltName only; the CN does not count.
san=$(openssl x509 -in m2.crt -noout -ext subjectAltName 2>/dev/null | tr ',' '\n' | tr -d ' ')
if ! grep -qx 'IPAddress:127.0.0.2' <<<"$san"; then
  problems+=("m2.crt does not name the IP address 127.0.0.2 in its subjectAltName")
fi
if ! grep -qx 'DNS:m2.etcd.internal' <<<"$san"; then
  problems+=("m2.crt does not name the host m2.etcd.internal in its subjectAltName")
fi
if [ "$(openssl x509 -in m2.crt -noout -pubkey)" != "$(openssl pkey -in m2.key -pubout 2>/dev/null)" ]; then
  problems+=("m2.key is not the private key of m2.crt")
fi
if [ ${#problems[@]} -gt 0 ]; then printf '%s\n' "${problems[@]}"; exit 1; fi
echo PASS
)
