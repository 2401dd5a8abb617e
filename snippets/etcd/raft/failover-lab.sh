#!/usr/bin/env bash
# Raft failover lab: crash the leader of a 3-member etcd cluster and watch the others take over.
# Save it as failover-lab.sh next to lab-cluster.sh, with etcd and etcdctl on PATH, and run:  bash failover-lab.sh
# The lab runs in a subshell: its settings, traps and members never outlive it in the shell that started it.
(
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"   # next to this lab

echo "== 1. start three members"
start_cluster
old_leader=$LEADER old_term=$LEADER_TERM

echo "== 2. write three keys (each OK means a majority has the entry)"
for i in 1 2 3; do ctl_all put "/lab/before-$i" "value-$i"; done

echo "== 3. kill the leader with SIGKILL"
kill_member "$old_leader"
t0=$(now)
wait_for_leader $((old_term + 1))         # only the two survivors are polled
echo "new leader elected after $(since "$t0")"
echo "new leader is another member: $(yes_no [ "$LEADER" != "$old_leader" ])"
echo "term increased: $(yes_no [ "$LEADER_TERM" -gt "$old_term" ])"

echo "== 4. read back the writes acknowledged before the crash"
ctl_all get --prefix /lab/before-

echo "== 5. write while the old leader is down (2 of 3 members is still a majority)"
ctl_all put /lab/during-outage "written while the old leader was down"

echo "== 6. restart the old leader"
start_member "$old_leader"
wait_healthy "$old_leader"
echo "old leader rejoined as: $(role "$old_leader")"
echo "it adopted the new leader's term: $(yes_no [ "$(term "$old_leader")" = "$(term "$LEADER")" ])"
echo "serializable read from the old leader's own endpoint:"
ctl "$old_leader" get /lab/during-outage --consistency=s
)
