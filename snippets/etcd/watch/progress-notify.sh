#!/usr/bin/env bash
# Progress notification lab: a watcher whose key never changes still learns the current revision.
# It runs its own throwaway etcd member. Save it as progress-notify.sh, with etcd, etcdctl and jq
# on PATH, and run:  bash progress-notify.sh
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
pid="" watcher=""

cleanup() {
  local status=$? p
  for p in $watcher $pid; do { kill -9 "$p" && wait "$p"; } 2>/dev/null || true; done
  for job in $(jobs -p); do kill "$job" 2>/dev/null || true; done; wait 2>/dev/null || true   # started just before Ctrl-C, not yet in $pid
  if [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; then echo "lab failed; last lines of the etcd log:" >&2; tail -n 5 "$LAB_DIR/etcd.log" >&2 || true; fi
  rm -rf "$LAB_DIR/lab.etcd" "$LAB_DIR/etcd.log" "$LAB_DIR/watch.out"
  rmdir "$LAB_DIR" 2>/dev/null || true       # removed when the lab left nothing else in it
}
trap cleanup EXIT
trap 'exit 130' INT                          # Ctrl-C: exit, so the EXIT trap stops the member
trap 'exit 143' TERM

# etcd 3.6 renamed the interval flag and 3.7 accepts only the new name; 3.5 knows only the old one.
version=$(timeout 10 etcd --version | awk '/^etcd Version:/ { print $3 }')
case $version in
  3.[0-5].*) interval_flag=--experimental-watch-progress-notify-interval ;;
  *)         interval_flag=--watch-progress-notify-interval ;;
esac

echo "== 1. start etcd $version with $interval_flag=1s (the default is 10m)"
etcd --name lab --data-dir "$LAB_DIR/lab.etcd" \
  --listen-client-urls "$client_url" --advertise-client-urls "$client_url" \
  --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
  --initial-cluster "lab=$peer_url" "$interval_flag=1s" >>"$LAB_DIR/etcd.log" 2>&1 &
pid=$!
healthy=""
for _ in $(seq 100); do
  if etcdctl --dial-timeout=1s --command-timeout=2s endpoint health >/dev/null 2>&1; then healthy=yes; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi      # etcd exited: no point in waiting
  sleep 0.2
done
if [ -z "$healthy" ]; then echo "etcd did not become healthy" >&2; exit 1; fi

echo "== 2. write other keys: the store's revision moves on, demo/quiet does not change"
etcdctl put demo/quiet unchanged
for i in 1 2 3; do etcdctl put demo/busy "$i" >/dev/null; done
etcdctl get demo/busy -w json | jq -c '{current_revision: .header.revision}'

echo "== 3. watch demo/quiet with --progress-notify until the first notification arrives"
: >"$LAB_DIR/watch.out"   # exists before the loop below reads it, however late the watcher starts
timeout 10 etcdctl watch demo/quiet --progress-notify >"$LAB_DIR/watch.out" &
watcher=$!
for _ in $(seq 100); do
  if grep -q 'progress notify' "$LAB_DIR/watch.out"; then break; fi
  sleep 0.1
done
{ kill "$watcher" && wait "$watcher"; } 2>/dev/null || true
watcher=""
head -n 1 "$LAB_DIR/watch.out"
)
