# Compare the lock key's create revision with ETCD_LOCK_REV.
# expect: holding a lock it had waited for, it did not write its value
printf 'create("%s") = "%s"\n\nput /exercise/fenced-write/data "%s"\n\n\n' "$ETCD_LOCK_KEY" "$ETCD_LOCK_REV" "$1" | etcdctl txn
