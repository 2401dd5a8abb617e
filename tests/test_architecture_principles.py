"""docs/{zh,en}/architecture-principles.md: the toy controller converges, also after a crash, and
the page's exercises check themselves."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

import exercises
from etcd_harness import Etcd
from page_checks import ExerciseChecks
from paste_shell import run_without_server
from snippet_runner import run_and_check, snippet_path

PAGE = "architecture-principles.md"
CONTROLLER = "architecture-principles/toy_controller.py"
DEMO = "architecture-principles/controller-demo.py"
RESTART = "architecture-principles/exercises/restart/check_restart.py"


def keys(etcd: Etcd, prefix: str) -> dict[str, str]:
    lines = etcd.etcdctl("get", "--prefix", prefix).stdout.splitlines()
    return {key[len(prefix):]: value for key, value in zip(lines[0::2], lines[1::2])}


def wait_until(condition, what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.1)


def section(out: str, heading: str) -> str:
    part = out[out.index(heading):]
    following = part.find("\n== ", 1)
    return part if following == -1 else part[:following + 1]


def test_controller_demo(etcd, update_outputs):
    out = run_and_check(DEMO, etcd, update_outputs)

    # Every step ends converged, except the one where the controller is down.
    assert [line for line in out.splitlines() if line.startswith("actual == desired")] == [
        "actual == desired: yes", "actual == desired: yes",
        "actual == desired: no", "actual == desired: yes",
    ]
    assert "controller | in sync: nothing to do" in section(out, "== 3.")  # idempotent
    restart = section(out, "== 5.")
    assert "event:" not in restart, "the restarted controller replayed events"
    for repair in ("put /actual/db = postgres:17", "put /actual/queue = rabbitmq:4",
                   "put /actual/web = nginx:1.27"):
        assert f"controller | {repair}\n" in restart
    assert out.endswith("controller | stopped\n")
    # What etcd holds afterwards, not only what the demo printed.
    desired = {"db": "postgres:17", "queue": "rabbitmq:4", "web": "nginx:1.27"}
    assert keys(etcd, "/desired/") == desired
    assert keys(etcd, "/actual/") == desired


def test_controller_converges_from_any_starting_state(etcd):
    """Started on a mess, the controller fixes missing, extra and wrong keys without any event,
    then follows events; SIGTERM stops it cleanly."""
    etcd.etcdctl("put", "/desired/a", "1")
    etcd.etcdctl("put", "/desired/b", "2")
    etcd.etcdctl("put", "/actual/b", "old")  # wrong value
    etcd.etcdctl("put", "/actual/c", "3")  # not desired at all
    proc = subprocess.Popen(
        [sys.executable, str(snippet_path(CONTROLLER)), "60"], env=etcd.env, cwd=etcd.workdir,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_until(lambda: keys(etcd, "/actual/") == {"a": "1", "b": "2"}, "startup convergence")
        etcd.etcdctl("del", "/desired/a")
        wait_until(lambda: keys(etcd, "/actual/") == {"b": "2"}, "it followed a delete event")
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    assert out.splitlines()[:4] == [
        "put /actual/a = 1", "put /actual/b = 2", "delete /actual/c", "reconciled: 3 change(s)",
    ], out
    assert out.endswith("stopped\n"), out


# --- exercises --------------------------------------------------------------------------


class TestArchitecturePrinciples(ExerciseChecks):
    page = PAGE
    checkers = [RESTART, "architecture-principles/exercises/catch-up/check_catch_up.py"]


def test_restart_solution_is_what_the_toy_controller_prints(etcd):
    """The scenario of the restart exercise, played against etcd with the real toy controller."""
    for key, value in (("api", "app:1"), ("db", "postgres:16")):
        etcd.etcdctl("put", f"/desired/{key}", value)
        etcd.etcdctl("put", f"/actual/{key}", value)
    for command in (("put", "/desired/cache", "redis:7"), ("del", "/desired/cache"),
                    ("put", "/desired/api", "app:2"), ("put", "/desired/api", "app:3"),
                    ("put", "/actual/db", "postgres:15"), ("put", "/actual/tmp", "x")):
        etcd.etcdctl(*command)
    proc = subprocess.Popen(
        [sys.executable, str(snippet_path(CONTROLLER)), "60"],
        env=etcd.env, cwd=etcd.workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line or line.startswith("watching"):
                break
            lines.append(line.rstrip("\n"))
    finally:
        proc.kill()
        proc.wait()
    expected = [line for line in exercises.solution(RESTART).read_text().splitlines() if line]
    assert lines == expected


@pytest.mark.parametrize("snippet", [CONTROLLER, DEMO])
def test_gives_up_when_etcd_does_not_answer(snippet, tmp_path):
    """A reader whose member is hung gets the prompt back: every request has a time limit."""
    result = run_without_server(snippet_path(snippet), tmp_path, timeout=30)
    assert result.returncode != 0, result.stdout
