# Where the member keeps its data, log and pid file, and the ports it listens on.
ETCD_LAB_DIR="${ETCD_LAB_DIR:-$HOME/etcd-lab}"
ETCD_CLIENT_PORT="${ETCD_CLIENT_PORT:-2379}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-2380}"
mkdir -p "${ETCD_LAB_DIR}"

# Start a one-member cluster in the background; its log goes to a file.
etcd --name first-member \
  --data-dir "${ETCD_LAB_DIR}/first-member.etcd" \
  --listen-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
  --advertise-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
  --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
  --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
  --initial-cluster "first-member=http://127.0.0.1:${ETCD_PEER_PORT}" \
  > "${ETCD_LAB_DIR}/etcd.log" 2>&1 &
ETCD_PID=$!
echo "${ETCD_PID}" > "${ETCD_LAB_DIR}/etcd.pid"

# Point etcdctl (and the examples on the following pages) at the new member.
export ETCDCTL_ENDPOINTS="http://127.0.0.1:${ETCD_CLIENT_PORT}"

# Give it up to about 15 seconds to start answering (less if it exits, e.g. because a
# port is taken: then see etcd.log), then show its health and members.
for _ in $(seq 1 10); do
  etcdctl endpoint health --command-timeout=1s > /dev/null 2>&1 && break
  kill -0 "${ETCD_PID}" 2> /dev/null || break
  sleep 0.5
done
# Once etcd has exited, whatever answers on the port is not this member.
if kill -0 "${ETCD_PID}" 2> /dev/null; then
  etcdctl endpoint health
  etcdctl member list --write-out=table
else
  echo "etcd exited; the end of ${ETCD_LAB_DIR}/etcd.log says why:" >&2
  tail -n 2 "${ETCD_LAB_DIR}/etcd.log" >&2
  false
fi
