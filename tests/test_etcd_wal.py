"""The labs of docs/{zh,en}/etcd/wal.md. Each runs its own throwaway etcd member:
backup and restore, and the data directory with a crash and a restart. Both are
also pasted into an interactive shell, as a reader might do by mistake."""

from __future__ import annotations

import re

import pytest

from paste_shell import assert_unchanged, paste
from snippet_runner import json_objects, run_and_check, snippet_path

READERS_ENDPOINT = "http://127.0.0.1:2379"  # the reader's own member, which a lab must leave alone


@pytest.mark.lab_ports(4)
def test_backup_restore_lab(lab, update_outputs):
    out = run_and_check("etcd/wal/backup-restore.sh", lab.etcd, update_outputs, env=lab.env)
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


@pytest.mark.lab_ports(2)
def test_data_dir_lab(lab, update_outputs):
    out = run_and_check("etcd/wal/data-dir.sh", lab.etcd, update_outputs, env=lab.env)
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


@pytest.mark.parametrize("snippet, ports", [("etcd/wal/backup-restore.sh", 4), ("etcd/wal/data-dir.sh", 2)])
def test_lab_pasted_into_a_shell_changes_nothing(lab, snippet, ports):
    """Pasted instead of saved and run, a lab still works, in a subshell that takes its traces with it."""
    lab.ports = lab.ports[:ports]
    pasted = paste(snippet_path(snippet).read_text(), cwd=lab.workdir, timeout=120,
                   env={**lab.etcd.env, **lab.env, "ETCDCTL_ENDPOINTS": READERS_ENDPOINT})
    assert pasted.status == "0", pasted.output
    assert_unchanged(pasted)
    lab.assert_cleaned_up()
