# Grant a lease with a 60-second TTL and keep its ID (the second word of the reply).
LEASE_ID="$(etcdctl lease grant 60 | awk '{print $2}')"

# Attach a key to the lease, then ask the lease how long it has left and which keys it holds.
etcdctl put --lease="${LEASE_ID}" demo/session/worker-1 alive
etcdctl lease timetolive --keys "${LEASE_ID}"

# One keep-alive resets the countdown to the full TTL.
etcdctl lease keep-alive --once "${LEASE_ID}"

# Revoking the lease deletes every key attached to it, at once.
etcdctl lease revoke "${LEASE_ID}"
etcdctl get --prefix demo/session/ --write-out=fields | grep '"Count"'
etcdctl lease timetolive "${LEASE_ID}"
