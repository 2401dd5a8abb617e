#!/usr/bin/env bash
# Checks an answer to the exercise "Fence the late write" (Leases, locks and elections).
# Usage: bash check-fenced-write.sh fenced-write.sh
# It runs your script under etcdctl lock against your etcd (ETCDCTL_ENDPOINTS, or http://127.0.0.1:2379),
# three times, and uses only keys under /exercise/fenced-write/, which it deletes when it is done.
(
script=${1:?usage: bash check-fenced-write.sh fenced-write.sh}
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
script=$(realpath "$script")
lock=/exercise/fenced-write/lock data=/exercise/fenced-write/data
tmp=$(mktemp -d)
cleanup() {
  local paused; paused=$(cat "$tmp/paused" 2>/dev/null)
  kill -9 $paused 2>/dev/null || true                             # SIGKILL: ends a stopped process too
  kill -9 -- "-${paused##* }" 2>/dev/null || true                 # and the late run's process group
  etcdctl del --prefix /exercise/fenced-write/ >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT                          # Ctrl-C: leave at once, even from wait; the EXIT trap cleans up
if ! etcdctl --dial-timeout=5s --command-timeout=5s endpoint health >/dev/null 2>&1; then
  echo "no etcd answers at ${ETCDCTL_ENDPOINTS:-http://127.0.0.1:2379}: start your member first"; exit 1
fi
etcdctl del --prefix /exercise/fenced-write/ >/dev/null
value() { etcdctl get "$data" --print-value-only; }
under_lock() { bounded 30 etcdctl lock --ttl="$1" "$lock" bash "$script" "$2" >/dev/null 2>&1 || true; }
wait_until() { local i; for i in $(seq 100); do if "$@"; then return 0; fi; sleep 0.1; done; return 1; }
holders() { [ "$(etcdctl get --prefix "$lock/" --keys-only | grep -c "^$lock/")" = "$1" ]; }   # holders N: N lock keys
problems=()

# 1. It holds the lock, nobody else wants it.
under_lock 5 first
if [ "$(value)" != first ]; then problems+=("holding the lock, it did not write its value"); fi

# 2. It gets the lock after waiting for another holder to release it.
timeout 30 etcdctl lock "$lock" sleep 1 >/dev/null &
wait_until holders 1 || true
under_lock 5 second
wait
if [ "$(value)" != second ]; then problems+=("holding a lock it had waited for, it did not write its value"); fi

# 3. It is paused (SIGSTOP) right after getting the lock, past the lock's 2-second TTL. Meanwhile
#    another holder takes the lock and writes; then your script resumes and runs.
cat >"$tmp/paused-holder.sh" <<'HOLDER'
echo "$PPID $$" >"$PAUSED"; kill -STOP "$PPID" "$$"     # stop etcdctl lock (and its keep-alives) and itself
exec timeout 20 bash "$SCRIPT" late
HOLDER
PAUSED=$tmp/paused SCRIPT=$script etcdctl lock --ttl=2 "$lock" bash "$tmp/paused-holder.sh" >/dev/null 2>&1 &
paused_lock=$!
wait_until [ -s "$tmp/paused" ] && wait_until holders 0 || true   # its lease has expired
bounded 30 etcdctl lock "$lock" etcdctl put "$data" "new holder" >/dev/null
kill -CONT $(cat "$tmp/paused")
wait "$paused_lock" || true
if [ "$(value)" = late ]; then problems+=("resumed after losing the lock, it overwrote the new holder's value"); fi

if [ ${#problems[@]} -gt 0 ]; then printf '%s\n' "${problems[@]}"; exit 1; fi
echo PASS
)
