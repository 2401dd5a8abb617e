#!/usr/bin/env bash
# Quota lab: fill a member with a tiny space quota until the cluster raises NOSPACE, then recover:
# compact, defragment one member at a time, disarm the alarm.
# Save it as quota-lab.sh next to lab-cluster.sh, with etcd and etcdctl on PATH, and run:  bash quota-lab.sh
# The lab runs in a subshell: its settings, traps and members never outlive it in the shell that started it.
(
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"   # next to this lab

quota=$((2 * 1024 * 1024))                   # m1 only: 2 MiB instead of the default 2 GiB
outcome() {                                  # outcome CMD...: "OK", or why the command failed
  local error
  if error=$("$@" 2>&1 >/dev/null); then echo OK
  else echo "failed: $(grep -m1 '^Error:' <<< "$error")"; fi
}
field() {                                    # field N NAME: a number from mN's endpoint status -w json
  ctl "$1" --command-timeout=2s endpoint status -w json | grep -o "\"$2\":[0-9]*" | head -n 1 | cut -d: -f2
}
human() { awk -v b="$1" 'BEGIN { if (b < 1e6) printf "%.0f kB", b / 1e3; else printf "%.1f MB", b / 1e6 }'; }
sizes() {                                    # DB size and size in use of each member
  local i
  for i in 1 2 3; do
    echo "  m$i: DB size $(human "$(field "$i" dbSize)"), in use $(human "$(field "$i" dbSizeInUse)")"
  done
}

echo "== 1. start three members; m1 with --quota-backend-bytes=$quota"
start_member 1 --quota-backend-bytes="$quota"
start_member 2
start_member 3
wait_healthy 1 2 3
wait_for_leader
echo "3 members healthy, one leader"
for i in 1 2 3; do ctl_all put "/lab/old/$i" "a key nobody needs" >/dev/null; done
head -c $((256 * 1024)) /dev/zero | tr '\0' x >"$LAB_DIR/value.tmp"   # a 256 KiB value

echo "== 2. overwrite one key through m1 until m1 refuses"
puts=0
while ctl 1 --command-timeout=2s put /lab/big <"$LAB_DIR/value.tmp" >/dev/null 2>"$LAB_DIR/refused.tmp"; do
  puts=$((puts + 1))
  if [ "$puts" -ge 100 ]; then echo "m1 never refused a put" >&2; exit 1; fi
done
echo "m1 refused a put: $(grep -m1 '^Error:' "$LAB_DIR/refused.tmp")"
sizes

echo "== 3. the alarm m1 raised holds for the whole cluster"
ctl_all --command-timeout=2s alarm list
m1_id=$(field 1 member_id)
echo "raised by m1: $(yes_no grep -qw -- "$m1_id" <(ctl_all --command-timeout=2s alarm list))"
echo "write through m2 (quota 2 GiB): $(outcome ctl 2 --command-timeout=2s put /lab/small v)"
echo "read through m2:                $(outcome ctl 2 --command-timeout=2s get /lab/big)"
echo "endpoint health of m2:"
ctl 2 --command-timeout=2s endpoint health 2>&1 || true

echo "== 4. compact all history before the latest revision: space in use falls, DB size does not"
revision=$(field 1 revision)
ctl_all --command-timeout=10s compact "$revision" --physical >/dev/null
# Deletes are accepted under NOSPACE. These also let bbolt count the pages the compaction freed: it hands
# them back only once later write transactions have started (the backend commits every 100 ms).
echo "delete through m2: $(outcome ctl 2 --command-timeout=2s del /lab/old/1)"
for i in 2 3; do sleep 0.2; ctl 2 --command-timeout=2s del "/lab/old/$i" >/dev/null; done
sleep 0.3
sizes
echo "write after compacting: $(outcome ctl 2 --command-timeout=2s put /lab/small v)"

echo "== 5. defragment one member at a time, the leader last"
wait_for_leader
order=()
for i in 1 2 3; do if [ "$i" != "$LEADER" ]; then order+=("$i"); fi; done
for i in "${order[@]}" "$LEADER"; do         # each call returns when that member has finished
  ctl "$i" --command-timeout=30s defrag | sed 's/\. took .*//'   # (3.6 and later add ". took" and a duration)
done
sizes
echo "write after defragmenting: $(outcome ctl 2 --command-timeout=2s put /lab/small v)"

echo "== 6. disarm the alarm"
ctl_all --command-timeout=2s alarm disarm
echo "alarms left: $(ctl_all --command-timeout=2s alarm list | wc -l)"
echo "write: $(outcome ctl 2 --command-timeout=2s put /lab/small v)"
echo "write through m1: $(outcome ctl 1 --command-timeout=2s put /lab/big <"$LAB_DIR/value.tmp")"
ctl 2 --command-timeout=2s endpoint health
)
