"""Run a snippet from ``snippets/`` and compare what it prints with its output file.

A snippet ``snippets/etcd/use-cases/put-get.sh`` shows its output on the page
from ``snippets/etcd/use-cases/put-get.sh.out``.  That file holds what the
snippet really printed the last time ``pytest --update-outputs`` ran; every
test run compares fresh output with it after :func:`normalise`, so a page
never shows output that the code no longer produces.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

from code_blocks import includes
from etcd_harness import Etcd, etcd_version
from etcd_versions import REFERENCE

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
# Where a run against another etcd release keeps what each snippet printed (see check_output).
OBSERVED = ROOT / "test-artifacts" / "observed-outputs"

# Values that genuinely differ between runs or etcd servers, and nothing else.
NORMALISERS: list[tuple[re.Pattern, str]] = [
    # member, cluster and lease IDs are random 64-bit numbers (hex or decimal)
    (re.compile(r"\b[0-9a-f]{14,16}\b"), "<id>"),
    (re.compile(r'("(?:cluster_id|member_id|leader|ID|id|lease)":)\d+'), r"\1<id>"),
    (re.compile(r"\bmemberID:\d+"), "memberID:<id>"),  # etcdctl alarm list
    # loopback ports are picked free for every server
    (re.compile(r"(127\.0\.0\.1|localhost):\d+"), r"\1:<port>"),
    # revisions and Raft indexes depend on what the server saw before
    (re.compile(r'("?(?:revision|create_revision|mod_revision|raft_index|raft_applied_index'
                r'|compact_revision)"?\s*[:=]\s*)\d+'), r"\1<n>"),
    # timestamps and durations
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<time>"),
    (re.compile(r"\b\d+(\.\d+)?(ns|µs|us|ms|s)\b(?!\))"), "<duration>"),
    # a lease's remaining seconds tick down while the snippet runs (its TTL(60s) does not)
    (re.compile(r"remaining\(\d+s\)"), "remaining(<n>s)"),
    # patch release of the server: 3.5.1 embedded, a later 3.5 in the GitHub workflow
    (re.compile(r"\b3\.5\.\d+\b"), "3.5.x"),
    # database sizes grow with history
    (re.compile(r"\b\d+(\.\d+)? ?(B|kB|MB)\b"), "<size>"),
]


TABLE_BORDER = re.compile(r"^\+(-+\+)+$", re.M)
TABLE_ROW = re.compile(r"^\|.*\|$", re.M)


def normalise(text: str) -> str:
    for pattern, replacement in NORMALISERS:
        text = pattern.sub(replacement, text)
    # etcdctl sizes table columns to their widest cell, so a varying value (a member
    # ID printed without its leading zero) changes the padding: compare cells only.
    text = TABLE_BORDER.sub("+", text)
    return TABLE_ROW.sub(lambda m: "|".join(cell.strip() for cell in m.group(0).split("|")), text)


def pages_including(snippet: str) -> list[str]:
    return sorted(
        str(page.relative_to(ROOT))
        for page in DOCS.rglob("*.md")
        if includes(page.read_text(encoding="utf-8"), snippet)
    )


def snippet_path(snippet: str) -> Path:
    path = SNIPPETS / snippet
    if not path.is_file():
        raise FileNotFoundError(f"snippet file {path.relative_to(ROOT)} does not exist")
    return path


def run_snippet(snippet: str, etcd: Etcd, *, timeout: float = 60, env: dict | None = None) -> str:
    """Run a ``.sh`` (bash, strict mode) or ``.py`` snippet; return stdout+stderr."""
    path = snippet_path(snippet)
    interpreter = {".sh": ["bash", "-euo", "pipefail"], ".py": [sys.executable]}[path.suffix]
    run = subprocess.run(
        [*interpreter, str(path)],
        cwd=etcd.workdir,
        env={**etcd.env, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    if run.returncode != 0:
        raise AssertionError(
            f"snippets/{snippet} (shown on {', '.join(pages_including(snippet)) or 'no page'}) "
            f"exited with {run.returncode}:\n{run.stdout}"
        )
    return run.stdout


def check_output(snippet: str, observed: str, update: bool) -> None:
    """Compare observed output with ``<snippet>.out``; rewrite it with ``--update-outputs``.

    The pages show what the reference etcd printed. Against another release the
    output is kept under ``test-artifacts/observed-outputs/<version>/`` for a
    person to read instead, and only the test's own checks apply.
    """
    out_file = snippet_path(snippet).with_name(Path(snippet).name + ".out")
    if etcd_version() != REFERENCE:
        version = ".".join(map(str, etcd_version()))
        if update:
            raise AssertionError(f"--update-outputs needs the reference etcd {'.'.join(map(str, REFERENCE))}, "
                                 f"not {version}: the pages say their outputs come from it")
        kept = OBSERVED / version / f"{snippet}.out"
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(observed, encoding="utf-8")
        return
    if update:
        out_file.write_text(observed, encoding="utf-8")
        return
    shown_on = ", ".join(pages_including(f"{snippet}.out")) or "no page"
    if not out_file.exists():
        raise AssertionError(
            f"{out_file.relative_to(ROOT)} is missing: run pytest --update-outputs"
        )
    expected = normalise(out_file.read_text(encoding="utf-8"))
    actual = normalise(observed)
    if expected != actual:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True),
            f"{out_file.relative_to(ROOT)} (shown on {shown_on})", "observed now",
        ))
        raise AssertionError(
            f"output of snippets/{snippet} drifted from what {shown_on} shows "
            f"(run pytest --update-outputs if the change is intended):\n{diff}"
        )


def run_and_check(snippet: str, etcd: Etcd, update: bool, **kwargs) -> str:
    observed = run_snippet(snippet, etcd, **kwargs)
    check_output(snippet, observed, update)
    return observed


def json_objects(text: str) -> list[dict]:
    """Every JSON object printed in a snippet's output (pretty or compact), in order."""
    decoder, found, i = json.JSONDecoder(), [], 0
    while (start := text.find("{", i)) != -1:
        try:
            obj, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            i = start + 1
            continue
        found.append(obj)
        i = end
    return found
