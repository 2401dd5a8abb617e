"""make bench: how fast the site builds and loads, and what Lighthouse thinks of it.

Prints: cold strict build time; the time a one-line edit takes to reach the
browser under ``mkdocs serve`` (median of five edits), in both languages and in
English only; full test-suite time; bytes transferred on the first load of the
home page and of the heaviest page; search index size per language; Lighthouse
scores (mobile and desktop presets) for the home page and the heaviest page in
both languages. Not a test: nothing here passes or fails.

Lighthouse scores vary from run to run (CPU timing on a shared machine), so each
page is measured LIGHTHOUSE_RUNS times (default 5: Lighthouse's variability guide
finds the median of five runs about half as variable as one) and the median run is
reported, chosen as Lighthouse itself chooses it (its ``computeMedianRun``: the run
closest to the median first contentful paint and time to interactive,
bench/median-run.mjs), with the range of performance scores seen. On mobile, the same page loads are also scored
at the CPU slowdown calibrated to the host (see ``calibrated_slowdown``), labelled
as such. Chromium runs with RenderDocument on, as it ships (see
``lighthouse_chromium_flags``); runs whose first frame reached the screen only after
the page had loaded are counted beside the score.

LIGHTHOUSE_PAGES=all measures every page of both languages instead (about 30 s a
page and preset for each run); LIGHTHOUSE_PAGES="components/ en/components/"
measures the pages it names (home and en are the two home pages).
LIGHTHOUSE_PRESETS=mobile (or desktop) measures one preset only.
BENCH_TESTS=1 also times the full test suite (left out by default: it takes minutes).
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import queue
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from etcd_harness import free_port  # noqa: E402
from site_build import build_site  # noqa: E402
from site_server import CHROMIUM_FLAGS, local_site_url, serve  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET = 0.95  # every category, every measured page


@functools.cache
def lighthouse_chromium_flags() -> tuple[str, ...]:
    """The browser tests' Chromium flags, plus Lighthouse's launcher's --disable-features
    list without RenderDocument, so Chromium runs with that feature as it ships.

    Lighthouse's launcher (chrome-launcher) turns RenderDocument off. With it off, this
    headless Chromium often kept a page's first frame off screen for about a second: the
    page was painted some 150 ms in and the main thread then sat idle, but the frame was
    shown only at 1.1-1.3 s. Lighthouse's simulation turns that into a 2.4 s Largest
    Contentful Paint. Lighthouse issue #17148 reports a similar stall on PageSpeed Insights.
    Chromium honours the last --disable-features it is given, so this list replaces the
    launcher's.
    """
    launcher_defaults = subprocess.run(
        ["node", "-e", "import('chrome-launcher').then(m => console.log(JSON.stringify(m.Launcher.defaultFlags())))"],
        cwd=ROOT / "bench", capture_output=True, text=True, check=True)
    disabled = [flag.split("=", 1)[1].split(",") for flag in json.loads(launcher_defaults.stdout)
                if flag.startswith("--disable-features=")]
    features = [feature for flags in disabled for feature in flags if feature != "RenderDocument"]
    return (*CHROMIUM_FLAGS, f"--disable-features={','.join(features)}")


def report(label: str, value: str) -> None:
    print(f"{label:<58} {value}", flush=True)


def rebuild_seconds_after_edit(workdir: Path, edits: int = 5,
                               language: str | None = None) -> list[tuple[float, float]]:
    """Start mkdocs serve (in one ``language`` only, as ``make serve-<language>`` does, if
    given), then append a line to a page ``edits`` times, each once the browsers were told to
    reload after the last; return, per edit, (seconds from the edit until the browsers are
    told to reload, seconds from the start of the rebuild until then).

    mkdocs serve looks for changed files every half second, so one edit's figure varies by
    up to that much. Each edit comes a random fraction of that period later than a fixed
    pause would bring it, so that the edits fall at random points of it. Everything
    happens in a copy of the repository (git history included, for the last-updated
    dates), so a commit made while the bench runs never picks up the edited page.
    """
    copy = workdir / f"repository-{language or 'all'}"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", "site", "node_modules", "test-artifacts", "__pycache__", ".pytest_cache"))
    page = copy / "docs" / (language or "en") / "glossary.md"
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    serve_proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{free_port()}"],
        cwd=copy, env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                       **({"SERVE_ONLY_LANGUAGE": language} if language else {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    threading.Thread(target=lambda: [lines.put((time.monotonic(), line)) for line in serve_proc.stdout],
                     daemon=True).start()

    def wait_for(text: str, timeout: float = 120) -> float:
        """When mkdocs serve printed its next line that contains ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                printed, line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if text in line:
                return printed
        raise TimeoutError(f"mkdocs serve printed no {text!r} within {timeout}s")

    try:
        wait_for("Serving on")
        measured = []
        for number in range(edits):
            time.sleep(0.5 + random.uniform(0, 0.5))
            edited = time.monotonic()
            with page.open("a", encoding="utf-8") as text:
                text.write(f"\nOne more line ({number}).\n")
            # Not "Documentation built in": mkdocs logs a message only if no earlier one had
            # the same text, so a rebuild that takes as long as an earlier one says nothing.
            started = wait_for("Building documentation")
            reloaded = wait_for("Reloading browsers")
            measured.append((reloaded - edited, reloaded - started))
        return measured
    finally:
        serve_proc.terminate()
        serve_proc.wait(30)


