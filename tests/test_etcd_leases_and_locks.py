"""docs/*/etcd/leases-and-locks.md: the lease, lock and election labs, and the page's exercises.

The labs run as a reader runs them: lab-cluster.sh and the lab saved in one directory, etcd and
etcdctl from PATH, on free loopback ports. Besides comparing the shown output, each lab test
asserts what the page says about it, and checks that nothing the lab started is left running
and nothing is left on disk. The measured timings are printed (pytest -s or -rP shows them).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import exercises
from etcd_harness import Lab, processes_started_in, snippet_env
from page_checks import ExercisePageChecks
from paste_shell import assert_unchanged, paste
from snippet_coverage import record_run
from snippet_runner import SNIPPETS, check_output, pages_including, snippet_path

LAB_CLUSTER = "etcd/raft/lab-cluster.sh"
LAB_TIMEOUT_S = 150
READERS_ENDPOINT = "http://127.0.0.1:2379"  # the reader's own member, which a lab must leave alone
LEASE_LAB = "etcd/leases-and-locks/lease-lab.sh"
FENCING_LAB = "etcd/leases-and-locks/fencing-lab.sh"
ELECT_LAB = "etcd/leases-and-locks/elect-lab.sh"


def save_lab(lab: Lab, snippet: str) -> Path:
    """The lab and lab-cluster.sh saved side by side, as the page asks."""
    for name in (snippet, LAB_CLUSTER):
        shutil.copy(snippet_path(name), lab.workdir)
        record_run(name)  # runs as a saved copy, which the audit hook cannot see
    return lab.workdir / Path(snippet).name


def lab_env(lab: Lab) -> dict[str, str]:
    return {**snippet_env(READERS_ENDPOINT, lab.workdir), **lab.env}


def assert_nothing_left(lab: Lab) -> None:
    lab.assert_cleaned_up()
    left = processes_started_in(lab.workdir)
    assert not left, f"the lab left processes running: {left}"


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"{what} after {timeout}s")


def run_lab(snippet: str, lab: Lab, update_outputs: bool) -> str:
    started = time.monotonic()
    run = subprocess.run(["bash", "-euo", "pipefail", str(save_lab(lab, snippet))], cwd=lab.workdir,
                         env=lab_env(lab), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=LAB_TIMEOUT_S)
    assert run.returncode == 0, (f"snippets/{snippet} (shown on {', '.join(pages_including(snippet))}) "
                                 f"exited with {run.returncode}:\n{run.stdout}")
    check_output(snippet, run.stdout, update_outputs)
    print(f"\n{Path(snippet).name}: lab wall time {time.monotonic() - started:.1f}s")
    assert_nothing_left(lab)
    return run.stdout


def seconds(pattern: str, out: str) -> float:
    match = re.search(pattern + r" ([0-9.]+)s\b", out)
    assert match, f"no {pattern!r} line in:\n{out}"
    return float(match.group(1))


def after(heading: str, out: str) -> str:
    """The part of the output from a '== N. ...' heading up to the next one."""
    part = out[out.index(heading):]
    following = part.find("\n== ", 1)
    return part if following == -1 else part[:following + 1]


def counted(label: str, out: str) -> int:
    match = re.search(rf"^{re.escape(label)}:? +(-?\d+)$", out, re.M)
    assert match, f"no {label!r} line in:\n{out}"
    return int(match.group(1))


# --- the labs --------------------------------------------------------------------------


def test_lease_lab(lab, update_outputs):
    out = run_lab(LEASE_LAB, lab, update_outputs)

    assert counted("Raft entries the grant and the put added", after("== 2.", out)) == 2
    renewals = after("== 3.", out)
    assert counted("renewals counted by the leader", renewals) == 10
    assert counted("renewals counted by the follower that got them", renewals) == 0
    assert counted("renewals counted by the other follower", renewals) == 0
    assert counted("Raft entries the keep-alives added", renewals) == 0
    assert counted("revisions the keep-alives added", renewals) == 0

    changes = re.findall(r"^(move-leader|kill the leader): (\d+)s left before, (\d+)s left after$",
                         after("== 4.", out), re.M)
    assert [change for change, _, _ in changes] == ["move-leader", "move-leader", "kill the leader"]
    for change, before, left in changes:
        # Three seconds into a 6-second countdown; then the new leader's full TTL plus its
        # 1-second election timeout, of which timetolive shows the whole seconds.
        assert 1 <= int(before) <= 3, (change, before)
        assert 5 <= int(left) <= 7, (change, left)
    lived = seconds("the key was deleted", out)
    last = seconds("after the grant,", out)
    print(f"lease lab: a 6-second lease lived {lived:.2f}s, deleted {last:.2f}s after the last change of leader")
    assert lived > 12, lived  # three times three seconds of leader changes, then a full TTL
    # TTL + election timeout, then the leader's expiry check (every 0.5 s) and the revoke through Raft.
    # A full TTL (6 s) and more, where about 3 s were left before: the new leader re-extended it.
    assert 6 < last < 9, last


def test_fencing_lab(lab, update_outputs):
    out = run_lab(FENCING_LAB, lab, update_outputs)
    tokens = {worker: (int(rev), int(token)) for worker, rev, token in
              re.findall(r"^(\w) holds the lock: ETCD_LOCK_REV=(\d+), .* is (\d+)$", out, re.M)}
    assert set(tokens) == {"A", "B"}, out
    rev_a, token_a = tokens["A"]
    rev_b, token_b = tokens["B"]
    assert rev_a == token_a, "A took a free lock: ETCD_LOCK_REV is its key's create revision"
    assert rev_b > token_b, "B waited: ETCD_LOCK_REV is the revision it saw A's key go at"
    assert token_b > token_a
    assert "keys under /lab/lock/: 2, one per worker" in after("== 2.", out)

    got_lock = seconds("A's lease expired and B got the lock", out)
    print(f"fencing lab: B got the lock {got_lock:.2f}s after A was paused")
    # A's last keep-alive came up to a third of the 2-second TTL before the pause; the leader
    # checks for expired leases every 0.5 s.
    assert 1.0 < got_lock < 4, got_lock
    paused = after("== 3.", out)
    assert "B, plain put:   OK" in paused and "B, fenced txn:  SUCCESS" in paused
    resumed = after("== 4.", out)
    assert "A, plain put:   OK" in resumed
    assert "A, fenced txn:  FAILURE" in resumed
    assert after("== 5.", out).endswith("/lab/plain:  written by A\n/lab/fenced: written by B\n")


def test_elect_lab(lab, update_outputs):
    out = run_lab(ELECT_LAB, lab, update_outputs)
    campaign = after("== 2.", out)
    assert "keys under /lab/election/: 2" in campaign
    assert "printed its key and value: alpha" in campaign
    assert "beta's etcdctl has printed nothing yet: yes" in campaign
    elected = seconds("beta was elected", out)
    print(f"elect lab: beta elected {elected:.2f}s after alpha resigned")
    assert elected < 2, elected  # a resign deletes the key at once: no TTL to wait out
    # The observer saw alpha lead, then beta.
    assert after("== 4.", out).split("\n")[-3:-1] == ["alpha", "beta"]


def state(pid: int) -> str | None:
    """The process's state letter (T: stopped), or None once it has gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def test_lab_interrupted_while_a_worker_is_paused_leaves_nothing(lab):
    """Ctrl-C while worker A and its etcdctl lock are stopped (SIGSTOP) and B waits for the lock."""
    path = save_lab(lab, FENCING_LAB)
    proc = subprocess.Popen(["bash", str(path)], cwd=lab.workdir, env=lab_env(lab), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        for line in proc.stdout:
            if line.startswith("== 3."):
                break
        time.sleep(0.5)  # A is paused; its lease has not expired yet
        stopped = [pid for pid in processes_started_in(lab.workdir) if state(pid) == "T"]
        assert len(stopped) == 2, "expected etcdctl lock and worker A to be stopped"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, out
    assert "lab failed" not in out, out  # Ctrl-C is no failure
    wait_until(lambda: not processes_started_in(lab.workdir), 5, "the lab left processes running")
    assert_nothing_left(lab)


def test_failing_lab_ends_paused_and_waiting_lock_holders(lab):
    """A lab that fails with one etcdctl lock paused and another waiting for the lock: cleanup
    ends both (SIGTERM alone would leave the first stopped and the second retrying its unlock)."""
    save_lab(lab, FENCING_LAB)
    # What the holders run under the lock: it ends once the lab's cleanup has removed LAB_DIR.
    (lab.workdir / "hold.sh").write_text('while [ -d "$LAB_DIR" ]; do sleep 0.1; done\n')
    script = ("source ./lab-cluster.sh\nstart_cluster\nexport ETCDCTL_ENDPOINTS=$(endpoints)\n"
              "etcdctl lock --ttl=5 /lab/lock bash hold.sh &\nholder=$!\nkill_on_exit+=($holder)\n"
              "until [ -n \"$(etcdctl get --prefix /lab/lock/ --keys-only)\" ]; do sleep 0.1; done\n"
              "etcdctl lock /lab/lock bash hold.sh &\nkill_on_exit+=($!)\npause $holder\nsleep 1\nfalse\n")
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=lab.workdir, env=lab_env(lab),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    assert run.returncode == 1, run.stdout
    assert "last log lines of each member" in run.stdout
    wait_until(lambda: not processes_started_in(lab.workdir), 5, "the lab left processes running")
    assert_nothing_left(lab)


def test_lab_pasted_into_a_shell_changes_nothing(lab):
    """Pasted instead of saved and run, a lab finds lab-cluster.sh in the current directory and runs
    in a subshell that takes its settings, traps, members and background commands with it."""
    path = save_lab(lab, ELECT_LAB)
    pasted = paste(path.read_text(), cwd=lab.workdir, timeout=LAB_TIMEOUT_S, env=lab_env(lab))
    assert pasted.status == "0", pasted.output
    assert_unchanged(pasted)
    assert_nothing_left(lab)


# --- the exercises -----------------------------------------------------------------------

LEASE_TTL = "etcd/leases-and-locks/exercises/lease-ttl/check_lease_ttl.py"
FENCED_WRITE = "etcd/leases-and-locks/exercises/fenced-write/check-fenced-write.sh"
FENCED_WRITE_SOLUTION = "etcd/leases-and-locks/exercises/fenced-write/solution.sh"


def test_lease_ttl_checker_accepts_the_solution():
    exercises.assert_accepts_the_solution(LEASE_TTL)


@pytest.mark.parametrize("answer", exercises.typical_wrong_answers(LEASE_TTL), ids=lambda p: p.name)
def test_lease_ttl_checker_rejects_typical_wrong_answers(answer):
    exercises.assert_rejected(answer, exercises.run_checker(LEASE_TTL, answer))


def test_lease_ttl_checker_takes_seconds_within_a_margin(tmp_path):
    answer = tmp_path / "my-lease-ttl.txt"
    answer.write_text("1: 39s\n2: 61\n3: Never\n4: 60 # like 2\n5: soon\n")
    result = exercises.run_checker(LEASE_TTL, answer)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["question 5: answer with a number of seconds or never"]


def check_fenced_write(etcd, answer: Path) -> subprocess.CompletedProcess:
    """The checker and the reader's script saved in one directory, run against the reader's etcd."""
    shutil.copy(snippet_path(FENCED_WRITE), etcd.workdir)
    shutil.copy(answer, etcd.workdir / "fenced-write.sh")
    record_run(FENCED_WRITE)  # saved copies, which the audit hook cannot see
    if answer.resolve().is_relative_to(SNIPPETS):
        record_run(str(answer.resolve().relative_to(SNIPPETS)))
    return subprocess.run(["bash", "check-fenced-write.sh", "fenced-write.sh"], cwd=etcd.workdir,
                          env=etcd.env, capture_output=True, text=True, timeout=90)


def assert_checker_left_nothing(etcd) -> None:
    wait_until(lambda: not processes_started_in(etcd.workdir), 5, "the checker left processes running")
    assert etcd.etcdctl("get", "--prefix", "/exercise/", "--keys-only").stdout.strip() == "", "the checker left keys"


def test_fenced_write_checker_accepts_the_solution(etcd):
    result = check_fenced_write(etcd, snippet_path(FENCED_WRITE_SOLUTION))
    assert (result.returncode, result.stdout) == (0, "PASS\n"), result.stdout + result.stderr
    assert_checker_left_nothing(etcd)


@pytest.mark.parametrize("answer", exercises.typical_wrong_answers(FENCED_WRITE), ids=lambda p: p.name)
def test_fenced_write_checker_rejects_typical_wrong_answers(etcd, answer):
    exercises.assert_rejected(answer, check_fenced_write(etcd, answer))
    assert_checker_left_nothing(etcd)


def test_fenced_write_checker_stops_on_ctrl_c_while_the_script_hangs(etcd):
    shutil.copy(snippet_path(FENCED_WRITE), etcd.workdir)
    exercises.assert_stops_on_ctrl_c_while_the_script_hangs(["bash", "check-fenced-write.sh", "fenced-write.sh"],
                                                            etcd.workdir, etcd.env, etcd.workdir / "fenced-write.sh")
    assert_checker_left_nothing(etcd)


def test_fenced_write_checker_stops_on_ctrl_c_while_the_late_write_hangs(etcd):
    """Ctrl-C in step 3, while the script that lost the lock runs: that script stops too."""
    shutil.copy(snippet_path(FENCED_WRITE), etcd.workdir)
    hangs_when_late = ('if [ "$1" = late ]; then : >"$0.started"; sleep 300; fi\n'
                       'etcdctl put /exercise/fenced-write/data "$1" >/dev/null\n')
    exercises.assert_stops_on_ctrl_c_while_the_script_hangs(["bash", "check-fenced-write.sh", "fenced-write.sh"],
                                                            etcd.workdir, etcd.env, etcd.workdir / "fenced-write.sh",
                                                            hangs_when_late)
    assert_checker_left_nothing(etcd)


def test_fenced_write_checker_needs_the_script(tmp_path):
    result = subprocess.run(["bash", str(snippet_path(FENCED_WRITE)), "fenced-write.sh"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout) == (1, "cannot read fenced-write.sh\n")


def test_fenced_write_checker_says_when_no_etcd_answers(tmp_path):
    (tmp_path / "fenced-write.sh").write_text("true\n")
    env = snippet_env("http://127.0.0.1:1", tmp_path)
    result = subprocess.run(["bash", str(snippet_path(FENCED_WRITE)), "fenced-write.sh"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stdout == "no etcd answers at http://127.0.0.1:1: start your member first\n"


@pytest.mark.parametrize("snippet", [FENCED_WRITE, FENCED_WRITE_SOLUTION])
def test_exercise_scripts_pasted_into_a_shell_change_nothing(tmp_path, snippet):
    env = snippet_env(READERS_ENDPOINT, tmp_path)
    pasted = paste(snippet_path(snippet).read_text(), cwd=tmp_path, env=env, timeout=30)
    assert_unchanged(pasted)
    assert "usage: " in pasted.output


class TestLeasesAndLocksPage(ExercisePageChecks):
    page = "etcd/leases-and-locks.md"
