# Three writes: two to demo/color, one to demo/size. Each write moves the store's revision on by one.
etcdctl put demo/color red
etcdctl put demo/color green
etcdctl put demo/size large

# -w json shows the revision fields. Keys and values are base64 there, so jq decodes them.
etcdctl get demo/color -w json |
  jq '{revision: .header.revision, kv: (.kvs[0] | .key |= @base64d | .value |= @base64d)}'

# Delete the key and create it again: a new generation starts, version counts from 1 again.
etcdctl del demo/color
etcdctl put demo/color blue
etcdctl get demo/color -w json | jq -c '.kvs[0] | {create_revision, mod_revision, version}'
