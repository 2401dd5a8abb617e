"""Drive toy_controller.py: change desired state, crash the controller, restart it, check convergence.

Run: python3 controller-demo.py   (toy_controller.py must be in the same directory)
It clears /desired/ and /actual/ first: use an etcd whose data you don't need.
"""

import asyncio
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import aetcd

CONTROLLER = Path(__file__).with_name("toy_controller.py")
endpoint = os.environ.get("ETCDCTL_ENDPOINTS", "http://127.0.0.1:2379").split(",")[0]
url = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")


class Controller:
    """The controller as a child process; its output is shown indented, as it arrives."""

    proc = None

    def start(self) -> None:
        self.proc = subprocess.Popen(  # 60: it exits by itself even if this demo dies
            [sys.executable, str(CONTROLLER), "60"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read_output, daemon=True).start()

    def _read_output(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)  # end of output: the process has exited

    async def show_until(self, text: str, timeout: float = 15) -> None:
        """Print the controller's lines until one starts with text."""
        while True:
            line = await asyncio.to_thread(self.lines.get, timeout=timeout)
            if line is None:
                raise RuntimeError(f"the controller exited before printing {text!r}")
            print(f"    controller | {line}", end="")
            if line.startswith(text):
                return

    def kill(self) -> None:
        self.proc.kill()  # SIGKILL: no chance to clean up, like a crashed process
        self.proc.wait()

    async def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()  # SIGTERM: the controller cancels its watch and exits
        try:
            await self.show_until("stopped")
            self.proc.wait(timeout=10)
        finally:
            self.kill()  # no-op if it has exited


async def show_state(client) -> None:
    state = {}
    for prefix in (b"/desired/", b"/actual/"):
        state[prefix] = {kv.key[len(prefix):]: kv.value for kv in await client.get_prefix(prefix)}
        pairs = " ".join(f"{k.decode()}={v.decode()}" for k, v in sorted(state[prefix].items()))
        print(f"{prefix.decode():<10} {pairs or '(empty)'}")
    print(f"actual == desired: {'yes' if state[b'/actual/'] == state[b'/desired/'] else 'no'}")


async def main() -> None:
    controller = Controller()
    # timeout: each request gives up after 10 s instead of waiting for a server that does not answer
    async with aetcd.Client(url.hostname, url.port or 2379, timeout=10) as client:
        for prefix in (b"/desired/", b"/actual/"):
            await client.delete_prefix(prefix)
        try:
            print("== 1. declare two apps, then start the controller")
            await client.put(b"/desired/web", b"nginx:1.27")
            await client.put(b"/desired/db", b"postgres:16")
            controller.start()
            await controller.show_until("watching")
            await show_state(client)

            print("== 2. add, then delete, a desired key (each change is one watch event)")
            await client.put(b"/desired/cache", b"redis:7")
            await controller.show_until("reconciled")
            await client.delete(b"/desired/cache")
            await controller.show_until("reconciled")
            await show_state(client)

            print("== 3. write a desired value that is already in place")
            await client.put(b"/desired/web", b"nginx:1.27")
            await controller.show_until("in sync")

            print("== 4. kill the controller; while it is down, change desired AND actual state")
            controller.kill()
            await client.put(b"/desired/db", b"postgres:17")  # an upgrade it never sees
            await client.put(b"/desired/queue", b"rabbitmq:4")  # a new app it never sees
            await client.delete(b"/actual/web")  # someone removes a running app
            await show_state(client)

            print("== 5. restart the controller: no replayed events, just the current state")
            controller.start()
            await controller.show_until("watching")
            await show_state(client)
        finally:
            await controller.stop()


if __name__ == "__main__":
    asyncio.run(main())
