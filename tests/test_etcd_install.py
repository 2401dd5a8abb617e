"""The examples on docs/{zh,en}/etcd/install.md.

The download is tested offline: a local HTTP server on a free loopback port
plays the release server (or a mirror), serving a release-shaped tarball built
from the binaries of the test harness (the reference etcd 3.5.1, or the
release ``ETCD_BIN_DIR`` names). ``pytest --online`` also
downloads the real release the snippet defaults to, from GitHub.

The binaries the snippets install are the ones they run: every snippet here
runs with PATH=/usr/bin:/bin, so the harness's own etcd cannot stand in.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import signal
import socket
import stat
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import etcd_versions
from etcd_harness import Etcd, etcd_bin_dir, etcd_version, free_port, processes_started_in, stop_processes_started_in
from snippet_runner import SNIPPETS, check_output, run_and_check, run_snippet

VERSION = ".".join(map(str, etcd_version()))  # what the harness binaries really are
TEST_VERSION = f"v{VERSION}"
API_VERSION = ".".join(map(str, etcd_version()[:2]))  # etcdctl and etcdutl print the minor release
BINARIES = ("etcd", "etcdctl", "etcdutl")
SYSTEM_PATH = "/usr/bin:/bin"
# Variables the snippets read; the tests set them explicitly or not at all.
SNIPPET_VARIABLES = ("ETCD_VER", "DOWNLOAD_URL", "ETCD_INSTALL_DIR", "ETCD_LAB_DIR",
                     "ETCD_CLIENT_PORT", "ETCD_PEER_PORT")


@dataclass
class Workspace(Etcd):
    """A snippet's working directory, HOME and TMPDIR, without the harness's etcd on PATH."""

    @property
    def env(self) -> dict[str, str]:
        env = super().env
        for name in SNIPPET_VARIABLES:
            env.pop(name, None)
        env["PATH"] = SYSTEM_PATH
        return env

    @property
    def default_install_dir(self) -> Path:
        return self.workdir / ".local" / "etcd"


@pytest.fixture
def workspace(tmp_path):
    """A fresh workspace; whatever a snippet started from it is stopped afterwards, and the
    binaries it installed are removed (pytest keeps the directories of recent runs)."""
    workdir = tmp_path / "home"
    workdir.mkdir(mode=0o700)
    client_url = f"http://127.0.0.1:{free_port()}"  # only the first-member test uses it
    try:
        yield Workspace(client_url, workdir, None)
    finally:
        stop_processes_started_in(workdir)
        shutil.rmtree(workdir, ignore_errors=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def release_server(tmp_path_factory):
    """Serve ``<url>/<v>/etcd-<v>-linux-amd64.tar.gz`` laid out like a real release."""
    root = tmp_path_factory.mktemp("releases")
    server = None
    try:
        top = f"etcd-{TEST_VERSION}-linux-amd64"
        (root / TEST_VERSION).mkdir()
        with tarfile.open(root / TEST_VERSION / f"{top}.tar.gz", "w:gz", compresslevel=1) as tar:
            for name in BINARIES:
                info = tar.gettarinfo(str(etcd_bin_dir() / name), arcname=f"{top}/{name}")
                info.mode = 0o755
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                with open(etcd_bin_dir() / name, "rb") as binary:
                    tar.addfile(info, binary)
        handler = functools.partial(QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # a free port
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        shutil.rmtree(root, ignore_errors=True)


def download(workspace, release_server, version=TEST_VERSION, **kwargs):
    return run_snippet("etcd/install/download.sh", workspace,
                       env={"ETCD_VER": version, "DOWNLOAD_URL": release_server}, **kwargs)


# --- download -------------------------------------------------------------------------


def test_download_installs_into_the_default_dir(workspace, release_server, update_outputs):
    snippet = "etcd/install/download.sh"
    out = run_and_check(snippet, workspace, update_outputs,
                        env={"ETCD_VER": TEST_VERSION, "DOWNLOAD_URL": release_server})
    lines = out.splitlines()
    assert lines[0] == f"etcd Version: {VERSION}"
    assert re.fullmatch(r"Git SHA: [0-9a-f]+", lines[1]) and re.fullmatch(r"Go Version: go[\d.]+", lines[2])
    assert lines[3:] == [
        "Go OS/Arch: linux/amd64",
        f"etcdctl version: {VERSION}", f"API version: {API_VERSION}",
        f"etcdutl version: {VERSION}", f"API version: {API_VERSION}",
    ]
    # ETCD_INSTALL_DIR unset: the binaries land in $HOME/.local/etcd, executable
    installed = workspace.default_install_dir
    assert sorted(p.name for p in installed.iterdir()) == sorted(BINARIES)
    for name in BINARIES:
        assert (installed / name).stat().st_mode & stat.S_IXUSR
    # the temporary download directory is gone
    assert sorted(p.name for p in workspace.workdir.iterdir()) == [".local"]

    # Running it again installs the same release over the first one, with the same output.
    check_output(snippet, download(workspace, release_server), update=False)
    assert sorted(p.name for p in installed.iterdir()) == sorted(BINARIES)


def test_download_into_a_chosen_dir(workspace, release_server):
    chosen = workspace.workdir / "opt" / "etcd"
    out = run_snippet("etcd/install/download.sh", workspace, env={
        "ETCD_VER": TEST_VERSION, "DOWNLOAD_URL": release_server, "ETCD_INSTALL_DIR": str(chosen)})
    assert f"etcd Version: {VERSION}" in out
    assert sorted(p.name for p in chosen.iterdir()) == sorted(BINARIES)
    assert not workspace.default_install_dir.exists()


def test_failed_download_fails_loudly_and_installs_nothing(workspace, release_server):
    with pytest.raises(AssertionError) as failure:
        download(workspace, release_server, version="v3.5.99")  # the server has no such release
    message = str(failure.value)
    assert "exited with 1" in message
    assert "error: 404" in message  # curl -f reports the HTTP error
    assert "Version" not in message  # no version check ran
    assert not workspace.default_install_dir.exists()
    assert [p.name for p in workspace.workdir.iterdir()] == []  # nor a temporary download left


# --- put the binaries on PATH ---------------------------------------------------------


def test_add_to_path_runs_the_installed_etcdctl(workspace, release_server, update_outputs):
    assert shutil.which("etcdctl", path=SYSTEM_PATH) is None  # only the installed copy can answer
    download(workspace, release_server)
    out = run_and_check("etcd/install/add-to-path.sh", workspace, update_outputs)
    assert out.splitlines() == [f"etcdctl version: {VERSION}", f"API version: {API_VERSION}"]


# --- start and stop one member --------------------------------------------------------


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def member_env(workspace, lab: Path, client_port: int, peer_port: int) -> dict[str, str]:
    return {
        "PATH": f"{workspace.default_install_dir}:{SYSTEM_PATH}",
        "ETCD_LAB_DIR": str(lab),
        "ETCD_CLIENT_PORT": str(client_port),
        "ETCD_PEER_PORT": str(peer_port),
    }


def start_first_member(workspace, release_server) -> tuple[dict[str, str], str]:
    """Install etcd and run start-member.sh on the workspace's ports; (its env, its output)."""
    download(workspace, release_server)
    client_port = int(workspace.endpoints.rsplit(":", 1)[1])
    env = member_env(workspace, workspace.workdir / "lab", client_port, free_port())
    return env, run_snippet("etcd/install/start-member.sh", workspace, env=env)


