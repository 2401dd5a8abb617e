#!/usr/bin/env bash
# Checks an answer to the exercise "Exactly these permissions" (Authentication and authorization).
# Usage: bash check-grant-role.sh
# It reads the role exercise-app from your etcd (ETCDCTL_ENDPOINTS, or http://127.0.0.1:2379) and changes nothing.
(
if ! etcdctl --dial-timeout=5s --command-timeout=5s endpoint health >/dev/null 2>&1; then
  echo "no etcd answers at ${ETCDCTL_ENDPOINTS:-http://127.0.0.1:2379}: start your member first"; exit 1
fi
if ! role=$(etcdctl --dial-timeout=2s --command-timeout=5s role get exercise-app 2>&1); then
  echo "cannot read the role exercise-app: $(grep -m1 '^Error:' <<< "$role")"; exit 1
fi
# role get prints "KV Read:" and "KV Write:", each followed by one tab-indented line per permission:
# a key, or a range "[start, end)" (a prefix is the range from the prefix to the key after all its keys).
permissions() { sed -n "/^KV $1:/,/^KV /p" <<< "$role" | grep $'^\t' | sed 's/^\t//; s/ (prefix .*)$//'; }
read_ok='[/exercise/app/, /exercise/app0)' write_ok=/exercise/app/status
problems=()
while IFS= read -r p; do
  if [ -n "$p" ] && [ "$p" != "$read_ok" ]; then
    problems+=("it may also read $p: only the keys under /exercise/app/ were asked for")
  fi
done <<< "$(permissions Read)"
while IFS= read -r p; do
  if [ -n "$p" ] && [ "$p" != "$write_ok" ]; then
    problems+=("it may also write $p: only /exercise/app/status was asked for")
  fi
done <<< "$(permissions Write)"
if ! permissions Read | grep -qxF "$read_ok"; then problems+=("it may not read every key under /exercise/app/"); fi
if ! permissions Write | grep -qxF "$write_ok"; then problems+=("it may not write /exercise/app/status"); fi
if [ ${#problems[@]} -gt 0 ]; then printf '%s\n' "${problems[@]}"; exit 1; fi
echo PASS
)
