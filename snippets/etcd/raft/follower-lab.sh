#!/usr/bin/env bash
# Raft follower lab: crash a follower, keep writing, restart it and watch it catch up.
# Save it as follower-lab.sh next to lab-cluster.sh, with etcd and etcdctl on PATH, and run:  bash follower-lab.sh
# The lab runs in a subshell: its settings, traps and members never outlive it in the shell that started it.
(
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"   # next to this lab

echo "== 1. start three members"
start_cluster
leader=$LEADER leader_term=$LEADER_TERM
follower=$(( leader % 3 + 1 ))            # any member that is not the leader

echo "== 2. kill a follower with SIGKILL and keep writing"
kill_member "$follower"
for i in 1 2 3; do ctl_all put "/lab/missed-$i" "value-$i"; done
sleep 2                                    # longer than the 1 s election timeout
echo "two seconds later, the leader is unchanged: $(yes_no [ "$(role "$leader") $(term "$leader")" = "leader $leader_term" ])"

echo "== 3. restart the follower"
t0=$(now)
start_member "$follower"
wait_healthy "$follower"
deadline=$((SECONDS + LAB_TIMEOUT))
until [ "$(ctl "$follower" get --prefix /lab/missed- --consistency=s --keys-only | grep -c /lab/)" = 3 ]; do
  [ "$SECONDS" -lt "$deadline" ] || { echo "the follower did not catch up" >&2; exit 1; }
  sleep 0.1
done
echo "follower caught up after $(since "$t0")"
echo "it rejoined as: $(role "$follower")"
echo "same leader, same term: $(yes_no [ "$(role "$leader") $(term "$leader")" = "leader $leader_term" ])"
echo "serializable read from the restarted follower's own endpoint:"
ctl "$follower" get --prefix /lab/missed- --consistency=s
)
