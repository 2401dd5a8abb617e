# discover.sh NAME: prints the address of every registered instance of service NAME, one a line
# (in a subshell: pasted by mistake, it leaves your shell as it was)
(
name=${1:?usage: bash discover.sh NAME}
# The trailing / matters: without it, the prefix of "web" also matches "web-admin".
etcdctl --dial-timeout=2s --command-timeout=5s get --prefix "/exercise/services/$name/" --print-value-only
)
