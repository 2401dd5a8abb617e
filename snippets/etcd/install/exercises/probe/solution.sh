# probe.sh URL: prints up if the etcd member at URL answers, down otherwise, within a few seconds
# (in a subshell: pasted by mistake, it leaves your shell as it was)
(
url=${1:?usage: bash probe.sh http://127.0.0.1:2379}
# ETCDCTL_ENDPOINTS=... rather than --endpoints: etcdctl 3.5 refuses a flag that an exported variable also sets
if ETCDCTL_ENDPOINTS=$url etcdctl --dial-timeout=1s --command-timeout=2s endpoint health >/dev/null 2>&1; then
  echo up
else
  echo down
fi
)
