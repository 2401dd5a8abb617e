"""A watch that starts below the compaction revision fails; recover with list + watch."""

import asyncio
import os
from urllib.parse import urlsplit

import aetcd
from aetcd.exceptions import RevisionCompactedError

endpoint = os.environ.get("ETCDCTL_ENDPOINTS", "http://127.0.0.1:2379").split(",")[0]
url = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")
KEY = b"demo/job"


async def first_event(watch):
    return await asyncio.wait_for(anext(aiter(watch)), timeout=5)  # never wait forever


async def main():
    # timeout: each request gives up after 10 s instead of waiting for a server that does not answer
    async with aetcd.Client(host=url.hostname, port=url.port or 2379, timeout=10) as client:
        await client.put(KEY, b"queued")
        last_seen = (await client.get(KEY)).mod_revision  # a client stops watching here...
        await client.put(KEY, b"running")
        await client.put(KEY, b"done")
        now = (await client.get(KEY)).header.revision
        await client.compact(now)  # ...and meanwhile the history is compacted

        try:
            watch = await client.watch(KEY, start_revision=last_seen + 1)
            event = await first_event(watch)
            print("unexpected: got an event", event)
        except RevisionCompactedError as err:
            print(f"resume at revision={last_seen + 1} failed: "
                  f"compact_revision={err.compacted_revision}")

        # Recover the way a Kubernetes informer does: list again, then watch from there.
        current = await client.get(KEY)
        print(f"relist: {KEY.decode()} = {current.value.decode()} at revision={current.header.revision}")
        watch = await client.watch(KEY, start_revision=current.header.revision + 1)
        await client.put(KEY, b"archived")
        event = await first_event(watch)
        print(f"watching again: {event.kind} {event.kv.value.decode()}")
        await watch.cancel()


asyncio.run(main())
