"""Watch a prefix, receive the events of three writes, then cancel the watch."""

import asyncio
import os
from urllib.parse import urlsplit

import aetcd

endpoint = os.environ.get("ETCDCTL_ENDPOINTS", "http://127.0.0.1:2379").split(",")[0]
url = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")


def describe(kv):
    if kv is None or not kv.key:  # no previous value: the key did not exist before
        return "-"
    return f"{kv.value.decode()!r} (mod_revision={kv.mod_revision})"


async def main():
    # timeout: each request gives up after 10 s instead of waiting for a server that does not answer
    async with aetcd.Client(host=url.hostname, port=url.port or 2379, timeout=10) as client:
        # watch_prefix returns once the server has created the watcher.
        watch = await client.watch_prefix(b"demo/", prev_kv=True)
        await client.put(b"demo/greeting", b"hello")
        await client.put(b"demo/greeting", b"world")
        await client.delete(b"demo/greeting")

        events = aiter(watch)
        revisions = []
        for _ in range(3):
            event = await asyncio.wait_for(anext(events), timeout=5)  # never wait forever
            revisions.append(event.kv.mod_revision)
            print(f"{event.kind:6} {event.kv.key.decode()}: now {describe(event.kv)}, "
                  f"before {describe(event.prev_kv)}")
        print("one revision per event, in order:", revisions == list(range(revisions[0], revisions[0] + 3)))

        await watch.cancel()
        print("watch cancelled")


asyncio.run(main())
