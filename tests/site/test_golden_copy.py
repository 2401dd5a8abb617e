"""One golden copy: an expected output is written once, in its ``.out`` file.

A test compares a snippet's whole output with that file (snippet_runner) and asserts
only the facts the page states. A string literal in a test that restates three or
more lines of an ``.out`` file would be a second copy that an intended change must
also edit, so this check fails on it, naming the test file and line.
"""

import ast
from pathlib import Path

from code_blocks import ROOT

MIN_LINES = 3


def restated_outputs(test_file: Path, outputs: dict[str, str]) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(test_file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if len([line for line in node.value.split("\n") if line.strip()]) < MIN_LINES:
                continue
            for name, text in outputs.items():
                if node.value in text:
                    problems.append(f"{test_file.name}:{node.lineno}: restates {name}; "
                                    "assert the fact the page states instead")
                    break
    return problems


def test_no_test_restates_an_output_file():
    outputs = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8", errors="replace")
               for p in (ROOT / "snippets").rglob("*.out")}
    problems = [p for test in sorted((ROOT / "tests").rglob("test_*.py")) for p in restated_outputs(test, outputs)]
    assert not problems, "\n".join(problems)


def test_a_restated_output_is_caught(tmp_path):
    test = tmp_path / "test_x.py"
    test.write_text('def test_x():\n    assert "a\\nb\\nc\\n" in run()\n')
    assert restated_outputs(test, {"snippets/x.sh.out": "a\nb\nc\nd\n"}) == [
        "test_x.py:2: restates snippets/x.sh.out; assert the fact the page states instead"]
    assert restated_outputs(test, {"snippets/x.sh.out": "a\nb\n"}) == []
