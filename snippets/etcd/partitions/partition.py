"""partition.py: cut etcd members off from each other on one machine, without root.

Each member listens for its peers on a private port and advertises a proxy port
instead (--listen-peer-urls on the private port, --initial-advertise-peer-urls on
the proxy), so all traffic between members crosses one of these proxies.

"Isolating" a member drops every connection that leads to it or comes from it,
and refuses new ones, until it is "healed". The connections a member dials to
the others are recognised by their first HTTP request: etcd's Raft transport
names the sender's advertised peer URLs, here its proxy, in an X-PeerURLs header
(on stream requests and on the POSTs that carry messages and snapshots).
Other peer requests name no sender (lease renewals a follower forwards to the
leader, version checks): they are dropped only when they lead to an isolated
member. Plain HTTP only: with peer TLS the proxy cannot read the header.

Run it for a bash lab (control it with curl; it exits on Ctrl-C or SIGTERM):
    python3 partition.py --control-port 12388 m1=12385:12380 m2=12386:12382 m3=12387:12384
    curl -fsS -m 2 -X POST http://127.0.0.1:12388/isolate/m1    # or /heal/m1, or GET /status
Or import it: PeerProxies({"m1": (proxy_port, peer_port), ...}).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
from urllib.parse import urlsplit

HOST = "127.0.0.1"
FIRST_REQUEST_TIMEOUT = 5.0  # seconds a new connection has to send its request line and headers


class Link:
    """One proxied connection: to a member's proxy, and from the member that dialled it, once known."""

    def __init__(self, to: str, writer: asyncio.StreamWriter):
        self.to = to
        self.sender: str | None = None
        self.writers = [writer]  # the dialler's side, then the member's side
        self.task = asyncio.current_task()  # the one that forwards it

    def involves(self, name: str) -> bool:
        return name in (self.to, self.sender)

    def cut(self) -> None:
        for writer in self.writers:
            writer.transport.abort()  # drop the connection at once, unsent data and all


class PeerProxies:
    def __init__(self, members: dict[str, tuple[int, int]]):
        self.members = dict(members)  # name -> (proxy port, real peer port)
        self.names_by_proxy_port = {proxy: name for name, (proxy, _) in self.members.items()}
        self._isolated: set[str] = set()
        self._links: set[Link] = set()
        self._servers: list[asyncio.Server] = []
        self._closing = False

    @property
    def isolated(self) -> frozenset[str]:
        return frozenset(self._isolated)

    async def start(self) -> None:
        for name, (proxy_port, _) in self.members.items():
            server = await asyncio.start_server(
                lambda reader, writer, to=name: self._forward(to, reader, writer), HOST, proxy_port)
            self._servers.append(server)

    def isolate(self, name: str) -> None:
        self._check(name)
        self._isolated.add(name)
        for link in list(self._links):
            if link.involves(name):
                link.cut()

    def heal(self, name: str) -> None:
        self._check(name)
        self._isolated.discard(name)

    async def close(self) -> None:
        self._closing = True
        for server in self._servers:
            server.close()
        links = list(self._links)
        for link in links:
            link.cut()
        await asyncio.gather(*(link.task for link in links), return_exceptions=True)
        for server in self._servers:
            await server.wait_closed()
        self._servers.clear()

    def _check(self, name: str) -> None:
        if name not in self.members:
            raise KeyError(f"no member named {name!r}")

    def _sender(self, head: bytes) -> str | None:
        """The member that sent this request, from the X-PeerURLs header etcd sets."""
        for line in head.decode("latin-1").split("\r\n")[1:]:
            field, _, value = line.partition(":")
            if field.strip().lower() == "x-peerurls":
                for url in value.split(","):
                    port = urlsplit(url.strip()).port
                    if port in self.names_by_proxy_port:
                        return self.names_by_proxy_port[port]
        return None

    async def _forward(self, to: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        link = Link(to, writer)
        self._links.add(link)
        try:
            if self._closing:
                return
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), FIRST_REQUEST_TIMEOUT)
            link.sender = self._sender(head)
            if link.to in self._isolated or link.sender in self._isolated:
                return
            member_reader, member_writer = await asyncio.open_connection(HOST, self.members[to][1])
            link.writers.append(member_writer)
            if link.to in self._isolated or link.sender in self._isolated:
                return  # isolated while we were connecting
            member_writer.write(head)
            await asyncio.gather(pipe(reader, member_writer), pipe(member_reader, writer))
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError):
            pass  # the member is down, or the connection was cut or never sent a request
        finally:
            self._links.discard(link)
            link.cut()


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.transport.abort()  # one side is gone: so is the other


async def control(proxies: PeerProxies, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A tiny HTTP API: POST /isolate/<name>, POST /heal/<name>, GET /status."""
    status, body = 404, {"error": "use POST /isolate/<name>, POST /heal/<name> or GET /status"}
    try:
        request_line = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")[0]
        method, path, _ = request_line.split(" ", 2)
        action, _, name = path.strip("/").partition("/")
        if method == "POST" and action in ("isolate", "heal"):
            if name in proxies.members:
                getattr(proxies, action)(name)
                status, body = 200, {"isolated": sorted(proxies.isolated)}
            else:
                body = {"error": f"no member named {name!r}"}
        elif method == "GET" and path == "/status":
            status, body = 200, {"isolated": sorted(proxies.isolated)}
        data = json.dumps(body).encode() + b"\n"
        writer.write(f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
                     "Connection: close\r\n\r\n".encode() + data)
        await writer.drain()
    except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description="Peer proxies that can cut etcd members off from each other.")
    parser.add_argument("--control-port", type=int, required=True, help="port of the HTTP control API")
    parser.add_argument("members", nargs="+", metavar="NAME=PROXY:REAL",
                        help="a member, the proxy port it advertises and the peer port it listens on")
    args = parser.parse_args()
    members = {}
    for member in args.members:
        name, _, ports = member.partition("=")
        proxy, _, real = ports.partition(":")
        members[name] = (int(proxy), int(real))

    proxies = PeerProxies(members)
    await proxies.start()
    api = await asyncio.start_server(lambda r, w: control(proxies, r, w), HOST, args.control_port)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    await stop.wait()
    api.close()
    await proxies.close()


if __name__ == "__main__":
    asyncio.run(main())
