"""Build the site once per test session, the way ``make build`` does."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BuiltSite:
    site_dir: Path
    site_url: str | None
    returncode: int
    log: str
    seconds: float


def build_site(site_dir: Path, site_url: str | None = None, env_vars: dict[str, str] | None = None) -> BuiltSite:
    """Strict build into ``site_dir``; ``site_url`` overrides mkdocs.yml's (SITE_URL), and
    ``env_vars`` its other ``!ENV`` settings (REPO_URL, EDIT_URI...)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_vars or {})}
    if site_url:
        env["SITE_URL"] = site_url
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    return BuiltSite(site_dir, site_url, run.returncode, run.stdout + run.stderr, time.monotonic() - started)
