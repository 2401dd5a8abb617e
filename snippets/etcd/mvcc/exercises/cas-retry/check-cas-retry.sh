#!/usr/bin/env bash
# Checks an answer to the exercise "A counter that loses nothing" (The MVCC store).
# Usage: bash check-cas-retry.sh incr.sh
# It runs your script against your etcd (ETCDCTL_ENDPOINTS, or http://127.0.0.1:2379), on the key
# /exercise/counter, which it deletes when it is done.
(
script=${1:?usage: bash check-cas-retry.sh incr.sh}
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
if ! etcdctl --dial-timeout=5s --command-timeout=5s endpoint health >/dev/null 2>&1; then
  echo "no etcd answers at ${ETCDCTL_ENDPOINTS:-http://127.0.0.1:2379}: start your member first"; exit 1
fi
key=/exercise/counter
copies=()                                    # the copies of step 2, stopped on the way out (Ctrl-C included)
trap 'kill "${copies[@]}" 2>/dev/null; etcdctl del "$key" >/dev/null 2>&1' EXIT
trap 'exit 130' INT                          # Ctrl-C: leave at once, even from wait; the EXIT trap cleans up
etcdctl del "$key" >/dev/null
value() { etcdctl get "$key" --print-value-only; }

# 1. One increment of a key that does not exist yet.
if ! bounded 10 bash "$script" "$key" >/dev/null 2>&1 && [ -z "$(value)" ]; then
  echo "starting from a missing key, it did not finish within 10 seconds, or failed"; exit 1
fi
if [ "$(value)" != 1 ]; then echo "starting from a missing key, it left \"$(value)\" instead of 1"; exit 1; fi

# 2. Three copies at once, five increments each, within 5 minutes.
for _ in 1 2 3; do
  timeout 300 bash -c 'for i in 1 2 3 4 5; do bash "$0" "$1" >/dev/null 2>&1; done' "$script" "$key" &
  copies+=($!)
done
wait "${copies[@]}"; copies=()               # done: nothing left for the EXIT trap to stop
if [ "$(value)" != 16 ]; then
  echo "3 copies running at once, 5 increments each, did not take the counter from 1 to 16: increments were lost"
  exit 1
fi
echo PASS
)
