# Authentication cannot be enabled without a root user holding the root role.
etcdctl user add root --new-user-password='root-secret'
etcdctl user grant-role root root
etcdctl auth enable

# From now on every request needs credentials; root may do anything, including
# writing the shared key that alice may only read.
etcdctl --user=root:root-secret put config/shared 'log-level=info'
etcdctl --user=root:root-secret user list
