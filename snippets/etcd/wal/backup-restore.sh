#!/usr/bin/env bash
# Backup and restore lab: snapshot a throwaway member, lose it, restore it into a new data directory.
# Save it as backup-restore.sh, with etcd, etcdctl, etcdutl and jq on PATH, and run:  bash backup-restore.sh
# Settings (environment variables):
#   LAB_PORTS  client and peer port of the original member, then of the restored one,
#              default "12379 12380 12381 12382"
#   LAB_DIR    directory for data, logs and the backup, default: a new temporary directory
# The lab runs in a subshell: its settings, trap, members and working directory never outlive it
# in the shell that started it.
(
set -euo pipefail
: "${LAB_PORTS:=12379 12380 12381 12382}"
: "${LAB_DIR:=$(mktemp -d)}"
mkdir -p "$LAB_DIR"
read -r old_client old_peer new_client new_peer <<<"$LAB_PORTS"
pid=""

cleanup() {
  local status=$?
  if [ -n "$pid" ]; then { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true; fi
  for job in $(jobs -p); do kill "$job" 2>/dev/null || true; done; wait 2>/dev/null || true   # started just before Ctrl-C, not yet in $pid
  if [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; then echo "lab failed; last lines of the logs:" >&2; tail -n 5 "$LAB_DIR"/*.log >&2 || true; fi
  rm -rf "$LAB_DIR/original.etcd" "$LAB_DIR/restored.etcd" "$LAB_DIR/backup.db" "$LAB_DIR"/*.log
  rmdir "$LAB_DIR" 2>/dev/null || true       # removed when the lab left nothing else in it
}
trap cleanup EXIT
trap 'exit 130' INT                          # Ctrl-C: exit, so the EXIT trap stops the member
trap 'exit 143' TERM

start_member() {                            # start_member NAME CLIENT_PORT PEER_PORT
  local client_url="http://127.0.0.1:$2" peer_url="http://127.0.0.1:$3"
  etcd --name "$1" --data-dir "$LAB_DIR/$1.etcd" \
    --listen-client-urls "$client_url" --advertise-client-urls "$client_url" \
    --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
    --initial-cluster "$1=$peer_url" >>"$LAB_DIR/$1.log" 2>&1 &
  pid=$!
  export ETCDCTL_ENDPOINTS="$client_url"    # the etcdctl commands that follow talk to this member
  for _ in $(seq 100); do
    if etcdctl --dial-timeout=1s --command-timeout=2s endpoint health >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi    # etcd exited: no point in waiting
    sleep 0.2
  done
  echo "etcd $1 did not become healthy" >&2
  return 1
}

stop_member() {                             # SIGTERM: a clean shutdown; SIGKILL if it takes over 10 s
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do if ! kill -0 "$pid" 2>/dev/null; then break; fi; sleep 0.2; done
  { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true
  pid=""
}

cd "$LAB_DIR"
echo "== 1. start the original member and write some data"
start_member original "$old_client" "$old_peer"
etcdctl put app/config '{"replicas": 3}'
etcdctl put app/feature-flag on
etcdctl put app/feature-flag off

echo "== 2. take a snapshot through the client API (progress log in snapshot.log)"
# Without --command-timeout, snapshot save would wait for an unanswering server forever.
etcdctl --command-timeout=30s snapshot save backup.db 2>snapshot.log

echo "== 3. what the snapshot holds"
etcdutl snapshot status backup.db -w json | jq -c '{revision, totalKey}'

echo "== 4. disaster: the member and its data directory are gone"
stop_member
rm -rf original.etcd

echo "== 5. restore the snapshot into a new data directory, for a new one-member cluster"
etcdutl snapshot restore backup.db --name restored --data-dir restored.etcd \
  --initial-cluster "restored=http://127.0.0.1:$new_peer" \
  --initial-advertise-peer-urls "http://127.0.0.1:$new_peer" 2>restore.log
(cd restored.etcd && find . -type f | sort)

echo "== 6. start a member on the restored directory and read the data back"
start_member restored "$new_client" "$new_peer"
etcdctl get app/ --prefix
etcdctl get app/feature-flag -w json | jq -c '{revision: .header.revision, version: .kvs[0].version}'
etcdctl member list
)
