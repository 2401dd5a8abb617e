"""The coverage check: a shown snippet that no test ran fails a whole run, naming page and line."""

import os
import subprocess
import sys
import textwrap

import pytest

from snippet_coverage import ROOT, uncovered

TESTS_DIR = ROOT / "tests"  # snippet_coverage and what it imports
PAGE = textwrap.dedent('''\
    # A page

    ```shell title="revisions.sh"
    --8<-- "etcd/mvcc/revisions.sh"
    ```

    ```shell title="history.sh"
    --8<-- "etcd/mvcc/history.sh"
    ```
''')


def test_names_page_and_line_of_each_block_nothing_ran(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PAGE)
    assert uncovered([page], {"etcd/mvcc/revisions.sh"}) == [
        f"{page}:7: snippets/etcd/mvcc/history.sh is shown but no test ran it"]
    assert uncovered([page], {"etcd/mvcc/revisions.sh", "etcd/mvcc/history.sh"}) == []


@pytest.mark.parametrize("runs, expected_rc", [
    (["etcd/mvcc/revisions.sh", "etcd/mvcc/history.sh"], 0),
    (["etcd/mvcc/revisions.sh"], 1),  # a test stopped running history.sh
    ([], 1),  # a test only names the paths: nothing ran
])
def test_a_whole_run_fails_when_a_test_stops_running_a_snippet(tmp_path, runs, expected_rc):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(PAGE)
    (tmp_path / "pytest.ini").write_text("[pytest]\ntestpaths = t\n")
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["snippet_coverage"]\n')
    (tmp_path / "t").mkdir()
    # Syntax-checking with bash -n starts the file without running etcd: enough for the ledger.
    (tmp_path / "t" / "test_inner.py").write_text(textwrap.dedent(f"""\
        import subprocess
        SHOWN = ["etcd/mvcc/revisions.sh", "etcd/mvcc/history.sh"]  # named, not necessarily run

        def test_runs():
            for snippet in {runs!r}:
                subprocess.run(["bash", "-n", {str(ROOT / "snippets")!r} + "/" + snippet], check=True)
    """))
    env = {**os.environ, "PYTHONPATH": str(TESTS_DIR), "SNIPPET_COVERAGE_DOCS": str(tmp_path / "docs")}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == expected_rc, run.stdout + run.stderr
    if "etcd/mvcc/history.sh" not in runs:
        assert "page.md:7: snippets/etcd/mvcc/history.sh is shown but no test ran it" in run.stdout
