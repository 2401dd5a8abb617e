#!/usr/bin/env bash
# TLS lab: a private CA, a server and a client certificate made with openssl, and a member that
# accepts only clients whose certificate that CA signed, on its client port and on its peer port.
# Save it as tls-lab.sh, with etcd, etcdctl, openssl and curl on PATH, and run:  bash tls-lab.sh
# Settings (environment variables):
#   LAB_PORTS  client and peer port of the member, default "12379 12380"
#   LAB_DIR    directory for the certificates, data and log, default: a new temporary directory
# The lab runs in a subshell: its settings, trap, member and working directory never outlive it
# in the shell that started it.
(
set -euo pipefail
: "${LAB_PORTS:=12379 12380}"
: "${LAB_DIR:=$(mktemp -d)}"
mkdir -p "$LAB_DIR"
read -r client_port peer_port <<<"$LAB_PORTS"
unset ETCDCTL_ENDPOINTS ETCDCTL_CACERT ETCDCTL_CERT ETCDCTL_KEY ETCDCTL_USER   # only its own member and files
pid=""

cleanup() {
  local status=$?
  if [ -n "$pid" ]; then { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true; fi
  for job in $(jobs -p); do kill "$job" 2>/dev/null || true; done; wait 2>/dev/null || true   # started just before Ctrl-C, not yet in $pid
  if [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; then echo "lab failed; last lines of the log:" >&2; tail -n 5 "$LAB_DIR/m1.log" >&2 || true; fi
  rm -rf "$LAB_DIR/m1.etcd" "$LAB_DIR/m1.log" "$LAB_DIR"/*.crt "$LAB_DIR"/*.key "$LAB_DIR"/*.csr \
    "$LAB_DIR"/*.srl "$LAB_DIR"/*.ext "$LAB_DIR/try.err"
  rmdir "$LAB_DIR" 2>/dev/null || true       # removed when the lab left nothing else in it
}
trap cleanup EXIT
trap 'exit 130' INT                          # Ctrl-C: exit, so the EXIT trap stops the member
trap 'exit 143' TERM

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

sign() {                                     # sign NAME SUBJECT EXTENSIONS: NAME.crt, signed by the CA
  new_key "$1"
  openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
  printf '%s\n' "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -sha256 \
    -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}

try() {                                      # try WHAT COMMAND...: "OK (what it printed)", or why it failed
  local out
  if out=$("${@:2}" 2>try.err); then echo "$1: OK${out:+ ($out)}"; return; fi
  # The TLS reason is buried in etcdctl's retry log or curl's message; else the last line will do.
  echo "$1: failed: $(grep -o -m 1 -E 'handshake failed: [^"\\]+|alert [a-z ]+' try.err || tail -n 1 try.err)"
}

cd "$LAB_DIR"
echo "== 1. a certificate authority (CA) of our own"
new_key ca
openssl req -x509 -new -key ca.key -subj "/CN=lab-ca" -days 1 -sha256 -out ca.crt
# -nameopt RFC2253 prints names the same way on every OpenSSL 3 release (CN=lab-ca).
openssl x509 -in ca.crt -noout -subject -issuer -nameopt RFC2253

echo "== 2. certificates signed by the CA: the member's, and a client's"
# The member's certificate names every address clients and peers dial, and serves both
# roles: it is the server on both ports, and the client when the member dials its peers.
sign server "/CN=m1" "subjectAltName = IP:127.0.0.1, DNS:localhost
extendedKeyUsage = serverAuth, clientAuth"
sign client "/CN=root" "extendedKeyUsage = clientAuth"
for cert in server client; do
  echo "$cert.crt: $(openssl x509 -in $cert.crt -noout -subject -nameopt RFC2253)"
  openssl x509 -in $cert.crt -noout -ext subjectAltName,extendedKeyUsage | sed 's/ *$//; s/^/  /'
  openssl verify -CAfile ca.crt $cert.crt
done

echo "== 3. a member that serves TLS and asks every client for a certificate"
client_url="https://127.0.0.1:$client_port" peer_url="https://127.0.0.1:$peer_port"
etcd --name m1 --data-dir m1.etcd \
  --listen-client-urls "$client_url" --advertise-client-urls "$client_url" \
  --cert-file server.crt --key-file server.key --trusted-ca-file ca.crt --client-cert-auth \
  --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" --initial-cluster "m1=$peer_url" \
  --peer-cert-file server.crt --peer-key-file server.key --peer-trusted-ca-file ca.crt --peer-client-cert-auth \
  >>m1.log 2>&1 &
pid=$!
tls=(--cacert ca.crt --cert client.crt --key client.key)
for _ in $(seq 100); do
  if etcdctl --endpoints "$client_url" "${tls[@]}" --dial-timeout=1s --command-timeout=2s endpoint health \
    >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "etcd exited" >&2; false; fi
  sleep 0.2
done
echo "listening on $client_url (clients) and $peer_url (peers)"

echo "== 4. etcdctl: which credentials get through"
ctl() { etcdctl --endpoints "$client_url" --dial-timeout=2s --command-timeout=2s "$@"; }
try "no TLS options" ctl put greeting hello
try "--cacert only" ctl --cacert ca.crt put greeting hello
try "--cacert --cert --key" ctl "${tls[@]}" put greeting hello
try "read it back" ctl "${tls[@]}" get greeting --print-value-only

echo "== 5. the same with curl, on the client port (/health) and the peer port (/version)"
http() { curl -sS -m 5 --http1.1 -w '\n' "$@"; }
try "client port, no client certificate" http --cacert ca.crt "$client_url/health"
try "client port, client certificate" http --cacert ca.crt --cert client.crt --key client.key "$client_url/health"
try "peer port, no client certificate" http --cacert ca.crt "$peer_url/members"
try "peer port, the member's certificate" http --cacert ca.crt --cert server.crt --key server.key "$peer_url/version"
try "peer port, the client's certificate" http --cacert ca.crt --cert client.crt --key client.key "$peer_url/version"
)
