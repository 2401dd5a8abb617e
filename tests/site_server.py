"""Serve a built site on a free loopback port, under the path of ``site_url``."""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit


ROOT = Path(__file__).resolve().parent.parent

# Headless, and no background traffic to Google's services (the tests count requests).
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def site_path_prefix() -> str:
    """``/k8s-architecture-etcd/`` for ``site_url: https://…/k8s-architecture-etcd/``."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = re.search(r"^site_url:.*?(https?://[^\s\]]+)", text, re.M).group(1)
    return urlsplit(site_url).path or "/"


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".map", ".txt"}


@functools.lru_cache(maxsize=512)
def _compressed(path: Path, mtime_ns: int, size: int) -> bytes:
    """Each file is compressed once (per version of it): the search index alone is a megabyte
    that every page visit asks for."""
    return gzip.compress(path.read_bytes(), mtime=0)


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix):])

    def do_GET(self):
        # Compress text like any real static host (GitHub Pages does), so that
        # page weights and Lighthouse scores measured here mean something.
        url_path = self.path.split("?", 1)[0]
        path = Path(self.translate_path(url_path))
        if path.is_dir() and url_path.endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().do_GET()  # also redirects a directory URL to its trailing slash
        stat = path.stat()
        body = _compressed(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    # Test workers each serve the one built site on the same port (tests/conftest.py).
    allow_reuse_port = True

    def handle_error(self, request, client_address):
        # A tab that navigates away or closes hangs up mid-response; that is not
        # a fault worth a traceback in the test log. Anything else still prints.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def local_site_url(port: int) -> str:
    return f"http://127.0.0.1:{port}{site_path_prefix()}"


@contextmanager
def serve(site_dir: Path, port: int = 0):
    """Yield the base URL (ending in ``/``) of ``site_dir`` served on loopback."""
    prefix = site_path_prefix()
    handler = functools.partial(type("Handler", (_Handler,), {"prefix": prefix}), directory=str(site_dir))
    server = _Server(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
