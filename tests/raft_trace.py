"""A trace of a Raft lab: what each member said about itself while the lab ran.

While a lab runs, a thread asks each member for its Raft status every 50 ms
(``/debug/vars`` on its client URL, where etcd publishes ``raft.status``) and keeps
every change of role, term or commit index, and every time a member stops or
starts answering. The lab's step headings ("== 3. kill the leader ...") are
timestamped as the lab prints them. The Raft page replays the trace of the
failover lab (docs/javascripts/member-view.js); ``--update-outputs`` rewrites it
next to the lab's shown output, from the same run.

Trace format (times in seconds from the start of the lab; each event carries the
member's whole state after it, so a replay needs only the last event per member)::

    {"lab": ..., "etcd": "3.5.1", "interval_s": 0.05, "members": ["m1", "m2", "m3"], "end": 14.2,
     "steps": [{"t": 0.01, "text": "1. start three members"}, ...],
     "events": [{"t": 0.42, "member": "m1", "role": "follower", "term": 1, "index": 3,
                 "applied": 3, "event": "up"}, ...]}

``event`` is ``up`` (answers, for the first time or again), ``down`` (no longer
answers: killed), ``role``, ``term`` or ``index`` (what changed, in that order of
precedence). Roles are leader, follower, candidate (pre-candidates included) or unknown.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from etcd_harness import Lab
from snippet_runner import pages_including, snippet_path

INTERVAL_S = 0.05
ROLES = {"StateLeader": "leader", "StateFollower": "follower",
         "StateCandidate": "candidate", "StatePreCandidate": "candidate"}
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy


def trace_path(snippet: str) -> Path:
    return snippet_path(snippet).with_name(Path(snippet).name + ".trace.json")


def raft_status(client_url: str) -> dict | None:
    try:
        with _direct.open(f"{client_url}/debug/vars", timeout=0.3) as resp:
            return json.load(resp).get("raft.status") or None
    except (OSError, ValueError):
        return None


class TraceRecorder(threading.Thread):
    def __init__(self, lab: str, version: str, client_urls: list[str]):
        super().__init__(daemon=True)
        self.names = [f"m{i}" for i in range(1, len(client_urls) + 1)]
        self.client_urls = dict(zip(self.names, client_urls))
        self.trace = {"lab": lab, "etcd": version, "interval_s": INTERVAL_S, "members": self.names,
                      "steps": [], "events": []}
        self.started = time.monotonic()
        self._stop_event = threading.Event()
        self._last: dict[str, tuple | None] = dict.fromkeys(self.names)

    def now(self) -> float:
        return round(time.monotonic() - self.started, 2)

    def step(self, text: str) -> None:
        self.trace["steps"].append({"t": self.now(), "text": text})

    def sample(self) -> None:
        for name, url in self.client_urls.items():
            status = raft_status(url)
            before = self._last[name]
            if status is None:
                if before is not None:  # it answered before: it was stopped
                    self._record(name, "down", before)
                    self._last[name] = None
                continue
            now = (ROLES.get(status.get("raftState"), "unknown"), status.get("term"), status.get("commit"),
                   status.get("applied"))
            if before is None:
                event = "up"
            elif now[0] != before[0]:
                event = "role"
            elif now[1] != before[1]:
                event = "term"
            elif now[2] != before[2]:
                event = "index"
            else:
                continue
            self._record(name, event, now)
            self._last[name] = now

    def _record(self, name: str, event: str, state: tuple) -> None:
        role, term, index, applied = state
        self.trace["events"].append({"t": self.now(), "member": name, "role": "unknown" if event == "down" else role,
                                     "term": term, "index": index, "applied": applied, "event": event})

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(INTERVAL_S)

    def finish(self, end: float) -> dict:
        """The trace up to ``end``, the lab's last line of output: what follows is its trap
        stopping every member, which the page does not explain."""
        self._stop_event.set()
        self.join()
        self.trace["events"] = [event for event in self.trace["events"] if event["t"] <= end]
        self.trace["end"] = end
        return self.trace


def run_traced(snippet: str, lab: Lab, version: str, timeout: float) -> tuple[str, dict]:
    """Run a lab like snippet_runner.run_snippet does, recording its trace; return (output, trace)."""
    path = snippet_path(snippet)
    recorder = TraceRecorder(snippet, version, lab.etcd.endpoints.split(","))
    recorder.start()
    proc = subprocess.Popen(["bash", "-euo", "pipefail", str(path)], cwd=lab.etcd.workdir,
                            env={**lab.etcd.env, **lab.env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    lines, end = [], 0.0
    try:
        for line in proc.stdout:
            end = recorder.now()
            if line.startswith("== "):
                recorder.step(line[3:].strip())
            lines.append(line)
        proc.wait()
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        trace = recorder.finish(end)
    output = "".join(lines)
    if proc.returncode != 0:
        raise AssertionError(
            f"snippets/{snippet} (shown on {', '.join(pages_including(snippet)) or 'no page'}) "
            f"exited with {proc.returncode}:\n{output}")
    return output, trace


def dumps(trace: dict) -> str:
    """The trace as JSON with one event per line: small, and a diff shows what changed."""
    head = {key: value for key, value in trace.items() if key not in ("steps", "events")}
    parts = [json.dumps(head)[:-1]]
    for key in ("steps", "events"):
        items = ",\n  ".join(json.dumps(item) for item in trace[key])
        parts.append(f'"{key}": [\n  {items}\n ]')
    return ",\n ".join(parts) + "\n}\n"


def state_at(trace: dict, t: float) -> dict[str, dict]:
    """Each member's role, state and term at time ``t``, as the replay must show it."""
    state = {name: {"role": "unknown", "state": "stopped", "term": None} for name in trace["members"]}
    for event in trace["events"]:
        if event["t"] > t:
            break
        down = event["event"] == "down"
        state[event["member"]] = {"role": "unknown" if down else event["role"],
                                  "state": "stopped" if down else "running", "term": event["term"]}
    return state


