"""The etcd harness itself: it reaches etcd and leaves nothing behind."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from etcd_harness import ephemeral_port_range, etcd_bin_dir, free_port, port_block

TESTS_DIR = Path(__file__).parent


def etcdctl(env, *args):
    return subprocess.run(
        ["etcdctl", *args], env=env, capture_output=True, text=True, timeout=30, check=True
    ).stdout


def test_put_get_through_harness(etcd):
    assert etcdctl(etcd.env, "put", "harness/key", "value") == "OK\n"
    assert etcdctl(etcd.env, "get", "harness/key") == "harness/key\nvalue\n"


def test_workers_get_disjoint_ports_below_the_ephemeral_range():
    blocks = [set(port_block(f"gw{i}", 4)) for i in range(4)]
    assert all(blocks), blocks
    assert max(max(b) for b in blocks) < ephemeral_port_range()[0]
    for i, block in enumerate(blocks):
        for other in blocks[i + 1:]:
            assert not block & other


def test_free_ports_are_distinct_and_in_this_workers_block():
    ports = [free_port() for _ in range(50)]
    assert len(set(ports)) == 50
    assert set(ports) <= set(port_block())


def test_etcdutl_binary_runs():
    out = subprocess.run(
        [str(etcd_bin_dir() / "etcdutl"), "version"], capture_output=True, text=True, timeout=30
    )
    assert out.returncode == 0, out.stderr
    assert "etcdutl version: 3.5" in out.stdout


def test_three_member_cluster_has_one_leader(start_cluster):
    cluster = start_cluster(3)
    env = {**os.environ, "PATH": f"{etcd_bin_dir()}:{os.environ['PATH']}"}
    status = json.loads(
        etcdctl(env, f"--endpoints={cluster.endpoints}", "endpoint", "status", "-w", "json")
    )
    assert len(status) == 3
    leaders = {s["Status"]["leader"] for s in status}
    assert len(leaders) == 1
    assert sum(s["Status"]["header"]["member_id"] in leaders for s in status) == 1


INNER_TEST = textwrap.dedent(
    """
    import json, os
    from pathlib import Path

    def test_inner(etcd, start_cluster):
        cluster = etcd.cluster or start_cluster(1)
        record = {{
            "pids": [m.process.pid for m in cluster.members],
            "dirs": [str(cluster.base_dir), str(etcd.workdir)],
        }}
        Path({record!r}).write_text(json.dumps(record))
        {ending}
    """
)


@pytest.mark.parametrize(
    "ending, expected_rc",
    [
        ("assert False, 'a failing test'", 1),
        ("raise KeyboardInterrupt", 2),
    ],
    ids=["failing-test", "interrupted-run"],
)
def test_nothing_left_after_teardown(tmp_path, ending, expected_rc):
    record = tmp_path / "record.json"
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["etcd_harness"]\n')
    (tmp_path / "test_inner.py").write_text(INNER_TEST.format(record=str(record), ending=ending))
    env = {**os.environ, "PYTHONPATH": str(TESTS_DIR)}
    env.pop("ETCD_ENDPOINTS", None)  # the embedded server is what we check here
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == expected_rc, run.stdout + run.stderr
    left = json.loads(record.read_text())
    for pid in left["pids"]:
        assert not Path(f"/proc/{pid}").exists(), f"etcd pid {pid} still running"
    for directory in left["dirs"]:
        assert not Path(directory).exists(), f"{directory} left behind"
