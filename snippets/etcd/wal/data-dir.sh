#!/usr/bin/env bash
# Data directory lab: run a throwaway etcd member, look at its files, crash it, restart it.
# Save it as data-dir.sh, with etcd, etcdctl and jq on PATH, and run:  bash data-dir.sh
# Settings (environment variables):
#   LAB_PORTS  client and peer port of the member, default "12379 12380"
#   LAB_DIR    directory for data and log, default: a new temporary directory
# The lab runs in a subshell: its settings, trap and member never outlive it in the shell that started it.
(
set -euo pipefail
: "${LAB_PORTS:=12379 12380}"
: "${LAB_DIR:=$(mktemp -d)}"
mkdir -p "$LAB_DIR"
read -r client_port peer_port <<<"$LAB_PORTS"
client_url="http://127.0.0.1:$client_port" peer_url="http://127.0.0.1:$peer_port"
data_dir="$LAB_DIR/lab.etcd"
export ETCDCTL_ENDPOINTS="$client_url"      # every etcdctl below talks to this member only
pid=""

cleanup() {
  local status=$?
  if [ -n "$pid" ]; then { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true; fi
  for job in $(jobs -p); do kill "$job" 2>/dev/null || true; done; wait 2>/dev/null || true   # started just before Ctrl-C, not yet in $pid
  if [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; then echo "lab failed; last lines of the etcd log:" >&2; tail -n 5 "$LAB_DIR/etcd.log" >&2 || true; fi
  rm -rf "$data_dir" "$LAB_DIR/etcd.log"
  rmdir "$LAB_DIR" 2>/dev/null || true       # removed when the lab left nothing else in it
}
trap cleanup EXIT
trap 'exit 130' INT                          # Ctrl-C: exit, so the EXIT trap stops the member
trap 'exit 143' TERM

start_member() {                            # start etcd in the background, wait until it answers
  etcd --name lab --data-dir "$data_dir" \
    --listen-client-urls "$client_url" --advertise-client-urls "$client_url" \
    --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
    --initial-cluster "lab=$peer_url" --snapshot-count=10 >>"$LAB_DIR/etcd.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    if etcdctl --dial-timeout=1s --command-timeout=2s endpoint health >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi    # etcd exited: no point in waiting
    sleep 0.2
  done
  echo "etcd did not become healthy" >&2
  return 1
}

echo "== 1. start a member with --snapshot-count=10 (default 10000; 100000 before 3.6), so a snapshot comes soon"
start_member

echo "== 2. write 12 keys"
for i in $(seq 1 12); do etcdctl put "demo/key$i" "value$i" >/dev/null; done
etcdctl get demo/key12 -w json | jq -c '{revision: .header.revision}'

echo "== 3. the files in the data directory"
(cd "$data_dir" && find . -type f | sort)
echo "WAL files are preallocated (bytes):"
(cd "$data_dir" && stat -c '%s %n' member/wal/*)

echo "== 4. kill -9 the member (a process crash: no clean shutdown), then start it on the same directory"
{ kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true   # 2>/dev/null: no "Killed" notice from bash
start_member

echo "== 5. every acknowledged write is back (from the db file plus a replay of the WAL)"
etcdctl get demo/ --prefix --count-only -w fields | grep '"Count"'
etcdctl get demo/key12
etcdctl get demo/key12 -w json | jq -c '{revision: .header.revision}'
)