def bytes_on_first_load(browser, url: str) -> int:
    context = browser.new_context()
    tab = context.new_page()
    total = 0

    def add(request):
        nonlocal total
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    tab.on("requestfinished", add)
    tab.goto(url, wait_until="networkidle")
    context.close()
    return total


class Run(NamedTuple):
    scores: dict[str, float]  # every category, at Lighthouse's default CPU slowdown
    cpu_index: float  # the host CPU index Lighthouse measured before the run
    held_frame: bool  # the first frame reached the screen only after the page had loaded
    slowdown: float | None  # mobile only: the CPU slowdown calibrated to that index ...
    calibrated: float | None  # ... and the performance score at that slowdown
    timings: dict  # the two metrics Lighthouse's computeMedianRun compares


def lighthouse_runs(url: str, preset: str, runs: int) -> list[Run]:
    """``runs`` runs, sorted by performance score."""
    return sorted((lighthouse(url, preset) for _ in range(runs)), key=lambda run: run.scores["performance"])


def median_run(runs: list[Run]) -> Run:
    """The run Lighthouse's own computeMedianRun picks (bench/median-run.mjs)."""
    lhrs = [{"audits": {name: {"numericValue": value} for name, value in run.timings.items()}} for run in runs]
    picked = subprocess.run(["node", str(ROOT / "bench" / "median-run.mjs")], input=json.dumps(lhrs),
                            capture_output=True, text=True, check=True, timeout=60)
    return runs[int(picked.stdout)]


