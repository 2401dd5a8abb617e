#!/usr/bin/env bash
# Partition lab: cut the leader of a 3-member cluster off from the two others, then reconnect it.
# Save it as isolated-leader-lab.sh next to lab-cluster.sh and partition.py, with etcd, etcdctl, curl and
# python3 on PATH, and run:  bash isolated-leader-lab.sh
# The lab runs in a subshell: its settings, traps and members never outlive it in the shell that started it.
(
set -euo pipefail
lab_partitions=yes                           # peers talk through partition.py, so members can be cut off
source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"   # next to this lab

outcome() {                                  # outcome CMD...: "OK", or why the command failed
  local error
  if error=$("$@" 2>&1 >/dev/null); then echo OK
  elif grep -qE 'deadline exceeded|timed out' <<< "$error"; then echo "failed: timed out"
  else echo "failed: $(grep -m1 '^Error:' <<< "$error")"; fi
}

echo "== 1. start three members, each behind its own peer proxy"
start_cluster
old=$LEADER old_term=$LEADER_TERM
majority=()
for i in 1 2 3; do if [ "$i" != "$old" ]; then majority+=("$i"); fi; done
ctl_all put /lab/key "written by 3 of 3 members"

echo "== 2. isolate the leader: the minority side is the old leader alone"
isolate "$old"
t0=$(now)
# Sent at once, while it still believes it leads: it goes into the old leader's log, but no follower hears of it.
outcome ctl "$old" --command-timeout=2s put /lab/from-old-leader "never committed" >"$LAB_DIR/put.tmp" &
put_pid=$!
new_leader="" new_leader_after="" step_down_after="" deadline=$((SECONDS + LAB_TIMEOUT))
until [ -n "$new_leader" ] && [ -n "$step_down_after" ]; do
  for i in "${majority[@]}"; do
    if [ -z "$new_leader" ] && [ "$(role "$i" || true)" = leader ]; then new_leader=$i new_leader_after=$(since "$t0"); fi
  done
  if [ -z "$step_down_after" ] && [ "$(role "$old" || true)" != leader ]; then step_down_after=$(since "$t0"); fi
  if [ "$SECONDS" -ge "$deadline" ]; then echo "no new leader, or the old one did not step down" >&2; exit 1; fi
  sleep 0.1
done
wait "$put_pid"
echo "the majority elected a new leader after $new_leader_after"
echo "the old leader stepped down after $step_down_after (CheckQuorum: no majority heard from)"
echo "the new leader's term is higher: $(yes_no [ "$(term "$new_leader")" -gt "$old_term" ])"
echo "write sent to the old leader just after the cut: $(cat "$LAB_DIR/put.tmp")"

echo "== 3. the majority side keeps working"
echo "write to the majority: $(outcome ctl "$new_leader" --command-timeout=2s put /lab/key "written by 2 of 3 members")"

echo "== 4. the old leader, alone for three more seconds"
sleep 3                                      # several election timeouts: without pre-vote it would campaign each time
echo "it knows no leader: $(yes_no [ "$(role "$old" || echo none)" = none ])"
echo "its term is still the one it led in (pre-vote): $(yes_no [ "$(term "$old")" = "$old_term" ])"
echo "write to it: $(outcome ctl "$old" --command-timeout=2s put /lab/key "written by 1 of 3 members")"
echo "serializable read from it (local, stale):"
ctl "$old" get /lab/key --consistency=s --print-value-only

echo "== 5. heal: reconnect the old leader"
leader_term=$(term "$new_leader")
heal "$old"
t0=$(now)
deadline=$((SECONDS + LAB_TIMEOUT))
until [ "$(ctl "$old" get /lab/key --consistency=s --print-value-only)" = "written by 2 of 3 members" ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then echo "the old leader did not catch up" >&2; exit 1; fi
  sleep 0.1
done
echo "the old leader caught up after $(since "$t0")"
echo "it rejoined as: $(role "$old")"
echo "same leader, same term (its return forced no election): $(yes_no [ "$(role "$new_leader") $(term "$new_leader")" = "leader $leader_term" ])"
echo "the write sent to it just after the cut is on no member: $(yes_no [ -z "$(ctl_all get /lab/from-old-leader --print-value-only)" ])"
echo "serializable read from its own endpoint:"
ctl "$old" get /lab/key --consistency=s --print-value-only
)
