"""hooks/serve_watch.py: under mkdocs serve, a saved edit is noticed at once and starts one
rebuild, on a small site that uses the hook, served by a real mkdocs serve."""

import queue
import subprocess
import sys
import textwrap
import threading
import time

from code_blocks import ROOT
from etcd_harness import free_port

EDITS = 5


def test_an_edit_is_noticed_at_once_and_rebuilt_once(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: serve watch
        hooks: [{ROOT / "hooks" / "serve_watch.py"}]
    """))
    serve = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{free_port()}"],
        cwd=tmp_path, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put((time.monotonic(), line)) for line in serve.stderr],
                     daemon=True).start()

    def wait_for(text: str, seconds: float = 30) -> float:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                at, line = lines.get(timeout=left)
            except queue.Empty:
                break
            if text in line:
                return at
        raise AssertionError(f"mkdocs serve did not log {text!r} within {seconds} s")

    try:
        wait_for("Serving on")
        noticed_after = []
        for n, edited in enumerate(["docs/index.md"] * (EDITS - 1) + ["mkdocs.yml"]):
            with open(tmp_path / edited, "a") as file:
                file.write(f"\n# edit {n}\n" if edited == "mkdocs.yml" else f"\n<!-- edit {n} -->\n")
            saved = time.monotonic()
            noticed_after.append(wait_for("Detected file changes") - saved)
            wait_for("Reloading browsers")
        # A rebuild reads every page: reading must not count as an edit and start another.
        time.sleep(1)
        later = []
        while not lines.empty():
            later.append(lines.get_nowait()[1])
        extra = [line for line in later if "Detected file changes" in line]
        assert not extra, f"rebuilds nobody asked for: {extra}"
        # mkdocs' own polling looks every 0.5 s: four of five edits noticed within 0.1 s would
        # happen by chance less than once in a hundred runs.
        quick = [seconds for seconds in noticed_after if seconds < 0.1]
        assert len(quick) >= EDITS - 1, f"edits noticed after {[round(s, 3) for s in noticed_after]} s"
    finally:
        serve.terminate()
        try:
            serve.wait(10)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
