"""The examples of docs/{zh,en}/etcd/mvcc.md: revisions, reading the past,
compaction and compare-and-swap transactions."""

from __future__ import annotations

import re

import pytest

from paste_shell import Pasted, assert_unchanged, run_without_server
from snippet_runner import json_objects, run_and_check, snippet_path


def test_revisions(etcd, update_outputs):
    out = run_and_check("etcd/mvcc/revisions.sh", etcd, update_outputs)
    before, after = json_objects(out)
    kv, rev = before["kv"], before["revision"]
    assert (kv["key"], kv["value"], kv["version"]) == ("demo/color", "green", 2)
    # red at rev-2 created the key, green at rev-1 modified it, demo/size took rev.
    assert (kv["create_revision"], kv["mod_revision"]) == (rev - 2, rev - 1)
    # del took rev+1, the new put rev+2: a fresh generation.
    assert after == {"create_revision": rev + 2, "mod_revision": rev + 2, "version": 1}


def test_history(etcd, update_outputs):
    out = run_and_check("etcd/mvcc/history.sh", etcd, update_outputs)
    assert "latest: v3\n" in out
    rows = re.findall(r"^at revision: (\d+) -> (.*)$", out, re.M)
    revs = [int(r) for r, _ in rows]
    assert revs == list(range(revs[0], revs[0] + 4))
    assert [v for _, v in rows] == ["(no such key yet)", "v1", "v2", "v3"]


def test_compaction(etcd, update_outputs):
    out = run_and_check("etcd/mvcc/compaction.sh", etcd, update_outputs)
    assert "latest value: 3\n" in out
    assert "value at the compaction revision: 3\n" in out
    assert out.rstrip().endswith("Error: etcdserver: mvcc: required revision has been compacted")


def test_transaction_shell(etcd, update_outputs):
    out = run_and_check("etcd/mvcc/txn.sh", etcd, update_outputs)
    writers = dict(part.split(":\n", 1) for part in out.split("writer ")[1:])
    # A's compare held and its put ran; B's failed, so its put did not run and the failure
    # branch read A's value instead; B's second attempt, against that value, succeeded.
    assert writers["A"].startswith("SUCCESS")
    assert writers["B"].startswith("FAILURE") and "demo/counter\n4" in writers["B"]
    assert writers["B, second attempt"].startswith("SUCCESS")
    assert out.endswith("final value: 5\n")  # no increment was lost


def test_transaction_python(etcd, update_outputs):
    out = run_and_check("etcd/mvcc/txn.py", etcd, update_outputs)
    # Both writers read 3; the first to commit wins, the other sees a conflict and retries
    # with the new value, so no increment is lost.
    attempts = re.findall(r"^writer (\w) attempt (\d): read (\d+), write (\d+): (\w+)", out, re.M)
    assert [a[4] for a in attempts] == ["committed", "conflict", "committed"]
    assert attempts[0][2] == attempts[1][2] and attempts[2][2] == attempts[0][3]
    assert out.rstrip().endswith("final value: 5 (version 3)")


@pytest.mark.parametrize("snippet", ["revisions.sh", "history.sh", "compaction.sh", "txn.sh", "txn.py"])
def test_every_command_gives_up_when_etcd_does_not_answer(snippet, tmp_path):
    """A reader whose member is down or hung gets the prompt back: every command has a time limit."""
    result = run_without_server(snippet_path(f"etcd/mvcc/{snippet}"), tmp_path, timeout=90)
    if isinstance(result, Pasted):
        assert_unchanged(result)
    else:
        assert result.returncode != 0
