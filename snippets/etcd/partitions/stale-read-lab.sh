#!/usr/bin/env bash
# Partition lab: read from a follower that is cut off from the leader, then reconnect it.
# Save it as stale-read-lab.sh next to lab-cluster.sh and partition.py, with etcd, etcdctl, curl and
# python3 on PATH, and run:  bash stale-read-lab.sh
# The lab runs in a subshell: its settings, traps and members never outlive it in the shell that started it.
(
set -euo pipefail
lab_partitions=yes                           # peers talk through partition.py, so members can be cut off
source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"   # next to this lab

read_from() {                                # read_from 2 s|l: m2's value of /lab/key, or why the read failed
  local error
  if error=$(ctl "$1" --command-timeout=2s get /lab/key --consistency="$2" --print-value-only 2>&1); then
    echo "$error"
  elif grep -qE 'deadline exceeded|timed out' <<< "$error"; then echo "failed: timed out"
  else echo "failed: $(grep -m1 '^Error:' <<< "$error")"; fi
}

echo "== 1. start three members, write version 1, open a watch on a follower"
start_cluster
leader=$LEADER
follower=$(( leader % 3 + 1 ))               # any member that is not the leader
ctl_all put /lab/key "version 1"
version1=$(ctl_all get /lab/key -w fields | awk -F' : ' '/^"ModRevision"/ { print $2 }')
timeout 60 etcdctl --endpoints="${client_url[follower]}" watch /lab/key >"$LAB_DIR/watch.tmp" 2>&1 &
watch_pid=$!
echo "the follower reads it (linearizable): $(read_from "$follower" l)"

echo "== 2. isolate the follower, write version 2 on the majority side"
isolate "$follower"
t0=$(now)
ctl "$leader" put /lab/key "version 2"

echo "== 3. read on each side"
echo "leader, linearizable:         $(read_from "$leader" l)"
echo "follower, serializable:       $(read_from "$follower" s)"
echo "follower, linearizable:       $(read_from "$follower" l)"
echo "events the follower's watch delivered: $(grep -c '^PUT' "$LAB_DIR/watch.tmp" || true)"

echo "== 4. the follower's watch, still cut off"
wait "$watch_pid" || true                    # it fails: see below
echo "it ended $(since "$t0") after the cut (etcdctl's watches need a leader):"
cat "$LAB_DIR/watch.tmp"

echo "== 5. heal: reconnect the follower"
heal "$follower"
t0=$(now)
deadline=$((SECONDS + LAB_TIMEOUT))
until [ "$(read_from "$follower" s)" = "version 2" ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then echo "the follower did not catch up" >&2; exit 1; fi
  sleep 0.1
done
echo "the follower caught up after $(since "$t0")"
echo "follower, serializable:       $(read_from "$follower" s)"
echo "follower, linearizable:       $(read_from "$follower" l)"
echo "a new watch from the revision after version 1 replays what the old one missed:"
timeout 2 etcdctl --endpoints="${client_url[follower]}" watch --rev=$((version1 + 1)) /lab/key || [ $? = 124 ]   # stopped after 2 s
)
