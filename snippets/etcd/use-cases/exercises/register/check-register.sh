#!/usr/bin/env bash
# Checks an answer to the exercise "Register while alive" (etcd use cases).
# Usage: bash check-register.sh register.sh
# It runs your script as "web 10.0.0.1:80" against your etcd (ETCDCTL_ENDPOINTS, or http://127.0.0.1:2379),
# kills it after 8 seconds as a crash would, and deletes the keys under /exercise/services/ when it is done.
(
script=${1:?usage: bash check-register.sh register.sh}
if [ ! -f "$script" ]; then echo "cannot read $script"; exit 1; fi
if ! etcdctl --dial-timeout=5s --command-timeout=5s endpoint health >/dev/null 2>&1; then
  echo "no etcd answers at ${ETCDCTL_ENDPOINTS:-http://127.0.0.1:2379}: start your member first"; exit 1
fi
prefix=/exercise/services/web/
etcdctl del --prefix /exercise/services/ >/dev/null
setsid bash "$script" web 10.0.0.1:80 >/dev/null 2>&1 &   # its own process group, to kill all of it at once
group=$!
trap 'kill -9 -- -$group 2>/dev/null; wait $group 2>/dev/null; etcdctl del --prefix /exercise/services/ >/dev/null 2>&1' EXIT
registered() { [ "$(etcdctl get --prefix "$prefix" --print-value-only)" = 10.0.0.1:80 ]; }
lease() { etcdctl get --prefix "$prefix" -w json | grep -o '"lease":[0-9]*' | cut -d: -f2; }
wait_until() { local i; for i in $(seq "$1"); do if "${@:2}"; then return 0; fi; sleep 0.1; done; return 1; }
gone() { ! registered; }

if ! wait_until 50 registered; then
  echo "within 5 seconds, it did not put 10.0.0.1:80 under $prefix"; exit 1
fi
if [ -z "$(lease)" ]; then
  echo "its key has no lease, so it stays after your script is gone"; exit 1
fi
ttl=$(etcdctl lease timetolive "$(printf '%x' "$(lease)")" | grep -o 'granted with TTL([0-9]*s)' | tr -dc 0-9)
if [ "${ttl:-0}" -gt 5 ]; then echo "its lease has a TTL of ${ttl}s: use 5 seconds at most"; exit 1; fi
sleep 8
if ! registered; then
  echo "while your script was still running, its key disappeared: keep the lease alive"; exit 1
fi
kill -9 -- -$group; wait $group 2>/dev/null
if ! wait_until 100 gone; then
  echo "10 seconds after your script was killed, its key was still there"; exit 1
fi
echo PASS
)
