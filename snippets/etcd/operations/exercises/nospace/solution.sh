# recover-nospace.sh ENDPOINTS: frees the space of an etcd cluster that raised NOSPACE, and disarms the alarm
# (in a subshell: pasted by mistake, it leaves your shell as it was)
(
endpoints=${1:?usage: bash recover-nospace.sh http://127.0.0.1:2379,http://127.0.0.1:22379,...}
ctl() { etcdctl --dial-timeout=2s --command-timeout=60s "$@"; }
number() { grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2; }   # a number from -w json output

# 1. compact: every revision before the current one becomes free space inside the database file
revision=$(ctl --endpoints="$endpoints" endpoint status -w json | number revision)
ctl --endpoints="$endpoints" compact "$revision" --physical

# 2. defragment one member at a time, the leader last: a member answers nothing while it rewrites its file
followers=() leader=""
for endpoint in ${endpoints//,/ }; do
  status=$(ctl --endpoints="$endpoint" endpoint status -w json)
  if [ "$(number member_id <<< "$status")" = "$(number leader <<< "$status")" ]; then
    leader=$endpoint
  else
    followers+=("$endpoint")
  fi
done
for endpoint in "${followers[@]}" $leader; do
  ctl --endpoints="$endpoint" defrag
done

# 3. only now, with room to write again, disarm the alarm
ctl --endpoints="$endpoints" alarm disarm
)
