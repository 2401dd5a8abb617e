# Two writers both want to add 1 to a counter that is 3 now.
etcdctl put demo/counter 3
seen=$(etcdctl get demo/counter -w json | jq '.kvs[0].mod_revision')   # both read it at this revision

# Writer A: "set 4, but only if the key still has the mod_revision I read".
# (etcdctl txn has no time limit of its own: timeout gives it one.)
echo "writer A:"
timeout 10 etcdctl txn <<EOF
mod("demo/counter") = "$seen"

put demo/counter 4

get demo/counter

EOF

# Writer B read the same version and also computed 4. Its compare fails, so the
# failure branch runs instead: it returns the current value rather than overwriting A's write.
echo "writer B:"
timeout 10 etcdctl txn <<EOF
mod("demo/counter") = "$seen"

put demo/counter 4

get demo/counter

EOF

# Writer B retries: read again (value 4, a newer mod_revision) and compare against that.
seen=$(etcdctl get demo/counter -w json | jq '.kvs[0].mod_revision')
echo "writer B, second attempt:"
timeout 10 etcdctl txn <<EOF
mod("demo/counter") = "$seen"

put demo/counter 5

get demo/counter

EOF

echo "final value: $(etcdctl get demo/counter --print-value-only)"
