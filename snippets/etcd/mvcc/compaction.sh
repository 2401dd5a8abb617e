etcdctl put demo/counter 1
old=$(etcdctl get demo/counter -w json | jq '.kvs[0].mod_revision')
etcdctl put demo/counter 2
etcdctl put demo/counter 3
now=$(etcdctl get demo/counter -w json | jq '.header.revision')

# Discard every version that is older than the current revision.
etcdctl compact "$now" >/dev/null
echo "compacted up to revision: $now"

echo "latest value: $(etcdctl get demo/counter --print-value-only)"
echo "value at the compaction revision: $(etcdctl get demo/counter --rev="$now" --print-value-only)"

# The old revision is gone. etcdctl exits with status 1; grep keeps its error line
# (etcdctl 3.5.1 also logs a JSON warning from the client library first).
etcdctl get demo/counter --rev="$old" 2>&1 | grep '^Error' || true
