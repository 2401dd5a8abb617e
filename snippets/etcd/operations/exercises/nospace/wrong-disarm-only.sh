# Disarming the alarm is all it takes.
# expect: m1's database did not shrink: compact the history first, then defragment every member
etcdctl --endpoints="$1" --dial-timeout=2s --command-timeout=10s alarm disarm
