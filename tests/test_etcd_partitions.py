"""docs/*/etcd/partitions.md: the peer proxies of partition.py, and the labs built on them.

The first tests check snippets/etcd/partitions/partition.py on its own, with stand-in
members (plain TCP servers), then as a module in front of a real 3-member cluster.
The labs then run as a reader runs them: lab-cluster.sh, partition.py and the lab saved
in one directory, etcd and etcdctl from PATH, on free loopback ports. Besides comparing
the shown output, each lab test asserts what the page says about it, and checks that
nothing the lab started is left running and nothing is left on disk. The measured
timings are printed (pytest -s or -rP shows them).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import exercises
from etcd_harness import Lab, etcd_bin_dir, free_ports, processes_mentioning, processes_started_in, snippet_env
from page_checks import ExercisePageChecks
from paste_shell import assert_unchanged, paste
from snippet_coverage import record_run
from snippet_runner import check_output, pages_including, snippet_path

PARTITION = "etcd/partitions/partition.py"
LAB_CLUSTER = "etcd/raft/lab-cluster.sh"
LAB_TIMEOUT_S = 120
READERS_ENDPOINT = "http://127.0.0.1:2379"  # the reader's own member, which a lab must leave alone

_spec = importlib.util.spec_from_file_location("partition", snippet_path(PARTITION))
partition = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(partition)

_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no HTTP proxy


# --- partition.py with stand-in members ---------------------------------------------------


def run_scenario(scenario) -> None:
    """asyncio.run in a thread of its own: on a worker that ran a browser test before,
    Playwright keeps an event loop running in the main thread, where asyncio.run refuses."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result()


