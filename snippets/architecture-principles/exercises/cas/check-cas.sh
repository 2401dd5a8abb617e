# Checks an answer to the exercise "Compare-and-swap in etcd" (Reads, watches and resourceVersion).
# Usage: bash check-cas.sh cas-put.sh
# Uses the etcd in ETCDCTL_ENDPOINTS (etcdctl's default: 127.0.0.1:2379), and writes only
# under /exercise/cas/, which it deletes before and after.
script=${1:?usage: bash check-cas.sh cas-put.sh}
key=/exercise/cas/settings
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
ctl() { bounded 10 etcdctl --dial-timeout=3s --command-timeout=5s "$@"; }
value() { ctl get "$key" --print-value-only; }
mod_revision() { ctl get "$key" -w fields | awk '$1 == "\"ModRevision\"" { print $3 }'; }
failed=0
problem() { echo "$1"; failed=1; }

if ! ctl del --prefix /exercise/cas/ > /dev/null; then
  echo "cannot reach etcd at ${ETCDCTL_ENDPOINTS:-127.0.0.1:2379}"
  exit 1
fi

out=$(bounded 20 bash "$script" "$key" 0 v1)
if [ "$out" != OK ] || [ "$(value)" != v1 ]; then
  problem "revision 0 for a key that does not exist yet must print OK and write the value"
fi

ctl put "$key" v2 > /dev/null
current=$(mod_revision)
out=$(bounded 20 bash "$script" "$key" "$current" v3)
if [ "$out" != OK ] || [ "$(value)" != v3 ]; then
  problem "the key's current mod_revision must print OK and write the value"
fi

ctl put "$key" v4 > /dev/null   # someone else writes: $current is now out of date
out=$(bounded 20 bash "$script" "$key" "$current" v5)
[ "$out" = CONFLICT ] || problem "an old mod_revision must print CONFLICT"
[ "$(value)" = v4 ] || problem "a write with an old mod_revision overwrote a newer value"

out=$(bounded 20 bash "$script" "$key" 0 v6)
if [ "$out" != CONFLICT ] || [ "$(value)" != v4 ]; then
  problem "revision 0 for a key that exists must print CONFLICT and change nothing"
fi

ctl del --prefix /exercise/cas/ > /dev/null
[ "$failed" = 0 ] && echo PASS
exit "$failed"
