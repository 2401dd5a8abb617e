ETCD_LAB_DIR="${ETCD_LAB_DIR:-$HOME/etcd-lab}"
ETCD_PID="$(cat "${ETCD_LAB_DIR}/etcd.pid")"

# SIGTERM asks etcd to shut down cleanly; wait up to 10 seconds for it to exit.
kill "${ETCD_PID}"
for _ in $(seq 1 50); do
  kill -0 "${ETCD_PID}" 2> /dev/null || break
  sleep 0.2
done
rm "${ETCD_LAB_DIR}/etcd.pid"

# etcd logs this message once it has shut down cleanly:
grep -o '"msg":"closed etcd server"' "${ETCD_LAB_DIR}/etcd.log"
