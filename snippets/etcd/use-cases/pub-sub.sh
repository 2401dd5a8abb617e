# Runs in a subshell: its variables, its trap and the subscriber stay out of your shell,
# and the trap stops the subscriber however the block ends (Ctrl-C included).
(
  trap 'kill ${SUBSCRIBER:-} 2> /dev/null || true' EXIT

  # Stop at once if no etcd answers.
  etcdctl endpoint health --command-timeout=2s > /dev/null || exit

  # The subscriber watches the /events/order/ prefix from the next revision on, in the
  # background, and writes what it receives to a file (for 30 s at most).
  REV="$(etcdctl get --prefix /events/order/ --write-out=json | jq '.header.revision')"
  INBOX="$(mktemp)"
  timeout 30 etcdctl watch --prefix /events/order/ --rev="$((REV + 1))" > "${INBOX}" &
  SUBSCRIBER=$!

  # The publisher, the order service, puts three events under the prefix.
  etcdctl put /events/order/1 "order 1001 created"
  etcdctl put /events/order/2 "order 1001 paid"
  etcdctl put /events/order/3 "order 1001 shipped"

  # Once the last event's value has arrived, stop the subscriber and show what it received, in order.
  for _ in $(seq 1 50); do
    grep -qx "order 1001 shipped" "${INBOX}" && break
    sleep 0.1
  done
  kill "${SUBSCRIBER}"
  cat "${INBOX}"
  rm -f "${INBOX}"

  # Clean up the events.
  etcdctl del --prefix /events/order/
)
