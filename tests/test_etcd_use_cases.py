"""The examples on docs/{zh,en}/etcd/use-cases.md, run against etcd.

Each test runs one snippet, compares its output with the .out file the page
shows, and checks the facts the page points out. Shell snippets that start
background processes (keep-alives, watchers) must stop them themselves: every
test checks that nothing started from its working directory is still running.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etcd_harness import free_port, processes_started_in
from paste_shell import Pasted, assert_unchanged, run_without_server
from snippet_runner import SNIPPETS, check_output, run_and_check, run_snippet

LEASE_ID = r"[0-9a-f]{16}"


# --- key-value ----------------------------------------------------------------------


def test_put_get_prefix_delete(etcd, update_outputs):
    out = run_and_check("etcd/use-cases/put-get.sh", etcd, update_outputs)
    lines = out.splitlines()
    assert lines[:3] == ["OK", "x", "0"]  # put x 0, get x
    assert lines[3:5] == ["OK", "1"]  # the second put replaced the value
    # --prefix demo/config/ matches the two keys under it, not demo/configuration
    listing = lines[8:12]
    assert listing == ["demo/config/color", "blue", "demo/config/size", "42"]
    assert "demo/configuration" not in out
    # del x deleted 1 key, get x printed nothing; del --prefix demo/config (no trailing slash)
    # deleted 3 keys, demo/configuration among them
    assert lines[12:] == ["1", "3"]
    assert etcd.etcdctl("get", "--prefix", "demo/").stdout == ""
    assert etcd.etcdctl("get", "x").stdout == ""


def parse_table(text: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of an etcdctl ``--write-out=table`` table."""
    lines = text.strip().splitlines()
    borders = [i for i, line in enumerate(lines) if re.fullmatch(r"\+(-+\+)+", line)]
    assert borders == [0, 2, len(lines) - 1], f"not an etcdctl table:\n{text}"
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines if line.startswith("|")]
    return cells[0], cells[1:]


def test_member_list_table(etcd, update_outputs):
    snippet = "etcd/use-cases/member-list.sh"
    out = run_snippet(snippet, etcd)
    header, rows = parse_table(out)
    assert header == ["ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEARNER"]
    members = etcd.etcdctl("member", "list").stdout.strip().splitlines()
    assert len(rows) == len(members) >= 1, "one row per member"
    for member_id, status, name, peer, client, learner in rows:
        assert re.fullmatch(r"[0-9a-f]{1,16}", member_id)
        assert (status, learner) == ("started", "false")
        assert peer.startswith("http") and client.startswith("http")
    client_urls = {url for row in rows for url in row[4].split(", ")}
    assert etcd.endpoints.split(",")[0] in client_urls
    if etcd.private:
        # A server of the test's own, process or container, printed the table the page shows.
        check_output(snippet, out, update_outputs)
    else:
        # Another server has other names and URLs: it must print a table of the same shape.
        shown = (SNIPPETS / f"{snippet}.out").read_text(encoding="utf-8")
        shown_header, shown_rows = parse_table(shown)
        assert header == shown_header
        assert [row[1] for row in rows] == [row[1] for row in shown_rows]


# --- leases -------------------------------------------------------------------------


def test_lease_grant_keepalive_revoke(etcd, update_outputs):
    out = run_and_check("etcd/use-cases/lease.sh", etcd, update_outputs)
    lines = out.splitlines()
    assert lines[0] == "OK"
    assert re.fullmatch(
        # a second or two pass between the grant and the question on a busy machine
        rf"lease ({LEASE_ID}) granted with TTL\(60s\), remaining\((5[0-9]|60)s\), "
        r"attached keys\(\[demo/session/worker-1\]\)", lines[1]), lines[1]
    lease_id = lines[1].split()[1]
    assert lines[2:] == [
        f"lease {lease_id} keepalived with TTL(60)",
        f"lease {lease_id} revoked",
        '"Count" : 0',  # revoking the lease deleted its key
        f"lease {lease_id} already expired",
    ]


def test_lease_expires_without_keepalive(etcd, update_outputs):
    out = run_and_check("etcd/use-cases/lease-expiry.sh", etcd, update_outputs)
    lines = out.splitlines()
    assert lines[:3] == ["OK", "demo/session/worker-2", "alive"]
    assert lines[3] == '"Count" : 0'  # the server deleted the key when the lease ran out
    assert re.fullmatch(rf"lease {LEASE_ID} already expired", lines[4])
    assert etcd.etcdctl("get", "--prefix", "demo/session/").stdout == ""


# --- service registration and discovery ----------------------------------------------------

