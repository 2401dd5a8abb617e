#!/usr/bin/env bash
# Checks an answer to the exercise "Down, or cut off?" (Network partitions).
# Usage: bash check-member-state.sh member-state.sh
# Save it next to lab-cluster.sh and partition.py: like the labs, it starts a 3-member cluster of its own
# on 10 ports from LAB_BASE_PORT (default 12379), and removes it when it is done.
(
script=${1:?usage: bash check-member-state.sh member-state.sh}
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
  lab_partitions=yes
  source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"
  expect() {                                 # expect WHAT N ANSWER: run the script against mN
    local printed
    printed=$(bounded 20 bash "$script" "${client_url[$2]}" 2>/dev/null | tail -n 1) || true
    if [ "$printed" != "$3" ]; then echo "for $1, it printed \"$printed\" instead of \"$3\""; fi
  }
  start_cluster >/dev/null
  a=$(( LEADER % 3 + 1 )) b=$(( (LEADER + 1) % 3 + 1 ))   # the two followers
  expect "a member of a healthy cluster" "$a" up
  isolate "$b"
  expect "a member cut off from the others" "$b" no-quorum
  kill_member "$a"
  expect "a member that is not running" "$a" down
) || { echo "the check could not run its own cluster (see the messages above)"; exit 1; }
if [ -n "$problems" ]; then echo "$problems"; exit 1; fi
echo PASS
)
