"""The checks an exercise gets from the test module of the page that sets it.

An exercise lives in snippets/<...>/exercises/<slug>/: the checker the reader runs
(check_<slug>.py, or check-<slug>.sh), the reference solution (solution.*), typical wrong
answers (wrong-*) and, where the reader starts from a file, that file (given.yaml or
start.yaml, shown on the page). A wrong answer starts with one or more "# expect: <line>"
comments: lines the checker must print for it. Both language versions of the page show the
checker, the solution and the starting file, and quote each of those lines, so a reader can
match what the checker says with what the page explains.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from code_blocks import ROOT, includes

SNIPPETS = ROOT / "snippets"
EXPECT = re.compile(r"^# expect: (.+)$", re.M)  # what the checker must print for a wrong answer
STARTING_POINTS = ("given.yaml", "start.yaml")
# A bash checker's copy of the helper that runs a command under timeout and still stops on Ctrl-C.
BOUNDED = re.compile(r"^# bounded SECONDS COMMAND.*?^}$", re.M | re.S)


def checkers(folder: str) -> list[str]:
    """The checkers of snippets/<folder>/exercises/*/, as the pages include them."""
    return sorted(path.relative_to(SNIPPETS).as_posix()
                  for path in (SNIPPETS / folder / "exercises").glob("*/check[-_]*"))


def beside(checker: str) -> Path:
    return (SNIPPETS / checker).parent


def solution(checker: str) -> Path:
    (found,) = beside(checker).glob("solution.*")
    return found


def wrong_answers(checker: str) -> list[Path]:
    return sorted(beside(checker).glob("wrong-*"))


def typical_wrong_answers(checker: str) -> list[Path]:
    """The wrong-* answers beside the checker: at least two, or the exercise is unfinished."""
    wrong = wrong_answers(checker)
    assert len(wrong) >= 2, f"{checker}: fewer than two wrong-* answers beside it"
    return wrong


def starting_point(checker: str) -> Path | None:
    """The file the exercise hands out to start from, if any."""
    return next((path for name in STARTING_POINTS if (path := beside(checker) / name).exists()), None)


def expected(answer: Path) -> list[str]:
    return EXPECT.findall(answer.read_text(encoding="utf-8"))


def run_checker(checker: str, answer: Path) -> subprocess.CompletedProcess:
    """Run a Python checker on an answer file, as the reader does."""
    return subprocess.run([sys.executable, str(SNIPPETS / checker), str(answer)],
                          capture_output=True, text=True, timeout=60)


def assert_accepted(result: subprocess.CompletedProcess) -> None:
    assert (result.returncode, result.stdout) == (0, "PASS\n"), result.stdout + result.stderr


def assert_rejected(answer: Path, result: subprocess.CompletedProcess) -> None:
    """The checker failed the answer and printed every line its "# expect:" comments promise."""
    lines = expected(answer)
    assert lines, f"{answer.relative_to(ROOT)}: no '# expect:' line"
    assert result.returncode == 1, f"{answer.name}: exit {result.returncode}\n{result.stdout}{result.stderr}"
    printed = result.stdout.splitlines()
    for line in lines:
        assert line in printed, f"{answer.name}: expected {line!r}, the checker printed:\n{result.stdout}"
    assert "PASS" not in printed


def assert_accepts_the_solution(checker: str) -> None:
    assert_accepted(run_checker(checker, solution(checker)))


def assert_rejects_typical_wrong_answers(checker: str) -> None:
    for answer in typical_wrong_answers(checker):
        assert_rejected(answer, run_checker(checker, answer))


def assert_rejects_the_starting_point(checker: str) -> None:
    """Where the exercise hands out a file to start from, that file is not already an answer."""
    start = starting_point(checker)
    if start is not None:
        result = run_checker(checker, start)
        assert result.returncode == 1 and "PASS" not in result.stdout.splitlines(), (
            f"{start.name} passes its checker:\n{result.stdout}{result.stderr}")


HANGING_SCRIPT = ': >"$0.started"; sleep 300\n'


def assert_stops_on_ctrl_c_while_the_script_hangs(command: list[str], cwd: Path, env: dict, script: Path,
                                                  hanging_script: str = HANGING_SCRIPT) -> None:
    """Run a bash checker on a reader's script that hangs, and press Ctrl-C once the script has
    created ``<script>.started``: the checker stops at once and leaves no process behind (found
    by ``HOME=<cwd>``)."""
    from etcd_harness import processes_started_in  # here, so that Python checkers need no etcd wheel

    script.write_text(hanging_script)
    started = script.with_name(script.name + ".started")
    proc = subprocess.Popen(command, cwd=cwd, env={**env, "HOME": str(cwd)}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert started.exists(), "the checker never ran the script"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground group
        interrupted = time.monotonic()
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            out = "(still running 30 s later)"
        assert time.monotonic() - interrupted < 3, f"Ctrl-C did not stop the checker:\n{out}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode != 0
    assert "lab failed" not in out, f"the checker took Ctrl-C for a failure:\n{out}"
    deadline = time.monotonic() + 10  # an etcdctl already sent may run out its own limit
    while processes_started_in(cwd) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not processes_started_in(cwd), "the checker left processes running after Ctrl-C"


def assert_page_sets_the_exercise(page: str, lang: str, checker: str) -> None:
    """docs/<lang>/<page> shows the checker, the solution and the starting file, and quotes
    every line the checker prints for the typical wrong answers, in its exercises section."""
    text = (ROOT / "docs" / lang / page).read_text(encoding="utf-8")
    assert "{#exercises}" in text, f"docs/{lang}/{page}: no exercises section"
    text = text[text.index("{#exercises}"):]
    shown = [checker, solution(checker).relative_to(SNIPPETS).as_posix()]
    if starting_point(checker):
        shown.append(starting_point(checker).relative_to(SNIPPETS).as_posix())
    for snippet in shown:
        assert includes(text, snippet), f"docs/{lang}/{page} does not include {snippet}"
    for answer in wrong_answers(checker):
        for line in expected(answer):
            assert line in text, f"docs/{lang}/{page} does not quote {line!r} ({answer.name})"


def assert_page_ends_with_two_to_four_exercises(page: str, lang: str) -> None:
    text = (ROOT / "docs" / lang / page).read_text(encoding="utf-8")
    sections = re.findall(r"^## .*\{#([\w-]+)\}\s*$", text, re.M)
    assert sections and sections[-1] == "exercises", f"docs/{lang}/{page}: the last section is not #exercises"
    tail = text[text.index("{#exercises}"):]
    found = re.findall(r"^### .*\{#(exercise-[\w-]+)\}\s*$", tail, re.M)
    assert 2 <= len(found) <= 4, f"docs/{lang}/{page}: {len(found)} exercises"