def table_rows(out: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in out.splitlines() if line.startswith("|")]


def files_in(lab: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in lab.iterdir() if p.is_file()}


def test_first_member_starts_and_stops(workspace, release_server, update_outputs):
    env, out = start_first_member(workspace, release_server)
    client_port, peer_port = int(env["ETCD_CLIENT_PORT"]), int(env["ETCD_PEER_PORT"])
    lab = Path(env["ETCD_LAB_DIR"])
    check_output("etcd/install/start-member.sh", out, update_outputs)
    lines = out.splitlines()
    assert re.fullmatch(rf"http://127\.0\.0\.1:{client_port} is healthy: "
                        r"successfully committed proposal: took = \S+", lines[0]), lines[0]
    header, *rows = table_rows(out)
    assert header == ["ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEARNER"]
    assert [row[1:] for row in rows] == [[
        "started", "first-member", f"http://127.0.0.1:{peer_port}",
        f"http://127.0.0.1:{client_port}", "false"]]

    # The snippet left etcd running, as the page says, and recorded its pid.
    pid = int((lab / "etcd.pid").read_text())
    assert processes_started_in(workspace.workdir) == [pid]
    assert Path(f"/proc/{pid}/exe").resolve() == workspace.default_install_dir / "etcd"
    assert port_open(client_port)

    out = run_and_check("etcd/install/stop-member.sh", workspace, update_outputs, env=env)
    assert out == '"msg":"closed etcd server"\n'
    assert processes_started_in(workspace.workdir) == []
    assert not port_open(client_port)
    assert not (lab / "etcd.pid").exists()
    assert (lab / "first-member.etcd" / "member").is_dir()  # the data stays for the next start

    # Started again, the member carries on with its data, under the same member ID.
    again = run_snippet("etcd/install/start-member.sh", workspace, env=env)
    assert table_rows(again)[1:] == rows
    run_snippet("etcd/install/stop-member.sh", workspace, env=env)


