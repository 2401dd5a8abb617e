# A role may read and write every key under app/ ([app/, app0) as a range).
etcdctl role add app-rw
etcdctl role grant-permission app-rw readwrite app/ --prefix=true
# It may also read one shared key, but not write it.
etcdctl role grant-permission app-rw read config/shared
etcdctl role get app-rw

# A user gets permissions only through roles. (A password on the command line is for
# this demo only: it ends up in the shell history. Without it, etcdctl prompts for one.)
etcdctl user add alice --new-user-password='alice-secret'
etcdctl user grant-role alice app-rw
etcdctl user get alice
