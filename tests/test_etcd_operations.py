"""docs/*/etcd/operations.md: membership changes, and the space quota with its alarm.

The labs run as a reader runs them: the lab and lab-cluster.sh saved in one directory,
etcd and etcdctl from PATH, on free loopback ports. Besides comparing the shown output,
each lab test asserts what the page says about it and checks that nothing the lab started
is left running and nothing is left on disk. The measured timings are printed
(pytest -s or -rP shows them).
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
from etcd_harness import Lab, processes_mentioning, processes_started_in, snippet_env
from page_checks import ExercisePageChecks
from paste_shell import assert_unchanged, paste
from snippet_coverage import record_run
from snippet_runner import SNIPPETS, check_output, pages_including, snippet_path

LAB_CLUSTER = "etcd/raft/lab-cluster.sh"
MEMBERSHIP = "etcd/operations/membership-lab.sh"
QUOTA = "etcd/operations/quota-lab.sh"
LAB_TIMEOUT_S = 150
READERS_ENDPOINT = "http://127.0.0.1:2379"  # the reader's own member, which a lab must leave alone
QUOTA_BYTES = 2 * 1024 * 1024  # quota-lab.sh's --quota-backend-bytes for m1


def save_lab(lab: Lab, snippet: str) -> Path:
    """The lab saved next to lab-cluster.sh, as the page asks."""
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


def members(part: str) -> list[tuple[str, str, str]]:
    """The member lines the lab printed in one step: (name, status, voter or learner)."""
    return [tuple(line.split()) for line in part.splitlines() if re.match(r"^  \S+ +\S+ +(voter|learner)$", line)]


@pytest.mark.lab_ports(8)
def test_membership_lab(lab, update_outputs):
    out = run_lab(MEMBERSHIP, lab, update_outputs)
    accepted = seconds("accepted", out)
    caught_up = seconds("m4 started and caught up after", out)
    transfer = seconds("transfer done after", out)
    print(f"membership: member add accepted {accepted:.2f}s after the cluster formed, the learner caught up "
          f"in {caught_up:.2f}s, leadership transfer {transfer:.2f}s")

    added = after("== 2.", out)
    assert ("(none)", "unstarted", "learner") in members(added)
    assert 'ETCD_INITIAL_CLUSTER_STATE="existing"' in added
    assert "ETCD_INITIAL_CLUSTER names: m1 m2 m3 m4" in added
    assert ("promote it now: failed: Error: etcdserver: can only promote a learner member which is in sync "
            "with leader") in added
    assert "write with m4 added but not running: OK" in added
    joined = after("== 3.", out)
    assert ("m4", "started", "learner") in members(joined)
    assert "serializable read from m4: OK" in joined
    assert "linearizable read from m4: refused: rpc not supported for learner" in joined
    assert re.search(r"^write to m4: +refused: rpc not supported for learner$", joined, re.M)
    not_counted = after("== 4.", out)
    assert "write to the leader: failed: timed out" in not_counted
    assert "both followers restarted; write: OK" in not_counted
    assert members(after("== 5.", out)) == [(f"m{i}", "started", "voter") for i in (1, 2, 3, 4)]
    assert "m4 leads: yes, in the next term: yes" in after("== 6.", out)
    assert transfer < 5, transfer  # a transfer needs no election timeout: the target campaigns at once
    removed = after("== 7.", out)
    assert members(removed) == [(f"m{i}", "started", "voter") for i in (2, 3, 4)]
    assert removed.endswith("OK\nwritten by 3 voters, m4 among them\n")


def megabytes(size: str) -> float:
    number, unit = size.split()
    return float(number) / (1000 if unit == "kB" else 1)


def sizes(part: str) -> dict[str, tuple[float, float]]:
    """{member: (DB size, size in use)} in MB, from one step of the quota lab."""
    found = re.findall(r"^  (m\d): DB size ([\d.]+ [kM]B), in use ([\d.]+ [kM]B)$", part, re.M)
    assert len(found) == 3, part
    return {name: (megabytes(db), megabytes(in_use)) for name, db, in_use in found}


def test_quota_lab(lab, update_outputs):
    out = run_lab(QUOTA, lab, update_outputs)
    filled = after("== 2.", out)
    assert "m1 refused a put: Error: etcdserver: mvcc: database space exceeded" in filled
    full = sizes(filled)
    # the quota is checked against the DB size (the file's high-water mark), not the size in use
    assert full["m1"][0] * 1e6 + 256 * 1024 > QUOTA_BYTES, full
    alarmed = after("== 3.", out)
    assert re.search(r"^memberID:\s*\d+\s+alarm:\s*NOSPACE\s*$", alarmed, re.M)  # 3.7's text format may space it out
    assert "raised by m1: yes" in alarmed
    assert "write through m2 (quota 2 GiB): failed: Error: etcdserver: mvcc: database space exceeded" in alarmed
    assert re.search(r"^read through m2: +OK$", alarmed, re.M)
    assert re.search(r"is unhealthy: .*Active Alarm\(s\): NOSPACE", alarmed)
    compacted = after("== 4.", out)
    assert "delete through m2: OK" in compacted
    after_compaction = sizes(compacted)
    for name, (db, in_use) in after_compaction.items():
        assert db >= full[name][0], f"{name}: compaction shrank the DB size"  # its own writes may grow it
        # what is left is one 256 KiB value and bookkeeping; the history before filled the quota
        assert in_use * 1e6 < QUOTA_BYTES / 2, f"{name}: compaction freed little: {in_use} of {db} MB in use"
    assert "write after compacting: failed: Error: etcdserver: mvcc: database space exceeded" in compacted
    defragmented = after("== 5.", out)
    assert len(re.findall(r"^Finished defragmenting etcd member\[", defragmented, re.M)) == 3
    for name, (db, in_use) in sizes(defragmented).items():
        assert db < full[name][0] / 2 and db * 1e6 < QUOTA_BYTES / 2, f"{name}: defrag left {db} MB"
        assert in_use <= db
    assert "write after defragmenting: failed: Error: etcdserver: mvcc: database space exceeded" in defragmented
    disarmed = after("== 6.", out)
    assert "alarms left: 0" in disarmed
    assert "write: OK" in disarmed and "write through m1: OK" in disarmed
    assert re.search(r"is healthy: successfully committed proposal", disarmed)


def test_quota_lab_defragments_the_leader_last(lab):
    """The order the page promises: followers first, the leader last (ports name the members)."""
    path = save_lab(lab, QUOTA)
    script = path.read_text().replace('ctl "$i" --command-timeout=30s defrag',
                                      'echo "defrag m$i of leader m$LEADER"; ctl "$i" --command-timeout=30s defrag')
    path.write_text(script)
    run = subprocess.run(["bash", str(path)], cwd=lab.workdir, env=lab_env(lab), capture_output=True, text=True,
                         timeout=LAB_TIMEOUT_S)
    assert run.returncode == 0, run.stdout + run.stderr
    order = re.findall(r"^defrag m(\d) of leader m(\d)$", run.stdout, re.M)
    assert len(order) == 3 and len({member for member, _ in order}) == 3, run.stdout
    assert order[-1][0] == order[-1][1], f"the leader was not defragmented last: {order}"
    assert_nothing_left(lab)


@pytest.mark.lab_ports(8)
@pytest.mark.parametrize("snippet", [MEMBERSHIP, QUOTA])
def test_lab_interrupted_while_running_leaves_nothing(lab, snippet):
    """Ctrl-C in the middle of the lab: with m4 running (membership), or with the alarm raised (quota)."""
    path = save_lab(lab, snippet)
    proc = subprocess.Popen(["bash", str(path)], cwd=lab.workdir, env=lab_env(lab), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        for line in proc.stdout:
            if line.startswith("== 4."):
                break
        if snippet == MEMBERSHIP:
            # The lab goes on to stop two other members at once; m4 keeps running through section 4.
            assert len(processes_mentioning(lab.lab_dir / "m4.etcd")) == 1, "m4 is not running"
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, out
    assert "lab failed" not in out, out  # Ctrl-C is no failure
    deadline = time.monotonic() + 5  # an etcdctl request already sent may still run out its timeout
    while processes_started_in(lab.workdir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert_nothing_left(lab)


@pytest.mark.lab_ports(8)
def test_failing_membership_lab_stops_the_added_member(lab):
    """A lab that fails after m4 joined still stops m4 and removes its data."""
    save_lab(lab, MEMBERSHIP)
    script = ("lab_extra_members=1\nsource ./lab-cluster.sh\nstart_cluster\n"
              # a member of its own on m4's ports: enough for the trap to have a fourth member to stop
              "etcd --name m4 --data-dir $LAB_DIR/m4.etcd --listen-client-urls ${client_url[4]} "
              "--advertise-client-urls ${client_url[4]} --listen-peer-urls ${peer_url[4]} "
              "--initial-advertise-peer-urls ${peer_url[4]} --initial-cluster m4=${peer_url[4]} "
              ">>$LAB_DIR/m4.log 2>&1 &\npid[4]=$!\nwait_healthy 4\nfalse\n")
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=lab.workdir, env=lab_env(lab),
                         capture_output=True, text=True, timeout=LAB_TIMEOUT_S)
    assert run.returncode != 0
    assert "last log lines of each member" in run.stderr
    assert "m4: " in run.stderr, "the failure report leaves out m4's log"
    assert_nothing_left(lab)


@pytest.mark.lab_ports(8)
def test_lab_pasted_into_a_shell_changes_nothing(lab):
    """Pasted instead of saved and run, the lab finds lab-cluster.sh in the current directory and
    runs in a subshell that takes its settings, traps and members with it."""
    path = save_lab(lab, QUOTA)
    pasted = paste(path.read_text(), cwd=lab.workdir, timeout=LAB_TIMEOUT_S, env=lab_env(lab))
    assert pasted.status == "0", pasted.output
    assert_unchanged(pasted)
    assert_nothing_left(lab)


# --- the exercises -----------------------------------------------------------------------

QUORUM_COUNT = "etcd/operations/exercises/quorum-count/check_quorum_count.py"
NOSPACE = "etcd/operations/exercises/nospace/check-nospace.sh"
NOSPACE_SOLUTION = "etcd/operations/exercises/nospace/solution.sh"


def test_quorum_count_checker_accepts_the_solution():
    exercises.assert_accepts_the_solution(QUORUM_COUNT)


@pytest.mark.parametrize("answer", exercises.typical_wrong_answers(QUORUM_COUNT), ids=lambda p: p.name)
def test_quorum_count_checker_rejects_typical_wrong_answers(answer):
    exercises.assert_rejected(answer, exercises.run_checker(QUORUM_COUNT, answer))


def test_quorum_count_checker_asks_for_yes_or_no(tmp_path):
    answer = tmp_path / "my-quorum-count.txt"
    answer.write_text("1: no\n2: perhaps\n")
    printed = exercises.run_checker(QUORUM_COUNT, answer).stdout.splitlines()
    assert "case 2: answer yes or no" in printed
    assert "case 6: answer yes or no" in printed  # a case left out


def check_nospace(lab: Lab, answer: Path) -> subprocess.CompletedProcess:
    """The checker saved next to lab-cluster.sh, as the page asks."""
    for name in (NOSPACE, LAB_CLUSTER):
        shutil.copy(snippet_path(name), lab.workdir)
        record_run(name)  # saved copies: the audit hook cannot see them
    shutil.copy(answer, lab.workdir / "recover-nospace.sh")
    if answer.is_relative_to(SNIPPETS):
        record_run(str(answer.relative_to(SNIPPETS)))
    return subprocess.run(["bash", "check-nospace.sh", "recover-nospace.sh"], cwd=lab.workdir,
                          env=lab_env(lab), capture_output=True, text=True, timeout=LAB_TIMEOUT_S)


def test_nospace_checker_accepts_the_solution(lab):
    result = check_nospace(lab, snippet_path(NOSPACE_SOLUTION))
    assert (result.returncode, result.stdout) == (0, "PASS\n"), result.stdout + result.stderr
    assert_nothing_left(lab)


@pytest.mark.parametrize("answer", exercises.typical_wrong_answers(NOSPACE), ids=lambda p: p.name)
def test_nospace_checker_rejects_typical_wrong_answers(lab, answer):
    exercises.assert_rejected(answer, check_nospace(lab, answer))
    assert_nothing_left(lab)


def test_nospace_checker_stops_on_ctrl_c_while_the_script_hangs(lab):
    for name in (NOSPACE, LAB_CLUSTER):
        shutil.copy(snippet_path(name), lab.workdir)
    script = lab.workdir / "recover-nospace.sh"
    exercises.assert_stops_on_ctrl_c_while_the_script_hangs(["bash", "check-nospace.sh", script.name],
                                                            lab.workdir, lab_env(lab), script)
    assert_nothing_left(lab)


def test_nospace_checker_needs_the_script(tmp_path):
    result = subprocess.run(["bash", str(snippet_path(NOSPACE)), "recover-nospace.sh"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout) == (1, "cannot read recover-nospace.sh\n")


@pytest.mark.parametrize("snippet", [NOSPACE, NOSPACE_SOLUTION])
def test_exercise_scripts_pasted_into_a_shell_change_nothing(tmp_path, snippet):
    env = snippet_env(READERS_ENDPOINT, tmp_path)
    pasted = paste(snippet_path(snippet).read_text(), cwd=tmp_path, env=env, timeout=30)
    assert_unchanged(pasted)
    assert "usage: bash" in pasted.output


class TestOperationsPage(ExercisePageChecks):
    page = "etcd/operations.md"
