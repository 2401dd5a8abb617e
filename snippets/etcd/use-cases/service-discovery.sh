# Runs in a subshell: its variables, its trap and its background processes stay out of
# your shell, and the trap stops them however the block ends (Ctrl-C included).
(
  trap 'kill ${KEEPALIVE_1:-} ${KEEPALIVE_2:-} ${KEEPALIVE_3:-} ${WATCHER:-} 2> /dev/null || true' EXIT
  TTL=3

  # Stop at once if no etcd answers.
  etcdctl endpoint health --command-timeout=2s > /dev/null || exit

  # Two instances of the "order" service register. Each puts its address under /services/order/
  # with its own 3-second lease and keeps the lease alive in the background (for 60 s at most).
  LEASE_1="$(etcdctl lease grant "${TTL}" | awk '{print $2}')"
  etcdctl put --lease="${LEASE_1}" /services/order/instance-1 10.0.0.11:8080
  timeout 60 etcdctl lease keep-alive "${LEASE_1}" > /dev/null &
  KEEPALIVE_1=$!

  LEASE_2="$(etcdctl lease grant "${TTL}" | awk '{print $2}')"
  etcdctl put --lease="${LEASE_2}" /services/order/instance-2 10.0.0.12:8080
  timeout 60 etcdctl lease keep-alive "${LEASE_2}" > /dev/null &
  KEEPALIVE_2=$!

  # A client discovers them: it lists the prefix at one revision, then watches for
  # changes from the next revision on, so no change can slip in between.
  REV="$(etcdctl get --prefix /services/order/ --write-out=json | jq '.header.revision')"
  etcdctl get --prefix /services/order/ --rev="${REV}"
  EVENTS="$(mktemp)"
  timeout 60 etcdctl watch --prefix /services/order/ --rev="$((REV + 1))" > "${EVENTS}" &
  WATCHER=$!

  # A third instance starts.
  LEASE_3="$(etcdctl lease grant "${TTL}" | awk '{print $2}')"
  etcdctl put --lease="${LEASE_3}" /services/order/instance-3 10.0.0.13:8080
  timeout 60 etcdctl lease keep-alive "${LEASE_3}" > /dev/null &
  KEEPALIVE_3=$!

  # instance-2 crashes: its keep-alives stop, and the server deletes its key once
  # the lease runs out (we wait at most 10 seconds for that).
  kill "${KEEPALIVE_2}"
  for _ in $(seq 1 50); do
    [ -z "$(etcdctl get /services/order/instance-2)" ] && break
    sleep 0.2
  done

  # instance-1 shuts down cleanly: it revokes its lease, which deletes its key at once.
  kill "${KEEPALIVE_1}"
  etcdctl lease revoke "${LEASE_1}"

  # What the client finds now, and every change its watch reported, in order.
  etcdctl get --prefix /services/order/
  for _ in $(seq 1 50); do
    # three events of three lines each (type, key, value; a DELETE's value is empty)
    [ "$(wc -l < "${EVENTS}")" -ge 9 ] && break
    sleep 0.1
  done
  kill "${WATCHER}"
  cat "${EVENTS}"
  rm -f "${EVENTS}"

  # Clean up: instance-3 stops too.
  kill "${KEEPALIVE_3}"
  etcdctl lease revoke "${LEASE_3}"
)
