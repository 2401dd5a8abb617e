"""The examples on docs/{zh,en}/etcd/use-cases.md, run against etcd.

Each test runs one snippet, compares its output with the .out file the page
shows, and checks the facts the page points out. Shell snippets that start
background processes (keep-alives, watchers) must stop them themselves: every
test checks that nothing started from its working directory is still running.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from snippet_runner import SNIPPETS, check_output, run_and_check, run_snippet

LEASE_ID = r"[0-9a-f]{16}"


def etcdctl(etcd, *args: str) -> str:
    return subprocess.run(
        ["etcdctl", *args], env=etcd.env, capture_output=True, text=True, timeout=30, check=True
    ).stdout


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
    # del x deleted 1 key, get x printed nothing, del --prefix demo/ deleted 3 keys
    assert lines[12:] == ["1", "3"]
    assert etcdctl(etcd, "get", "--prefix", "demo/") == ""
    assert etcdctl(etcd, "get", "x") == ""


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
    members = etcdctl(etcd, "member", "list").strip().splitlines()
    assert len(rows) == len(members) >= 1, "one row per member"
    for member_id, status, name, peer, client, learner in rows:
        assert re.fullmatch(r"[0-9a-f]{1,16}", member_id)
        assert (status, learner) == ("started", "false")
        assert peer.startswith("http") and client.startswith("http")
    client_urls = {url for row in rows for url in row[4].split(", ")}
    assert etcd.endpoints.split(",")[0] in client_urls
    if etcd.cluster is not None:
        # The embedded server printed the table the page shows.
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
    assert etcdctl(etcd, "get", "--prefix", "demo/session/") == ""


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
    assert etcdctl(etcd, "get", "--prefix", "/services/") == ""


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
    assert etcdctl(etcd, "get", "--prefix", "/services/") == ""


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
    assert etcdctl(etcd, "get", "--prefix", "/events/") == ""


def test_pub_sub_python(etcd, update_outputs):
    out = run_and_check("etcd/use-cases/pub-sub.py", etcd, update_outputs)
    assert out.splitlines() == [
        *(f"received /events/order/{n}: {message}" for n, message in enumerate(MESSAGES, 1)),
        "received every event, in publishing order: True",
    ]
    assert etcdctl(etcd, "get", "--prefix", "/events/") == ""
