# A short lease that nobody keeps alive.
LEASE_ID="$(etcdctl lease grant 2 | awk '{print $2}')"
etcdctl put --lease="${LEASE_ID}" demo/session/worker-2 alive
etcdctl get demo/session/worker-2

# Wait past the TTL: the server expires the lease and deletes its key by itself.
sleep 4
etcdctl get --prefix demo/session/ --write-out=fields | grep '"Count"'
etcdctl lease timetolive "${LEASE_ID}"