def test_start_refuses_while_its_member_runs(workspace, release_server):
    env, _ = start_first_member(workspace, release_server)
    lab = Path(env["ETCD_LAB_DIR"])
    before = files_in(lab)
    pid = int(before["etcd.pid"])
    started = time.monotonic()
    with pytest.raises(AssertionError, match="exited with 1") as failure:
        run_snippet("etcd/install/start-member.sh", workspace, env=env)
    assert f"etcd {pid} from {lab} is still running" in str(failure.value)
    assert time.monotonic() - started < 5  # refused before starting anything
    assert files_in(lab) == before  # the pid file and the log are untouched
    assert processes_started_in(workspace.workdir) == [pid]


def test_start_refuses_a_port_another_etcd_holds(workspace, release_server):
    # Another lab directory, whose member was stopped long ago, names the ports of a running member.
    env, _ = start_first_member(workspace, release_server)
    running = int(Path(env["ETCD_LAB_DIR"], "etcd.pid").read_text())
    other = workspace.workdir / "other-lab"
    other.mkdir()
    (other / "etcd.pid").write_text("999999999\n")  # no such process
    (other / "etcd.log").write_text('{"msg":"an earlier run of this member"}\n')
    before = files_in(other)
    with pytest.raises(AssertionError, match="exited with 1") as failure:
        run_snippet("etcd/install/start-member.sh", workspace, env={**env, "ETCD_LAB_DIR": str(other)})
    assert "is already in use" in str(failure.value)
    assert "is healthy" not in str(failure.value)
    assert files_in(other) == before
    assert processes_started_in(workspace.workdir) == [running]


def test_start_fails_fast_when_its_port_is_taken(workspace, release_server):
    download(workspace, release_server)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        lab = workspace.workdir / "lab"
        env = member_env(workspace, lab, taken.getsockname()[1], free_port())
        started = time.monotonic()
        with pytest.raises(AssertionError, match="is already in use"):
            run_snippet("etcd/install/start-member.sh", workspace, env=env)
        assert time.monotonic() - started < 5
    assert not (lab / "etcd.pid").exists() and not (lab / "etcd.log").exists()
    assert processes_started_in(workspace.workdir) == []


