# incr.sh KEY: adds 1 to the number stored in KEY (a missing key counts as 0), losing no concurrent increment
# (in a subshell: pasted by mistake, it leaves your shell as it was)
(
key=${1:?usage: bash incr.sh KEY}
ctl() { etcdctl --dial-timeout=2s --command-timeout=5s "$@"; }
for _ in $(seq 100); do                      # give up after 100 tries rather than spin for ever
  kv=$(ctl get "$key" -w json)
  seen=$(jq '.kvs[0].mod_revision // 0' <<< "$kv")               # 0: the key does not exist
  value=$(jq -r '.kvs[0].value // "" | @base64d' <<< "$kv")
  # Write only if nobody has written the key since it was read; a mod revision of 0 matches a missing key.
  result=$(printf 'mod("%s") = "%s"\n\nput %s %s\n\n\n' "$key" "$seen" "$key" $(( ${value:-0} + 1 )) |
           timeout 10 etcdctl txn)
  if [ "$(head -n 1 <<< "$result")" = SUCCESS ]; then exit 0; fi
done
echo "gave up after 100 conflicting writes" >&2
exit 1
)
