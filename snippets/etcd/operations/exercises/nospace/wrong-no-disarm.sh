# Compact and defragment: once there is room, the alarm clears by itself.
# expect: the NOSPACE alarm is still raised: disarm it once there is room again
revision=$(etcdctl --endpoints="$1" endpoint status -w json | grep -o '"revision":[0-9]*' | head -n 1 | cut -d: -f2)
etcdctl --endpoints="$1" --command-timeout=60s compact "$revision" --physical
etcdctl --endpoints="$1" --command-timeout=60s defrag
