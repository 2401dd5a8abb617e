"""The labs of docs/{zh,en}/etcd/wal.md. Each runs its own throwaway etcd member:
backup and restore, and the data directory with a crash and a restart. Both are
also pasted into an interactive shell, as a reader might do by mistake."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest

from etcd_harness import etcd_bin_dir, processes_started_in
from paste_shell import assert_unchanged, paste
from snippet_runner import json_objects, run_and_check, run_snippet, snippet_path

READERS_ENDPOINT = "http://127.0.0.1:2379"  # the reader's own member, which a lab must leave alone


@pytest.mark.lab_ports(4)
def test_backup_restore_lab(lab, update_outputs):
    out = run_and_check("etcd/wal/backup-restore.sh", lab.etcd, update_outputs, env=lab.env)
    lab.assert_cleaned_up()
    assert "Snapshot saved at backup.db" in out
    status = json_objects(out.split("== 3.")[1])[0]
    restored = out.split("== 6.")[1]
    # Both keys written before the backup are back after the restore.
    assert re.search(r'^app/config\n\{"replicas": 3\}$', restored, re.M)
    assert re.search(r"^app/feature-flag\noff$", restored, re.M)
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


def etcdutl_bumps_revisions() -> bool:
    """Whether this etcdutl has --bump-revision and --mark-compacted (3.5.10 and later)."""
    run = subprocess.run([str(etcd_bin_dir() / "etcdutl"), "snapshot", "restore", "--help"],
                         capture_output=True, text=True, timeout=30)
    return "--bump-revision" in run.stdout + run.stderr


@pytest.mark.lab_ports(2)
def test_restore_revisions_lab(lab, update_outputs):
    out = run_and_check("etcd/wal/restore-revisions.sh", lab.etcd, update_outputs, env=lab.env)
    lab.assert_cleaned_up()
    backup = int(re.search(r"^backup taken at revision (\d+)$", out, re.M).group(1))
    seen = int(re.search(r"^the watcher's cache is at revision (\d+):", out, re.M).group(1))
    assert seen == backup + 2
    # A plain restore rewinds the revision to the backup's, and brings back the deleted key.
    assert f"the restored member is at revision {backup}: web = v1, db = v1" in out
    # New writes reuse revisions the watcher has already seen; resuming after its last one,
    # it misses them and sees only what comes later.
    plain = out[out.index("== 3."):out.index("== 4.")]
    revisions = [int(r) for r in re.findall(r"^  revision (\d+): ", plain, re.M)]
    assert revisions == [seen + 1], plain
    assert re.search(rf"^etcd has /registry/pods/cache = v1, last written at revision {backup + 2}$", plain, re.M)
    assert re.search(rf"^etcd has /registry/pods/db = v1, last written at revision {backup}$", plain, re.M)
    fixed = out[out.index("== 4."):]
    if etcdutl_bumps_revisions():
        bumped = int(re.search(r"^the restored member is at revision (\d+)$", fixed, re.M).group(1))
        assert bumped == backup + 1_000_000
        assert "(no events)" in fixed and "watch was canceled" in fixed and "compacted" in fixed
    else:
        assert "has no --bump-revision (it came with 3.5.10): skipped" in fixed


@pytest.mark.lab_ports(2)
def test_restore_revisions_lab_waits_for_a_slow_watcher(lab):
    """A watcher that prints its first event late is still waited for. jq 1.6 (Debian 12)
    exits 0 with -e on an empty file, which once ended the wait before the watcher wrote."""
    slow = lab.workdir / "slow-watch"
    slow.mkdir()
    (slow / "etcdctl").write_text(f'#!/bin/sh\n[ "$1" = watch ] && sleep 0.5\nexec {etcd_bin_dir() / "etcdctl"} "$@"\n')
    (slow / "etcdctl").chmod(0o755)
    out = run_snippet("etcd/wal/restore-revisions.sh", lab.etcd,
                      env={**lab.env, "PATH": f"{slow}:{lab.etcd.env['PATH']}"})
    lab.assert_cleaned_up()
    from_the_start = out[out.index("== 1."):out.index("== 2.")]
    seen = int(re.search(r"^the watcher's cache is at revision (\d+):", from_the_start, re.M).group(1))
    revisions = [int(r) for r in re.findall(r"^  revision (\d+): ", from_the_start, re.M)]
    assert revisions == list(range(2, seen + 1)), from_the_start


@pytest.mark.lab_ports(2)
def test_restore_revisions_lab_interrupted_leaves_nothing(lab):
    """Ctrl-C while the restored member runs and a watcher is waiting: nothing is left behind."""
    proc = subprocess.Popen(["bash", str(snippet_path("etcd/wal/restore-revisions.sh"))], cwd=lab.workdir,
                            env={**lab.etcd.env, **lab.env}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        for printed in proc.stdout:
            if printed.startswith("== 3."):
                break
        # At once: on an idle machine the rest of the lab takes well under a second.
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, out
    assert "lab failed" not in out, out  # Ctrl-C is no failure
    deadline = time.monotonic() + 5  # an etcdctl already sent may run out its timeout
    while processes_started_in(lab.workdir) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = processes_started_in(lab.workdir)
    assert not left, "still running after Ctrl-C:\n" + subprocess.run(
        ["ps", "-o", "pid=,args=", "-p", ",".join(map(str, left))], capture_output=True, text=True).stdout + out
    lab.assert_cleaned_up()


@pytest.mark.parametrize("snippet, ports", [("etcd/wal/backup-restore.sh", 4), ("etcd/wal/data-dir.sh", 2),
                                            ("etcd/wal/restore-revisions.sh", 2)])
def test_lab_pasted_into_a_shell_changes_nothing(lab, snippet, ports):
    """Pasted instead of saved and run, a lab still works, in a subshell that takes its traces with it."""
    lab.ports = lab.ports[:ports]
    pasted = paste(snippet_path(snippet).read_text(), cwd=lab.workdir, timeout=120,
                   env={**lab.etcd.env, **lab.env, "ETCDCTL_ENDPOINTS": READERS_ENDPOINT})
    assert pasted.status == "0", pasted.output
    assert_unchanged(pasted)
    lab.assert_cleaned_up()
