#!/usr/bin/env bash
# Watch limits lab: a member with a small --max-request-bytes; which writes it refuses, how large a
# watch response gets anyway, and what --prev-kv adds to every event.
# It runs its own throwaway etcd member. Save it as watch-limits.sh, with etcd, etcdctl and jq
# on PATH, and run:  bash watch-limits.sh
# Settings (environment variables):
#   LAB_PORTS  client and peer port of the member, default "12379 12380"
#   LAB_DIR    directory for data and logs, default: a new temporary directory
# The lab runs in a subshell: its settings, trap and member never outlive it in the shell that started it.
(
set -euo pipefail
: "${LAB_PORTS:=12379 12380}"
: "${LAB_DIR:=$(mktemp -d)}"
mkdir -p "$LAB_DIR"
read -r client_port peer_port <<<"$LAB_PORTS"
client_url="http://127.0.0.1:$client_port" peer_url="http://127.0.0.1:$peer_port"
export ETCDCTL_ENDPOINTS="$client_url"      # every etcdctl below talks to this member only
pid=""

cleanup() {
  local status=$?
  if [ -n "$pid" ]; then { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true; fi
  for job in $(jobs -p); do kill "$job" 2>/dev/null || true; done; wait 2>/dev/null || true   # started just before Ctrl-C, not yet in $pid
  if [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; then echo "lab failed; last lines of the etcd log:" >&2; tail -n 5 "$LAB_DIR/etcd.log" >&2 || true; fi
  rm -rf "$LAB_DIR/lab.etcd" "$LAB_DIR/etcd.log" "$LAB_DIR"/*.tmp
  rmdir "$LAB_DIR" 2>/dev/null || true       # removed when the lab left nothing else in it
}
trap cleanup EXIT
trap 'exit 130' INT                          # Ctrl-C: exit, so the EXIT trap stops the member
trap 'exit 143' TERM

echo "== 1. a member that accepts requests of up to 4096 bytes (the default is 1.5 MiB)"
etcd --name lab --data-dir "$LAB_DIR/lab.etcd" \
  --listen-client-urls "$client_url" --advertise-client-urls "$client_url" \
  --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
  --initial-cluster "lab=$peer_url" --max-request-bytes 4096 >>"$LAB_DIR/etcd.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  if etcdctl --dial-timeout=1s --command-timeout=2s endpoint health >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "etcd exited" >&2; exit 1; fi
  sleep 0.2
done

ctl() { etcdctl --dial-timeout=2s --command-timeout=5s "$@"; }
try() {                                      # try WHAT COMMAND...: OK, or etcdctl's error
  if "${@:2}" >/dev/null 2>"$LAB_DIR/error.tmp"; then echo "$1: OK"; else echo "$1: $(tail -n 1 "$LAB_DIR/error.tmp")"; fi
}
bytes() { head -c "$1" /dev/zero | tr '\0' "$2"; }     # bytes 3000 a: 3000 times "a"
first_response() {                           # first_response WATCH-ARGS...: a watch's first response (JSON)
  local watcher
  : >"$LAB_DIR/watch.tmp"
  timeout 10 etcdctl watch -w json "$@" >"$LAB_DIR/watch.tmp" 2>/dev/null &
  watcher=$!
  for _ in $(seq 100); do                    # until one whole line (a large one may be half written)
    if [ "$(wc -l <"$LAB_DIR/watch.tmp")" -gt 0 ]; then break; fi; sleep 0.1
  done
  kill "$watcher" 2>/dev/null || true; wait "$watcher" 2>/dev/null || true
  head -n 1 "$LAB_DIR/watch.tmp"
}

echo "== 2. writes: the limit applies to each request as a whole"
try "put a 3000-byte value" ctl put big/1 "$(bytes 3000 a)"
try "put a 5000-byte value" ctl put big/2 "$(bytes 5000 b)"
# etcdctl txn reads the comparisons, the operations on success and those on failure, each ended by
# an empty line: no comparison, two puts, nothing on failure.
try "one transaction with two 3000-byte puts" ctl txn <<<"
put big/2 $(bytes 3000 b)
put big/3 $(bytes 3000 c)

"
one_by_one() { ctl put big/2 "$(bytes 3000 b)" && ctl put big/3 "$(bytes 3000 c)"; }
try "the same two puts one by one" one_by_one

echo "== 3. a watcher that starts from revision 2, once the three values are written"
first_response --prefix big/ --rev 2 |
  jq -r '"events in the first response: \(.Events | length); bytes of value in it: \([.Events[].kv.value | @base64d | length] | add)"'

echo "== 4. an update of big/1 as a watcher sees it, without and with --prev-kv"
ctl put big/1 "$(bytes 3000 d)" >/dev/null
rev=$(ctl get big/1 -w json | jq .header.revision)
for flag in "" --prev-kv; do
  first_response big/1 --rev "$rev" $flag |
    jq -r --arg how "${flag:-no flag}" '.Events[0] | "\($how): the event carries \([.kv, .prev_kv | select(.) | .value | @base64d | length] | add) bytes of values"'
done
)