DISCOVERY_EVENTS = [
    ("PUT", "instance-3"),  # a new instance registered while the client watched
    ("DELETE", "instance-2"),  # the crashed instance's lease expired
    ("DELETE", "instance-1"),  # the instance that shut down revoked its lease
]


def test_service_discovery_shell(etcd, update_outputs, no_leftovers):
    out = run_and_check("etcd/use-cases/service-discovery.sh", etcd, update_outputs)
    lines = out.splitlines()
    assert lines[:2] == ["OK", "OK"]
    # the client's first list: the two registered instances
    assert lines[2:6] == ["/services/order/instance-1", "10.0.0.11:8080",
                          "/services/order/instance-2", "10.0.0.12:8080"]
    # after the crash and the shutdown, only instance-3 is left
    start = lines.index("/services/order/instance-3")
    assert lines[start + 1] == "10.0.0.13:8080"
    assert lines[start + 2] != "10.0.0.11:8080"
    # the watch reported every change, in order
    events = [(lines[i], lines[i + 1].removeprefix("/services/order/"))
              for i in range(start + 2, len(lines) - 1) if lines[i] in ("PUT", "DELETE")]
    assert events == DISCOVERY_EVENTS
    assert re.fullmatch(rf"lease {LEASE_ID} revoked", lines[-1])  # clean-up of instance-3
    assert etcd.etcdctl("get", "--prefix", "/services/").stdout == ""


def test_service_discovery_shell_stops_its_background_processes_when_it_fails(etcd, no_leftovers):
    # A jq that always fails makes the script stop after both keep-alives have started;
    # its EXIT trap must stop them (no_leftovers checks).
    fake_bin = etcd.workdir / "fake-bin"
    fake_bin.mkdir()
    (fake_bin / "jq").write_text("#!/bin/sh\nexit 1\n")
    (fake_bin / "jq").chmod(0o755)
    with pytest.raises(AssertionError, match="exited with 1"):
        run_snippet("etcd/use-cases/service-discovery.sh", etcd,
                    env={"PATH": f"{fake_bin}:{etcd.env['PATH']}"})


def test_service_discovery_python(etcd, update_outputs):
    out = run_and_check("etcd/use-cases/service-discovery.py", etcd, update_outputs)
    lines = out.splitlines()
    assert lines[0] == "discovered: instance-1, instance-2"
    events = [tuple(line.split()[1:]) for line in lines if line.startswith("watch: ")]
    assert events == DISCOVERY_EVENTS
    removed = re.search(r"instance-2 was removed (\d+\.\d)s after it crashed \(lease TTL: (\d+)s\)", out)
    assert removed, out
    # The key went when the lease ran out: the last keep-alive was at most a second (TTL/3)
    # before the crash, and the server looks for expired leases every half second.
    ttl = int(removed[2])
    assert ttl - 1.5 <= float(removed[1]) <= ttl + 1.5, removed[0]
    assert lines[-1] == "discovered: instance-3"
    assert etcd.etcdctl("get", "--prefix", "/services/").stdout == ""


# --- publish/subscribe ----------------------------------------------------------------------

MESSAGES = ["order 1001 created", "order 1001 paid", "order 1001 shipped"]


def test_pub_sub_shell(etcd, update_outputs, no_leftovers):
    out = run_and_check("etcd/use-cases/pub-sub.sh", etcd, update_outputs)
    lines = out.splitlines()
    assert lines[:3] == ["OK"] * 3  # the publisher's three puts
    received = lines[3:-1]
    assert received == [line for n, message in enumerate(MESSAGES, 1)
                        for line in ("PUT", f"/events/order/{n}", message)]
    assert lines[-1] == "3"  # clean-up deleted the three messages
    assert etcd.etcdctl("get", "--prefix", "/events/").stdout == ""


def test_pub_sub_python(etcd, update_outputs):
    out = run_and_check("etcd/use-cases/pub-sub.py", etcd, update_outputs)
    assert out.splitlines() == [
        *(f"received /events/order/{n}: {message}" for n, message in enumerate(MESSAGES, 1)),
        "received every event, in publishing order: True",
    ]
    assert etcd.etcdctl("get", "--prefix", "/events/").stdout == ""


