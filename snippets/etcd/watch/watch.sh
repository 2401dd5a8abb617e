# The watcher starts right after the current revision, so it cannot miss the writes below
# even if it connects after they happen.
rev=$(etcdctl get demo/ -w json | jq '.header.revision')

# Watch every key under demo/ in the background; timeout ends the watcher after 3 seconds.
timeout 3 etcdctl watch demo/ --prefix --prev-kv --rev=$((rev + 1)) &
watcher=$!

# Three changes. Their own output goes to /dev/null so that only the watcher prints.
etcdctl put demo/greeting hello >/dev/null
etcdctl put demo/greeting world >/dev/null
etcdctl del demo/greeting >/dev/null

wait "$watcher" || [ $? -eq 124 ]   # 124: timeout stopped the watcher, as intended
echo "watcher stopped"
