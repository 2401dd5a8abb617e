# A role that may read every key under /exercise/app/ and write only /exercise/app/status.
# (Needs no authentication yet; with authentication on, run it as root.)
etcdctl role delete exercise-app 2>/dev/null   # start over if an earlier attempt left the role
etcdctl role add exercise-app
etcdctl role grant-permission exercise-app read /exercise/app/ --prefix   # the trailing / matters
etcdctl role grant-permission exercise-app write /exercise/app/status
