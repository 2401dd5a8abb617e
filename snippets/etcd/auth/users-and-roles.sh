# etcdctl's role and user commands have no time limit of their own: timeout gives them one.
# A role may read and write every key under app/ ([app/, app0) as a range).
timeout 10 etcdctl role add app-rw
timeout 10 etcdctl role grant-permission app-rw readwrite app/ --prefix=true
# It may also read one shared key, but not write it.
timeout 10 etcdctl role grant-permission app-rw read config/shared
timeout 10 etcdctl role get app-rw

# A user gets permissions only through roles. (A password on the command line is for
# this demo only: it ends up in the shell history. Without it, etcdctl prompts for one.)
timeout 10 etcdctl user add alice --new-user-password='alice-secret'
timeout 10 etcdctl user grant-role alice app-rw
timeout 10 etcdctl user get alice
