#!/usr/bin/env bash
# Checks an answer to the exercise "Resume where you left off" (The watch mechanism).
# Usage: bash check-resume.sh resume.sh
# It writes /exercise/jobs/1 to /exercise/jobs/4 in your etcd (ETCDCTL_ENDPOINTS, or http://127.0.0.1:2379),
# the last one while your script runs, and deletes the keys under /exercise/jobs/ when it is done.
(
script=${1:?usage: bash check-resume.sh resume.sh}
if [ ! -f "$script" ]; then echo "cannot read $script"; exit 1; fi
if ! etcdctl --dial-timeout=5s --command-timeout=5s endpoint health >/dev/null 2>&1; then
  echo "no etcd answers at ${ETCDCTL_ENDPOINTS:-http://127.0.0.1:2379}: start your member first"; exit 1
fi
out=$(mktemp)
runs=
trap 'if [ -n "$runs" ]; then kill "$runs" 2>/dev/null; fi; etcdctl del --prefix /exercise/jobs/ >/dev/null 2>&1; rm -f "$out"' EXIT
trap 'exit 130' INT                          # Ctrl-C: leave at once, even from wait; the EXIT trap cleans up
etcdctl del --prefix /exercise/jobs/ >/dev/null
put() { etcdctl put "/exercise/jobs/$1" "job $1" -w json | grep -o '"revision":[0-9]*' | cut -d: -f2; }
handled=$(put 1)                             # the last change the reader's program handled
put 2 >/dev/null
put 3 >/dev/null
started=$SECONDS
timeout 15 bash "$script" /exercise/jobs/ "$handled" >"$out" 2>/dev/null &
runs=$!
sleep 1
put 4 >/dev/null
wait "$runs"; runs=                          # done: nothing left for the EXIT trap to stop
printed() { grep -qx "job $1" "$out"; }
problems=()
if [ $(( SECONDS - started )) -ge 15 ]; then problems+=("it was still running 15 seconds later: stop watching after 5 seconds"); fi
if printed 1; then problems+=("it printed job 1, a change that was already handled: watch from the revision after it"); fi
if ! printed 2 || ! printed 3; then problems+=("it missed changes made after the revision it was given, before it started"); fi
if ! printed 4; then problems+=("it missed a change made while it was running"); fi
if [ ${#problems[@]} -gt 0 ]; then printf '%s\n' "${problems[@]}"; exit 1; fi
echo PASS
)
