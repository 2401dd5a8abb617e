# Three versions of one key; remember the revision of the first write.
etcdctl put demo/config v1
first=$(etcdctl get demo/config -w json | jq '.kvs[0].mod_revision')
etcdctl put demo/config v2
etcdctl put demo/config v3

echo "latest: $(etcdctl get demo/config --print-value-only)"
# --rev reads the key as it was at an earlier revision of the store.
for rev in $((first - 1)) "$first" $((first + 1)) $((first + 2)); do
  value=$(etcdctl get demo/config --rev="$rev" --print-value-only)
  echo "at revision: $rev -> ${value:-(no such key yet)}"
done
