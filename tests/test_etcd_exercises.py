"""The exercises at the end of docs/*/etcd/{install,use-cases,raft,wal,mvcc,watch,auth}.md.

Each exercise has a checker the reader runs: a Python script that grades an answer file, or a bash
script that runs the reader's script (or inspects the reader's etcd) against a real member. The tests
prove that every checker accepts the reference solution, and rejects each typical wrong answer
(snippets/etcd/<page>/exercises/<slug>/wrong-*) with the line its "# expect:" comments promise, which
the pages quote. Bash checkers run as a reader runs them: saved next to the answer, with etcd and
etcdctl from PATH and ETCDCTL_ENDPOINTS set; they must leave no process and no key behind.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from code_blocks import LANGUAGES, includes
from etcd_harness import processes_started_in, snippet_env
from exercises import (EXPECT, HANGING_SCRIPT, assert_accepted, assert_rejected,
                       assert_stops_on_ctrl_c_while_the_script_hangs, typical_wrong_answers)
from paste_shell import assert_unchanged, paste
from snippet_coverage import record_run
from snippet_runner import snippet_path

ROOT = Path(__file__).resolve().parent.parent
READERS_ENDPOINT = "http://127.0.0.1:2379"

# page -> its exercises in page order: (slug, checker, solution, the name the reader saves the answer as)
EXERCISES = {
    "install": [("probe", "check-probe.sh", "solution.sh", "probe.sh"),
                ("restart", "check_restart.py", "solution.txt", "my-restart.txt")],
    "use-cases": [("register", "check-register.sh", "solution.sh", "register.sh"),
                  ("discover", "check-discover.sh", "solution.sh", "discover.sh")],
    "raft": [("quorum", "check_quorum.py", "solution.txt", "my-quorum.txt"),
             ("election", "check_election.py", "solution.txt", "my-election.txt")],
    "wal": [("verify-backup", "check-verify-backup.sh", "solution.sh", "verify-backup.sh"),
            ("restore-revisions", "check_restore_revisions.py", "solution.txt", "my-restore-revisions.txt")],
    "mvcc": [("cas-retry", "check-cas-retry.sh", "solution.sh", "incr.sh"),
             ("find-revision", "check-find-revision.sh", "solution.sh", "when.sh")],
    "watch": [("resume", "check-resume.sh", "solution.sh", "resume.sh"),
              ("compaction", "check_compaction.py", "solution.txt", "my-compaction.txt")],
    "auth": [("grant-role", "check-grant-role.sh", "solution.sh", None),
             ("who-can", "check_who_can.py", "solution.txt", "my-who-can.txt")],
}
ALL = [(page, *exercise) for page, exercises in EXERCISES.items() for exercise in exercises]
QUIZZES = [e for e in ALL if e[2].endswith(".py")]
SCRIPTS = [e for e in ALL if e[2].endswith(".sh")]


def snippet(page: str, slug: str, name: str) -> str:
    return f"etcd/{page}/exercises/{slug}/{name}"


def ids(exercise) -> str:
    return f"{exercise[0]}/{exercise[1]}"


# --- answer files, graded by a Python checker ------------------------------------------------------

def grade(page: str, slug: str, checker: str, answer: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(snippet_path(snippet(page, slug, checker))), str(answer)],
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("exercise", QUIZZES, ids=ids)
def test_quiz_checker_accepts_the_solution(exercise):
    page, slug, checker, solution, _ = exercise
    assert_accepted(grade(page, slug, checker, snippet_path(snippet(page, slug, solution))))


@pytest.mark.parametrize("page, slug, checker, answer",
                         [(p, s, c, a) for p, s, c, _, _ in QUIZZES for a in typical_wrong_answers(snippet(p, s, c))],
                         ids=lambda v: v.name if isinstance(v, Path) else None)
def test_quiz_checker_rejects_typical_wrong_answers(page, slug, checker, answer):
    assert_rejected(answer, grade(page, slug, checker, answer))


@pytest.mark.parametrize("exercise", QUIZZES, ids=ids)
def test_quiz_checker_names_unanswered_questions(exercise, tmp_path):
    page, slug, checker, solution, _ = exercise
    lines = snippet_path(snippet(page, slug, solution)).read_text().splitlines()
    answer = tmp_path / "answer.txt"
    answer.write_text("\n".join(lines[1:]) + "\n")          # the first question left out
    result = grade(page, slug, checker, answer)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"question 1: answer {form(page, slug, checker)}"]


def form(page: str, slug: str, checker: str) -> str:
    """The kind of answer the checker's docstring asks for, e.g. 'yes or no'."""
    text = snippet_path(snippet(page, slug, checker)).read_text()
    return re.search(r'per question \((.+?)\)', text).group(1)


