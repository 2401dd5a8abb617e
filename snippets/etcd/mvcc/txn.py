"""Optimistic concurrency with an etcd transaction: compare mod_revision, then write."""

import asyncio
import os
from urllib.parse import urlsplit

import aetcd

endpoint = os.environ.get("ETCDCTL_ENDPOINTS", "http://127.0.0.1:2379").split(",")[0]
url = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")
KEY = b"demo/counter"


async def increment(client, writer, before_write=None):
    """Add 1 to KEY; if another writer got there first, read again and retry."""
    for attempt in range(1, 6):
        current = await client.get(KEY)
        value = int(current.value)
        if before_write:  # lets the demo squeeze another writer in between read and write
            await before_write()
            before_write = None
        committed, _ = await client.transaction(
            compare=[client.transactions.mod(KEY) == current.mod_revision],
            success=[client.transactions.put(KEY, str(value + 1).encode())],
            failure=[],
        )
        outcome = "committed" if committed else "conflict, someone wrote first"
        print(f"{writer} attempt {attempt}: read {value}, write {value + 1}: {outcome}")
        if committed:
            return
    raise RuntimeError(f"{writer} gave up after 5 attempts")


async def main():
    # timeout: each request gives up after 10 s instead of waiting for a server that does not answer
    async with aetcd.Client(host=url.hostname, port=url.port or 2379, timeout=10) as client:
        await client.delete(KEY)  # a fresh key: its version then counts only the writes below
        await client.put(KEY, b"3")
        # B reads first, then A reads and writes before B gets to write.
        await increment(client, "writer B", before_write=lambda: increment(client, "writer A"))
        final = await client.get(KEY)
        print(f"final value: {final.value.decode()} (version {final.version})")


asyncio.run(main())
