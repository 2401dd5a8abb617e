"""The etcd harness itself: it reaches etcd and leaves nothing behind."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from code_blocks import ROOT
from etcd_harness import (
    Etcd,
    OWNER_LABEL,
    RUN_LABEL,
    etcd_bin_dir,
    etcd_image,
    etcd_version,
    ephemeral_port_range,
    free_port,
    port_block,
    remove_orphaned_containers,
)

TESTS_DIR = ROOT / "tests"  # the harness and conftest an inner run imports


def test_put_get_through_harness(etcd):
    assert etcd.etcdctl("put", "harness/key", "value").stdout == "OK\n"
    assert etcd.etcdctl("get", "harness/key").stdout == "harness/key\nvalue\n"


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
    assert "etcdutl version: {}.{}.{}".format(*etcd_version()) in out.stdout


def test_three_member_cluster_has_one_leader(start_cluster, tmp_path):
    cluster = start_cluster(3)
    members = Etcd(cluster.endpoints, tmp_path, cluster=cluster)
    status = json.loads(members.etcdctl("endpoint", "status", "-w", "json").stdout)
    assert len(status) == 3
    leaders = {s["Status"]["leader"] for s in status}
    assert len(leaders) == 1
    assert sum(s["Status"]["header"]["member_id"] in leaders for s in status) == 1


INNER_TEST = textwrap.dedent(
    """
    import json, os
    from pathlib import Path

    def test_inner(etcd, start_cluster):
        cluster = start_cluster(1)
        record = {{
            "pids": [m.process.pid for m in cluster.members],
            "dirs": [str(cluster.base_dir), str(etcd.workdir)],
            "containers": [etcd.container.container.get_container_id()] if etcd.container else [],
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
    env.pop("ETCD_ENDPOINTS", None)  # the private server (process or container) is what we check here
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
    for container in left["containers"]:
        assert not container_exists(container), f"container {container} left behind"


SLEEPING_TESTS = textwrap.dedent(
    """
    import json, time
    from pathlib import Path

    import pytest

    @pytest.mark.parametrize("n", [1, 2])
    def test_sleeps(etcd, n):
        record = {{
            "pids": [m.process.pid for m in etcd.cluster.members] if etcd.cluster else [],
            "dirs": [str(etcd.cluster.base_dir)] if etcd.cluster else [],
            "containers": [etcd.container.container.get_container_id()] if etcd.container else [],
        }}
        record["dirs"].append(str(etcd.workdir))
        Path({records!r}, f"{{n}}.json").write_text(json.dumps(record))
        time.sleep(120)
    """
)


def test_nothing_left_after_ctrl_c_on_a_parallel_run(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["etcd_harness"]\n')
    (tmp_path / "test_inner.py").write_text(SLEEPING_TESTS.format(records=str(records)))
    env = {**os.environ, "PYTHONPATH": str(TESTS_DIR)}
    env.pop("ETCD_ENDPOINTS", None)
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", str(tmp_path)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(list(records.iterdir())) < 2:
            assert run.poll() is None and time.monotonic() < deadline, "the inner run never started its servers"
            time.sleep(0.1)
        run.send_signal(signal.SIGINT)  # what Ctrl-C sends
        output, _ = run.communicate(timeout=60)
    finally:
        run.kill()
    assert run.returncode == 2, output  # pytest's "interrupted"
    for record in records.iterdir():
        left = json.loads(record.read_text())
        for pid in left["pids"]:
            assert not Path(f"/proc/{pid}").exists(), f"etcd pid {pid} still running"
        for directory in left["dirs"]:
            assert not Path(directory).exists(), f"{directory} left behind"
        for container in left["containers"]:
            assert not container_exists(container), f"container {container} left behind"


def container_exists(container_id: str) -> bool:
    from docker.errors import NotFound
    from testcontainers.core.docker_client import DockerClient

    try:
        DockerClient().client.containers.get(container_id)
    except NotFound:
        return False
    return True


needs_container_mode = pytest.mark.skipif(not etcd_image(), reason="container mode only: set ETCD_IMAGE")


@needs_container_mode
def test_server_runs_in_a_container_on_loopback(etcd):
    assert etcd.container is not None and etcd.cluster is None
    attrs = etcd.container.container.get_wrapped_container().attrs
    assert attrs["HostConfig"]["NetworkMode"] == "host"
    assert attrs["HostConfig"]["PortBindings"] in ({}, None)  # nothing published beyond loopback
    assert etcd.endpoints.startswith("http://127.0.0.1:")
    assert etcd.etcdctl("put", "harness/key", "in a container").stdout == "OK\n"


@needs_container_mode
def test_containers_of_a_killed_run_are_removed():
    from testcontainers.core.docker_client import DockerClient

    dead = subprocess.Popen(["true"])
    dead.wait()  # its PID now names no process
    client = DockerClient().client
    orphan = client.containers.create(etcd_image(), labels={OWNER_LABEL: str(dead.pid), RUN_LABEL: "killed"})
    try:
        remove_orphaned_containers()
        assert not container_exists(orphan.id)
    finally:
        if container_exists(orphan.id):
            orphan.remove(force=True)


def test_outputs_of_another_etcd_release_are_kept_not_compared(monkeypatch, tmp_path):
    import snippet_runner

    monkeypatch.setattr(snippet_runner, "etcd_version", lambda: (3, 7, 1))
    monkeypatch.setattr(snippet_runner, "OBSERVED", tmp_path)
    snippet_runner.check_output("etcd/mvcc/revisions.sh", "what 3.7.1 printed\n", update=False)
    assert (tmp_path / "3.7.1" / "etcd/mvcc/revisions.sh.out").read_text() == "what 3.7.1 printed\n"
    with pytest.raises(AssertionError, match="--update-outputs needs the reference etcd 3.5.1"):
        snippet_runner.check_output("etcd/mvcc/revisions.sh", "what 3.7.1 printed\n", update=True)


def test_outputs_of_the_reference_release_are_compared():
    import snippet_runner

    with pytest.raises(AssertionError, match="drifted from what docs/"):
        snippet_runner.check_output("etcd/mvcc/revisions.sh", "not what the page shows\n", update=False)