# --- scripts and roles, checked against a real member ----------------------------------------------

def run_checker(etcd, page: str, slug: str, checker: str, saved_as: str | None, answer: Path):
    """Save the checker and the reader's answer in one directory, and run the checker there. An answer
    that is not a script to check (saved_as None) is a list of commands the reader runs first."""
    shutil.copy(snippet_path(snippet(page, slug, checker)), etcd.workdir)
    record_run(snippet(page, slug, checker))  # runs as a saved copy, which the audit hook cannot see
    if saved_as is None:
        ran = subprocess.run(["bash", str(answer)], env=etcd.env, capture_output=True, text=True, timeout=60)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        command = ["bash", checker]
    else:
        shutil.copy(answer, etcd.workdir / saved_as)
        if answer.suffix == ".sh":
            record_run(str(answer.relative_to(ROOT / "snippets")))
        command = ["bash", checker, saved_as]
    return subprocess.run(command, cwd=etcd.workdir, env=etcd.env, capture_output=True, text=True, timeout=180)


def assert_checker_left_nothing(etcd) -> None:
    deadline = time.monotonic() + 10
    while processes_started_in(etcd.workdir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not processes_started_in(etcd.workdir), "the checker left processes running"
    assert etcd.etcdctl("get", "--prefix", "/exercise/", "--keys-only").stdout.strip() == "", "the checker left keys"


@pytest.mark.parametrize("exercise", SCRIPTS, ids=ids)
def test_script_checker_accepts_the_solution(etcd, exercise):
    page, slug, checker, solution, saved_as = exercise
    assert_accepted(run_checker(etcd, page, slug, checker, saved_as, snippet_path(snippet(page, slug, solution))))
    assert_checker_left_nothing(etcd)


@pytest.mark.parametrize("page, slug, checker, saved_as, answer",
                         [(p, s, c, n, a) for p, s, c, _, n in SCRIPTS
                          for a in typical_wrong_answers(snippet(p, s, c))],
                         ids=lambda v: v.name if isinstance(v, Path) else None)
def test_script_checker_rejects_typical_wrong_answers(etcd, page, slug, checker, saved_as, answer):
    assert_rejected(answer, run_checker(etcd, page, slug, checker, saved_as, answer))
    assert_checker_left_nothing(etcd)


def test_grant_role_checker_says_when_the_role_is_missing(etcd):
    shutil.copy(snippet_path(snippet("auth", "grant-role", "check-grant-role.sh")), etcd.workdir)
    result = subprocess.run(["bash", "check-grant-role.sh"], cwd=etcd.workdir, env=etcd.env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout.startswith("cannot read the role exercise-app: Error: "), result.stdout


@pytest.mark.parametrize("exercise", SCRIPTS, ids=ids)
def test_script_checker_says_when_no_etcd_answers(tmp_path, exercise):
    page, slug, checker, _, saved_as = exercise
    args = [saved_as] if saved_as else []
    if saved_as:
        (tmp_path / saved_as).write_text("true\n")
    result = subprocess.run(["bash", str(snippet_path(snippet(page, slug, checker))), *args], cwd=tmp_path,
                            env=snippet_env("http://127.0.0.1:1", tmp_path),
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stdout == "no etcd answers at http://127.0.0.1:1: start your member first\n"


# check-resume waits for the script it runs in the background; a script that starts hanging
# only after 2 s puts Ctrl-C in that wait rather than in the checker's own steps before it.
HANGING_LATE = {"resume": 'sleep 2; : >"$0.started"; sleep 300\n'}


@pytest.mark.parametrize("exercise", [e for e in SCRIPTS if e[4]], ids=ids)
def test_script_checker_stops_on_ctrl_c_while_the_script_hangs(etcd, exercise):
    page, slug, checker, _, saved_as = exercise
    shutil.copy(snippet_path(snippet(page, slug, checker)), etcd.workdir)
    assert_stops_on_ctrl_c_while_the_script_hangs(["bash", checker, saved_as], etcd.workdir, etcd.env,
                                                  etcd.workdir / saved_as, HANGING_LATE.get(slug, HANGING_SCRIPT))
    assert_checker_left_nothing(etcd)


def test_cas_retry_checker_stops_on_ctrl_c_while_its_three_copies_run(etcd):
    """Step 2 runs three copies of the script in the background: Ctrl-C stops them too."""
    shutil.copy(snippet_path(snippet("mvcc", "cas-retry", "check-cas-retry.sh")), etcd.workdir)
    hangs_after_the_first_run = ('if [ -e "$0.once" ]; then : >"$0.started"; sleep 300; fi\n'
                                 ': >"$0.once"; etcdctl put "$1" 1 >/dev/null\n')
    assert_stops_on_ctrl_c_while_the_script_hangs(["bash", "check-cas-retry.sh", "incr.sh"], etcd.workdir,
                                                  etcd.env, etcd.workdir / "incr.sh", hangs_after_the_first_run)
    assert_checker_left_nothing(etcd)


@pytest.mark.parametrize("exercise", [e for e in SCRIPTS if e[4]], ids=ids)
def test_script_checker_needs_the_script(tmp_path, exercise):
    page, slug, checker, _, saved_as = exercise
    result = subprocess.run(["bash", str(snippet_path(snippet(page, slug, checker))), saved_as], cwd=tmp_path,
                            capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout) == (1, f"cannot read {saved_as}\n")


@pytest.mark.parametrize("shown", [snippet(p, s, name) for p, s, c, sol, n in SCRIPTS if n for name in (c, sol)])
def test_exercise_scripts_pasted_into_a_shell_change_nothing(tmp_path, shown):
    env = snippet_env(READERS_ENDPOINT, tmp_path)
    pasted = paste(snippet_path(shown).read_text(), cwd=tmp_path, env=env, timeout=60)
    assert_unchanged(pasted)
    assert "usage: " in pasted.output


# --- the pages --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", list(EXERCISES))
def test_page_ends_with_its_exercises_and_quotes_their_messages(lang, page):
    path = ROOT / "docs" / lang / "etcd" / f"{page}.md"
    text = path.read_text(encoding="utf-8")
    sections = re.findall(r"^## .*\{#([\w-]+)\}\s*$", text, re.M)
    assert sections[-1] == "exercises", f"{path}: the last section is not #exercises"
    tail = text[text.index("{#exercises}"):]
    assert re.findall(r"^### .*\{#(exercise-[\w-]+)\}\s*$", tail, re.M) == [
        f"exercise-{slug}" for slug, *_ in EXERCISES[page]]
    for slug, checker, solution, _ in EXERCISES[page]:
        for shown in (checker, solution):
            assert includes(tail, snippet(page, slug, shown)), f"{path} does not show {shown} ({slug})"
        for answer in typical_wrong_answers(snippet(page, slug, checker)):
            for line in EXPECT.findall(answer.read_text(encoding="utf-8")):
                assert line in tail, f"{path} does not quote {line!r} ({answer.name})"
