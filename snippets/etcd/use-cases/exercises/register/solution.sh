# register.sh NAME ADDRESS: registers ADDRESS as an instance of service NAME for as long as it runs
# (in a subshell: pasted by mistake, it leaves your shell as it was)
(
name=${1:?usage: bash register.sh NAME ADDRESS} address=${2:?usage: bash register.sh NAME ADDRESS}
ctl() { etcdctl --dial-timeout=2s --command-timeout=5s "$@"; }
lease=$(ctl lease grant 5 | awk '{ print $2 }')          # "lease 694d... granted with TTL(5s)"
ctl put --lease="$lease" "/exercise/services/$name/$address" "$address"
# Renews the lease every TTL/3 until this script is stopped; after that, the key goes within 5 seconds.
ctl lease keep-alive "$lease" >/dev/null
)
