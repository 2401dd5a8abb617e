"""docs/{zh,en}/architecture-principles/reads-and-watches.md: its exercises check themselves.

The compare-and-swap exercise's checker is a bash script that runs the reader's commands
against a real etcd; the others grade an answer file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import exercises
from code_blocks import LANGUAGES
from etcd_harness import Etcd
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
    wrong = exercises.wrong_answers(CAS)
    assert len(wrong) >= 2
    for answer in wrong:
        exercises.assert_rejected(answer, run_cas(etcd, answer))


def test_cas_checker_cleans_up(etcd):
    run_cas(etcd, snippet_path(CAS_SOLUTION))
    assert etcd.etcdctl("get", "--prefix", "/exercise/").stdout == ""


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("checker", [READ_SEMANTICS, CAS])
def test_page_shows_the_exercise_and_quotes_its_messages(checker, lang):
    exercises.assert_page_sets_the_exercise(PAGE, lang, checker)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_ends_with_two_to_four_exercises(lang):
    exercises.assert_page_ends_with_two_to_four_exercises(PAGE, lang)
