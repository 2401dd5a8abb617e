"""make playground, and the replay of the failover lab on the Raft page.

The browser tests drive the playground only through its data-* contract: each
member element carries data-member, data-role, data-state and data-term, and its
buttons carry data-action. One playground per test module and worker (starting
three members takes a few seconds); each test starts from a healthy cluster.
The tests of the server's end (Ctrl-C, SIGTERM, a crash) and of its rate limits
start playgrounds of their own.
"""

from __future__ import annotations

import ast
import base64
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from code_blocks import LANGUAGES, ROOT
from etcd_harness import etcd_bin_dir, free_port, processes_mentioning
from raft_trace import state_at, trace_path

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30
LANG_PREFIX = {"zh": "", "en": "en/"}
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy


@dataclass
class Playground:
    proc: subprocess.Popen
    port: int
    output: list[str] = field(default_factory=list)
    data_dir: Path | None = None
    reader: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body: dict | bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict | str]:
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        default = {"Origin": self.origin, "Content-Type": "application/json"} if method == "POST" else {}
        request = urllib.request.Request(self.origin + path, data=data, method=method,
                                         headers={**default, **(headers or {})})
        try:
            with _direct.open(request, timeout=15) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def post(self, path: str, body: dict | None = None) -> dict:
        return self.request("POST", path, body or {})[1]

    def members(self) -> dict[str, dict]:
        status, state = self.request("GET", "/api/state")
        assert status == 200, state
        return {member["name"]: member for member in state["members"]}

    def wait_for(self, condition, what: str, timeout: float = 20) -> dict[str, dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            members = self.members()
            if condition(members):
                return members
            time.sleep(0.1)
        raise AssertionError(f"{what} not reached in {timeout}s: {members}")

    def restore(self) -> None:
        """Every member running, healed and in one term with one leader, as after the start."""
        for name, member in self.members().items():
            if member["state"] == "stopped":
                self.post(f"/api/members/{name}/start")
            elif member["state"] == "paused":
                self.post(f"/api/members/{name}/resume")
            if member["isolated"]:
                self.post(f"/api/members/{name}/heal")
        self.wait_for(healthy, "three running members with one leader", timeout=30)

    def stop(self, sig: int = signal.SIGINT) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)  # Ctrl-C in a terminal signals the foreground process group
        try:
            return self.proc.wait(STOP_TIMEOUT_S)
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            if self.reader is not None:
                self.reader.join(10)  # the last lines it printed


def healthy(members: dict[str, dict]) -> bool:
    values = list(members.values())
    return (all(m["state"] == "running" for m in values)
            and sorted(m["role"] for m in values) == ["follower", "follower", "leader"]
            and len({m["term"] for m in values}) == 1)


def start_playground() -> Playground:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "playground", "--port", str(port), "--etcd", str(etcd_bin_dir() / "etcd")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    playground = Playground(proc, port)
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in proc.stdout:
            playground.output.append(line)
            lines.put(line)
        lines.put(None)

    playground.reader = threading.Thread(target=read, daemon=True)
    playground.reader.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        if line.startswith("data and logs in "):
            playground.data_dir = Path(line.removeprefix("data and logs in ").strip())
        if line.startswith("playground: http://127.0.0.1:"):
            return playground
    playground.stop(signal.SIGKILL)
    pytest.fail("the playground did not start:\n" + "".join(playground.output))


@pytest.fixture(scope="module")
def playground():
    server = start_playground()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def ready(playground) -> Playground:
    playground.restore()
    return playground


@pytest.fixture
def tab(new_context, ready, request):
    """A page of the playground, in the language the test is parametrized with (default English)."""
    lang = getattr(request, "param", "en")
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.foreign = []
    own = urlsplit(ready.url).netloc
    page.on("request", lambda r: page.foreign.append(r.url)
            if urlsplit(r.url).scheme in ("http", "https", "ws") and urlsplit(r.url).netloc != own else None)
    page.frames_received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: page.frames_received.append(
        (time.monotonic(), frame))))
    page.goto(ready.url + LANG_PREFIX[lang])
    page.wait_for_function(SHOWS_HEALTHY, timeout=15000)
    return page


