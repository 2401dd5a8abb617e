#!/usr/bin/env bash
# Membership lab: replace m1 of a 3-member cluster with a new member, m4, without losing quorum on the way.
# Save it as membership-lab.sh next to lab-cluster.sh, with etcd and etcdctl on PATH, and run:  bash membership-lab.sh
# The lab runs in a subshell: its settings, traps and members never outlive it in the shell that started it.
(
set -euo pipefail
lab_extra_members=1                          # a slot for m4: two more ports, after the others
source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"   # next to this lab

voters="1 2 3"                               # ctl_all asks only these: a learner refuses most requests
endpoints() { local i out=""; for i in $voters; do if [ -n "${pid[i]:-}" ]; then out+="${out:+,}${client_url[i]}"; fi; done; echo "$out"; }
outcome() {                                  # outcome CMD...: "OK", or why the command failed
  local error
  if error=$("$@" 2>&1 >/dev/null); then echo OK
  elif grep -q 'not supported for learner' <<< "$error"; then echo "refused: rpc not supported for learner"
  elif grep -qE 'deadline exceeded|timed out' <<< "$error"; then echo "failed: timed out"
  else echo "failed: $(grep -m1 '^Error:' <<< "$error")"; fi
}
members() {                                  # one line per member: name, status, voter or learner
  ctl_all --command-timeout=2s member list | awk -F', ' '{
    printf "  %-6s %-9s %s\n", ($3 == "" ? "(none)" : $3), $2, ($6 == "true" ? "learner" : "voter") }' | sort
}
reconfigure() {                              # reconfigure CMD...: run a membership change, once etcd accepts it
  local deadline=$((SECONDS + LAB_TIMEOUT))  # (refused as "unhealthy cluster" until the member has been
  until "$@" 2>"$LAB_DIR/refused.tmp"; do     # connected to enough peers for 5 s: --strict-reconfig-check)
    if ! grep -q 'unhealthy cluster' "$LAB_DIR/refused.tmp" || [ "$SECONDS" -ge "$deadline" ]; then
      cat "$LAB_DIR/refused.tmp" >&2; return 1
    fi
    sleep 0.5
  done
}
member_id() { ctl_all --command-timeout=2s member list | awk -F', ' -v n="m$1" '$3 == n { print $1 }'; }

echo "== 1. start three members and write a key"
start_cluster
formed=$(now)
ctl_all put /lab/key "written by 3 voters"

echo "== 2. add m4 as a learner: the cluster knows it, it is not running yet"
reconfigure ctl_all --command-timeout=5s member add m4 --learner --peer-urls="${peer_url[4]}" >"$LAB_DIR/add.tmp"
echo "accepted $(since "$formed") after the cluster formed:"
head -n 1 "$LAB_DIR/add.tmp" | tr -s ' '       # (tr -s: etcdctl pads IDs to 16 characters)
new_id=$(awk 'NR == 1 { print $2 }' "$LAB_DIR/add.tmp")
new_cluster=$(sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p' "$LAB_DIR/add.tmp")
grep -E '^ETCD_(NAME|INITIAL_CLUSTER_STATE)=' "$LAB_DIR/add.tmp"
echo "ETCD_INITIAL_CLUSTER names: $(tr ',' '\n' <<< "$new_cluster" | cut -d= -f1 | sort | paste -sd' ')"
members
echo "promote it now: $(outcome ctl_all --command-timeout=5s member promote "$new_id")"
echo "write with m4 added but not running: $(outcome ctl_all --command-timeout=2s put /lab/key "written by 3 voters")"

echo "== 3. start m4 with --initial-cluster-state existing: it joins, it does not found a cluster"
t0=$(now)
etcd --name m4 --data-dir "$LAB_DIR/m4.etcd" \
  --listen-client-urls "${client_url[4]}" --advertise-client-urls "${client_url[4]}" \
  --listen-peer-urls "${peer_url[4]}" --initial-advertise-peer-urls "${peer_url[4]}" \
  --initial-cluster "$new_cluster" --initial-cluster-state existing >>"$LAB_DIR/m4.log" 2>&1 &
pid[4]=$!
deadline=$((SECONDS + LAB_TIMEOUT))
until [ "$(ctl 4 --command-timeout=1s get /lab/key --consistency=s --print-value-only 2>/dev/null)" = "written by 3 voters" ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then echo "m4 did not catch up" >&2; exit 1; fi
  sleep 0.1
done
echo "m4 started and caught up after $(since "$t0")"
members
echo "serializable read from m4: $(outcome ctl 4 --command-timeout=2s get /lab/key --consistency=s)"
echo "linearizable read from m4: $(outcome ctl 4 --command-timeout=2s get /lab/key)"
echo "write to m4:               $(outcome ctl 4 --command-timeout=2s put /lab/key "from m4")"

echo "== 4. a learner is not counted: kill both followers, leaving the leader and m4"
wait_for_leader
for i in 1 2 3; do if [ "$i" != "$LEADER" ]; then kill_member "$i"; fi; done
echo "members running: 2 of 4, voters running: 1 of 3"
echo "write to the leader: $(outcome ctl "$LEADER" --command-timeout=2s put /lab/key "written by 1 voter")"
for i in 1 2 3; do if [ -z "${pid[i]}" ]; then start_member "$i"; fi; done
wait_healthy 1 2 3
wait_for_leader
echo "both followers restarted; write: $(outcome ctl_all --command-timeout=2s put /lab/key "written by 2 of 3 voters")"

echo "== 5. promote m4: four voters, so a write now needs three"
reconfigure ctl_all --command-timeout=5s member promote "$new_id" | tr -s ' '
voters="1 2 3 4"
members

echo "== 6. hand the leadership to m4"
wait_for_leader; old_term=$LEADER_TERM
t0=$(now)
ctl_all --command-timeout=5s move-leader "$new_id"
echo "transfer done after $(since "$t0")"
wait_for_leader "$((old_term + 1))"
echo "m4 leads: $(yes_no [ "$LEADER" = 4 ]), in the next term: $(yes_no [ "$LEADER_TERM" = "$((old_term + 1))" ])"

echo "== 7. remove m1: three voters again"
m1_id=$(member_id 1)
reconfigure ctl 4 --command-timeout=5s member remove "$m1_id" | tr -s ' '
deadline=$((SECONDS + LAB_TIMEOUT))
while kill -0 "${pid[1]}" 2>/dev/null; do
  if [ "$SECONDS" -ge "$deadline" ]; then echo "m1 is still running" >&2; exit 1; fi
  sleep 0.1
done
wait "${pid[1]}" 2>/dev/null || true; pid[1]=""
echo "m1 stopped by itself once it applied its own removal: yes"
members
ctl_all --command-timeout=2s put /lab/key "written by 3 voters, m4 among them"
ctl 4 --command-timeout=2s get /lab/key --print-value-only
)
