"""Every Python file a reader copies or a maintainer edits passes ruff (config in pyproject.toml)."""

import subprocess
import sys

from code_blocks import ROOT


def test_python_files_pass_ruff():
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise",
         "snippets", "hooks", "tests", "bench/bench.py", "imgs/src", "playground"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