SHOWS_HEALTHY = """() => {
  const cards = [...document.querySelectorAll("[data-members] [data-member]")]
  return cards.length === 3 && cards.every(c => c.dataset.state === "running")
    && cards.map(c => c.dataset.role).sort().join() === "follower,follower,leader"
    && new Set(cards.map(c => c.dataset.term)).size === 1
}"""


NEW_LEADER = """([old, oldTerm]) => [...document.querySelectorAll("[data-members] [data-member]")].some(c =>
    c.dataset.role === "leader" && c.dataset.member !== old && Number(c.dataset.term) > oldTerm)"""


def card(name: str) -> str:
    return f'[data-members] [data-member="{name}"]'


def shown(page) -> dict[str, dict]:
    return {c["member"]: c for c in page.evaluate(
        """() => [...document.querySelectorAll("[data-members] [data-member]")].map(c => ({...c.dataset}))""")}


def leader_and_followers(page) -> tuple[str, list[str], int]:
    members = shown(page)
    leader = next(name for name, c in members.items() if c["role"] == "leader")
    return leader, sorted(set(members) - {leader}), int(members[leader]["term"])


def wait_card(page, name: str, timeout: float = 15, **attributes) -> None:
    condition = " && ".join(f"c.dataset.{key} === {json.dumps(str(value))}" for key, value in attributes.items())
    page.wait_for_function(f"() => {{ const c = document.querySelector({json.dumps(card(name))}); "
                           f"return c && {condition} }}", timeout=timeout * 1000)


def kv(page, action: str, member: str, key: str, value: str = "", consistency: str = "linearizable") -> dict:
    page.select_option("[data-kv-member]", member)
    page.fill("[data-kv-key]", key)
    page.fill("[data-kv-value]", value)
    page.check(f"input[name=consistency][value={consistency}]")
    page.click(f"button[data-kv={action}]")
    page.wait_for_function("""() => ["ok", "missing", "error"].includes(
        document.querySelector("[data-kv-result]").dataset.outcome)""", timeout=15000)
    return page.evaluate("""() => { const r = document.querySelector("[data-kv-result]")
        return { outcome: r.dataset.outcome, value: r.dataset.value ?? null, text: r.textContent } }""")


# --- The page -------------------------------------------------------------------------


@pytest.mark.parametrize("tab", LANGUAGES, indirect=True)
def test_page_shows_three_members_one_leader_refreshed_often(tab):
    heading = {"zh": "etcd 演练场", "en": "etcd playground"}[tab.evaluate("document.documentElement.lang")]
    assert tab.inner_text("h1") == heading
    for name in ("m1", "m2", "m3"):
        for action in ("stop", "pause", "isolate"):
            assert tab.locator(f"{card(name)} button[data-action={action}]").count() == 1
    before = len(tab.frames_received)
    started = time.monotonic()
    tab.wait_for_timeout(2000)  # lets Playwright deliver the frames meanwhile
    states = [t for t, frame in tab.frames_received[before:] if '"type": "state"' in frame]
    rate = len(states) / (time.monotonic() - started)
    print(f"\nplayground: {rate:.1f} state updates a second")
    assert rate >= 2, f"the member view was refreshed {rate:.1f} times a second"
    assert not tab.foreign, f"requests to other hosts: {tab.foreign}"


