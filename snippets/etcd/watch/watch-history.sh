# Some history: create, update and delete a key, remembering the first revision.
etcdctl put demo/config v1 >/dev/null
first=$(etcdctl get demo/config -w json | jq '.kvs[0].mod_revision')
etcdctl put demo/config v2 >/dev/null
etcdctl del demo/config >/dev/null

# Watch from that past revision: the watcher first replays the three old events,
# then carries on with live ones (the put below). timeout ends it after 2 seconds.
timeout 2 etcdctl watch demo/config --rev="$first" &
watcher=$!
etcdctl put demo/config v3 >/dev/null
wait "$watcher" || [ $? -eq 124 ]   # 124: timeout stopped the watcher, as intended
