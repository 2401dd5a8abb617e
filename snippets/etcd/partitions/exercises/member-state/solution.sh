# member-state.sh URL: prints up, no-quorum or down for the etcd member at URL
# (in a subshell: pasted by mistake, it leaves your shell as it was)
(
url=${1:?usage: bash member-state.sh http://127.0.0.1:2379}
ctl() { etcdctl --endpoints="$url" --dial-timeout=1s --command-timeout=2s "$@" >/dev/null 2>&1; }
if ! ctl get --consistency=s probe; then
  echo down         # no answer at all, not even from its own copy
elif ctl get probe; then
  echo up           # a linearizable read: a majority confirmed the leader (ReadIndex)
else
  echo no-quorum    # it answers, but cannot reach a majority
fi
)