def test_stopping_the_leader_shows_a_new_leader_within_5_s(tab):
    old, _, old_term = leader_and_followers(tab)
    started = time.monotonic()
    tab.click(f"{card(old)} button[data-action=stop]")
    tab.wait_for_function(NEW_LEADER, arg=[old, old_term], timeout=5000)
    elapsed = time.monotonic() - started
    print(f"\nplayground: new leader shown {elapsed:.2f}s after Stop on the leader")
    wait_card(tab, old, state="stopped", role="unknown")
    new, _, new_term = leader_and_followers(tab)
    tab.click(f"{card(old)} button[data-action=start]")
    wait_card(tab, old, state="running", role="follower", term=new_term)
    assert leader_and_followers(tab)[0] == new


def test_pause_and_resume_a_follower(tab):
    leader, followers, term = leader_and_followers(tab)
    paused = followers[0]
    tab.click(f"{card(paused)} button[data-action=pause]")
    wait_card(tab, paused, state="paused", role="unknown")
    assert tab.locator(f"{card(paused)} button[data-action=resume]").count() == 1
    tab.wait_for_timeout(1500)  # longer than an election timeout: the others carry on
    assert leader_and_followers(tab)[0] == leader
    tab.click(f"{card(paused)} button[data-action=resume]")
    wait_card(tab, paused, state="running", role="follower", term=term)
    assert leader_and_followers(tab)[0] == leader


@pytest.mark.parametrize("tab", ["zh"], indirect=True)
def test_isolated_follower_serves_stale_serializable_reads_only(tab):
    leader, followers, term = leader_and_followers(tab)
    isolated = followers[0]
    assert kv(tab, "put", leader, "greeting", "hello")["outcome"] == "ok"
    tab.click(f"{card(isolated)} button[data-action=isolate]")
    wait_card(tab, isolated, state="isolated")
    assert kv(tab, "put", leader, "greeting", "hello again")["outcome"] == "ok"
    # PreVote: cut off, it campaigns without raising its term.
    wait_card(tab, isolated, role="candidate", term=term)
    stale = kv(tab, "get", isolated, "greeting", consistency="serializable")
    assert stale["outcome"] == "ok" and stale["value"] == "hello", stale
    linearizable = kv(tab, "get", isolated, "greeting", consistency="linearizable")
    assert linearizable["outcome"] == "error", linearizable
    fresh = kv(tab, "get", leader, "greeting", consistency="linearizable")
    assert fresh["value"] == "hello again", fresh
    tab.click(f"{card(isolated)} button[data-action=heal]")
    wait_card(tab, isolated, state="running", role="follower", term=term)
    wait_card(tab, leader, role="leader", term=term)  # healed, it did not unseat the leader


def test_isolated_leader_steps_down_and_rejoins_when_healed(tab):
    old, _, old_term = leader_and_followers(tab)
    tab.click(f"{card(old)} button[data-action=isolate]")
    wait_card(tab, old, state="isolated")
    tab.wait_for_function(NEW_LEADER, arg=[old, old_term], timeout=15000)
    # CheckQuorum: cut off from the majority, it stops leading; PreVote: it keeps its term.
    tab.wait_for_function(f"""() => document.querySelector({json.dumps(card(old))}).dataset.role !== "leader" """,
                          timeout=15000)
    assert shown(tab)[old]["term"] == str(old_term)
    new_term = max(int(c["term"]) for c in shown(tab).values())
    tab.click(f"{card(old)} button[data-action=heal]")
    wait_card(tab, old, state="running", role="follower", term=new_term)


def test_losing_quorum_and_getting_it_back(tab):
    leader, followers, _ = leader_and_followers(tab)
    left = followers[0]
    for name in (leader, followers[1]):
        tab.click(f"{card(name)} button[data-action=stop]")
        wait_card(tab, name, state="stopped")
    put = kv(tab, "put", left, "quorum", "lost")
    assert put["outcome"] == "error", put
    assert shown(tab)[left]["role"] != "leader"
    assert kv(tab, "get", left, "quorum", consistency="serializable")["outcome"] in ("ok", "missing")
    tab.click(f"{card(leader)} button[data-action=start]")
    tab.wait_for_function("""() => [...document.querySelectorAll("[data-members] [data-member]")]
        .some(c => c.dataset.role === "leader" && c.dataset.state === "running")""", timeout=15000)
    assert kv(tab, "put", left, "quorum", "back")["outcome"] == "ok"


