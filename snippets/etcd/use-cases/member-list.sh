etcdctl member list --write-out=table
