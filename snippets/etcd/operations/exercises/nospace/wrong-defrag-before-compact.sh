# Defragment first, then compact: the same steps in the wrong order.
# expect: m1's database did not shrink: compact the history first, then defragment every member
etcdctl --endpoints="$1" --command-timeout=60s defrag
revision=$(etcdctl --endpoints="$1" endpoint status -w json | grep -o '"revision":[0-9]*' | head -n 1 | cut -d: -f2)
etcdctl --endpoints="$1" --command-timeout=60s compact "$revision" --physical
etcdctl --endpoints="$1" --command-timeout=10s alarm disarm