PAGES = {lang: ROOT / "playground" / "pages" / f"{lang}.html" for lang in LANGUAGES}


def test_the_two_pages_are_twins():
    """Same sections (ids), same controls (data-* attributes), in the same order."""
    def skeleton(lang: str) -> list[str]:
        return re.findall(r'\b(id="[\w-]+"|data-[\w-]+(?:="[\w-]*")?)', PAGES[lang].read_text(encoding="utf-8"))

    assert skeleton("zh") == skeleton("en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_scenarios_link_to_sections_that_exist(lang):
    links = re.findall(r'href="__SITE_URL__([\w/-]*?)/?(?:#([\w-]+))?"', PAGES[lang].read_text(encoding="utf-8"))
    assert len(links) >= 8
    for path, anchor in links:
        assert path.startswith("en/") == (lang == "en"), f"the {lang} page links to the other language: {path}"
        page = ROOT / "docs" / lang / (path.removeprefix("en/") + ".md")
        assert page.is_file(), f"{lang} page links to {path}, which is no page"
        if anchor:
            assert f"{{#{anchor}}}" in page.read_text(encoding="utf-8"), f"{page.name} has no #{anchor}"


# --- Safety ------------------------------------------------------------------------------


def test_foreign_host_is_refused(ready):
    for path in ("/", "/en/", "/api/state", "/assets/member-view.js"):
        assert ready.request("GET", path)[0] == 200
        assert ready.request("GET", path, headers={"Host": f"localhost:{ready.port}"})[0] == 200
        # DNS rebinding: another site's name resolved to 127.0.0.1 arrives with that name in Host.
        assert ready.request("GET", path, headers={"Host": f"rebind.example:{ready.port}"})[0] == 403
        assert ready.request("GET", path, headers={"Host": "127.0.0.1"})[0] == 403
    status, _ = ready.request("POST", "/api/members/m1/stop",
                              headers={"Host": f"rebind.example:{ready.port}", "Origin": f"http://rebind.example:{ready.port}"})
    assert status == 403
    assert ready.members()["m1"]["state"] == "running"


def test_changes_need_the_servers_own_origin(ready):
    body = {"member": "m1", "key": "origin", "value": "x"}
    for origin in ("http://evil.example", f"http://127.0.0.1:{ready.port + 1}", "null", None):
        headers = {"Origin": origin} if origin else {}
        request = urllib.request.Request(ready.origin + "/api/kv/put", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json", **headers}, method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            _direct.open(request, timeout=10)
        assert refused.value.code == 403, origin
    status, answer = ready.request("POST", "/api/members/m2/stop", headers={"Origin": "http://evil.example"})
    assert status == 403 and ready.members()["m2"]["state"] == "running"
    assert ready.request("POST", "/api/kv/put", body)[0] == 200


def websocket_handshake(port: int, origin: str) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                      f"Origin: {origin}\r\n\r\n").encode())
        return int(conn.recv(1024).split(b" ", 2)[1])


def test_push_channel_needs_the_servers_own_origin(ready):
    assert websocket_handshake(ready.port, "http://evil.example") == 403
    assert websocket_handshake(ready.port, f"http://127.0.0.1:{ready.port}") == 101


