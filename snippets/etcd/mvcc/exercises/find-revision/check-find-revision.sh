#!/usr/bin/env bash
# Checks an answer to the exercise "When was it set?" (The MVCC store).
# Usage: bash check-find-revision.sh when.sh
# It writes a short history of the key /exercise/color in your etcd (ETCDCTL_ENDPOINTS, or
# http://127.0.0.1:2379), asks your script about it, and deletes the keys under /exercise/ it wrote.
(
script=${1:?usage: bash check-find-revision.sh when.sh}
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
key=/exercise/color
trap 'etcdctl del "$key" >/dev/null 2>&1; etcdctl del /exercise/other >/dev/null 2>&1' EXIT
put() { etcdctl put "$1" "$2" -w json | grep -o '"revision":[0-9]*' | cut -d: -f2; }   # prints the revision
etcdctl del "$key" >/dev/null
red=$(put "$key" red)
put /exercise/other 1 >/dev/null
first_blue=$(put "$key" blue)
green=$(put "$key" green)
blue=$(put "$key" blue)
put /exercise/other 2 >/dev/null
yellow=$(put "$key" yellow)
problems=()
expect() {                                   # expect VALUE REVISION: REVISION is the right answer
  local printed
  printed=$(bounded 20 bash "$script" "$key" "$1" 2>/dev/null | tail -n 1)
  if [ "$printed" = "$2" ]; then return; fi
  case " $green $blue $yellow " in
    *" $printed "*) if [ "$printed" -gt "$2" ]; then
                      problems+=("for $1, it printed the revision of a later write to the key, not of the write that set $1")
                      return
                    fi ;;
  esac
  if [ "$printed" = "$first_blue" ]; then
    problems+=("for $1, it printed the revision of an earlier write that set $1, not of the latest one")
  else
    problems+=("for $1, it printed \"$printed\", which is not the revision of the latest write that set $1")
  fi
}
expect yellow "$yellow"
expect blue "$blue"
expect red "$red"
if [ ${#problems[@]} -gt 0 ]; then printf '%s\n' "${problems[@]}"; exit 1; fi
echo PASS
)
