etcdctl put demo/job queued >/dev/null
first=$(etcdctl get demo/job -w json | jq '.kvs[0].mod_revision')
etcdctl put demo/job running >/dev/null
etcdctl put demo/job done >/dev/null
now=$(etcdctl get demo/job -w json | jq '.header.revision')
etcdctl compact "$now" >/dev/null
echo "compacted up to revision: $now"

# Watching from a revision older than the compaction: the server cancels the watch.
timeout 5 etcdctl watch demo/job --rev="$first" 2>&1 || echo "etcdctl exited with status $?"
