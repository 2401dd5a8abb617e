#!/usr/bin/env bash
# Raft quorum lab: with two of three members down nothing is committed; with two up, writes work again.
# Save it as quorum-lab.sh next to lab-cluster.sh, with etcd and etcdctl on PATH, and run:  bash quorum-lab.sh
# The lab runs in a subshell: its settings, traps and members never outlive it in the shell that started it.
(
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"   # next to this lab

echo "== 1. start three members and write a key"
start_cluster
ctl_all put /lab/quorum "written by 3 of 3 members"
wait_for_leader; survivor=$LEADER            # the leader right now, just before the kills

echo "== 2. kill both followers: the leader is alone, 1 of 3 is no majority"
for i in 1 2 3; do if [ "$i" != "$survivor" ]; then kill_member "$i"; fi; done
if error=$(ctl "$survivor" --command-timeout=2s put /lab/quorum "written by 1 of 3 members" 2>&1); then
  echo "write acknowledged: yes (unexpected)"; exit 1
fi
# The client's 2 s deadline travels with the request, so client and server give up at the same moment:
# either error may arrive first (context deadline exceeded, or request timed out from the server).
# (A here-string, not a pipe: with pipefail, grep -q quitting early would fail the echo.)
if grep -qE 'context deadline exceeded|request timed out' <<< "$error"; then
  echo "write acknowledged: no (timed out waiting for a majority)"
else
  echo "write acknowledged: no ($error)"
fi
echo "linearizable read: $(ctl "$survivor" --command-timeout=2s get /lab/quorum >/dev/null 2>&1 && echo ok || echo fails)"
echo "serializable read (local, possibly stale) still answers:"
ctl "$survivor" get /lab/quorum --consistency=s
echo "the lone member still calls itself leader: $(yes_no [ "$(role "$survivor" || echo none)" = leader ])"

echo "== 3. restart one member: 2 of 3 is a majority again"
back=$(( survivor % 3 + 1 ))
t0=$(now)
start_member "$back"
wait_healthy "$back"
wait_for_leader
echo "leader elected after $(since "$t0")"
echo "the leader is the member that stayed up (its log is more up-to-date): $(yes_no [ "$LEADER" = "$survivor" ])"
echo "the write that timed out in step 2:"
ctl_all get /lab/quorum
ctl_all put /lab/quorum "written by 2 of 3 members"
ctl_all get /lab/quorum
)
