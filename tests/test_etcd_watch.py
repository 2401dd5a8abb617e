"""The examples of docs/{zh,en}/etcd/watch.md: a shell and a Python watcher, replaying
history, watching below the compaction revision, and progress notifications (a lab
that runs its own etcd member, because it needs a server flag)."""

from __future__ import annotations

import re

import pytest

from snippet_runner import run_and_check


EVENTS_WITH_PREV_KV = (
    "PUT\ndemo/greeting\nhello\n"                                  # created: no previous value
    "PUT\ndemo/greeting\nhello\ndemo/greeting\nworld\n"            # previous, then current
    "DELETE\ndemo/greeting\nworld\ndemo/greeting\n\n"              # previous, then the tombstone
)


def test_watch_shell(etcd, update_outputs):
    out = run_and_check("etcd/watch/watch.sh", etcd, update_outputs)
    assert out == EVENTS_WITH_PREV_KV + "watcher stopped\n"


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
    assert out == ("PUT\ndemo/config\nv1\n" "PUT\ndemo/config\nv2\n"
                   "DELETE\ndemo/config\n\n" "PUT\ndemo/config\nv3\n")


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


@pytest.mark.lab_ports(2)
def test_progress_notify_lab(lab, update_outputs):
    out = run_and_check("etcd/watch/progress-notify.sh", lab.etcd, update_outputs, env=lab.env)
    lab.assert_cleaned_up()
    current = re.search(r'\{"current_revision":(\d+)\}', out)
    notify = re.search(r"^progress notify: (\d+)$", out, re.M)
    assert current and notify
    assert notify[1] == current[1]  # no event for demo/quiet, yet the watcher knows the revision
    assert "PUT" not in out