def check_failover_trace(trace: dict) -> None:
    """What the failover lab's trace must show, whichever member leads."""
    assert trace["members"] == ["m1", "m2", "m3"]
    steps = {step["text"].split(".")[0]: step["t"] for step in trace["steps"]}
    assert list(steps) == ["1", "2", "3", "4", "5", "6"], trace["steps"]
    times = [event["t"] for event in trace["events"]]
    assert times == sorted(times), "events out of order"

    # The kill follows the step's heading within milliseconds: the first member to go down is the one killed.
    downs = [e for e in trace["events"] if e["event"] == "down"]
    assert downs and steps["3"] - 0.5 < downs[0]["t"] < steps["4"], f"no member went down in step 3: {downs}"
    old = downs[0]["member"]
    before_kill = state_at(trace, downs[0]["t"] - 0.005)
    leaders = [name for name, member in before_kill.items() if member["role"] == "leader"]
    assert leaders == [old], f"the member killed was not the one leader: {old}, {before_kill}"
    assert all(member["state"] == "running" for member in before_kill.values()), before_kill
    old_term = before_kill[old]["term"]

    # The recorder polls every 50 ms: the lab may print its next heading before the trace shows the change.
    elected = [e for e in trace["events"] if e["t"] > downs[0]["t"] and e["role"] == "leader"]
    assert elected and elected[0]["t"] < steps["5"], f"no leader after the kill: {elected}"
    new, new_term = elected[0]["member"], elected[0]["term"]
    assert new != old and new_term > old_term, f"{new} leads in term {new_term}; {old} led in term {old_term}"

    back = [e for e in trace["events"] if e["member"] == old and e["event"] == "up" and e["t"] >= steps["6"]]
    assert back, f"{old} was not seen answering again in step 6"
    at_end = state_at(trace, trace["end"])
    assert at_end[old]["role"] == "follower", f"the old leader does not follow at the end: {at_end}"
    assert at_end[old]["term"] == new_term, f"the old leader is in another term than {new}'s: {at_end}"
