"""Coverage from runs: every runnable snippet a page shows was executed by this test run.

Each test process records the snippet files it starts: an audit hook sees every
``subprocess`` call, and a path under ``snippets/`` in its arguments counts as a
run. Tests that run a snippet some other way (pasting it into a shell, running a
saved copy) call :func:`record_run`. When a whole run passes, the controller
compares the records with the blocks of the pages and fails the run, naming page
and line, for every ``.sh`` or ``.py`` block that nothing ran. A partial run
(chosen files, ``-k``, ``-m``) cannot tell, so it is not checked. A snippet that
only an online test runs (``@pytest.mark.online(runs=[...])``) is reported as left
to the ``--online`` run when that test is deselected.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from code_blocks import ROOT, all_pages, code_blocks

SNIPPETS = ROOT / "snippets"
RUNNABLE_SUFFIXES = {".sh", ".py"}
_LEDGER_VARIABLE = "ETCD_DOCS_SNIPPET_LEDGER"  # a directory; each process writes <pid>.txt into it


def record_run(snippet: str) -> None:
    """Note that this run executed ``snippets/<snippet>``."""
    ledger = os.environ.get(_LEDGER_VARIABLE)
    if ledger and Path(ledger).is_dir():
        with open(Path(ledger) / f"{os.getpid()}.txt", "a", encoding="utf-8") as records:
            records.write(snippet + "\n")


_ONLINE_ONLY = "online-only:"  # a ledger line for a snippet that only a deselected online test runs


def pytest_deselected(items):
    # ``@pytest.mark.online(runs=[...])`` names what an online test runs; without --online the
    # check reports those snippets as left to the online run instead of failing on them.
    for item in items:
        marker = item.get_closest_marker("online")
        for snippet in (marker.kwargs.get("runs", ()) if marker else ()):
            record_run(_ONLINE_ONLY + snippet)


def _snippets_in(args) -> list[str]:
    if isinstance(args, (str, bytes, os.PathLike)):
        args = [args]
    found = []
    for arg in args or ():
        if isinstance(arg, os.PathLike):
            arg = os.fspath(arg)
        if isinstance(arg, str) and "snippets" in arg:
            path = Path(arg).resolve()
            if path.is_relative_to(SNIPPETS) and path.suffix in RUNNABLE_SUFFIXES:
                found.append(str(path.relative_to(SNIPPETS)))
    return found


def _audit(event: str, args: tuple) -> None:
    if event == "subprocess.Popen":
        for snippet in _snippets_in(args[1]):
            record_run(snippet)


def uncovered(pages: list[Path], ran: set[str], online_only: frozenset[str] = frozenset()) -> list[str]:
    """``page:line: snippets/x.sh is shown but no test ran it`` for every such block."""
    problems = []
    for page in pages:
        for block in code_blocks(page):
            if "no-test" in block.classes:
                continue
            for snippet in block.included_snippets:
                if Path(snippet).suffix in RUNNABLE_SUFFIXES and snippet not in ran | online_only:
                    problems.append(f"{block.where}: snippets/{snippet} is shown but no test ran it")
    return problems


def _recorded(ledger: Path) -> set[str]:
    return {line for records in ledger.glob("*.txt") for line in records.read_text(encoding="utf-8").split()}


def _whole_run(config: pytest.Config) -> bool:
    option = config.option
    return (config.args_source == pytest.Config.ArgsSource.TESTPATHS
            and not option.keyword and not option.markexpr and not option.deselect
            and not getattr(option, "lf", False) and not option.collectonly)


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller makes the ledger; xdist workers inherit it
        os.environ[_LEDGER_VARIABLE] = tempfile.mkdtemp(prefix="etcd-docs-ledger-")
    sys.addaudithook(_audit)


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput") or not os.environ.get(_LEDGER_VARIABLE):
        return
    ledger = Path(os.environ.pop(_LEDGER_VARIABLE))
    try:
        if session.exitstatus != pytest.ExitCode.OK or not _whole_run(session.config):
            return
        docs = Path(os.environ.get("SNIPPET_COVERAGE_DOCS", ROOT / "docs"))
        pages = all_pages() if docs == ROOT / "docs" else sorted(docs.rglob("*.md"))
        recorded = _recorded(ledger)
        online_only = {r.removeprefix(_ONLINE_ONLY) for r in recorded if r.startswith(_ONLINE_ONLY)}
        ran = {r for r in recorded if not r.startswith(_ONLINE_ONLY)}
        problems = uncovered(pages, ran, frozenset(online_only - ran))
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if online_only - ran:
            left = ", ".join(sorted(online_only - ran))
            reporter.write_line(f"Coverage from runs: left to the --online run: {left}")
        if problems:
            reporter.write_line("Coverage from runs: blocks that no test ran:", red=True)
            for problem in problems:
                reporter.write_line(f"  {problem}", red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    finally:
        shutil.rmtree(ledger, ignore_errors=True)
