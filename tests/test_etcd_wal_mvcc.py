"""The examples of docs/{zh,en}/etcd/wal-mvcc.md: revisions, history, compaction,
transactions, and two labs that run their own throwaway etcd member (data directory
and crash recovery, backup and restore)."""

from __future__ import annotations

import json
import re

import pytest

from snippet_runner import run_and_check


def json_objects(text: str) -> list[dict]:
    """Every JSON object printed in ``text`` (pretty or compact), in order."""
    decoder, found, i = json.JSONDecoder(), [], 0
    while (start := text.find("{", i)) != -1:
        try:
            obj, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            i = start + 1
            continue
        found.append(obj)
        i = end
    return found


def test_revisions(etcd, update_outputs):
    out = run_and_check("etcd/wal-mvcc/revisions.sh", etcd, update_outputs)
    assert out.startswith("OK\nOK\nOK\n")
    before, after = json_objects(out)
    kv, rev = before["kv"], before["revision"]
    assert (kv["key"], kv["value"], kv["version"]) == ("demo/color", "green", 2)
    # red at rev-2 created the key, green at rev-1 modified it, demo/size took rev.
    assert (kv["create_revision"], kv["mod_revision"]) == (rev - 2, rev - 1)
    # del took rev+1, the new put rev+2: a fresh generation.
    assert after == {"create_revision": rev + 2, "mod_revision": rev + 2, "version": 1}


def test_history(etcd, update_outputs):
    out = run_and_check("etcd/wal-mvcc/history.sh", etcd, update_outputs)
    assert "latest: v3\n" in out
    rows = re.findall(r"^at revision: (\d+) -> (.*)$", out, re.M)
    revs = [int(r) for r, _ in rows]
    assert revs == list(range(revs[0], revs[0] + 4))
    assert [v for _, v in rows] == ["(no such key yet)", "v1", "v2", "v3"]


def test_compaction(etcd, update_outputs):
    out = run_and_check("etcd/wal-mvcc/compaction.sh", etcd, update_outputs)
    assert "latest value: 3\n" in out
    assert "value at the compaction revision: 3\n" in out
    assert out.rstrip().endswith("Error: etcdserver: mvcc: required revision has been compacted")


def test_transaction_shell(etcd, update_outputs):
    out = run_and_check("etcd/wal-mvcc/txn.sh", etcd, update_outputs)
    assert "writer A:\nSUCCESS\n\nOK\n" in out
    # B's compare failed: its put did not run, the failure branch read A's value instead.
    assert "writer B:\nFAILURE\n\ndemo/counter\n4\n" in out
    assert "writer B, second attempt:\nSUCCESS\n\nOK\n" in out
    assert out.endswith("final value: 5\n")  # no increment was lost


def test_transaction_python(etcd, update_outputs):
    out = run_and_check("etcd/wal-mvcc/txn.py", etcd, update_outputs)
    assert out.splitlines() == [
        "writer A attempt 1: read 3, write 4: committed",
        "writer B attempt 1: read 3, write 4: conflict, someone wrote first",
        "writer B attempt 2: read 4, write 5: committed",
        "final value: 5 (version 3)",
    ]


@pytest.mark.lab_ports(2)
def test_data_dir_lab(lab, update_outputs):
    out = run_and_check("etcd/wal-mvcc/data-dir.sh", lab.etcd, update_outputs, env=lab.env)
    lab.assert_cleaned_up()
    files = re.findall(r"^\./(member/\S+)$", out, re.M)
    assert "member/snap/db" in files
    assert any(re.fullmatch(r"member/wal/[0-9a-f]{16}-[0-9a-f]{16}\.wal", f) for f in files)
    assert any(re.fullmatch(r"member/snap/[0-9a-f]{16}-[0-9a-f]{16}\.snap", f) for f in files)
    assert re.search(r"^64000000 member/wal/\S+\.wal$", out, re.M)  # 64 MB segments
    assert '"Count" : 12' in out
    assert "demo/key12\nvalue12\n" in out
    revisions = re.findall(r'\{"revision":(\d+)\}', out)
    assert len(revisions) == 2 and revisions[0] == revisions[1]  # nothing lost in the crash


@pytest.mark.lab_ports(4)
def test_backup_restore_lab(lab, update_outputs):
    out = run_and_check("etcd/wal-mvcc/backup-restore.sh", lab.etcd, update_outputs, env=lab.env)
    lab.assert_cleaned_up()
    assert "Snapshot saved at backup.db" in out
    status = json_objects(out.split("== 3.")[1])[0]
    restored = out.split("== 6.")[1]
    assert 'app/config\n{"replicas": 3}\napp/feature-flag\noff\n' in restored
    after = [o for o in json_objects(restored) if "revision" in o][0]
    assert after == {"revision": status["revision"], "version": 2}
    assert "member/snap/db" in out.split("== 5.")[1]
    assert re.search(r"^[0-9a-f]+, started, restored, ", restored, re.M)
    assert "original" not in restored  # a new cluster: the old member is not in it
