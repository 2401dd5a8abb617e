#!/usr/bin/env bash
# Checks an answer to the exercise "Out of space" (Membership and maintenance).
# Usage: bash check-nospace.sh recover-nospace.sh
# Save it next to lab-cluster.sh: like the labs, it starts a 3-member cluster of its own on 6 ports from
# LAB_BASE_PORT (default 12379), m1 with a 2 MiB quota, fills m1 until NOSPACE is raised, runs your script
# with the members' client URLs, checks the cluster, and removes it when it is done.
(
script=${1:?usage: bash check-nospace.sh recover-nospace.sh}
if [ ! -f "$script" ]; then echo "cannot read $script"; exit 1; fi
# bounded SECONDS COMMAND...: timeout, which Ctrl-C stops too (run by a script, timeout puts the
# command in a process group of its own, which the terminal's Ctrl-C does not reach)
bounded() {
  local pid status on_int
  on_int=$(trap -p INT)
  timeout "$@" & pid=$!
  trap 'kill -INT $pid 2>/dev/null; wait $pid; eval "${on_int:-trap - INT}"; kill -INT $BASHPID' INT
  wait $pid; status=$?
  eval "${on_int:-trap - INT}"
  return $status
}
problems=$(
  set -euo pipefail
  source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"
  db_size() { ctl 1 --command-timeout=2s endpoint status -w json | grep -o '"dbSize":[0-9]*' | cut -d: -f2; }
  alarms() { ctl_all --command-timeout=2s alarm list; }
  start_member 1 --quota-backend-bytes=$((2 * 1024 * 1024))
  start_member 2
  start_member 3
  wait_healthy 1 2 3
  wait_for_leader
  head -c $((256 * 1024)) /dev/zero | tr '\0' x >"$LAB_DIR/value.tmp"
  for _ in $(seq 100); do
    ctl 1 --command-timeout=2s put /lab/big <"$LAB_DIR/value.tmp" >/dev/null 2>&1 || break
  done
  if [ -z "$(alarms)" ]; then echo "the check could not fill m1 up" >&2; exit 1; fi
  full=$(db_size)
  if ! bounded 120 bash "$script" "$(endpoints)" >/dev/null 2>&1; then
    echo "your script failed, or ran for more than 2 minutes"
  fi
  ok=yes
  if [ -n "$(alarms)" ]; then
    ok=no; echo "the NOSPACE alarm is still raised: disarm it once there is room again"
  fi
  if [ $(($(db_size) * 2)) -gt "$full" ]; then
    ok=no; echo "m1's database did not shrink: compact the history first, then defragment every member"
  fi
  if [ "$ok" = yes ] && ! error=$(ctl 1 --command-timeout=2s put /lab/big <"$LAB_DIR/value.tmp" 2>&1 >/dev/null); then
    echo "a 256 KiB write through m1 still fails: $(grep -m1 '^Error:' <<< "$error")"
  fi
) || { echo "the check could not run its own cluster (see the messages above)"; exit 1; }
if [ -n "$problems" ]; then echo "$problems"; exit 1; fi
echo PASS
)