async def stand_in_member(name: str, port: int, connections: list) -> asyncio.Server:
    """A member's peer listener, as far as the proxy can tell: it answers every chunk with its name."""

    async def answer(reader, writer):
        connections.append(writer)
        try:
            while data := await reader.read(65536):
                writer.write(name.encode() + b" got " + data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", port)


class Conn:
    """A peer connection through a proxy: the first request names its sender, as rafthttp's do."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, proxy_port: int, sender_proxy_port: int | None) -> Conn:
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy_port)
        header = f"X-PeerURLs: http://127.0.0.1:{sender_proxy_port}\r\n" if sender_proxy_port else ""
        writer.write(f"GET /raft/stream/message/1 HTTP/1.1\r\nHost: x\r\n{header}\r\n".encode())
        return cls(reader, writer)

    async def answer(self, data: bytes = b"") -> bytes:
        """What comes back (empty when the connection was dropped)."""
        if data:
            self.writer.write(data)
        try:
            return await asyncio.wait_for(self.reader.read(65536), 2)
        except (ConnectionError, asyncio.TimeoutError):
            return b""

    def close(self):
        self.writer.transport.abort()


@contextlib.asynccontextmanager
async def three_members():
    """Stand-ins for m1..m3 behind PeerProxies; yields (proxies, proxy ports by name)."""
    ports = free_ports(6)
    members = {f"m{i}": (ports[i - 1], ports[i + 2]) for i in (1, 2, 3)}
    connections = []
    servers = [await stand_in_member(name, real, connections) for name, (_, real) in members.items()]
    proxies = partition.PeerProxies(members)
    await proxies.start()
    try:
        yield proxies, {name: proxy for name, (proxy, _) in members.items()}
    finally:
        await proxies.close()
        for server in servers:
            server.close()
        for writer in connections:
            writer.transport.abort()
        await asyncio.sleep(0.1)  # the stand-ins' handlers see their connections end


def test_proxy_forwards_both_ways():
    async def scenario():
        async with three_members() as (_, port):
            conn = await Conn.open(port["m1"], port["m2"])
            assert (await conn.answer()).startswith(b"m1 got GET /raft/stream/message/1 HTTP/1.1\r\n")
            assert await conn.answer(b"ping") == b"m1 got ping"
            unnamed = await Conn.open(port["m3"], None)  # a request that names no sender is forwarded too
            assert (await unnamed.answer()).startswith(b"m3 got GET")
            conn.close()
            unnamed.close()

    run_scenario(scenario)


def test_isolate_drops_connections_to_and_from_the_member_and_heal_restores():
    async def scenario():
        async with three_members() as (proxies, port):
            to_m1 = await Conn.open(port["m1"], port["m2"])
            from_m1 = await Conn.open(port["m3"], port["m1"])
            unnamed_to_m1 = await Conn.open(port["m1"], None)
            m2_to_m3 = await Conn.open(port["m3"], port["m2"])
            unnamed_to_m2 = await Conn.open(port["m2"], None)
            for conn in (to_m1, from_m1, unnamed_to_m1, m2_to_m3, unnamed_to_m2):
                assert await conn.answer()

            proxies.isolate("m1")
            assert proxies.isolated == frozenset({"m1"})
            for dropped in (to_m1, from_m1, unnamed_to_m1):
                assert await dropped.answer(b"ping") == b"", "a connection of m1's survived"
            assert await m2_to_m3.answer(b"ping") == b"m3 got ping"
            assert await unnamed_to_m2.answer(b"ping") == b"m2 got ping"
            for refused in [await Conn.open(port["m1"], port["m3"]), await Conn.open(port["m2"], port["m1"]),
                            await Conn.open(port["m1"], None)]:
                assert await refused.answer() == b"", "a new connection of m1's got through"
            assert (await (await Conn.open(port["m3"], port["m2"])).answer()).startswith(b"m3 got GET")

            proxies.heal("m1")
            assert proxies.isolated == frozenset()
            assert (await (await Conn.open(port["m1"], port["m2"])).answer()).startswith(b"m1 got GET")
            assert (await (await Conn.open(port["m2"], port["m1"])).answer()).startswith(b"m2 got GET")
            with pytest.raises(KeyError):
                proxies.isolate("m4")

    run_scenario(scenario)


def test_close_stops_listening_and_drops_connections():
    async def scenario():
        async with three_members() as (proxies, port):
            conn = await Conn.open(port["m1"], port["m2"])
            assert await conn.answer()
            await proxies.close()
            assert await conn.answer(b"ping") == b""
            with pytest.raises(ConnectionRefusedError):
                await asyncio.open_connection("127.0.0.1", port["m1"])

    run_scenario(scenario)


def control(port: int, method: str, path: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
    try:
        with _direct.open(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_command_line_control_api(tmp_path, sig):
    proxy1, real1, proxy2, real2, control_port = free_ports(5)
    proc = subprocess.Popen(
        [sys.executable, str(snippet_path(PARTITION)), "--control-port", str(control_port),
         f"m1={proxy1}:{real1}", f"m2={proxy2}:{real2}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert proc.stdout.readline() == "ready\n"
        assert control(control_port, "GET", "/status") == (200, {"isolated": []})
        assert control(control_port, "POST", "/isolate/m2") == (200, {"isolated": ["m2"]})
        assert control(control_port, "POST", "/isolate/m1") == (200, {"isolated": ["m1", "m2"]})
        assert control(control_port, "POST", "/heal/m2") == (200, {"isolated": ["m1"]})
        assert control(control_port, "GET", "/status") == (200, {"isolated": ["m1"]})
        status, body = control(control_port, "POST", "/isolate/m9")
        assert status == 404 and "m9" in body["error"]
        assert control(control_port, "GET", "/isolate/m1")[0] == 404  # changes need POST
        proc.send_signal(sig)
        assert proc.wait(10) == 0
        assert proc.stdout.read() == ""  # no traceback
    finally:
        proc.kill()
        proc.wait()


# --- partition.py in front of a real cluster ----------------------------------------------


def etcdctl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(etcd_bin_dir() / "etcdctl"), "--dial-timeout=1s", "--command-timeout=1s", *args],
                          capture_output=True, text=True, timeout=10)


def leader_seen_by(client_url: str) -> tuple[str | None, int | None]:
    """(the leader's member ID in hex or None, the Raft term) as one member sees them."""
    run = etcdctl(f"--endpoints={client_url}", "endpoint", "status", "-w", "json")
    if run.returncode != 0:
        return None, None
    status = json.loads(run.stdout)[0]["Status"]
    return (f"{status['leader']:x}" if status.get("leader") else None), status["raftTerm"]


def member_id(client_url: str) -> str:
    run = etcdctl(f"--endpoints={client_url}", "endpoint", "status", "-w", "json")
    return f"{json.loads(run.stdout)[0]['Status']['header']['member_id']:x}"


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"{what} after {timeout}s")


def test_isolating_the_leader_of_a_real_cluster(tmp_path):
    """PeerProxies imported as a module: the majority elects a new leader, the old one
    stays at its term (pre-vote) and follows the new leader once healed."""
    ports = free_ports(9)
    names = ["m1", "m2", "m3"]
    client = {n: f"http://127.0.0.1:{ports[i]}" for i, n in enumerate(names)}
    members = {n: (ports[3 + i], ports[6 + i]) for i, n in enumerate(names)}  # proxy, real peer port
    initial_cluster = ",".join(f"{n}=http://127.0.0.1:{members[n][0]}" for n in names)

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def on_loop(call):
        async def run():
            return await call() if asyncio.iscoroutinefunction(call) else call()
        return asyncio.run_coroutine_threadsafe(run(), loop).result(10)

    proxies = partition.PeerProxies(members)
    on_loop(proxies.start)
    processes = []
    try:
        for n in names:
            log = (tmp_path / f"{n}.log").open("wb")
            processes.append(subprocess.Popen(
                [str(etcd_bin_dir() / "etcd"), f"--name={n}", f"--data-dir={tmp_path / n}",
                 f"--listen-client-urls={client[n]}", f"--advertise-client-urls={client[n]}",
                 f"--listen-peer-urls=http://127.0.0.1:{members[n][1]}",
                 f"--initial-advertise-peer-urls=http://127.0.0.1:{members[n][0]}",
                 f"--initial-cluster={initial_cluster}", "--initial-cluster-token=partition-test"],
                stdout=log, stderr=subprocess.STDOUT))
        ids = {wait_until(lambda n=n: etcdctl(f"--endpoints={client[n]}", "endpoint", "health").returncode == 0
                          and member_id(client[n]), 20, f"{n} not healthy"): n for n in names}
        leader_id, term = wait_until(lambda: leader_seen_by(client["m1"])[0] and leader_seen_by(client["m1"]),
                                     20, "no leader")
        old = ids[leader_id]
        others = [n for n in names if n != old]

        on_loop(lambda: proxies.isolate(old))
        started = time.monotonic()

        def new_leader():
            seen = {leader_seen_by(client[n]) for n in others}
            if len(seen) == 1 and (view := seen.pop())[0] not in (None, leader_id):
                return view
        new_id, new_term = wait_until(new_leader, 15, "the majority elected no new leader")
        elected_after = time.monotonic() - started
        assert ids[new_id] in others and new_term > term
        wait_until(lambda: leader_seen_by(client[old]) == (None, term), 15,
                   "the isolated leader did not step down, or its term moved")
        time.sleep(3)  # several election timeouts alone: pre-vote keeps its term where it was
        assert leader_seen_by(client[old]) == (None, term)

        on_loop(lambda: proxies.heal(old))
        wait_until(lambda: leader_seen_by(client[old]) == (new_id, new_term), 15,
                   "the healed member does not follow the new leader")
        assert {leader_seen_by(client[n]) for n in others} == {(new_id, new_term)}
        print(f"\nPeerProxies: new leader {elected_after:.2f}s after the leader was isolated")
    finally:
        for proc in processes:
            proc.kill()
            proc.wait()
        on_loop(proxies.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


# --- the labs --------------------------------------------------------------------------


def save_lab(lab: Lab, snippet: str) -> Path:
    """The lab, lab-cluster.sh and partition.py saved side by side, as the page asks."""
    for name in (snippet, LAB_CLUSTER, PARTITION):
        shutil.copy(snippet_path(name), lab.workdir)
        record_run(name)  # runs as a saved copy, which the audit hook cannot see
    return lab.workdir / Path(snippet).name


def lab_env(lab: Lab) -> dict[str, str]:
    return {**snippet_env(READERS_ENDPOINT, lab.workdir), **lab.env}


def assert_nothing_left(lab: Lab) -> None:
    lab.assert_cleaned_up()
    left = processes_started_in(lab.workdir)
    assert not left, f"the lab left processes running: {left}"


def run_lab(snippet: str, lab: Lab, update_outputs: bool) -> str:
    started = time.monotonic()
    run = subprocess.run(["bash", "-euo", "pipefail", str(save_lab(lab, snippet))], cwd=lab.workdir,
                         env=lab_env(lab), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=LAB_TIMEOUT_S)
    assert run.returncode == 0, (f"snippets/{snippet} (shown on {', '.join(pages_including(snippet))}) "
                                 f"exited with {run.returncode}:\n{run.stdout}")
    check_output(snippet, run.stdout, update_outputs)
    print(f"\n{Path(snippet).name}: lab wall time {time.monotonic() - started:.1f}s")
    assert_nothing_left(lab)
    return run.stdout


def seconds(pattern: str, out: str) -> float:
    match = re.search(pattern + r" ([0-9.]+)s\b", out)
    assert match, f"no {pattern!r} line in:\n{out}"
    return float(match.group(1))


def after(heading: str, out: str) -> str:
    """The part of the output from a '== N. ...' heading up to the next one."""
    part = out[out.index(heading):]
    following = part.find("\n== ", 1)
    return part if following == -1 else part[:following + 1]


@pytest.mark.lab_ports(10)
def test_isolated_leader_lab(lab, update_outputs):
    out = run_lab("etcd/partitions/isolated-leader-lab.sh", lab, update_outputs)
    elected = seconds("the majority elected a new leader after", out)
    stepped_down = seconds("the old leader stepped down after", out)
    caught_up = seconds("the old leader caught up after", out)
    print(f"isolated leader: new leader after {elected:.2f}s, old leader stepped down after "
          f"{stepped_down:.2f}s, caught up {caught_up:.2f}s after the heal")

    # Followers wait out a randomised election timeout (1 to 2 s by default) before the pre-vote;
    # the leader checks its quorum once per election timeout and steps down at the first check it fails.
    assert 0.5 < elected < 10, elected
    assert 0.5 < stepped_down < 10, stepped_down
    assert caught_up < 10, caught_up
    cut = after("== 2.", out)
    assert "the new leader's term is higher: yes" in cut
    assert "write sent to the old leader just after the cut: failed: timed out" in cut
    assert "write to the majority: OK" in after("== 3.", out)
    alone = after("== 4.", out)
    assert "it knows no leader: yes" in alone
    assert "its term is still the one it led in (pre-vote): yes" in alone
    assert "write to it: failed: timed out" in alone
    assert alone.endswith("(local, stale):\nwritten by 3 of 3 members\n")
    healed = after("== 5.", out)
    assert "it rejoined as: follower" in healed
    assert "same leader, same term (its return forced no election): yes" in healed
    assert "the write sent to it just after the cut is on no member: yes" in healed
    assert healed.endswith("own endpoint:\nwritten by 2 of 3 members\n")


@pytest.mark.lab_ports(10)
def test_stale_read_lab(lab, update_outputs):
    out = run_lab("etcd/partitions/stale-read-lab.sh", lab, update_outputs)
    watch_ended = seconds("it ended", out)
    caught_up = seconds("the follower caught up after", out)
    print(f"stale read: the isolated follower's watch ended {watch_ended:.2f}s after the cut; "
          f"the follower caught up {caught_up:.2f}s after the heal")

    assert "the follower reads it (linearizable): version 1" in after("== 1.", out)
    reads = after("== 3.", out)
    assert re.search(r"^leader, linearizable: +version 2$", reads, re.M)
    assert re.search(r"^follower, serializable: +version 1$", reads, re.M), "no stale read"
    assert re.search(r"^follower, linearizable: +failed: timed out$", reads, re.M)
    assert "events the follower's watch delivered: 0" in reads
    # The member loses its leader one or two election timeouts after the cut; a require-leader
    # watch is cancelled once it has seen no leader at three checks, one election timeout apart.
    assert 2.5 < watch_ended < 10, watch_ended
    assert "watch was canceled (etcdserver: no leader)" in after("== 4.", out)
    healed = after("== 5.", out)
    assert re.search(r"^follower, serializable: +version 2$", healed, re.M)
    assert re.search(r"^follower, linearizable: +version 2$", healed, re.M)
    replayed = healed.split("replays what the old one missed:\n")[1]
    assert replayed.split("\n")[0] == "PUT" and replayed.rstrip().endswith("version 2")


@pytest.mark.lab_ports(10)
@pytest.mark.parametrize("ending", ["failure", "interrupt"])
def test_partition_lab_cleans_up(lab, ending):
    """With partition.py in front of the members, a lab that fails or gets Ctrl-C stops
    every member, the proxies and its background commands, and removes LAB_DIR."""
    save_lab(lab, "etcd/partitions/stale-read-lab.sh")
    script = ("lab_partitions=yes\nsource ./lab-cluster.sh\nstart_cluster\nisolate 1\n"
              "timeout 60 etcdctl --endpoints=${client_url[1]} watch /k >$LAB_DIR/watch.tmp &\n"
              + ("false\n" if ending == "failure" else "echo ready\nsleep 60\n"))
    proc = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", script], cwd=lab.workdir, env=lab_env(lab),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    try:
        if ending == "interrupt":
            assert proc.stdout.readline().startswith("cluster formed in")
            assert proc.stdout.readline() == "ready\n"
            assert len(processes_mentioning(lab.lab_dir)) == 3
            assert any(b"partition.py" in Path(f"/proc/{pid}/cmdline").read_bytes()
                       for pid in processes_started_in(lab.workdir))
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode != 0, out
    # A failure shows the members' last log lines; Ctrl-C is no failure, and shows none.
    assert ("last log lines of each member" in out) == (ending == "failure"), out
    assert_nothing_left(lab)


@pytest.mark.lab_ports(10)
@pytest.mark.parametrize("snippet", ["isolated-leader-lab.sh", "stale-read-lab.sh"])
def test_lab_interrupted_while_running_leaves_nothing(lab, snippet):
    """Ctrl-C in the middle of the lab itself (after the cut, with its background commands running)."""
    path = save_lab(lab, f"etcd/partitions/{snippet}")
    proc = subprocess.Popen(["bash", str(path)], cwd=lab.workdir, env=lab_env(lab), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        for line in proc.stdout:
            if line.startswith("== 2."):
                break
        time.sleep(1.5)  # the leader is cut off and the background commands are running
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, out
    assert "lab failed" not in out, out  # Ctrl-C is no failure
    # An etcdctl request already sent may still run out its --command-timeout (2 s): give it that.
    wait_until(lambda: not processes_started_in(lab.workdir), 5, "the lab left processes running")
    assert_nothing_left(lab)


@pytest.mark.lab_ports(10)
def test_lab_pasted_into_a_shell_changes_nothing(lab):
    """Pasted instead of saved and run, a lab finds its files in the current directory and runs
    in a subshell that takes its settings, traps, members and proxies with it."""
    path = save_lab(lab, "etcd/partitions/stale-read-lab.sh")
    pasted = paste(path.read_text(), cwd=lab.workdir, timeout=LAB_TIMEOUT_S, env=lab_env(lab))
    assert pasted.status == "0", pasted.output
    assert_unchanged(pasted)
    assert_nothing_left(lab)


# --- the exercises -----------------------------------------------------------------------

SNIPPETS_DIR = Path(__file__).resolve().parent.parent / "snippets"
STALE_READS = "etcd/partitions/exercises/stale-reads/check_stale_reads.py"
MEMBER_STATE = "etcd/partitions/exercises/member-state/check-member-state.sh"
MEMBER_STATE_SOLUTION = "etcd/partitions/exercises/member-state/solution.sh"


def test_stale_reads_checker_accepts_the_solution():
    exercises.assert_accepts_the_solution(STALE_READS)


@pytest.mark.parametrize("answer", exercises.typical_wrong_answers(STALE_READS), ids=lambda p: p.name)
def test_stale_reads_checker_rejects_typical_wrong_answers(answer):
    exercises.assert_rejected(answer, exercises.run_checker(STALE_READS, answer))


def test_stale_reads_checker_asks_for_yes_or_no(tmp_path):
    answer = tmp_path / "my-stale-reads.txt"
    answer.write_text("1: no\n2: maybe\n")
    result = exercises.run_checker(STALE_READS, answer)
    assert result.returncode == 1
    assert "read 2: answer yes or no" in result.stdout.splitlines()
    assert "read 6: answer yes or no" in result.stdout.splitlines()  # a read left out


def check_member_state(lab: Lab, answer: Path) -> subprocess.CompletedProcess:
    """The checker saved next to lab-cluster.sh and partition.py, as the page asks."""
    for name in (MEMBER_STATE, LAB_CLUSTER, PARTITION):
        shutil.copy(snippet_path(name), lab.workdir)
        record_run(name)  # runs as a saved copy, which the audit hook cannot see
    shutil.copy(answer, lab.workdir / "member-state.sh")
    if answer.resolve().is_relative_to(SNIPPETS_DIR):
        record_run(str(answer.resolve().relative_to(SNIPPETS_DIR)))
    return subprocess.run(["bash", "check-member-state.sh", "member-state.sh"], cwd=lab.workdir,
                          env=lab_env(lab), capture_output=True, text=True, timeout=LAB_TIMEOUT_S)


@pytest.mark.lab_ports(10)
def test_member_state_checker_accepts_the_solution(lab):
    result = check_member_state(lab, snippet_path(MEMBER_STATE_SOLUTION))
    assert (result.returncode, result.stdout) == (0, "PASS\n"), result.stdout + result.stderr
    assert_nothing_left(lab)


@pytest.mark.lab_ports(10)
@pytest.mark.parametrize("answer", exercises.typical_wrong_answers(MEMBER_STATE), ids=lambda p: p.name)
def test_member_state_checker_rejects_typical_wrong_answers(lab, answer):
    exercises.assert_rejected(answer, check_member_state(lab, answer))
    assert_nothing_left(lab)


@pytest.mark.lab_ports(10)
def test_member_state_checker_stops_on_ctrl_c_while_the_script_hangs(lab):
    for name in (MEMBER_STATE, LAB_CLUSTER, PARTITION):
        shutil.copy(snippet_path(name), lab.workdir)
    exercises.assert_stops_on_ctrl_c_while_the_script_hangs(["bash", "check-member-state.sh", "member-state.sh"],
                                                            lab.workdir, lab_env(lab), lab.workdir / "member-state.sh")
    assert_nothing_left(lab)


@pytest.mark.parametrize("snippet", [MEMBER_STATE, MEMBER_STATE_SOLUTION])
def test_exercise_scripts_pasted_into_a_shell_change_nothing(tmp_path, snippet):
    env = snippet_env(READERS_ENDPOINT, tmp_path)
    pasted = paste(snippet_path(snippet).read_text(), cwd=tmp_path, env=env, timeout=30)
    assert_unchanged(pasted)
    assert "usage: bash" in pasted.output


def test_member_state_checker_needs_the_script(tmp_path):
    result = subprocess.run(["bash", str(snippet_path(MEMBER_STATE)), "member-state.sh"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout) == (1, "cannot read member-state.sh\n")


class TestPartitionsPage(ExercisePageChecks):
    page = "etcd/partitions.md"
