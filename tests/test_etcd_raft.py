"""The Raft labs on docs/*/etcd/raft.md: each lab starts its own 3-member cluster.

The labs run exactly as a reader runs them (etcd and etcdctl from PATH), on free
loopback ports passed in LAB_PORTS, with their data in LAB_DIR. Besides comparing
the shown output, each test asserts the facts the page explains and checks that
the lab's trap left no member running and nothing on disk. The measured cluster
formation and re-election times are printed (pytest -s or -rP shows them). The
failover lab also records a trace of the members' roles and terms (raft_trace.py),
which the page replays.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time

import pytest

from etcd_harness import Lab, etcd_version, processes_mentioning
from paste_shell import assert_unchanged, paste
from raft_trace import check_failover_trace, dumps, run_traced, trace_path
from snippet_runner import check_output, run_and_check, snippet_path

LAB_TIMEOUT_S = 120  # a whole lab; each wait inside a lab is bounded by LAB_TIMEOUT (20 s)
READERS_ENDPOINT = "http://127.0.0.1:2379"  # the reader's own member, which a lab must leave alone


def run_lab(snippet: str, lab: Lab, update_outputs: bool) -> tuple[str, float]:
    started = time.monotonic()
    out = run_and_check(snippet, lab.etcd, update_outputs, env=lab.env, timeout=LAB_TIMEOUT_S)
    wall = time.monotonic() - started
    lab.assert_cleaned_up()
    return out, wall


def seconds(pattern: str, out: str) -> float:
    match = re.search(pattern + r" ([0-9.]+)s", out)
    assert match, f"no {pattern!r} line in:\n{out}"
    return float(match.group(1))


def after(heading: str, out: str) -> str:
    """The part of the output from a '== N. ...' heading up to the next one."""
    part = out[out.index(heading):]
    following = part.find("\n== ", 1)
    return part if following == -1 else part[:following + 1]


def test_failover_lab(lab, update_outputs):
    started = time.monotonic()
    version = ".".join(map(str, etcd_version()))
    out, trace = run_traced("etcd/raft/failover-lab.sh", lab, version, LAB_TIMEOUT_S)
    wall = time.monotonic() - started
    check_output("etcd/raft/failover-lab.sh", out, update_outputs)
    lab.assert_cleaned_up()
    check_failover_trace(trace)
    if update_outputs:  # the replay on the page shows the same run as the output
        trace_path("etcd/raft/failover-lab.sh").write_text(dumps(trace), encoding="utf-8")
    formation = seconds("cluster formed in", out)
    reelection = seconds("new leader elected after", out)
    print(f"\nfailover-lab: cluster formed in {formation:.2f}s, "
          f"new leader {reelection:.2f}s after the kill, lab wall time {wall:.1f}s")

    assert "new leader is another member: yes" in out
    assert "term increased: yes" in out
    # A follower waits at least one election timeout (1000 ms by default) before campaigning.
    assert 0.5 < reelection < 15, f"re-election took {reelection}s"
    readback = after("== 4.", out)
    for i in (1, 2, 3):
        assert f"/lab/before-{i}\nvalue-{i}\n" in readback, "an acknowledged write was lost"
    assert after("== 5.", out).splitlines().count("OK") == 1, "the write with 2 of 3 members failed"
    rejoin = after("== 6.", out)
    assert "old leader rejoined as: follower" in rejoin
    assert "it adopted the new leader's term: yes" in rejoin
    assert rejoin.endswith("/lab/during-outage\nwritten while the old leader was down\n"), rejoin


def test_failover_trace_on_the_page_shows_a_failover():
    check_failover_trace(json.loads(trace_path("etcd/raft/failover-lab.sh").read_text(encoding="utf-8")))


def test_follower_lab(lab, update_outputs):
    out, wall = run_lab("etcd/raft/follower-lab.sh", lab, update_outputs)
    formation = seconds("cluster formed in", out)
    catch_up = seconds("follower caught up after", out)
    print(f"\nfollower-lab: cluster formed in {formation:.2f}s, "
          f"restarted follower caught up in {catch_up:.2f}s, lab wall time {wall:.1f}s")

    assert after("== 2.", out).splitlines().count("OK") == 3, "writes failed with one follower down"
    assert "two seconds later, the leader is unchanged: yes" in out
    assert "it rejoined as: follower" in out
    assert "same leader, same term: yes" in out
    expected = "".join(f"/lab/missed-{i}\nvalue-{i}\n" for i in (1, 2, 3))
    assert out.endswith("own endpoint:\n" + expected), "the restarted follower lacks the writes it missed"


def test_quorum_lab(lab, update_outputs):
    out, wall = run_lab("etcd/raft/quorum-lab.sh", lab, update_outputs)
    formation = seconds("cluster formed in", out)
    election = seconds("leader elected after", out)
    print(f"\nquorum-lab: cluster formed in {formation:.2f}s, "
          f"leader elected {election:.2f}s after quorum returned, lab wall time {wall:.1f}s")

    minority = after("== 2.", out)
    assert "write acknowledged: no (timed out waiting for a majority)" in minority
    assert "linearizable read: fails" in minority
    assert "/lab/quorum\nwritten by 3 of 3 members\n" in minority  # the stale local read
    assert "the lone member still calls itself leader: no" in minority  # it stepped down
    majority = after("== 3.", out)
    assert "the leader is the member that stayed up (its log is more up-to-date): yes" in majority
    # The timed-out write was in the lone leader's log; the new majority committed it.
    assert re.search(r"step 2:\n/lab/quorum\nwritten by 1 of 3 members$", majority, re.M)
    # The last write went through once the majority was back, and the key holds it.
    assert out.rstrip().endswith("written by 2 of 3 members")


@pytest.mark.parametrize("ending", ["failure", "interrupt"])
def test_lab_cluster_cleans_up(lab, ending):
    """lab-cluster.sh stops every member and removes LAB_DIR when a lab fails or gets Ctrl-C."""
    library = snippet_path("etcd/raft/lab-cluster.sh")
    script = f'source "{library}"\nstart_cluster\n' + (
        "false\n" if ending == "failure" else "echo ready\nsleep 60\n"
    )
    proc = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=lab.etcd.workdir, env={**lab.etcd.env, **lab.env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    try:
        if ending == "interrupt":
            assert proc.stdout.readline().startswith("cluster formed in")
            assert proc.stdout.readline() == "ready\n"
            assert len(processes_mentioning(lab.lab_dir)) == 3
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode != 0, out
    # A failure shows the members' last log lines; Ctrl-C is no failure, and shows none.
    assert ("last log lines of each member" in out) == (ending == "failure"), out
    lab.assert_cleaned_up()


@pytest.mark.parametrize("snippet", ["failover-lab.sh", "follower-lab.sh", "quorum-lab.sh"])
def test_lab_pasted_into_a_shell_changes_nothing(lab, snippet):
    """A lab pasted instead of saved and run still works (it finds lab-cluster.sh in the current
    directory), in a subshell that takes its settings, traps and members with it."""
    library = snippet_path("etcd/raft/lab-cluster.sh")
    (lab.workdir / library.name).write_text(library.read_text())
    pasted = paste(snippet_path(f"etcd/raft/{snippet}").read_text(), cwd=lab.workdir, timeout=LAB_TIMEOUT_S,
                   env={**lab.etcd.env, **lab.env, "ETCDCTL_ENDPOINTS": READERS_ENDPOINT})
    assert pasted.status == "0", pasted.output
    assert_unchanged(pasted)
    lab.assert_cleaned_up()


def test_lab_pasted_without_lab_cluster_changes_nothing(lab):
    pasted = paste(snippet_path("etcd/raft/failover-lab.sh").read_text(), cwd=lab.workdir, timeout=30,
                   env={**lab.etcd.env, **lab.env, "ETCDCTL_ENDPOINTS": READERS_ENDPOINT})
    assert pasted.status != "0"
    assert "lab-cluster.sh: No such file or directory" in pasted.output
    assert_unchanged(pasted)


def test_lab_cluster_alone_does_nothing(lab):
    """lab-cluster.sh, shown on the page, says how to use it when pasted or run, and starts nothing."""
    library = snippet_path("etcd/raft/lab-cluster.sh")
    env = {**lab.etcd.env, **lab.env, "ETCDCTL_ENDPOINTS": READERS_ENDPOINT}
    pasted = paste(library.read_text(), cwd=lab.workdir, env=env, timeout=30)
    assert_unchanged(pasted)
    run = subprocess.run(["bash", str(library)], cwd=lab.workdir, env=env, capture_output=True, text=True,
                         timeout=30)
    for printed in (pasted.output, run.stderr):
        assert "save it next to them and run a lab" in printed
    assert not lab.lab_dir.exists() and not processes_mentioning(lab.lab_dir)
