#!/usr/bin/env bash
# Lock lab: a lock holder is paused past its lease's TTL, loses the lock without knowing it, and writes late.
# Save it as fencing-lab.sh next to lab-cluster.sh, with etcd and etcdctl on PATH, and run:  bash fencing-lab.sh
# The lab runs in a subshell: its settings, traps and members never outlive it in the shell that started it.
(
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"   # next to this lab

# What each worker runs while `etcdctl lock` holds the lock for it (ETCD_LOCK_KEY is its lock key).
cat >"$LAB_DIR/worker.tmp" <<'WORKER'
name=$1
token=$(etcdctl get "$ETCD_LOCK_KEY" -w fields | awk -F' : ' '/^"CreateRevision"/ { print $2 }')
echo "$name holds the lock: ETCD_LOCK_REV=$ETCD_LOCK_REV, its lock key's create revision (the fencing token) is $token"
echo $$ >"$LAB_DIR/$name.pid.tmp"
until [ -e "$LAB_DIR/$name.go.tmp" ] || [ ! -d "$LAB_DIR" ]; do sleep 0.1; done   # its work, until the lab says it is done
echo "$name, plain put:   $(etcdctl put /lab/plain "written by $name")"
fenced_put() {                               # put /lab/fenced only if the lock key still has the create revision $token
  printf 'create("%s") = "%s"\n\nput /lab/fenced "%s"\n\n\n' "$ETCD_LOCK_KEY" "$token" "$1" | etcdctl txn | head -n 1
}
echo "$name, fenced txn:  $(fenced_put "written by $name")"
WORKER
worker() {                                   # worker A: start worker A in the background, waiting for the lock
  ETCDCTL_ENDPOINTS=$(endpoints) LAB_DIR=$LAB_DIR \
    etcdctl --dial-timeout=1s lock --ttl=2 /lab/lock bash "$LAB_DIR/worker.tmp" "$1" &
  kill_on_exit+=("$!")                       # on SIGTERM, a waiting etcdctl lock first tries to unlock
}
wait_for() {                                 # wait_for COMMAND...: until it succeeds
  local deadline=$((SECONDS + LAB_TIMEOUT))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "gave up after ${LAB_TIMEOUT}s: $*" >&2; return 1; fi
    sleep 0.1
  done
}
holds() { [ -s "$LAB_DIR/$1.pid.tmp" ]; }   # holds A: worker A has the lock and has started its work
lock_keys() { ctl_all get --prefix /lab/lock/ --keys-only | grep -c /lab/lock/ || true; }
both_queued() { [ "$(lock_keys)" = 2 ]; }

echo "== 1. start three members"
start_cluster

echo "== 2. worker A takes the lock (a 2-second session); worker B queues behind it"
worker A
a=$!
wait_for holds A
worker B
b=$!
wait_for both_queued
echo "keys under /lab/lock/: $(lock_keys), one per worker; the oldest holds the lock"

echo "== 3. pause worker A, keep-alives and all, as a long GC pause would"
pause "$a" "$(cat "$LAB_DIR/A.pid.tmp")"            # etcdctl lock (its keep-alives) and the worker
t0=$(now)
wait_for holds B
echo "A's lease expired and B got the lock $(since "$t0") after the pause"
touch "$LAB_DIR/B.go.tmp"
wait "$b"

echo "== 4. resume worker A: it carries on as if it still held the lock"
touch "$LAB_DIR/A.go.tmp"
resume "$a" "$(cat "$LAB_DIR/A.pid.tmp")"
wait "$a" || echo "A's etcdctl lock exited with status $?"

echo "== 5. what is left"
echo "/lab/plain:  $(ctl_all get /lab/plain --print-value-only)"
echo "/lab/fenced: $(ctl_all get /lab/fenced --print-value-only)"
)