def test_start_reports_an_etcd_that_exits(workspace, release_server):
    # The ports are free, but etcd refuses the data directory (here a file in its place):
    # the script stops waiting at once, shows why and records no pid.
    download(workspace, release_server)
    lab = workspace.workdir / "lab"
    lab.mkdir()
    (lab / "first-member.etcd").write_text("not a directory")
    env = member_env(workspace, lab, free_port(), free_port())
    started = time.monotonic()
    with pytest.raises(AssertionError, match="etcd did not start") as failure:
        run_snippet("etcd/install/start-member.sh", workspace, env=env)
    assert "first-member.etcd" in str(failure.value)  # the log's last lines name the cause
    assert time.monotonic() - started < 10
    assert not (lab / "etcd.pid").exists()
    assert processes_started_in(workspace.workdir) == []


def test_stop_fails_loudly_when_etcd_survives(workspace, release_server):
    # A stopped (SIGSTOP) process cannot act on SIGTERM, like an etcd hung in a system call.
    env, _ = start_first_member(workspace, release_server)
    lab = Path(env["ETCD_LAB_DIR"])
    pid = int((lab / "etcd.pid").read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        with pytest.raises(AssertionError, match="exited with 1") as failure:
            run_snippet("etcd/install/stop-member.sh", workspace, env=env)
        assert f"etcd {pid} is still running 10 seconds after SIGTERM" in str(failure.value)
        assert "closed etcd server" not in str(failure.value)
        assert int((lab / "etcd.pid").read_text()) == pid  # kept, so that it can be stopped later
        assert processes_started_in(workspace.workdir) == [pid]
    finally:
        os.kill(pid, signal.SIGCONT)  # the pending SIGTERM now stops it


def test_stop_without_a_member(workspace):
    lab = workspace.workdir / "lab"
    with pytest.raises(AssertionError, match=f"no {lab}/etcd.pid"):
        run_snippet("etcd/install/stop-member.sh", workspace, env={"ETCD_LAB_DIR": str(lab)})

    # A pid file naming a process that is no etcd (the member exited and its pid was reused)
    # is removed, and that process is left alone.
    lab.mkdir()
    (lab / "etcd.pid").write_text(f"{os.getpid()}\n")  # alive, but not an etcd
    out = run_snippet("etcd/install/stop-member.sh", workspace, env={"ETCD_LAB_DIR": str(lab)})
    assert "is not running any more" in out
    assert not (lab / "etcd.pid").exists()


# --- the real release (pytest --online) -----------------------------------------------


def snippet_default(name: str) -> str:
    text = (SNIPPETS / "etcd/install/download.sh").read_text()
    return re.search(rf'^{name}="\$\{{{name}:-(.+)\}}"$', text, re.M)[1]


def test_snippet_defaults_to_a_safe_release_of_the_series_kubernetes_runs():
    default = snippet_default("ETCD_VER")
    assert etcd_versions.is_safe(default), (
        f"download.sh installs {default} by default, below the minimum safe release of its series "
        f"({etcd_versions.MINIMUM_SAFE}): {etcd_versions.MINIMUM_SAFE_REASON}")
    assert etcd_versions.parse(default)[:2] >= etcd_versions.KUBERNETES_SERIES
    assert snippet_default("DOWNLOAD_URL") == "${GITHUB_URL}"


@pytest.mark.parametrize("version, safe", [
    ("v3.5.17", False), ("v3.5.32", False), ("v3.5.33", True),
    ("v3.6.9", False), ("v3.6.13", False), ("v3.6.14", True), ("v3.6.20", True),
    ("v3.7.0", False), ("v3.7.1", True), ("v3.4.99", False),
])
def test_minimum_safe_release(version, safe):
    assert etcd_versions.is_safe(version) is safe


@pytest.mark.online
def test_download_real_release_from_github(workspace):
    version = snippet_default("ETCD_VER")
    out = run_snippet("etcd/install/download.sh", workspace, timeout=150)
    assert f"etcd Version: {version.removeprefix('v')}\n" in out
    assert f"etcdctl version: {version.removeprefix('v')}\n" in out
    assert f"etcdutl version: {version.removeprefix('v')}\n" in out
    assert all((workspace.default_install_dir / name).is_file() for name in BINARIES)

