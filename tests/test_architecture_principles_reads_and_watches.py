"""docs/{zh,en}/architecture-principles/reads-and-watches.md: its exercises check themselves.

The compare-and-swap exercise's checker is a bash script that runs the reader's commands
against a real etcd; the others grade an answer file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import exercises
from etcd_harness import Etcd
from page_checks import ExercisePageChecks
from snippet_runner import snippet_path

PAGE = "architecture-principles/reads-and-watches.md"
READ_SEMANTICS = "architecture-principles/exercises/read-semantics/check_read_semantics.py"
CAS = "architecture-principles/exercises/cas/check-cas.sh"
CAS_SOLUTION = "architecture-principles/exercises/cas/solution.sh"


def run_cas(etcd: Etcd, answer: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(snippet_path(CAS)), str(answer)], env=etcd.env,
                          cwd=etcd.workdir, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("checker", [READ_SEMANTICS])
def test_checker_accepts_the_reference_solution(checker):
    exercises.assert_accepts_the_solution(checker)


@pytest.mark.parametrize("checker", [READ_SEMANTICS])
def test_checker_rejects_typical_wrong_answers(checker):
    exercises.assert_rejects_typical_wrong_answers(checker)


def test_cas_checker_accepts_the_reference_solution(etcd):
    exercises.assert_accepted(run_cas(etcd, snippet_path(CAS_SOLUTION)))


def test_cas_checker_rejects_typical_wrong_answers(etcd):
    for answer in exercises.typical_wrong_answers(CAS):
        exercises.assert_rejected(answer, run_cas(etcd, answer))


def test_cas_checker_stops_on_ctrl_c_while_the_script_hangs(etcd):
    exercises.assert_stops_on_ctrl_c_while_the_script_hangs(["bash", str(snippet_path(CAS)), "cas-put.sh"],
                                                            etcd.workdir, etcd.env, etcd.workdir / "cas-put.sh")


def test_cas_checker_cleans_up(etcd):
    run_cas(etcd, snippet_path(CAS_SOLUTION))
    assert etcd.etcdctl("get", "--prefix", "/exercise/").stdout == ""


class TestReadsAndWatches(ExercisePageChecks):
    page = PAGE
    checkers = [READ_SEMANTICS, CAS]
