"""The examples of docs/{zh,en}/etcd/watch.md: a shell and a Python watcher, replaying
history, watching below the compaction revision, progress notifications and watch limits
(two labs that run their own etcd member, because they need a server flag).

The progress notification lab must name the interval flag the way the reader's etcd
does: ``--experimental-watch-progress-notify-interval`` up to 3.5 (server/etcdmain/config.go
of v3.5.33), ``--watch-progress-notify-interval`` from 3.6, which still accepts the old
name with a deprecation warning (server/embed/config.go of v3.6.0), while 3.7 removed it
(CHANGELOG-3.7.md: "Removed all deprecated experimental flags"). The tests can run only
etcd 3.5.1, so the other versions are played by a stand-in ``etcd`` on PATH that answers
``--version`` as that release does, refuses the flag name that release does not know,
and hands everything else to the real 3.5.1.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest

from etcd_harness import etcd_bin_dir, processes_started_in
from paste_shell import Pasted, assert_unchanged, paste, run_without_server
from snippet_runner import run_and_check, run_snippet, snippet_path

READERS_ENDPOINT = "http://127.0.0.1:2379"  # the reader's own member, which a lab must leave alone
OLD_FLAG = "--experimental-watch-progress-notify-interval"
NEW_FLAG = "--watch-progress-notify-interval"


def watch_events(out: str) -> list[tuple[str, list[str]]]:
    """etcdctl watch output as (event type, the lines that follow it) pairs."""
    parts = re.split(r"^(PUT|DELETE)\n", out, flags=re.M)[1:]
    return [(kind, body.split("\n")[:-1]) for kind, body in zip(parts[0::2], parts[1::2])]


def test_watch_shell(etcd, update_outputs):
    out = run_and_check("etcd/watch/watch.sh", etcd, update_outputs)
    assert out.endswith("watcher stopped\n")
    events = watch_events(out.removesuffix("watcher stopped\n"))
    # What the page explains: with --prev-kv a created key has no previous value, an update
    # shows the previous value before the current one, a delete the previous value and then
    # the key with an empty value.
    assert [kind for kind, _ in events] == ["PUT", "PUT", "DELETE"]
    created, updated, deleted = (lines for _, lines in events)
    assert len(created) == 2
    assert updated[1] == "hello" and updated[3] == "world"
    assert deleted[1] == "world" and deleted[3] == ""


def test_watch_python(etcd, update_outputs):
    out = run_and_check("etcd/watch/watch.py", etcd, update_outputs)
    lines = out.splitlines()
    assert re.fullmatch(r"PUT    demo/greeting: now 'hello' \(mod_revision=\d+\), before -", lines[0])
    assert re.fullmatch(r"PUT    demo/greeting: now 'world' .*, before 'hello' .*", lines[1])
    assert re.fullmatch(r"DELETE demo/greeting: now '' .*, before 'world' .*", lines[2])
    assert lines[3:] == ["one revision per event, in order: True", "watch cancelled"]


def test_watch_history(etcd, update_outputs):
    out = run_and_check("etcd/watch/watch-history.sh", etcd, update_outputs)
    # Three replayed events from the past, then the live one, in revision order.
    events = watch_events(out)
    assert [kind for kind, _ in events] == ["PUT", "PUT", "DELETE", "PUT"]
    assert [lines[-1] for kind, lines in events if kind == "PUT"] == ["v1", "v2", "v3"]


def test_watch_compacted_shell(etcd, update_outputs):
    out = run_and_check("etcd/watch/watch-compacted.sh", etcd, update_outputs)
    assert "watch was canceled (etcdserver: mvcc: required revision has been compacted)\n" in out
    assert "PUT" not in out  # not a single event was delivered
    assert out.rstrip().endswith("etcdctl exited with status 5")


def test_watch_compacted_python(etcd, update_outputs):
    out = run_and_check("etcd/watch/watch-compacted.py", etcd, update_outputs)
    failed = re.search(r"^resume at revision=(\d+) failed: compact_revision=(\d+)$", out, re.M)
    assert failed and int(failed[2]) > int(failed[1])
    relist = re.search(r"^relist: demo/job = done at revision=(\d+)$", out, re.M)
    assert relist and relist[1] == failed[2]  # the list sees the state at the compaction point
    assert out.endswith("watching again: PUT archived\n")


def assert_progress_notified(out: str) -> None:
    current = re.search(r'\{"current_revision":(\d+)\}', out)
    notify = re.search(r"^progress notify: (\d+)$", out, re.M)
    assert current and notify, out
    assert notify[1] == current[1]  # no event for demo/quiet, yet the watcher knows the revision
    assert "PUT" not in out


@pytest.mark.lab_ports(2)
def test_progress_notify_lab(lab, update_outputs):
    out = run_and_check("etcd/watch/progress-notify.sh", lab.etcd, update_outputs, env=lab.env)
    lab.assert_cleaned_up()
    assert f"== 1. start etcd 3.5.1 with {OLD_FLAG}=1s" in out
    assert_progress_notified(out)


def test_etcd_3_5_refuses_the_new_flag_name(tmp_path):
    """What the stand-in below imitates, seen on the real 3.5 binary: the 3.6 name is an unknown flag."""
    run = subprocess.run([str(etcd_bin_dir() / "etcd"), f"{NEW_FLAG}=1s", f"--data-dir={tmp_path / 'm.etcd'}"],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 2
    assert "flag provided but not defined: -watch-progress-notify-interval" in run.stderr


STAND_IN = """#!/usr/bin/env bash
# etcd {version}, as far as the progress notification flag goes.
if [ "$*" = --version ]; then
  printf 'etcd Version: %s\\nGit SHA: 0000000\\nGo Version: go1.25\\nGo OS/Arch: linux/amd64\\n' {version}
  exit 0
