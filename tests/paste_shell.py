"""Paste a snippet into an interactive bash, as a reader with a copy button does.

A reader pastes blocks into one terminal, so whatever a block leaves behind in
that shell (``set -e``, a trap, an exported variable, a changed directory, a
background job) affects every later block, and with ``set -e`` the next
failing command closes the terminal. :func:`paste` feeds a snippet to
``bash -i`` between two snapshots of the shell's state and then runs a failing
command, so a test can assert that the shell is the same afterwards and still
alive.
"""

from __future__ import annotations

import difflib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

# What a pasted block could change in the shell that runs it.
_DUMP_STATE = r"""{{
  echo "flags: $-"; set -o; shopt -p; trap -p; export -p; declare -F
  echo "cwd: $PWD"; echo "jobs: $(jobs -p | wc -l)"
}} >{path}"""


@dataclass
class Pasted:
    before: str      # the shell's state just before the paste
    after: str       # and just after it
    status: str      # $? after the paste: the exit status of its last command
    output: str      # what the shell printed: prompts, echoed input, the snippet's output
    survived: bool   # the shell ran a failing command after the paste and carried on
    left_behind: list[int]  # processes of the paste still running after the shell had exited


def _processes_in_session(session: int) -> list[int]:
    """Live processes of a session (timeout puts its command in a process group of its own)."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[3]) == session:  # state, ppid, pgrp, session
            pids.append(int(proc.name))
    return pids


def paste(text: str, *, cwd: Path, env: dict[str, str], timeout: float) -> Pasted:
    """Paste ``text`` into a fresh interactive bash started in ``cwd``."""
    state = cwd / ".paste-state"
    state.mkdir()
    script = "\n".join([
        _DUMP_STATE.format(path=state / "before"),
        text.rstrip("\n"),
        f'echo "$?" >{state / "status"}',
        _DUMP_STATE.format(path=state / "after"),
        "false",
        f": >{state / 'survived'}",
        "",
    ])
    (state / "input").write_text(script)
    # Files, not pipes: a process the paste leaves behind would hold a pipe open.
    with (state / "input").open() as stdin, (state / "output").open("w") as stdout:
        shell = subprocess.Popen(
            ["bash", "--norc", "--noprofile", "-i"], stdin=stdin, stdout=stdout, stderr=subprocess.STDOUT,
            cwd=cwd, env=env, start_new_session=True,  # no terminal: bash -i must not take over pytest's
        )
    try:
        shell.wait(timeout)
    finally:
        # Still running in the shell's session once the shell is gone: a process the paste
        # left behind, or (after a timeout) the command that never ended.
        shell.kill()
        shell.wait()
        left_behind = _processes_in_session(shell.pid)
        for pid in left_behind:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    return Pasted(
        before=(state / "before").read_text(),
        after=(state / "after").read_text() if (state / "after").exists() else "",
        status=(state / "status").read_text().strip() if (state / "status").exists() else "",
        output=(state / "output").read_text(errors="replace"),
        survived=(state / "survived").exists(),
        left_behind=left_behind,
    )


def assert_unchanged(pasted: Pasted) -> None:
    """The paste left the shell as it found it, and the shell outlived a failing command."""
    assert pasted.after, f"the shell did not get past the pasted block:\n{pasted.output}"
    if pasted.after != pasted.before:
        diff = "".join(difflib.unified_diff(
            pasted.before.splitlines(True), pasted.after.splitlines(True), "before", "after"))
        raise AssertionError(f"the pasted block changed the shell:\n{diff}")
    assert pasted.survived, f"a failing command after the paste ended the shell:\n{pasted.output}"
    assert not pasted.left_behind, f"the paste left processes running: {pasted.left_behind}"


# What an HTTP/2 client sends first, and an empty SETTINGS frame: the server's half of the handshake.
HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
HTTP2_EMPTY_SETTINGS = b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"


@contextmanager
def unanswering_endpoint() -> Iterator[str]:
    """An endpoint that accepts connections and then answers no request: a hung etcd.

    Unlike a closed port, which fails a client at once, this one leaves every request
    waiting, so only a deadline or ``timeout`` gets a command out. A gRPC client (etcdctl,
    the Python client) is let through the HTTP/2 handshake first, as a hung member does:
    a connection deadline alone then does not save a call that has no deadline of its
    own. Any other client (curl) gets not a byte."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def hold(conn: socket.socket) -> None:
        received = b""
        try:
            while len(received) < len(HTTP2_PREFACE):
                chunk = conn.recv(len(HTTP2_PREFACE) - len(received))
                if not chunk:
                    return
                received += chunk
            if received == HTTP2_PREFACE:
                conn.sendall(HTTP2_EMPTY_SETTINGS)
        except OSError:  # closed by the client, or by the endpoint's end
            pass

    def accept() -> None:
        while True:
            try:
                conn = server.accept()[0]
            except OSError:  # the server socket was closed
                return
            held.append(conn)
            threading.Thread(target=hold, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()
        for conn in held:
            conn.close()


# Stand-ins first on PATH: timeout caps every limit at 1 s, and etcdctl's own limits are 1 s
# unless a command sets them. A command with no limit at all still waits forever.
_QUICK_TIMEOUT = """#!/usr/bin/env bash
n=$1; shift
case $n in *[!0-9]*) ;; *) if [ "$n" -gt 1 ]; then n=1; fi ;; esac
exec {timeout} "$n" "$@"
"""
_QUICK_ETCDCTL = """#!/usr/bin/env bash
exec {etcdctl} --dial-timeout=1s --command-timeout=1s "$@"
"""
# The same for Python snippets, loaded at start-up from PYTHONPATH: the etcd client's deadline
# and asyncio.wait_for's are capped at 1 s. A call without any limit still waits forever.
_QUICK_PYTHON = """import asyncio, functools

def _capped(function, argument):
    @functools.wraps(function)
    def capped(*args, **kwargs):
        if kwargs.get(argument) is not None:
            kwargs[argument] = min(kwargs[argument], 1)
        return function(*args, **kwargs)
    return capped

asyncio.wait_for = _capped(asyncio.wait_for, "timeout")
try:
    import aetcd
except ImportError:
    pass
else:
    aetcd.Client.__init__ = _capped(aetcd.Client.__init__, "timeout")
"""


def quick_limits_dir(directory: Path, etcdctl: Path) -> Path:
    """A directory for the front of PATH (and of PYTHONPATH) whose timeout, etcdctl and Python
    etcd client give up within about a second."""
    directory.mkdir()
    for name, text in (("timeout", _QUICK_TIMEOUT.format(timeout=shutil.which("timeout"))),
                       ("etcdctl", _QUICK_ETCDCTL.format(etcdctl=etcdctl))):
        (directory / name).write_text(text)
        (directory / name).chmod(0o755)
    (directory / "sitecustomize.py").write_text(_QUICK_PYTHON)
    return directory


def run_without_server(snippet: Path, workdir: Path, timeout: float) -> Pasted | subprocess.CompletedProcess:
    """Run a snippet as a reader would while their etcd does not answer, within ``timeout`` seconds.

    A shell snippet is pasted into ``bash -i``; a Python one is run with Python. etcdctl's own
    limits, every ``timeout`` and the Python client's deadlines are shortened to about a second,
    which keeps the test short and still fails it for a command that has no limit at all
    (subprocess.TimeoutExpired)."""
    from etcd_harness import etcd_bin_dir, snippet_env  # here, so that pasting needs no etcd wheel

    with unanswering_endpoint() as endpoint:
        env = snippet_env(endpoint, workdir)
        quick = quick_limits_dir(workdir / "quick-limits", etcd_bin_dir() / "etcdctl")
        env["PATH"] = f"{quick}:{env['PATH']}"
        if snippet.suffix == ".py":
            env["PYTHONPATH"] = str(quick)
            return subprocess.run([sys.executable, str(snippet)], cwd=workdir, env=env, timeout=timeout,
                                  capture_output=True, text=True)
        return paste(snippet.read_text(), cwd=workdir, env=env, timeout=timeout)
