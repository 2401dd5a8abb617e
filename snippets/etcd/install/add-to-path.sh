# Put the installed binaries first on PATH for this shell session,
# then check that a bare `etcdctl` is now the one just installed.
export PATH="${ETCD_INSTALL_DIR:-$HOME/.local/etcd}:${PATH}"
etcdctl version
