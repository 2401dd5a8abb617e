# Where the member keeps its data, log and pid file, and the ports it listens on.
ETCD_LAB_DIR="${ETCD_LAB_DIR:-$HOME/etcd-lab}"
ETCD_CLIENT_PORT="${ETCD_CLIENT_PORT:-2379}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-2380}"
mkdir -p "${ETCD_LAB_DIR}"

# Point etcdctl (and the examples on the following pages) at this member.
export ETCDCTL_ENDPOINTS="http://127.0.0.1:${ETCD_CLIENT_PORT}"

# Refuse to start over a member that is still running, or on ports someone else holds;
# either way the old pid file and log stay as they are.
if [ -s "${ETCD_LAB_DIR}/etcd.pid" ] \
    && [ "$(ps -o comm= -p "$(cat "${ETCD_LAB_DIR}/etcd.pid")")" = etcd ]; then
  echo "etcd $(cat "${ETCD_LAB_DIR}/etcd.pid") from ${ETCD_LAB_DIR} is still running; stop it first (stop-member.sh)" >&2
  false
elif (: < "/dev/tcp/127.0.0.1/${ETCD_CLIENT_PORT}") 2> /dev/null \
    || (: < "/dev/tcp/127.0.0.1/${ETCD_PEER_PORT}") 2> /dev/null; then
  echo "port ${ETCD_CLIENT_PORT} or ${ETCD_PEER_PORT} is already in use; set ETCD_CLIENT_PORT and ETCD_PEER_PORT to free ones" >&2
  false
else
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

  # Give it up to about 15 seconds to start answering; stop waiting if it exits.
  for _ in $(seq 1 10); do
    kill -0 "${ETCD_PID}" 2> /dev/null || break
    etcdctl endpoint health --command-timeout=1s > /dev/null 2>&1 && break
    sleep 0.5
  done

  # Whatever answers must be the member just started: it is still running, and the
  # member ID in the answer (second field of endpoint status) is the one in its own log.
  STARTED_ID="$(sed -n 's/.*"local-member-id":"\([0-9a-f]*\)".*/\1/p;T;q' "${ETCD_LAB_DIR}/etcd.log")"
  if kill -0 "${ETCD_PID}" 2> /dev/null && [ -n "${STARTED_ID}" ] \
      && etcdctl endpoint status --command-timeout=2s 2> /dev/null | grep "^[^,]*, ${STARTED_ID}, " > /dev/null; then
    echo "${ETCD_PID}" > "${ETCD_LAB_DIR}/etcd.pid"
    etcdctl endpoint health
    etcdctl member list --write-out=table
  else
    kill "${ETCD_PID}" 2> /dev/null || true  # if it is still running, it is not answering
    echo "etcd did not start; the end of ${ETCD_LAB_DIR}/etcd.log says why:" >&2
    tail -n 2 "${ETCD_LAB_DIR}/etcd.log" >&2
    false
  fi
fi
