"""Every shell or Python block a reader can copy can be tested.

A block passes when it only includes snippet files (whether a test ran them
is checked at the end of every whole run: tests/snippet_coverage.py), when it
is an inline Python block (run by test_inline_examples.py), or when it is
marked ``.no-test`` with a title telling the reader why it is not run.
"""

import re

import pytest

from code_blocks import ROOT, all_pages, code_blocks
from snippet_coverage import RUNNABLE_SUFFIXES

SHELL = {"shell", "bash", "sh", "console", "zsh"}
PYTHON = {"python", "py"}
SNIPPETS_DIR = ROOT / "snippets"
# A command line ending in a lone "&" (not "&&", nor a redirection such as "2>&1").
BACKGROUND_JOB = re.compile(r"^.*[^&>]&[ \t]*$", re.M)


def problems_of(block) -> list[str]:
    if block.lang not in SHELL | PYTHON:
        if block.lang in {"yaml", "yml"} and re.search(r"^apiVersion:", block.body, re.M) \
                and not block.is_only_includes:
            return [f"{block.where}: inline manifest: put it in snippets/ so the tests validate it"]
        return []
    if "no-test" in block.classes:
        problems = [] if block.title.strip() else [
            f"{block.where}: .no-test block needs a title telling the reader why it is not run"]
        if block.lang in SHELL and BACKGROUND_JOB.search(block.body):
            # No test sees what an untested block leaves running in the reader's shell.
            problems.append(f"{block.where}: .no-test block starts a background job: "
                            f"{BACKGROUND_JOB.search(block.body).group(0).strip()!r}")
        return problems
    if block.is_only_includes:
        return [f"{block.where}: snippets/{snippet} does not exist"
                for snippet in block.included_snippets if not (SNIPPETS_DIR / snippet).is_file()]
    if block.lang in PYTHON:
        return []  # inline Python: run by test_inline_examples.py
    return [f"{block.where}: inline {block.lang} block: move it to snippets/ and test it, "
            f"or mark it {{ .{block.lang} .no-test title=\"<why>\" }}"]


PAGES = all_pages()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT / "docs")))
def test_every_runnable_block_can_be_tested(page):
    problems = [p for block in code_blocks(page) for p in problems_of(block)]
    assert not problems, "\n".join(problems)


def test_every_runnable_snippet_is_shown():
    shown = {s for page in PAGES for block in code_blocks(page) for s in block.included_snippets}
    problems = []
    for path in sorted(SNIPPETS_DIR.rglob("*")):
        if path.suffix not in RUNNABLE_SUFFIXES:
            continue
        snippet = str(path.relative_to(SNIPPETS_DIR))
        if snippet not in shown and not snippet.startswith("_"):
            problems.append(f"snippets/{snippet}: no page shows it")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "block_source, complaint",
    [
        ('=== "Shell"\n\n    ```shell\n    etcdctl get x\n    ```\n', "inline shell block"),
        ('```shell { .no-test }\nrm -rf /\n```\n', "needs a title"),
        ('```shell { .no-test title="t" }\nkubectl proxy &\ncurl localhost:8001 2>&1\n```\n', "background job"),
        ('```shell\n--8<-- "etcd/nowhere.sh"\n```\n', "does not exist"),
        ('```yaml\napiVersion: v1\nkind: Pod\n```\n', "inline manifest"),
    ],
    ids=["inline-shell", "no-test-without-reason", "background-job", "missing-snippet", "inline-manifest"],
)
def test_guard_catches(tmp_path, block_source, complaint):
    page = tmp_path / "page.md"
    page.write_text("# T\n\n" + block_source)
    problems = [p for block in code_blocks(page) for p in problems_of(block)]
    assert len(problems) == 1 and complaint in problems[0], problems
    assert f"{page}:" in problems[0]  # names the file and line
