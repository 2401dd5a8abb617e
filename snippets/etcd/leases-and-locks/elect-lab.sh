#!/usr/bin/env bash
# Election lab: two candidates campaign with etcdctl elect, an observer follows who leads, the leader resigns.
# Save it as elect-lab.sh next to lab-cluster.sh, with etcd and etcdctl on PATH, and run:  bash elect-lab.sh
# The lab runs in a subshell: its settings, traps and members never outlive it in the shell that started it.
(
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]:-.}")/lab-cluster.sh"   # next to this lab

elect() {                                    # elect ARGS... >FILE: etcdctl elect in the background
  ETCDCTL_ENDPOINTS=$(endpoints) etcdctl --dial-timeout=1s elect "$@" &
  kill_on_exit+=("$!")                       # if the lab fails: SIGTERM would make it resign first
}
wait_for() {                                 # wait_for COMMAND...: until it succeeds
  local deadline=$((SECONDS + LAB_TIMEOUT))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "gave up after ${LAB_TIMEOUT}s: $*" >&2; return 1; fi
    sleep 0.1
  done
}
elected() { [ -s "$LAB_DIR/$1.tmp" ]; }      # elected alpha: etcdctl elect has printed alpha's key and value
candidates() { ctl_all get --prefix /lab/election/ --keys-only | grep -c /lab/election/ || true; }
both_campaign() { [ "$(candidates)" = 2 ]; }
observed() { [ "$(wc -l <"$LAB_DIR/observer.tmp")" -ge "$1" ]; }

echo "== 1. start three members"
start_cluster

echo "== 2. an observer, then two candidates"
elect -l /lab/election >"$LAB_DIR/observer.tmp"
observer=$!
elect /lab/election alpha >"$LAB_DIR/alpha.tmp"
alpha=$!
wait_for elected alpha
elect /lab/election beta >"$LAB_DIR/beta.tmp"
beta=$!
wait_for both_campaign
echo "keys under /lab/election/: $(candidates), one per candidate, each on its own lease"
echo "alpha's etcdctl printed its key and value: $(sed -n 2p "$LAB_DIR/alpha.tmp")"
echo "beta's etcdctl has printed nothing yet: $(yes_no [ ! -s "$LAB_DIR/beta.tmp" ])"

echo "== 3. alpha resigns (SIGTERM: etcdctl elect deletes its key on the way out)"
kill -TERM "$alpha"
t0=$(now)
wait "$alpha" || true
wait_for elected beta
echo "beta was elected $(since "$t0") later: $(sed -n 2p "$LAB_DIR/beta.tmp")"

echo "== 4. what the observer printed (key, then value, for each leader)"
wait_for observed 4
kill -TERM "$beta" "$observer"
wait "$beta" "$observer" || true
sed -n '2~2p' "$LAB_DIR/observer.tmp"
)
