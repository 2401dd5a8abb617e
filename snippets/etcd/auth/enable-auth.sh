# Authentication cannot be enabled without a root user holding the root role.
timeout 10 etcdctl user add root --new-user-password='root-secret'
timeout 10 etcdctl user grant-role root root
etcdctl auth enable

# From now on every request needs credentials; root may do anything, including
# writing the shared key that alice may only read.
etcdctl --user=root:root-secret put config/shared 'log-level=info'
timeout 10 etcdctl --user=root:root-secret user list
