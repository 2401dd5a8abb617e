# Whatever happens, stop the subscriber this script starts.
trap 'kill ${SUBSCRIBER:-} 2> /dev/null || true' EXIT

# The subscriber watches the topic prefix from the next revision on, in the
# background, and writes what it receives to a file (timeout ends it after 30 s at the latest).
REV="$(etcdctl get --prefix /topics/news/ --write-out=json | jq '.header.revision')"
INBOX="$(mktemp)"
timeout 30 etcdctl watch --prefix /topics/news/ --rev="$((REV + 1))" > "${INBOX}" &
SUBSCRIBER=$!

# The publisher puts three messages under the prefix.
etcdctl put /topics/news/1 "orders service deployed"
etcdctl put /topics/news/2 "orders service scaled to 3 instances"
etcdctl put /topics/news/3 "maintenance window tonight"

# Once the last message has arrived, stop the subscriber and show what it received, in order.
for _ in $(seq 1 50); do
  grep -qx /topics/news/3 "${INBOX}" && break
  sleep 0.1
done
kill "${SUBSCRIBER}"
cat "${INBOX}"
rm -f "${INBOX}"

# Clean up the messages.
etcdctl del --prefix /topics/news/
