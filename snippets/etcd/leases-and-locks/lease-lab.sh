#!/usr/bin/env bash
# Lease lab: where keep-alives go, and what a change of leader does to a lease that nobody renews.
# Save it as lease-lab.sh next to lab-cluster.sh, with etcd, etcdctl and curl on PATH, and run:  bash lease-lab.sh
# The lab runs in a subshell: its settings, traps and members never outlive it in the shell that started it.
(
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"   # next to this lab

raft_index() {                               # raft_index 2: the last log index m2 knows to be committed
  ctl "$1" --command-timeout=1s endpoint status -w fields | awk -F' : ' '/^"RaftIndex"/ { print $2 }'
}
renewed() {                                  # renewed 2: keep-alives that m2 itself has renewed, from its metrics
  curl -fsS -m 2 --noproxy '*' "${client_url[$1]}/metrics" | awk '/^etcd_debugging_lease_renewed_total / { print $2 }'
}
left() {                                     # left ID: the seconds lease ID has left, as the leader counts them
  local seconds deadline=$((SECONDS + 10))   # retried: just after a change of leader a read can time out
  until seconds=$(ctl_all --command-timeout=2s lease timetolive "$1" 2>/dev/null |
                  sed -n 's/.*remaining(\(-*[0-9]*\)s).*/\1/p') && [ -n "$seconds" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "no answer from the cluster about lease $1" >&2; return 1; fi
    sleep 0.1
  done
  echo "$seconds"
}
member_id() { ctl "$1" --command-timeout=1s endpoint status | awk -F', ' '{ print $2 }'; }   # in hex
settled() {                                  # the cluster version is decided: no more entries of the cluster's own
  local version
  version=$(curl -fsS -m 2 --noproxy '*' "${client_url[$LEADER]}/version")
  [[ $version =~ \"etcdserver\":\"([0-9]+\.[0-9]+)\..*\"etcdcluster\":\"([0-9]+\.[0-9]+)\. ]] &&
    [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
}

echo "== 1. start three members"
start_cluster
leader=$LEADER follower=$(( LEADER % 3 + 1 )) other=$(( (LEADER + 1) % 3 + 1 ))
deadline=$((SECONDS + LAB_TIMEOUT))
until settled; do
  if [ "$SECONDS" -ge "$deadline" ]; then echo "the cluster version was not decided" >&2; exit 1; fi
  sleep 0.2
done

echo "== 2. grant a lease and attach a key, through a follower"
index0=$(raft_index "$leader")
lease=$(ctl "$follower" lease grant 30 | awk '{ print $2 }')
ctl "$follower" put /lab/service 10.0.0.1 --lease="$lease"
echo "Raft entries the grant and the put added: $(( $(raft_index "$leader") - index0 ))"

echo "== 3. ten keep-alives, sent to the same follower"
index0=$(raft_index "$leader") rev0=$(ctl "$leader" get /lab/service -w fields | awk -F' : ' '/^"Revision"/ { print $2 }')
leader0=$(renewed "$leader") follower0=$(renewed "$follower") other0=$(renewed "$other")
for i in $(seq 10); do ctl "$follower" lease keep-alive --once "$lease" >/dev/null; done
echo "renewals counted by the leader:                  $(( $(renewed "$leader") - leader0 ))"
echo "renewals counted by the follower that got them:  $(( $(renewed "$follower") - follower0 ))"
echo "renewals counted by the other follower:          $(( $(renewed "$other") - other0 ))"
echo "Raft entries the keep-alives added:              $(( $(raft_index "$leader") - index0 ))"
echo "revisions the keep-alives added:                 $(( $(ctl "$leader" get /lab/service -w fields | awk -F' : ' '/^"Revision"/ { print $2 }') - rev0 ))"

echo "== 4. a 6-second lease that nobody renews, and three changes of leader"
job=$(ctl_all lease grant 6 | awk '{ print $2 }')
ctl_all put /lab/job running --lease="$job"
t0=$(now)
for change in "move-leader" "move-leader" "kill the leader"; do
  sleep 3
  before=$(left "$job")
  old=$LEADER
  if [ "$change" = "move-leader" ]; then
    ctl_all --command-timeout=5s move-leader "$(member_id $(( old % 3 + 1 )))" >/dev/null
  else
    kill_member "$old"
  fi
  until wait_for_leader && [ "$LEADER" != "$old" ]; do sleep 0.1; done
  last_change=$(now)
  echo "$change: ${before}s left before, $(left "$job")s left after"
done
deadline=$((SECONDS + LAB_TIMEOUT))
while [ -n "$(ctl_all get /lab/job --print-value-only)" ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then echo "the key outlived the lab" >&2; exit 1; fi
  sleep 0.1
done
echo "the key was deleted $(since "$t0") after the grant, $(since "$last_change") after the last change of leader"
)
