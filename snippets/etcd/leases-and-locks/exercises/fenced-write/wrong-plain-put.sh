# A plain put: etcdctl lock runs it only while holding the lock, so it must be safe.
# expect: resumed after losing the lock, it overwrote the new holder's value
etcdctl put /exercise/fenced-write/data "$1"
