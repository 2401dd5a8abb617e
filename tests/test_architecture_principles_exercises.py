"""The architecture-principles exercises check themselves: each checker accepts its reference
solution and rejects the typical wrong answers beside it with the message the pages promise.

Each exercise lives in snippets/architecture-principles/exercises/<slug>/: the checker, the
reference solution (solution.yaml, .txt or .sh) and wrong-* files. A wrong answer starts with
one or more "# expect: <line>" comments: lines the checker must print for it. Both language
versions of the page quote each of those lines.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etcd_harness import Etcd
from snippet_runner import snippet_path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
EXPECT = re.compile(r"^# expect: (.+)$", re.M)

# checker -> the page (under docs/<lang>/) that shows it
CHECKERS = {
    "architecture-principles/exercises/restart/check_restart.py": "architecture-principles.md",
    "architecture-principles/exercises/catch-up/check_catch_up.py": "architecture-principles.md",
    "architecture-principles/exercises/admission-order/check_admission_order.py":
        "architecture-principles/request-path.md",
    "architecture-principles/exercises/replica-limit/check_replica_limit.py":
        "architecture-principles/request-path.md",
    "architecture-principles/exercises/reports-flow/check_reports_flow.py":
        "architecture-principles/request-path.md",
    "architecture-principles/exercises/adoption/check_adoption.py":
        "architecture-principles/controllers.md",
    "architecture-principles/exercises/leader-election/check_leader_election.py":
        "architecture-principles/controllers.md",
    "architecture-principles/exercises/read-semantics/check_read_semantics.py":
        "architecture-principles/reads-and-watches.md",
    "architecture-principles/exercises/cas/check-cas.sh": "architecture-principles/reads-and-watches.md",
    "architecture-principles/exercises/extension-point/check_extension_point.py":
        "architecture-principles/extension-points.md",
    "architecture-principles/exercises/apiservice/check_apiservice.py":
        "architecture-principles/extension-points.md",
}
PYTHON_CHECKERS = [c for c in CHECKERS if c.endswith(".py")]
PAGES = sorted(set(CHECKERS.values()))
CAS = "architecture-principles/exercises/cas/check-cas.sh"
CAS_SOLUTION = "architecture-principles/exercises/cas/solution.sh"
RESTART = "architecture-principles/exercises/restart/check_restart.py"


def folder(checker: str) -> Path:
    return (SNIPPETS / checker).parent


def solution(checker: str) -> Path:
    (found,) = folder(checker).glob("solution.*")
    return found


def wrong_answers(checker: str) -> list[Path]:
    return sorted(folder(checker).glob("wrong-*"))


def run_python(checker: str, answer: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SNIPPETS / checker), str(answer)],
                          capture_output=True, text=True, timeout=60)


def run_cas(etcd: Etcd, answer: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(snippet_path(CAS)), str(answer)], env=etcd.env,
                          cwd=etcd.workdir, capture_output=True, text=True, timeout=120)


def assert_rejected(answer: Path, result: subprocess.CompletedProcess) -> None:
    expected = EXPECT.findall(answer.read_text(encoding="utf-8"))
    assert expected, f"{answer.relative_to(ROOT)}: no '# expect:' line"
    assert result.returncode == 1, f"{answer.name}: exit {result.returncode}\n{result.stdout}{result.stderr}"
    printed = result.stdout.splitlines()
    for line in expected:
        assert line in printed, f"{answer.name}: expected {line!r}, the checker printed:\n{result.stdout}"
    assert "PASS" not in printed


@pytest.mark.parametrize("checker", PYTHON_CHECKERS)
def test_checker_accepts_the_reference_solution(checker):
    result = run_python(checker, solution(checker))
    assert (result.returncode, result.stdout) == (0, "PASS\n"), result.stdout + result.stderr


@pytest.mark.parametrize("checker", PYTHON_CHECKERS)
def test_checker_rejects_typical_wrong_answers(checker):
    wrong = wrong_answers(checker)
    assert len(wrong) >= 2, f"{checker}: fewer than two wrong-* answers beside it"
    for answer in wrong:
        assert_rejected(answer, run_python(checker, answer))


def test_cas_checker_accepts_the_reference_solution(etcd):
    result = run_cas(etcd, snippet_path(CAS_SOLUTION))
    assert (result.returncode, result.stdout) == (0, "PASS\n"), result.stdout + result.stderr


def test_cas_checker_rejects_typical_wrong_answers(etcd):
    wrong = wrong_answers(CAS)
    assert len(wrong) >= 2
    for answer in wrong:
        assert_rejected(answer, run_cas(etcd, answer))


def test_cas_checker_cleans_up(etcd):
    run_cas(etcd, snippet_path(CAS_SOLUTION))
    assert etcd.etcdctl("get", "--prefix", "/exercise/").stdout == ""


def test_restart_solution_is_what_the_toy_controller_prints(etcd):
    """The scenario of the restart exercise, played against etcd with the real toy controller."""
    for key, value in (("api", "app:1"), ("db", "postgres:16")):
        etcd.etcdctl("put", f"/desired/{key}", value)
        etcd.etcdctl("put", f"/actual/{key}", value)
    for command in (("put", "/desired/cache", "redis:7"), ("del", "/desired/cache"),
                    ("put", "/desired/api", "app:2"), ("put", "/desired/api", "app:3"),
                    ("put", "/actual/db", "postgres:15"), ("put", "/actual/tmp", "x")):
        etcd.etcdctl(*command)
    proc = subprocess.Popen(
        [sys.executable, str(snippet_path("architecture-principles/toy_controller.py")), "60"],
        env=etcd.env, cwd=etcd.workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line or line.startswith("watching"):
                break
            lines.append(line.rstrip("\n"))
    finally:
        proc.kill()
        proc.wait()
    expected = [line for line in solution(RESTART).read_text().splitlines() if line]
    assert lines == expected



@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("checker", list(CHECKERS))
def test_page_shows_the_exercise_and_quotes_its_messages(checker, lang):
    page = DOCS / lang / CHECKERS[checker]
    text = page.read_text(encoding="utf-8")
    shown = solution(checker).relative_to(SNIPPETS).as_posix()
    for snippet in (checker, shown):
        assert f'--8<-- "{snippet}"' in text, f"{page.relative_to(ROOT)} does not include {snippet}"
    for answer in wrong_answers(checker):
        for line in EXPECT.findall(answer.read_text(encoding="utf-8")):
            assert line in text, f"{page.relative_to(ROOT)} does not quote {line!r} ({answer.name})"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_ends_with_two_to_four_exercises(page, lang):
    text = (DOCS / lang / page).read_text(encoding="utf-8")
    sections = re.findall(r"^## .*\{#([\w-]+)\}\s*$", text, re.M)
    assert sections and sections[-1] == "exercises", f"docs/{lang}/{page}: the last section is not #exercises"
    tail = text[text.index("{#exercises}"):]
    exercises = re.findall(r"^### .*\{#(exercise-[\w-]+)\}\s*$", tail, re.M)
    assert 2 <= len(exercises) <= 4, f"docs/{lang}/{page}: {len(exercises)} exercises"