def etcd_gateway(client_url: str, method: str, body: dict) -> dict:
    request = urllib.request.Request(f"{client_url}/v3/kv/{method}", data=json.dumps(body).encode(), method="POST")
    with _direct.open(request, timeout=10) as resp:
        return json.load(resp)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_keys_and_values_are_bounded(ready):
    put = "/api/kv/put"
    assert ready.request("POST", put, {"member": "m1", "key": "k" * 129, "value": "v"})[0] == 400
    assert ready.request("POST", put, {"member": "m1", "key": "键" * 43, "value": "v"})[0] == 400  # 129 bytes
    assert ready.request("POST", put, {"member": "m1", "key": "", "value": "v"})[0] == 400
    assert ready.request("POST", put, {"member": "m1", "key": "k", "value": "v" * 1025})[0] == 400
    assert ready.request("POST", put, {"member": "m1", "key": "k" * 128, "value": "v" * 1024})[0] == 200
    assert ready.request("POST", put, {"member": "m4", "key": "k", "value": "v"})[0] == 400
    assert ready.request("POST", put, b'{"member": "m1", "key": "k", "value": "' + b"v" * 5000 + b'"}')[0] == 413
    # Fill the cluster up to the bound directly, then ask the playground for one more key.
    client = ready.members()["m1"]["client_url"]
    everything = {"key": b64("\0"), "range_end": b64("\0"), "count_only": True}
    count = int(etcd_gateway(client, "range", everything).get("count", 0))
    try:
        for i in range(100 - count):
            etcd_gateway(client, "put", {"key": b64(f"bound/{i:03}"), "value": b64("x")})
        status, answer = ready.request("POST", put, {"member": "m1", "key": "one-too-many", "value": "v"})
        assert status == 400 and "100 keys" in answer["error"], answer
        assert ready.request("POST", put, {"member": "m1", "key": "bound/000", "value": "overwritten"})[0] == 200
    finally:
        etcd_gateway(client, "deleterange", {"key": b64("bound/"), "range_end": b64("bound0")})


FORBIDDEN_CALLS = {"system", "popen", "getoutput", "getstatusoutput", "create_subprocess_shell", "subprocess_shell",
                   "spawnl", "spawnlp", "execl", "execlp", "execv", "execvp"}


def test_no_input_reaches_a_shell(ready, tmp_path):
    for path in (ROOT / "playground").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}"
            for keyword in node.keywords:
                assert keyword.arg != "shell", f"{path.name}:{node.lineno} passes shell="
    marker = tmp_path / "shell-ran"
    for text in (f"$(touch {marker})", f"`touch {marker}`", f"x; touch {marker} #", f"x' && touch '{marker}"):
        assert ready.post("/api/kv/put", {"member": "m1", "key": text, "value": text})["ok"]
        got = ready.post("/api/kv/get", {"member": "m2", "key": text})
        assert got["value"] == text, got
    assert not marker.exists()


def test_every_kind_of_request_is_rate_limited():
    server = start_playground()
    try:
        refused = {}
        with ThreadPoolExecutor(16) as pool:  # at once, however slow the machine
            for kind, method, path in (("member", "POST", "/api/members/m9/stop"), ("kv", "POST", "/api/kv/get"),
                                       ("page", "GET", "/api/state")):
                statuses = list(pool.map(lambda _: server.request(method, path, {} if method == "POST" else None)[0],
                                         range(120)))
                refused[kind] = statuses.count(429)
                assert 0 < refused[kind] < 120, (kind, statuses)
            handshakes = list(pool.map(lambda _: websocket_handshake(server.port, server.origin), range(20)))
        refused["socket"] = handshakes.count(429)
        assert 101 in handshakes and 429 in handshakes, handshakes
        print(f"\nplayground: refused with 429 of 120 requests at once (20 WebSockets): {refused}")
    finally:
        server.stop()


