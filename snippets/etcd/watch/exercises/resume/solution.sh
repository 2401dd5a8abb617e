# resume.sh PREFIX REVISION: prints, for 5 seconds, every change under PREFIX made after REVISION
# (in a subshell: pasted by mistake, it leaves your shell as it was)
(
prefix=${1:?usage: bash resume.sh PREFIX REVISION} handled=${2:?usage: bash resume.sh PREFIX REVISION}
# --rev is where the watch starts, inclusive: the change at REVISION was handled, so start one later.
# etcd first replays the changes it still has from there, then sends new ones as they happen.
timeout 5 etcdctl watch --prefix "$prefix" --rev=$(( handled + 1 ))
)
