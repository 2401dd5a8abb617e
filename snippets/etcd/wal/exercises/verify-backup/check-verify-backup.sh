#!/usr/bin/env bash
# Checks an answer to the exercise "Is this backup any good?" (The WAL and snapshots).
# Usage: bash check-verify-backup.sh verify-backup.sh
# It saves a snapshot of your etcd (ETCDCTL_ENDPOINTS, or http://127.0.0.1:2379), makes two damaged copies
# of it, runs your script on all three, and deletes what it wrote (files and the key /exercise/backup).
(
script=${1:?usage: bash check-verify-backup.sh verify-backup.sh}
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
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; etcdctl del /exercise/backup >/dev/null 2>&1' EXIT
etcdctl put /exercise/backup before >/dev/null
etcdctl snapshot save "$tmp/good.db" >/dev/null 2>&1
revision=$(etcdctl get /exercise/backup -w json | grep -o '"revision":[0-9]*' | cut -d: -f2)
etcdctl put /exercise/backup after >/dev/null          # the member moves on; the snapshot does not
head -c -32 "$tmp/good.db" >"$tmp/no-checksum.db"      # a snapshot ends with the SHA-256 of what precedes it
head -c 16384 "$tmp/good.db" >"$tmp/truncated.db"      # a copy that stopped half way
script=$(realpath "$script")
problems=()
printed() { bounded 30 bash "$script" "$tmp/$1" 2>/dev/null | tail -n 1; }
good=$(printed good.db)
if [[ "$good" =~ ^ok\ [0-9]+$ ]] && [ "$good" != "ok $revision" ]; then
  problems+=("for a good snapshot, it printed a revision that is not the snapshot's")
elif [ "$good" != "ok $revision" ]; then
  problems+=("for a good snapshot, it did not print ok and the snapshot's revision")
fi
if [ "$(printed no-checksum.db)" != broken ]; then
  problems+=("for a snapshot without its checksum, it did not print broken")
fi
if [ "$(printed truncated.db)" != broken ]; then problems+=("for a truncated snapshot, it did not print broken"); fi
if [ ${#problems[@]} -gt 0 ]; then printf '%s\n' "${problems[@]}"; exit 1; fi
echo PASS
)
