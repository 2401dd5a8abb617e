"""A toy level-triggered controller: keeps /actual/<name> equal to /desired/<name> in etcd.

Run: python3 toy_controller.py [SECONDS]   (stops after SECONDS, or on Ctrl-C)
"""

import asyncio
import os
import signal
import sys
from urllib.parse import urlsplit

import aetcd

DESIRED, ACTUAL = b"/desired/", b"/actual/"
endpoint = os.environ.get("ETCDCTL_ENDPOINTS", "http://127.0.0.1:2379").split(",")[0]
url = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")


async def reconcile(client) -> int:
    """List BOTH key sets, fix every difference, return the revision desired state was read at.

    It never looks at what the triggering event said: the current state is the whole input.
    """
    listed = await client.get_prefix(DESIRED)
    desired = {kv.key[len(DESIRED):].decode(): kv.value for kv in listed}
    actual = {kv.key[len(ACTUAL):].decode(): kv.value for kv in await client.get_prefix(ACTUAL)}
    changes = 0
    for name in sorted(desired.keys() | actual.keys()):
        want, have = desired.get(name), actual.get(name)
        if want == have:
            continue
        if want is None:
            print(f"delete {ACTUAL.decode()}{name}")
            await client.delete(ACTUAL + name.encode())
        else:
            print(f"put {ACTUAL.decode()}{name} = {want.decode()}")
            await client.put(ACTUAL + name.encode(), want)
        changes += 1
    print(f"reconciled: {changes} change(s)" if changes else "in sync: nothing to do")
    return listed.header.revision


async def main(run_for: float | None) -> None:
    # timeout: each request gives up after 10 s instead of waiting for a server that does not answer
    async with aetcd.Client(url.hostname, url.port or 2379, timeout=10) as client:
        revision = await reconcile(client)  # at startup: no event needed, state is enough
        # Watch from the next revision: nothing that happens after the list is missed.
        watch = await client.watch_prefix(DESIRED, start_revision=revision + 1)

        def stop() -> None:
            asyncio.ensure_future(watch.cancel())

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop)
        if run_for:
            loop.call_later(run_for, stop)
        # Announced only now: a stop request from here on is always handled.
        print(f"watching {DESIRED.decode()} from revision={revision + 1}")
        async for event in watch:  # an event only says "look again"
            print(f"event: {event.kind} {event.kv.key.decode()}")
            await reconcile(client)
    print("stopped")


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else None))
