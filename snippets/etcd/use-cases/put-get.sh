# Write a key and read it back (the two commands from the course notes).
etcdctl put x 0
etcdctl get x

# Writing again replaces the value; --print-value-only leaves out the key.
etcdctl put x 1
etcdctl get x --print-value-only

# Keys are flat byte strings; a shared prefix plays the role of a directory.
etcdctl put demo/config/color blue
etcdctl put demo/config/size 42
etcdctl put demo/configuration "not under demo/config/"
etcdctl get --prefix demo/config/

# del prints how many keys it deleted; afterwards get finds nothing and prints nothing.
etcdctl del x
etcdctl get x
# Without a trailing slash the prefix matches demo/configuration too: 3 keys go.
etcdctl del --prefix demo/config