# --- The server's end ----------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "sigterm", "crash"])
def test_nothing_is_left_running(sig, tmp_path):
    leftover = None
    if sig == signal.SIGINT:
        # What a playground killed earlier left behind: its server is gone, so the next one removes it.
        dead = subprocess.Popen(["true"])
        dead.wait()
        leftover = Path(tempfile.gettempdir(), f"etcd-playground-test-{os.getpid()}-{time.time_ns()}")
        leftover.mkdir()
        (leftover / "server.pid").write_text(str(dead.pid))
    server = start_playground()
    data_dir = server.data_dir
    try:
        assert data_dir and data_dir.is_dir()
        assert len(processes_mentioning(data_dir)) == 3, "expected three members"
        code = server.stop(sig)
        if sig == signal.SIGKILL:  # no clean-up ran: the kernel ends the members (PR_SET_PDEATHSIG)
            deadline = time.monotonic() + 10
            while processes_mentioning(data_dir) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not processes_mentioning(data_dir), "members outlived the crashed server"
            return
        assert code == 0, "".join(server.output)
        assert not processes_mentioning(data_dir), "members left running"
        assert not data_dir.exists(), f"{data_dir} left behind"
        assert "stopped the members and removed" in server.output[-1]
        if leftover:  # removed by this server, or by one that another test started meanwhile
            assert not leftover.exists()
    finally:
        if data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
        if leftover:
            shutil.rmtree(leftover, ignore_errors=True)


# --- The replay on the Raft page --------------------------------------------------------------


def test_member_view_loads_only_on_the_raft_page(built_site):
    pages = [p.relative_to(built_site.site_dir) for p in built_site.site_dir.rglob("index.html")
             if "member-view.js" in p.read_text(encoding="utf-8")]
    assert sorted(map(str, pages)) == ["en/etcd/raft/index.html", "etcd/raft/index.html"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_replay_renders_and_steps_through_the_recorded_trace(new_context, site_url, lang):
    trace = json.loads(trace_path("etcd/raft/failover-lab.sh").read_text(encoding="utf-8"))
    context = new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    own, requests = urlsplit(site_url).netloc, []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + LANG_PREFIX[lang] + "etcd/raft/", wait_until="networkidle")
    assert page.locator("[data-replay] [data-member]").count() == 0, "built before it came near the screen"
    assert not any("trace" in url for url in requests), "trace fetched at load"
    page.locator("#failover-replay").scroll_into_view_if_needed()
    page.wait_for_selector("[data-replay] [data-member]")

    def compare() -> float:
        at = float(page.get_attribute("[data-replay]", "data-replay-at"))
        shown_now = {c["member"]: c for c in page.evaluate(
            """() => [...document.querySelectorAll("[data-replay] [data-member]")].map(c => ({...c.dataset}))""")}
        for name, expected in state_at(trace, at).items():
            got = shown_now[name]
            assert (got["role"], got["state"], got["term"]) == (
                expected["role"], expected["state"], "" if expected["term"] is None else str(expected["term"])
            ), f"at {at}s {name} shows {got}, the trace says {expected}"
        return at

    start = compare()
    assert start == trace["events"][0]["t"]
    changes = sorted({e["t"] for e in trace["events"] + trace["steps"] if e["t"] > start})
    seen = []
    for _ in changes:
        page.click("[data-replay-control=next]")
        seen.append(compare())
    assert seen == changes, "the next button skipped or repeated a change"
    page.click("[data-replay-control=next]")
    assert compare() == trace["end"]
    page.click("[data-replay-control=previous]")
    assert compare() == changes[-1]

    killed = next(e for e in trace["events"] if e["event"] == "down")
    page.evaluate("""t => { const s = document.querySelector("[data-replay-scrub]")
        s.value = t; s.dispatchEvent(new Event("input")) }""", killed["t"] + 0.3)
    compare()
    assert page.get_attribute(f'[data-replay] [data-member="{killed["member"]}"]', "data-state") == "stopped"

    page.click("[data-replay-control=play]")
    page.wait_for_timeout(600)
    page.click("[data-replay-control=pause]")
    paused_at = compare()
    assert paused_at > killed["t"] + 0.5, "play did not move the replay on"
    page.wait_for_timeout(300)
    assert compare() == paused_at, "pause did not stop the replay"
    foreign = [url for url in requests if urlsplit(url).netloc != own and urlsplit(url).scheme.startswith("http")]
    assert not foreign, foreign
