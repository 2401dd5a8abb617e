"""Serve a built site on a free loopback port, under the path of ``site_url``."""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit


ROOT = Path(__file__).resolve().parent.parent


def site_path_prefix() -> str:
    """``/k8s-architecture-etcd/`` for ``site_url: https://…/k8s-architecture-etcd/``."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("site_url:"))
    return urlsplit(site_url).path or "/"


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, *args):
        pass


@contextmanager
def serve(site_dir: Path):
    """Yield the base URL (ending in ``/``) of ``site_dir`` served on loopback."""
    prefix = site_path_prefix()
    handler = functools.partial(type("Handler", (_Handler,), {"prefix": prefix}), directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
