"""docs/{zh,en}/etcd/tls.md: the TLS lab (a private CA, a member with client-certificate
auth on both ports, etcdctl and curl with and without certificates) and the exercises'
certificate checkers, which must accept the reference solutions and reject typical
wrong answers with the messages the page quotes."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from code_blocks import DOCS, LANGUAGES, includes
from etcd_harness import etcd_version, processes_started_in, snippet_env
from etcd_versions import REFERENCE
from exercises import assert_stops_on_ctrl_c_while_the_script_hangs
from paste_shell import assert_unchanged, paste
from snippet_coverage import record_run
from snippet_runner import SNIPPETS, run_and_check, snippet_path

LAB = "etcd/tls/tls-lab.sh"
READERS_ENDPOINT = "http://127.0.0.1:2379"  # the reader's own member, which a lab must leave alone
EXERCISES = Path(__file__).resolve().parent.parent / "snippets" / "etcd" / "tls" / "exercises"
CHECKERS = {"client-cert": "check-client-cert.sh", "server-cert": "check-server-cert.sh"}
EXPECT = re.compile(r"^# expect: (.+)$", re.M)  # what the checker must print for a wrong answer

pytestmark = pytest.mark.skipif(not shutil.which("openssl"), reason="the TLS page needs openssl")


def line(label: str, out: str) -> str:
    match = re.search(rf"^{re.escape(label)}: (.*)$", out, re.M)
    assert match, f"no {label!r} line in:\n{out}"
    return match.group(1)


@pytest.mark.lab_ports(2)
def test_tls_lab(lab, update_outputs):
    out = run_and_check(LAB, lab.etcd, update_outputs, env=lab.env)
    lab.assert_cleaned_up()
    # Both certificates chain to the lab's CA; only the member's may serve.
    assert "server.crt: OK" in out and "client.crt: OK" in out
    server = out[out.index("server.crt: subject"):out.index("client.crt: subject")]
    assert "IP Address:127.0.0.1" in server and "TLS Web Server Authentication" in server
    assert "Server Authentication" not in out[out.index("client.crt: subject"):out.index("== 3.")]
    # etcdctl: the server's certificate needs the CA; the server then asks for the client's.
    assert "certificate signed by unknown authority" in line("no TLS options", out)
    assert line("--cacert only", out).startswith("failed: ")
    if etcd_version() == REFERENCE:
        # Go 1.16, which built 3.5.1, sends this alert; newer Go sends "certificate required" under TLS 1.3.
        assert "bad certificate" in line("--cacert only", out)
    assert line("--cacert --cert --key", out) == "OK (OK)"
    assert line("read it back", out) == "OK (hello)"
    # curl: the same on the client port; on the peer port any certificate of the CA will do.
    assert line("client port, no client certificate", out).startswith("failed")
    assert line("client port, client certificate", out) == 'OK ({"health":"true","reason":""})'
    assert line("peer port, no client certificate", out).startswith("failed")
    assert line("peer port, the member's certificate", out).startswith('OK ({"etcdserver":')
    assert line("peer port, the client's certificate", out).startswith('OK ({"etcdserver":')


@pytest.mark.lab_ports(2)
def test_tls_lab_interrupted_leaves_nothing(lab):
    """Ctrl-C once the member serves TLS: the trap stops it and removes keys and certificates."""
    proc = subprocess.Popen(["bash", str(snippet_path(LAB))], cwd=lab.workdir,
                            env={**lab.etcd.env, **lab.env}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        for printed in proc.stdout:
            if printed.startswith("listening on https://"):
                break
        assert list(lab.lab_dir.glob("*.key")), "the lab made no keys"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, out
    assert "lab failed" not in out, out  # Ctrl-C is no failure
    deadline = time.monotonic() + 5  # an etcdctl already sent may run out its timeout
    while processes_started_in(lab.workdir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_started_in(lab.workdir)
    lab.assert_cleaned_up()


@pytest.mark.lab_ports(2)
def test_tls_lab_pasted_into_a_shell_changes_nothing(lab):
    pasted = paste(snippet_path(LAB).read_text(), cwd=lab.workdir, timeout=120,
                   env={**lab.etcd.env, **lab.env, "ETCDCTL_ENDPOINTS": READERS_ENDPOINT})
    assert pasted.status == "0", pasted.output
    assert_unchanged(pasted)
    lab.assert_cleaned_up()


# --- the exercises -----------------------------------------------------------------------


def check(slug: str, answer: Path, cwd: Path) -> subprocess.CompletedProcess:
    """The checker and the answer saved side by side, run as the page says."""
    shutil.copy(EXERCISES / slug / CHECKERS[slug], cwd)
    shutil.copy(answer, cwd / "answer.sh")
    record_run(f"etcd/tls/exercises/{slug}/{CHECKERS[slug]}")  # saved copies: the audit hook cannot tell
    if answer.suffix == ".sh" and answer.is_relative_to(SNIPPETS):
        record_run(str(answer.relative_to(SNIPPETS)))
    return subprocess.run(["bash", CHECKERS[slug], "answer.sh"], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env=snippet_env(READERS_ENDPOINT, cwd))


@pytest.mark.parametrize("slug", CHECKERS)
def test_checker_stops_on_ctrl_c_while_the_script_hangs(slug, tmp_path):
    shutil.copy(EXERCISES / slug / CHECKERS[slug], tmp_path)
    assert_stops_on_ctrl_c_while_the_script_hangs(["bash", CHECKERS[slug], "answer.sh"], tmp_path,
                                                  snippet_env(READERS_ENDPOINT, tmp_path), tmp_path / "answer.sh")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([CHECKERS[slug], "answer.sh", "answer.sh.started"])


def wrong_answers(slug: str) -> list[Path]:
    wrong = sorted((EXERCISES / slug).glob("wrong-*"))
    assert len(wrong) >= 2, f"{slug}: fewer than two typical wrong answers"
    return wrong


@pytest.mark.parametrize("slug", CHECKERS)
def test_checker_accepts_the_solution(slug, tmp_path):
    result = check(slug, EXERCISES / slug / "solution.sh", tmp_path)
    assert (result.returncode, result.stdout) == (0, "PASS\n"), result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.sh", CHECKERS[slug]]  # scratch removed


@pytest.mark.parametrize("slug, answer", [(slug, answer) for slug in CHECKERS for answer in wrong_answers(slug)],
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_checker_rejects_typical_wrong_answers(slug, answer, tmp_path):
    expected = EXPECT.findall(answer.read_text(encoding="utf-8"))
    assert expected, f"{answer.name}: no '# expect:' line"
    result = check(slug, answer, tmp_path)
    assert result.returncode == 1, f"{answer.name}: exit {result.returncode}\n{result.stdout}{result.stderr}"
    printed = result.stdout.splitlines()
    for message in expected:
        assert message in printed, f"{answer.name}: expected {message!r}, the checker printed:\n{result.stdout}"
    assert "PASS" not in printed


@pytest.mark.parametrize("slug", CHECKERS)
def test_checker_reports_a_script_that_makes_nothing(slug, tmp_path):
    empty = tmp_path / "empty.sh"
    empty.write_text("true\n")
    result = check(slug, empty, tmp_path)
    made = "alice.crt and alice.key" if slug == "client-cert" else "m2.crt and m2.key"
    assert (result.returncode, result.stdout) == (1, f"it made no {made}\n")


@pytest.mark.parametrize("slug", CHECKERS)
def test_checker_pasted_into_a_shell_changes_nothing(slug, tmp_path):
    pasted = paste((EXERCISES / slug / CHECKERS[slug]).read_text(), cwd=tmp_path,
                   env=snippet_env(READERS_ENDPOINT, tmp_path), timeout=30)
    assert_unchanged(pasted)
    assert "usage: bash" in pasted.output


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_ends_with_its_exercises_and_quotes_their_messages(lang):
    page = DOCS / lang / "etcd" / "tls.md"
    text = page.read_text(encoding="utf-8")
    sections = re.findall(r"^## .*\{#([\w-]+)\}\s*$", text, re.M)
    assert sections[-1] == "exercises", f"{page}: the last section is not #exercises"
    tail = text[text.index("{#exercises}"):]
    assert re.findall(r"^### .*\{#(exercise-[\w-]+)\}\s*$", tail, re.M) == [
        "exercise-client-cert", "exercise-server-cert"]
    for slug, checker in CHECKERS.items():
        for shown in (checker, "solution.sh"):
            assert includes(tail, f"etcd/tls/exercises/{slug}/{shown}"), f"{page} does not show {slug}/{shown}"
        for answer in wrong_answers(slug):
            for message in EXPECT.findall(answer.read_text(encoding="utf-8")):
                assert message in tail, f"{page} does not quote {message!r} ({answer.name})"
