# fenced-write.sh VALUE: run by `etcdctl lock`, which sets ETCD_LOCK_KEY to the lock key of this holder.
# (in a subshell: pasted by mistake, it leaves your shell as it was)
(
value=${1:?usage: etcdctl lock NAME bash fenced-write.sh VALUE}
# One transaction: put the value only if the lock key still exists (its create revision is not 0).
printf 'create("%s") > "0"\n\nput /exercise/fenced-write/data "%s"\n\n\n' "$ETCD_LOCK_KEY" "$value" | etcdctl txn
)