@pytest.mark.online(runs=["etcd/use-cases/python-venv.sh"])
def test_python_venv_runs_the_python_examples(etcd):
    # What the page tells the reader to do: a virtual environment with aetcd from PyPI.
    run_snippet("etcd/use-cases/python-venv.sh", etcd, timeout=300)
    python = etcd.workdir / "etcd-venv" / "bin" / "python3"
    run = subprocess.run([str(python), str(SNIPPETS / "etcd/use-cases/pub-sub.py")], env=etcd.env,
                         cwd=etcd.workdir, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.endswith("received every event, in publishing order: True\n")


# --- the reader's shell -----------------------------------------------------------------


@pytest.mark.parametrize("snippet", [
    "etcd/use-cases/service-discovery.sh", "etcd/use-cases/pub-sub.sh",
    "etcd/use-cases/service-discovery.py", "etcd/use-cases/pub-sub.py",
])
def test_examples_give_up_quickly_without_etcd(etcd, snippet, no_leftovers):
    # Nothing listens on the port. Run as a reader's shell runs a pasted block (no set -e),
    # the examples still fail within seconds and leave nothing behind.
    interpreter = ["bash"] if snippet.endswith(".sh") else [sys.executable]
    env = {**etcd.env, "ETCDCTL_ENDPOINTS": f"http://127.0.0.1:{free_port()}"}
    started = time.monotonic()
    run = subprocess.run([*interpreter, str(SNIPPETS / snippet)], cwd=etcd.workdir, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0, run.stdout
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("snippet", [
    "put-get.sh", "lease.sh", "lease-expiry.sh", "member-list.sh",
    "service-discovery.sh", "pub-sub.sh", "service-discovery.py", "pub-sub.py",
])
def test_every_command_gives_up_when_etcd_does_not_answer(snippet, tmp_path):
    """A reader whose member is hung gets the prompt back: every command has a time limit."""
    result = run_without_server(SNIPPETS / "etcd/use-cases" / snippet, tmp_path, timeout=90)
    if isinstance(result, Pasted):
        assert_unchanged(result)
    else:
        assert result.returncode != 0


def read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    seen, deadline = b"", time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


def etcdctl_processes(workdir) -> list[int]:
    names = {pid: Path(f"/proc/{pid}/comm").read_text().strip() for pid in processes_started_in(workdir)
             if Path(f"/proc/{pid}/comm").exists()}
    return [pid for pid, name in names.items() if name in ("etcdctl", "timeout")]


def test_service_discovery_pasted_and_interrupted_leaves_the_shell_as_it_was(etcd):
    # A reader pastes the block into an interactive bash and presses Ctrl-C while it runs.
    # The shell gets a terminal of its own, as its controlling terminal (setsid --ctty), so that
    # Ctrl-C on it interrupts the block. Not pty.fork(): forking a threaded process is unsafe.
    fd, terminal = os.openpty()
    shell = subprocess.Popen(["setsid", "--ctty", "--wait", "bash", "--norc", "--noprofile", "-i"],
                             stdin=terminal, stdout=terminal, stderr=terminal, cwd=etcd.workdir,
                             env={**etcd.env, "PS1": "reader$ "})
    os.close(terminal)
    try:
        read_until(fd, b"reader$ ", 5)
        os.write(fd, (SNIPPETS / "etcd/use-cases/service-discovery.sh").read_bytes())
        deadline = time.monotonic() + 20
        while len(etcdctl_processes(etcd.workdir)) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)  # until the keep-alives and the watcher run in the background
        assert etcdctl_processes(etcd.workdir), "the block never started its background processes"
        os.write(fd, b"\x03")
        shown = read_until(fd, b"^C", 5)
        shown += read_until(fd, b"reader$ ", 2)
        if not shown.endswith(b"reader$ "):
            # Rarely, under load, the block goes on after one Ctrl-C (bash can miss an interrupt
            # that lands as it starts a command); a reader then presses it again.
            os.write(fd, b"\x03")
            shown += read_until(fd, b"reader$ ", 5)
        # (the quotes keep the echoed command line from matching what it prints)
        os.write(fd, b'echo "STATE""-OUT trap=[$(trap -p EXIT)] lease=[${LEASE_1-unset}] pwd=[$PWD] opts=[$-]"\n')
        shown += read_until(fd, b"STATE-OUT", 10) + read_until(fd, b"reader$ ", 5)
        # The block revokes its first lease only after waiting 3 s for another to expire.
        assert b"revoked" not in shown, f"Ctrl-C did not stop the block, which ran to its end:\n{shown.decode()}"
        state = shown[shown.index(b"STATE-OUT"):].decode()
        assert state.startswith(f"STATE-OUT trap=[] lease=[unset] pwd=[{etcd.workdir}] opts=["), state
        assert "e" not in state.split("opts=[")[1].split("]")[0]  # no set -e left behind
        deadline = time.monotonic() + 5
        while etcdctl_processes(etcd.workdir) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert etcdctl_processes(etcd.workdir) == []
    finally:
        os.write(fd, b"exit\n")
        try:
            shell.wait(10)
        finally:
            os.close(fd)  # a shell still there gets the hang-up of a closed terminal
            shell.wait(10)