def median(values: list):
    """The middle of sorted ``values``; of an even number, the lower of the two middle ones."""
    return values[(len(values) - 1) // 2]


def calibrated_slowdown(cpu_index: float) -> float:
    """The CPU slowdown that turns a host with this index into the phone Lighthouse's
    mobile preset means to emulate.

    The preset's fixed 4x assumes an index of about 1530: a slower host then emulates a
    slower phone, a faster one a faster phone. Lighthouse's throttling guide suggests
    calibrating in that case and links a calculator, whose segments these are:
    150 → 1x, 800 → 2x, 1300 → 3x, and one more for every 233 above.
    """
    if cpu_index >= 1300:
        return 3 + (cpu_index - 1300) / 233
    if cpu_index >= 800:
        return 2 + (cpu_index - 800) / 500
    return max(1.0, 1 + (cpu_index - 150) / 650)


def lighthouse(url: str, preset: str) -> Run:
    """One Lighthouse run; on mobile, also the performance score of the same page load
    simulated at the CPU slowdown calibrated to the host.

    Lighthouse loads the page unthrottled and simulates the slow phone afterwards, so
    the load it saved (``-GA``) can be audited again at another slowdown (``-A``).
    """
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    with tempfile.TemporaryDirectory() as tmp:
        artifacts, out = Path(tmp) / "artifacts", Path(tmp) / "result.json"
        args = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(lighthouse_chromium_flags())}"]
        # The desktop preset does not slow the CPU down, so only a mobile load is kept for a second audit.
        first = ["--preset=desktop"] if preset == "desktop" else [f"-GA={artifacts}"]
        subprocess.run([*args, *first], check=True, env=env, timeout=300)
        result = json.loads(out.read_text())
        scores = {name: result["categories"][name]["score"] for name in CATEGORIES}
        cpu_index = result["environment"]["benchmarkIndex"]
        # These pages are static: a first frame shown after the load event was held back by
        # the browser, not by the page (see lighthouse_chromium_flags).
        observed = result["audits"]["metrics"]["details"]["items"][0]
        held_frame = observed["observedFirstContentfulPaint"] > observed["observedLoad"]
        timings = {name: result["audits"][name]["numericValue"] for name in ("first-contentful-paint", "interactive")}
        if preset == "desktop":
            return Run(scores, cpu_index, held_frame, None, None, timings)

        slowdown = calibrated_slowdown(cpu_index)
        saved = artifacts / "artifacts.json"
        gathered = json.loads(saved.read_text())
        # Lighthouse refuses to audit with settings other than those the load was saved with.
        gathered["settings"]["throttling"]["cpuSlowdownMultiplier"] = slowdown
        saved.write_text(json.dumps(gathered))
        subprocess.run([*args, f"-A={artifacts}", f"--throttling.cpuSlowdownMultiplier={slowdown}"],
                       check=True, env=env, timeout=300)
        calibrated = json.loads(out.read_text())["categories"]["performance"]["score"]
        return Run(scores, cpu_index, held_frame, slowdown, calibrated, timings)


