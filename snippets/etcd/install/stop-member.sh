ETCD_LAB_DIR="${ETCD_LAB_DIR:-$HOME/etcd-lab}"

# start-member.sh wrote the pid file only once its member answered.
if [ ! -s "${ETCD_LAB_DIR}/etcd.pid" ]; then
  echo "no ${ETCD_LAB_DIR}/etcd.pid: no member started from there is running" >&2
  false
elif [ "$(ps -o comm= -p "$(cat "${ETCD_LAB_DIR}/etcd.pid")")" != etcd ]; then
  echo "etcd $(cat "${ETCD_LAB_DIR}/etcd.pid") is not running any more; removing its pid file" >&2
  rm "${ETCD_LAB_DIR}/etcd.pid"
else
  # SIGTERM asks etcd to shut down cleanly; wait up to 10 seconds for it to exit.
  ETCD_PID="$(cat "${ETCD_LAB_DIR}/etcd.pid")"
  kill "${ETCD_PID}"
  for _ in $(seq 1 50); do
    kill -0 "${ETCD_PID}" 2> /dev/null || break
    sleep 0.2
  done
  if kill -0 "${ETCD_PID}" 2> /dev/null; then
    echo "etcd ${ETCD_PID} is still running 10 seconds after SIGTERM; its pid file stays." >&2
    echo "See ${ETCD_LAB_DIR}/etcd.log; kill -KILL ${ETCD_PID} stops it at once." >&2
    false
  else
    rm "${ETCD_LAB_DIR}/etcd.pid"
    # etcd logs this message once it has shut down cleanly:
    grep -o '"msg":"closed etcd server"' "${ETCD_LAB_DIR}/etcd.log"
  fi
fi
