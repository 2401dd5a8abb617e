# A denied request makes etcdctl exit with status 1; grep keeps its error line
# (etcdctl 3.5.1 also logs a JSON warning from the client library first).
echo "== no credentials: rejected"
etcdctl put app/config v1 2>&1 | grep '^Error' || true

echo "== wrong password: rejected"
etcdctl --user=alice:wrong put app/config v1 2>&1 | grep '^Error' || true

echo "== alice writes outside app/: denied"
etcdctl --user=alice:alice-secret put other/config v1 2>&1 | grep '^Error' || true

echo "== alice writes the shared key she may only read: denied"
etcdctl --user=alice:alice-secret put config/shared 'log-level=debug' 2>&1 | grep '^Error' || true

echo "== alice inside her permissions: allowed"
etcdctl --user=alice:alice-secret put app/config v1
etcdctl --user=alice:alice-secret get app/ --prefix
etcdctl --user=alice:alice-secret get config/shared --print-value-only

echo "== root turns authentication off again"
etcdctl --user=root:root-secret auth disable
etcdctl get app/config --print-value-only
