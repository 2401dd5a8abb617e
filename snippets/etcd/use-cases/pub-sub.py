"""Publish/subscribe through a watch: one subscriber, one publisher, three events."""

import asyncio
import os
from urllib.parse import urlsplit

import aetcd

endpoint = os.environ.get("ETCDCTL_ENDPOINTS", "http://127.0.0.1:2379").split(",")[0]
url = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")

TOPIC = b"/events/order/"
MESSAGES = [b"order 1001 created", b"order 1001 paid", b"order 1001 shipped"]


async def subscriber(watch, expected):
    """Print each event as it arrives; stop after `expected` events."""
    received = []
    events = aiter(watch)
    for _ in range(expected):
        event = await asyncio.wait_for(anext(events), timeout=10)  # never wait forever
        print(f"received {event.kv.key.decode()}: {event.kv.value.decode()}")
        received.append(event.kv.value)
    await watch.cancel()
    return received


async def main():
    # timeout: no request waits longer than 5 seconds for an answer.
    async with aetcd.Client(host=url.hostname, port=url.port or 2379, timeout=5) as client:
        # watch_prefix returns once the server has created the watch, so the
        # subscriber cannot miss an event published after this line.
        watch = await client.watch_prefix(TOPIC)
        receiving = asyncio.create_task(subscriber(watch, len(MESSAGES)))

        # The publisher: one key per event under the prefix.
        for number, message in enumerate(MESSAGES, start=1):
            await client.put(TOPIC + str(number).encode(), message)

        received = await receiving
        print("received every event, in publishing order:", received == MESSAGES)
        await client.delete_prefix(TOPIC)  # clean up


asyncio.run(main())
