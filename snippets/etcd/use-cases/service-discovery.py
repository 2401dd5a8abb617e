"""Service registration and discovery with leases and a watch."""

import asyncio
import os
from urllib.parse import urlsplit

import aetcd

endpoint = os.environ.get("ETCDCTL_ENDPOINTS", "http://127.0.0.1:2379").split(",")[0]
url = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")

PREFIX = b"/services/order/"
TTL = 3  # seconds


class Instance:
    """One instance of the service: its key lives only as long as its lease."""

    def __init__(self, client, name, address):
        self.client, self.key, self.address = client, PREFIX + name, address

    async def register(self):
        self.lease = await self.client.lease(TTL)
        await self.client.put(self.key, self.address, lease=self.lease)
        self.keepalive = asyncio.create_task(self._keep_alive())

    async def _keep_alive(self):
        while True:
            await asyncio.sleep(TTL / 3)
            await self.lease.refresh()

    def crash(self):
        """Stop sending keep-alives, as a crashed process would."""
        self.keepalive.cancel()

    async def shutdown(self):
        """A clean shutdown: revoke the lease, which deletes the key at once."""
        self.keepalive.cancel()
        await self.lease.revoke()


async def discover(client):
    listing = await client.get_prefix(PREFIX)
    names = [kv.key.removeprefix(PREFIX).decode() for kv in listing]
    return listing.header.revision, names


async def main():
    # timeout: no request waits longer than 5 seconds for an answer.
    async with aetcd.Client(host=url.hostname, port=url.port or 2379, timeout=5) as client:
        one = Instance(client, b"instance-1", b"10.0.0.11:8080")
        two = Instance(client, b"instance-2", b"10.0.0.12:8080")
        three = Instance(client, b"instance-3", b"10.0.0.13:8080")
        await one.register()
        await two.register()

        # Discover: list the instances, then watch from the next revision on.
        revision, names = await discover(client)
        print("discovered:", ", ".join(names))
        watch = await client.watch_prefix(PREFIX, start_revision=revision + 1)
        events = aiter(watch)

        async def next_change():
            event = await asyncio.wait_for(anext(events), timeout=10)  # never wait forever
            print(f"watch: {event.kind} {event.kv.key.removeprefix(PREFIX).decode()}")

        await three.register()
        await next_change()

        loop = asyncio.get_running_loop()
        crashed_at = loop.time()
        two.crash()
        await next_change()
        print(f"instance-2 was removed {loop.time() - crashed_at:.1f}s after it crashed "
              f"(lease TTL: {TTL}s)")

        await one.shutdown()
        await next_change()

        print("discovered:", ", ".join((await discover(client))[1]))
        await watch.cancel()
        await three.shutdown()


asyncio.run(main())
