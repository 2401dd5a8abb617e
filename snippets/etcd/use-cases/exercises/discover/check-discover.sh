#!/usr/bin/env bash
# Checks an answer to the exercise "Find the instances" (etcd use cases).
# Usage: bash check-discover.sh discover.sh
# It registers a few instances under /exercise/services/ in your etcd (ETCDCTL_ENDPOINTS, or
# http://127.0.0.1:2379), runs your script for two services, and deletes those keys when it is done.
(
script=${1:?usage: bash check-discover.sh discover.sh}
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
trap 'etcdctl del --prefix /exercise/services/ >/dev/null 2>&1' EXIT
etcdctl del --prefix /exercise/services/ >/dev/null
etcdctl put /exercise/services/web/10.0.0.2:80 10.0.0.2:80 >/dev/null
etcdctl put /exercise/services/web/10.0.0.1:80 10.0.0.1:80 >/dev/null
etcdctl put /exercise/services/web-admin/10.0.0.9:80 10.0.0.9:80 >/dev/null
problems=()
expect() {                                   # expect SERVICE ADDRESS...: exactly these lines, in any order
  local service=$1 printed line; shift
  printed=$(bounded 10 bash "$script" "$service" 2>/dev/null)
  for line in "$@"; do
    if ! grep -qxF "$line" <<< "$printed"; then problems+=("for $service, it did not print $line"); fi
  done
  while IFS= read -r line; do
    if [ -n "$line" ] && [[ " $* " != *" $line "* ]]; then
      problems+=("for $service, it printed \"$line\", which is not the address of a $service instance")
    fi
  done <<< "$printed"
}
expect web 10.0.0.1:80 10.0.0.2:80
expect mail
if [ ${#problems[@]} -gt 0 ]; then printf '%s\n' "${problems[@]}"; exit 1; fi
echo PASS
)