fi
args=()
for arg; do
  case $arg in {old}=*|{new}=*) echo "$arg" >>{passed} ;; esac
  case $arg in
    {refused}=*) echo "flag provided but not defined: ${{arg%%=*}}" >&2; exit 2 ;;
    {new}=*) arg={old}=${{arg#*=}} ;;   # the real etcd underneath is 3.5.1
  esac
  args+=("$arg")
done
exec {real} "${{args[@]}}"
"""


@pytest.mark.lab_ports(2)
@pytest.mark.parametrize("version, refused, expected", [
    ("3.5.33", NEW_FLAG, OLD_FLAG),
    ("3.6.0", None, NEW_FLAG),    # both names work; the new one has no deprecation warning
    ("3.6.14", None, NEW_FLAG),
    ("3.7.1", OLD_FLAG, NEW_FLAG),
])
def test_progress_notify_lab_names_the_flag_for_the_etcd_it_runs(lab, version, refused, expected):
    stand_in_dir = lab.workdir / "stand-in"
    stand_in_dir.mkdir()
    passed = lab.workdir / "passed-flag"
    stand_in = stand_in_dir / "etcd"
    stand_in.write_text(STAND_IN.format(
        version=version, refused=refused or "--no-flag-is-refused", new=NEW_FLAG, old=OLD_FLAG,
        passed=passed, real=etcd_bin_dir() / "etcd"))
    stand_in.chmod(0o755)
    env = {**lab.env, "PATH": f"{stand_in_dir}:{lab.etcd.env['PATH']}"}
    out = run_snippet("etcd/watch/progress-notify.sh", lab.etcd, env=env)
    lab.assert_cleaned_up()
    assert f"== 1. start etcd {version} with {expected}=1s" in out
    assert passed.read_text() == f"{expected}=1s\n"
    assert_progress_notified(out)


@pytest.mark.lab_ports(2)
def test_progress_notify_lab_pasted_into_a_shell_changes_nothing(lab):
    pasted = paste(snippet_path("etcd/watch/progress-notify.sh").read_text(), cwd=lab.workdir, timeout=60,
                   env={**lab.etcd.env, **lab.env, "ETCDCTL_ENDPOINTS": READERS_ENDPOINT})
    assert pasted.status == "0", pasted.output
    assert "progress notify: " in pasted.output
    assert_unchanged(pasted)
    lab.assert_cleaned_up()


@pytest.mark.lab_ports(2)
def test_watch_limits_lab(lab, update_outputs):
    out = run_and_check("etcd/watch/watch-limits.sh", lab.etcd, update_outputs, env=lab.env)
    lab.assert_cleaned_up()
    # --max-request-bytes bounds each request: one large value, or a transaction, but not a watch response.
    assert "put a 3000-byte value: OK" in out
    assert "put a 5000-byte value: Error: etcdserver: request is too large" in out
    assert "one transaction with two 3000-byte puts: Error: etcdserver: request is too large" in out
    assert "the same two puts one by one: OK" in out
    assert "events in the first response: 3; bytes of value in it: 9000" in out
    # prev_kv sends the previous value along with every update.
    assert "no flag: the event carries 3000 bytes of values" in out
    assert "--prev-kv: the event carries 6000 bytes of values" in out


@pytest.mark.lab_ports(2)
def test_watch_limits_lab_pasted_into_a_shell_changes_nothing(lab):
    pasted = paste(snippet_path("etcd/watch/watch-limits.sh").read_text(), cwd=lab.workdir, timeout=60,
                   env={**lab.etcd.env, **lab.env, "ETCDCTL_ENDPOINTS": READERS_ENDPOINT})
    assert pasted.status == "0", pasted.output
    assert "request is too large" in pasted.output
    assert_unchanged(pasted)
    lab.assert_cleaned_up()


@pytest.mark.lab_ports(2)
def test_watch_limits_lab_interrupted_leaves_nothing(lab):
    """Ctrl-C once the member runs: the trap stops it and removes the lab's directory."""
    proc = subprocess.Popen(["bash", str(snippet_path("etcd/watch/watch-limits.sh"))], cwd=lab.workdir,
                            env={**lab.etcd.env, **lab.env}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        for printed in proc.stdout:
            if printed.startswith("== 2."):
                break
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    # 130 from the trap; bash exits with 2 instead when the signal lands while a command
    # substitution is still being parsed. Either way the lab stopped, and cleaned up below.
    assert proc.returncode in (130, 2), out
    # Ctrl-C is no failure; after the exit with 2 above the cleanup cannot tell it from one.
    assert proc.returncode == 2 or "lab failed" not in out, out
    deadline = time.monotonic() + 5  # an etcdctl already sent may run out its timeout
    while processes_started_in(lab.workdir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_started_in(lab.workdir)
    lab.assert_cleaned_up()


@pytest.mark.parametrize("snippet", [
    "watch.sh", "watch.py", "watch-history.sh", "watch-compacted.sh", "watch-compacted.py",
])
def test_every_command_gives_up_when_etcd_does_not_answer(snippet, tmp_path):
    """A reader whose member is down or hung gets the prompt back: every command has a time limit."""
    result = run_without_server(snippet_path(f"etcd/watch/{snippet}"), tmp_path, timeout=90)
    if isinstance(result, Pasted):
        assert_unchanged(result)
    else:
        assert result.returncode != 0
