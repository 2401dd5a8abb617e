import os

import pytest

pytest_plugins = ["etcd_harness", "snippet_coverage"]


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
    (absolute links then stay on that host, as they do on the published site)."""
    from etcd_harness import free_port
    from site_build import build_site
    from site_server import local_site_url

    site = build_site(tmp_path_factory.mktemp("site"), local_site_url(free_port()))
    # Every test of the built site would otherwise look at a half-built one.
    assert site.returncode == 0, f"mkdocs build --strict failed:\n{site.log}"
    return site


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL of the built site, served on a free loopback port."""
    from urllib.parse import urlsplit

    from site_server import serve

    port = urlsplit(built_site.site_url).port
    with serve(built_site.site_dir, port) as url:
        assert url == built_site.site_url
        yield url


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
