# when.sh KEY VALUE: prints the revision of the latest write that set KEY to VALUE
# (in a subshell: pasted by mistake, it leaves your shell as it was)
(
key=${1:?usage: bash when.sh KEY VALUE} value=${2:?usage: bash when.sh KEY VALUE}
ctl() { etcdctl --dial-timeout=2s --command-timeout=5s "$@"; }
revision=$(ctl get "$key" -w json | jq '.header.revision')
# Walk back through the key's versions: read it as of a revision, then as of just before that version.
while [ "$revision" -gt 0 ]; do
  kv=$(ctl get "$key" --rev="$revision" -w json | jq -c '.kvs[0] // empty') || break   # compacted: stop
  if [ -z "$kv" ]; then break; fi                # the key did not exist at that revision
  if [ "$(jq -r '.value | @base64d' <<< "$kv")" = "$value" ]; then
    jq '.mod_revision' <<< "$kv"
    break
  fi
  revision=$(( $(jq '.mod_revision' <<< "$kv") - 1 ))
done
)
