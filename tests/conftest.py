import os
import signal
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytest_plugins = ["etcd_harness", "snippet_coverage"]

# A shell without job control starts `make test &` with SIGINT ignored, and an ignored
# signal stays ignored across exec: the labs that tests interrupt with Ctrl-C would never
# see it. A handler, unlike SIG_IGN, is reset to the default in every child.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the output files shown on the pages with what the snippets print now",
    )
    parser.addoption(
        "--online",
        action="store_true",
        help="also run the tests marked 'online' (they download from the internet)",
    )


def pytest_collection_modifyitems(config, items):
    # The timeout's default signal can interrupt a browser test while Playwright is reading
    # a message, and every later browser test on that worker then fails with a broken
    # connection. The thread method ends the worker instead and xdist starts a new one: the
    # test that ran too long is reported as "worker crashed", the others still run.
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.timeout(method="thread"))
    if config.getoption("--online"):
        return
    online = [item for item in items if item.get_closest_marker("online")]
    if online:
        config.hook.pytest_deselected(items=online)
        items[:] = [item for item in items if item not in online]


def pytest_sessionfinish(session, exitstatus):
    close_shared_site()
    # In CI a skipped test is a failure: a missing dependency must not pass silently.
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; skips are failures in CI.", red=True)
        # An interrupted or broken run keeps its own status.
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def update_outputs(request) -> bool:
    return request.config.getoption("--update-outputs")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The strictly built site, for the loopback address the browser tests serve it on
    (absolute links then stay on that host, as they do on the published site).

    One build serves every pytest-xdist worker: the first to take the lock builds, the
    others wait for it and read its result. Each worker serves that directory on the same
    port (SO_REUSEPORT), so the site's absolute links hold whichever worker answers."""
    import fcntl
    import json

    from etcd_harness import free_port
    from site_build import BuiltSite, build_site
    from site_server import local_site_url, serve

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's directory, above each worker's own
    result = shared / "built-site.json"
    users = (shared / "built-site.users").open("w")
    # A worker stops serving only once no other is still using the site: a listening
    # socket that closes drops the connections the kernel queued on it.
    fcntl.flock(users, fcntl.LOCK_SH)
    with (shared / "built-site.lock").open("w") as build_lock:
        fcntl.flock(build_lock, fcntl.LOCK_EX)
        if result.exists():
            recorded = json.loads(result.read_text())
            site = BuiltSite(**{**recorded, "site_dir": Path(recorded["site_dir"])})
            fcntl.flock(build_lock, fcntl.LOCK_UN)
            server = serve(site.site_dir, urlsplit(site.site_url).port)
            server.__enter__()
        else:
            # The port is held from the moment it is chosen: no other test run can take it.
            # A directory of its own: a worker ended mid-build may leave its build running.
            site_dir, site_url = shared / f"site-{os.getpid()}", local_site_url(free_port())
            server = serve(site_dir, urlsplit(site_url).port)
            server.__enter__()
            site = build_site(site_dir, site_url)
            result.write_text(json.dumps({**site.__dict__, "site_dir": str(site.site_dir)}))
            fcntl.flock(build_lock, fcntl.LOCK_UN)
    try:
        # Every test of the built site would otherwise look at a half-built one.
        assert site.returncode == 0, f"mkdocs build --strict failed:\n{site.log}"
        yield site
    finally:
        fcntl.flock(users, fcntl.LOCK_UN)
        # Waiting here for the other workers would count against this worker's last test's
        # time limit; pytest_sessionfinish waits instead, after this worker's last test.
        _sites_to_close.append((server, users))


_sites_to_close: list = []


def close_shared_site() -> None:
    """Stop serving the built site once no other worker uses it (see built_site)."""
    import fcntl

    for server, users in _sites_to_close:
        fcntl.flock(users, fcntl.LOCK_EX)  # every other worker is done with the site
        server.__exit__(None, None, None)
        users.close()
    _sites_to_close.clear()


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL of the built site, served on loopback."""
    return built_site.site_url


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the system (Debian's ``chromium``), driven by Playwright."""
    import shutil

    from playwright.sync_api import sync_playwright

    from site_server import CHROMIUM_FLAGS

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("Chromium not found: install Debian's chromium package or set CHROMIUM=/path/to/chromium")
    with sync_playwright() as playwright:
        # Playwright hides scrollbars by default; readers' desktop browsers draw them and
        # so does Lighthouse, and they take width from the page.
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS,
                                             ignore_default_args=["--hide-scrollbars"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser):
    """Open browser contexts (``browser.new_context``'s options) that close after the test."""
    opened = []

    def new_context(**options):
        opened.append(browser.new_context(**options))
        return opened[-1]

    yield new_context
    for context in opened:
        context.close()
