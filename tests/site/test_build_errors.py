"""Bad input fails the build with the page and line that caused it (hooks/snippet_includes.py,
hooks/link_lines.py), shown on a one-page site that uses the same hooks."""

import os
import subprocess
import sys
import textwrap

import pytest

from code_blocks import ROOT

CONFIG = textwrap.dedent(f"""\
    site_name: bad input
    theme: mkdocs
    hooks: [{ROOT / "hooks" / "snippet_includes.py"}, {ROOT / "hooks" / "link_lines.py"}]
    markdown_extensions:
      - pymdownx.snippets:
          base_path: snippets
          check_paths: true
    validation:
      links:
        anchors: warn
""")


def build(tmp_path, page: str) -> str:
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "there.sh").write_text("echo hi\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other {#other}\n")
    (tmp_path / "docs" / "index.md").write_text(page)
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0, f"the build passed:\n{run.stderr}"
    return run.stderr


@pytest.mark.parametrize("line, message", [
    ('--8<-- "etcd/missing.sh"', 'docs/index.md:4: includes "etcd/missing.sh", but snippets/etcd/missing.sh '
                                 'does not exist'),
    ("See [the other page](other.md#nowhere).", "docs/index.md:4: Doc file 'index.md' contains a link "
                                                "'other.md#nowhere', but the doc 'other.md' does not contain "
                                                "an anchor '#nowhere'"),
    ("See [a page](missing.md).", "docs/index.md:4: Doc file 'index.md' contains a link 'missing.md', but the "
                                  "target is not found among documentation files"),
], ids=["missing-snippet", "broken-anchor", "broken-link"])
def test_bad_input_names_page_and_line(tmp_path, line, message):
    page = f"# Page\n\n```shell\n{line}\n```\n" if line.startswith("--8<--") else f"# Page\n\nText.\n{line}\n"
    assert message in build(tmp_path, page)