def main() -> None:
    from playwright.sync_api import sync_playwright

    presets = os.environ.get("LIGHTHOUSE_PRESETS", "mobile desktop").split()
    if not presets or set(presets) - {"mobile", "desktop"}:
        sys.exit(f"LIGHTHOUSE_PRESETS={os.environ['LIGHTHOUSE_PRESETS']!r}: expected mobile, desktop or both")

    with tempfile.TemporaryDirectory() as tmp:
        site_url = local_site_url(free_port())
        built = build_site(Path(tmp) / "site", site_url)
        if built.returncode:
            sys.exit(built.log)
        report("cold strict build", f"{built.seconds:.1f} s")
        pages = sorted({str(p.parent.relative_to(built.site_dir)) for p in built.site_dir.rglob("index.html")
                        if not p.parent.name == "search" and "assets" not in p.parts})
        asked = ["." if page == "home" else page.strip("/") for page in os.environ.get("LIGHTHOUSE_PAGES", "").split()]
        unknown = [page for page in asked if page not in pages] if asked != ["all"] else []
        if unknown:
            sys.exit(f"LIGHTHOUSE_PAGES: no page {' '.join(unknown)}; name pages like home, en, components/,"
                     " en/etcd/wal/, or say all")
        for label, language in (("one-line edit under mkdocs serve: reload after", None),
                                ("  the same, English only (make serve-en)", "en")):
            edits = sorted(rebuild_seconds_after_edit(Path(tmp), language=language))
            reloads = [reload_after for reload_after, _ in edits]
            rebuild = median(sorted(build for _, build in edits))
            report(label, f"{median(reloads):.2f} s, median of {len(edits)} edits"
                          f" ({reloads[0]:.2f}–{reloads[-1]:.2f} s; rebuild {rebuild:.2f} s)")

        if os.environ.get("BENCH_TESTS") == "1":
            started = time.monotonic()
            tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=ROOT,
                                   capture_output=True, text=True)
            summary = tests.stdout.strip().splitlines()[-1] if tests.stdout.strip() else tests.stderr[-200:]
            report("full test suite", f"{time.monotonic() - started:.0f} s ({summary})")
            failures = re.findall(r"^(?:FAILED|ERROR) \S+", tests.stdout, re.M)
            for failed in failures:
                report("", failed)
            if failures:  # the tracebacks, to tell a flaky test from a broken one
                log = ROOT / "test-artifacts" / "bench-test-suite.log"
                log.parent.mkdir(exist_ok=True)
                log.write_text(tests.stdout + tests.stderr, encoding="utf-8")
                report("", f"full output: {log.relative_to(ROOT)}")

        for lang, prefix in (("zh", ""), ("en", "en/")):
            index = built.site_dir / prefix / "search" / "search_index.json"
            raw = index.read_bytes()
            gzipped = len(gzip.compress(raw))
            report(f"search index ({lang})", f"{len(raw) / 1024:.0f} KiB, {gzipped / 1024:.0f} KiB gzipped")

        with serve(built.site_dir, int(site_url.rsplit(":", 1)[1].split("/")[0])) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            loads = {page: bytes_on_first_load(browser, url + ("" if page == "." else page + "/")) for page in pages}
            browser.close()
            heaviest = max(loads, key=loads.get)
            report("first load, home (zh)", f"{loads['.'] / 1024:.0f} KiB")
            report("first load, home (en)", f"{loads['en'] / 1024:.0f} KiB")
            report(f"first load, heaviest page ({heaviest}/)", f"{loads[heaviest] / 1024:.0f} KiB")

            if asked == ["all"]:
                measured = pages
            elif asked:
                measured = asked
            else:
                twin = heaviest[3:] if heaviest.startswith("en/") else f"en/{heaviest}"
                measured = list(dict.fromkeys([".", "en", heaviest, twin if twin in loads else heaviest]))
            runs = int(os.environ.get("LIGHTHOUSE_RUNS", "5"))
            below_target, below_calibrated = [], []
            for page in measured:
                name = "home" if page == "." else page
                for preset in presets:
                    page_url = url + ("" if page == "." else page + "/")
                    results = lighthouse_runs(page_url, preset, runs)
                    scores = median_run(results).scores
                    performance = [run.scores["performance"] for run in results]
                    cpu = [run.cpu_index for run in results]
                    shown = ", ".join(f"{category} {score:.2f}" for category, score in scores.items())
                    shown += f" (performance {min(performance):.2f}–{max(performance):.2f}"
                    shown += f" in {runs} run{'s' if runs > 1 else ''}"
                    shown += f", host CPU index {min(cpu):.0f}–{max(cpu):.0f}"
                    held = sum(run.held_frame for run in results)
                    shown += f", first frame held past load in {held})" if held else ")"
                    report(f"Lighthouse {preset}, {name}/", shown)
                    below_target += [f"{name}/ {preset} {category} {score:.2f}"
                                     for category, score in scores.items() if score < TARGET]
                    if preset == "mobile":
                        calibrated = sorted(run.calibrated for run in results)
                        slowdowns = [run.slowdown for run in results]
                        middle = median(calibrated)
                        report("  performance at the slowdown calibrated to the host",
                               f"{middle:.2f} ({calibrated[0]:.2f}–{calibrated[-1]:.2f}"
                               f" at {min(slowdowns):.1f}–{max(slowdowns):.1f}x)")
                        if middle < TARGET:
                            below_calibrated.append(f"{name}/ {middle:.2f}")
            report(f"Lighthouse below {TARGET}", "; ".join(below_target) or "none")
            if "mobile" in presets:
                report(f"  mobile performance below {TARGET}, calibrated", "; ".join(below_calibrated) or "none")


if __name__ == "__main__":
    main()
