#!/usr/bin/env bash
# Restore lab: what a watcher that resumes after its last revision sees when a snapshot is restored,
# plainly and then with --bump-revision and --mark-compacted (where etcdutl has them).
# Save it as restore-revisions.sh, with etcd, etcdctl, etcdutl and jq on PATH, and run:  bash restore-revisions.sh
# Settings (environment variables):
#   LAB_PORTS  client and peer port of the member (each restored one reuses them), default "12379 12380"
#   LAB_DIR    directory for data, logs and the backup, default: a new temporary directory
# The lab runs in a subshell: its settings, trap, member and working directory never outlive it
# in the shell that started it.
(
set -euo pipefail
: "${LAB_PORTS:=12379 12380}"
: "${LAB_DIR:=$(mktemp -d)}"
mkdir -p "$LAB_DIR"
read -r client_port peer_port <<<"$LAB_PORTS"
client_url="http://127.0.0.1:$client_port" peer_url="http://127.0.0.1:$peer_port"
export ETCDCTL_ENDPOINTS="$client_url"      # only in the subshell: the etcdctl commands talk to the lab's member
pid="" watcher=""

cleanup() {
  local status=$?
  if [ -n "$watcher" ]; then kill "$watcher" 2>/dev/null || true; fi
  if [ -n "$pid" ]; then { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true; fi
  for job in $(jobs -p); do kill "$job" 2>/dev/null || true; done; wait 2>/dev/null || true   # started just before Ctrl-C, not yet in $pid
  if [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; then echo "lab failed; last lines of the logs:" >&2; tail -n 5 "$LAB_DIR"/*.log >&2 || true; fi
  rm -rf "$LAB_DIR"/*.etcd "$LAB_DIR/backup.db" "$LAB_DIR"/*.log "$LAB_DIR"/*.tmp
  rmdir "$LAB_DIR" 2>/dev/null || true       # removed when the lab left nothing else in it
}
trap cleanup EXIT
trap 'exit 130' INT                          # Ctrl-C: exit, so the EXIT trap stops the member
trap 'exit 143' TERM

start_member() {                             # start_member NAME: a one-member cluster on NAME.etcd
  etcd --name "$1" --data-dir "$LAB_DIR/$1.etcd" \
    --listen-client-urls "$client_url" --advertise-client-urls "$client_url" \
    --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
    --initial-cluster "$1=$peer_url" >>"$LAB_DIR/$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    if etcdctl --dial-timeout=1s --command-timeout=2s endpoint health >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "etcd $1 did not become healthy" >&2
  return 1
}
stop_member() {                              # SIGTERM, then SIGKILL if it takes over 10 s
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do if ! kill -0 "$pid" 2>/dev/null; then break; fi; sleep 0.2; done
  { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true
  pid=""
}
restore() {                                  # restore NAME [FLAGS...]: NAME.etcd from backup.db
  etcdutl snapshot restore backup.db --name "$1" --data-dir "$1.etcd" "${@:2}" \
    --initial-cluster "$1=$peer_url" --initial-advertise-peer-urls "$peer_url" 2>>restore.log
}
put() { etcdctl --command-timeout=2s put "$@" >/dev/null; }
revision() { etcdctl --command-timeout=2s get x -w json | jq -r .header.revision; }

watch_from() {                               # watch_from REV: a watcher resuming after REV-1, as a cache does
  timeout 30 etcdctl watch --prefix /registry/ --rev "$1" -w json >watch.tmp 2>watch-err.tmp &
  watcher=$!
}
watcher_saw() {                              # watcher_saw REV: once it has seen REV (or was cancelled), stop
  local rev=$1 i                             # the watcher; print its events and how it ended
  for i in $(seq 100); do                    # [ -s ]: jq 1.6 -e succeeds on an empty file
    if grep -q 'canceled' watch-err.tmp || { [ -s watch.tmp ] && jq -e --argjson rev "$rev" \
      'select(any(.Events[]?; .kv.mod_revision >= $rev))' watch.tmp >/dev/null 2>&1; }; then break; fi
    sleep 0.1
  done
  kill "$watcher" 2>/dev/null || true; wait "$watcher" 2>/dev/null || true; watcher=""
  jq -r '.Events[]? | "  revision \(.kv.mod_revision): \(if .type == "DELETE" or .type == 1 then "DELETE" else "PUT" end)'`
    `' \(.kv.key | @base64d)\(if .kv.value then " = " + (.kv.value | @base64d) else "" end)"' watch.tmp
  if [ ! -s watch.tmp ] || [ "$(jq -s '[.[].Events // [] | length] | add' watch.tmp)" = 0 ]; then echo "  (no events)"; fi
  grep -h -o 'watch was canceled.*' watch-err.tmp | sed 's/^/  /' || true
}

cd "$LAB_DIR"
echo "== 1. write two objects, back up, then change them"
start_member original
put /registry/pods/web v1
put /registry/pods/db v1
etcdctl --command-timeout=30s snapshot save backup.db >/dev/null 2>snapshot.log
echo "backup taken at revision $(revision)"
watch_from 1
put /registry/pods/web v2
etcdctl --command-timeout=2s del /registry/pods/db >/dev/null
last=$(revision)
echo "a watcher from the start saw:"
watcher_saw "$last"
echo "the watcher's cache is at revision $last: web = v2, no db"

echo "== 2. disaster; restore the backup as it is"
stop_member
rm -rf original.etcd
restore plain
start_member plain
echo "the restored member is at revision $(revision): web = $(etcdctl get /registry/pods/web --print-value-only), db = $(etcdctl get /registry/pods/db --print-value-only)"

echo "== 3. the watcher resumes after revision $last; clients write again"
watch_from $((last + 1))
put /registry/pods/web v3
put /registry/pods/cache v1
put /registry/pods/web v4
now=$(revision)
echo "the member wrote revisions up to $now; the resumed watcher saw:"
watcher_saw "$now"
etcdctl get /registry/pods/ --prefix -w json |
  jq -r '.kvs[] | "etcd has \(.key | @base64d) = \(.value | @base64d), last written at revision \(.mod_revision)"'

echo "== 4. the same disaster, restored with --bump-revision and --mark-compacted"
stop_member
if ! etcdutl snapshot restore --help 2>&1 | grep -q -- '--bump-revision'; then
  echo "etcdutl $(etcdutl version | awk 'NR == 1 { print $NF }') has no --bump-revision (it came with 3.5.10): skipped"
else
  restore bumped --bump-revision 1000000 --mark-compacted
  start_member bumped
  echo "the restored member is at revision $(revision)"
  watch_from $((last + 1))
  put /registry/pods/web v3
  now=$(revision)
  echo "after one write, revision $now; the resumed watcher saw:"
  watcher_saw "$now"
fi
)
