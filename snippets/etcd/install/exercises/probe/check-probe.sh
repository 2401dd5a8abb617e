#!/usr/bin/env bash
# Checks an answer to the exercise "A probe that never hangs" (Installing etcd).
# Usage: bash check-probe.sh probe.sh
# It runs your script against your member (ETCDCTL_ENDPOINTS, or http://127.0.0.1:2379), against a port where
# nothing listens, and against a port that accepts connections but never answers (a few lines of Python).
(
script=${1:?usage: bash check-probe.sh probe.sh}
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
member=${ETCDCTL_ENDPOINTS:-http://127.0.0.1:2379}; member=${member%%,*}
if ! etcdctl --dial-timeout=5s --command-timeout=5s endpoint health >/dev/null 2>&1; then
  echo "no etcd answers at $member: start your member first"; exit 1
fi
ports=$(mktemp)
# Two free ports: the first is closed again at once, the second listens but never accepts or answers.
timeout 60 python3 -c '
import socket, sys, time
closed = socket.socket(); closed.bind(("127.0.0.1", 0))
silent = socket.socket(); silent.bind(("127.0.0.1", 0)); silent.listen()
print(closed.getsockname()[1], silent.getsockname()[1], file=open(sys.argv[1], "w"), flush=True)
closed.close(); time.sleep(60)' "$ports" &
silent_pid=$!
trap 'kill $silent_pid 2>/dev/null; rm -f "$ports"' EXIT
for _ in $(seq 50); do if [ -s "$ports" ]; then break; fi; sleep 0.1; done
read -r closed silent <"$ports"
problems=()
expect() {                                   # expect WHAT URL ANSWER
  local out printed
  out=$(bounded 5 bash "$script" "$2" 2>/dev/null; echo "exit $?")
  printed=$(sed '$d' <<< "$out" | tail -n 1)
  if [ "${out##*exit }" = 124 ]; then problems+=("for $1, it did not finish within 5 seconds")
  elif [ "$printed" != "$3" ]; then problems+=("for $1, it printed \"$printed\" instead of \"$3\""); fi
}
expect "your member" "$member" up
expect "a port where nothing listens" "http://127.0.0.1:$closed" down
expect "a port that accepts connections but never answers" "http://127.0.0.1:$silent" down
if [ ${#problems[@]} -gt 0 ]; then printf '%s\n' "${problems[@]}"; exit 1; fi
echo PASS
)
