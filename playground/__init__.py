"""make playground: a live etcd cluster to break in the browser (see server.py)."""
