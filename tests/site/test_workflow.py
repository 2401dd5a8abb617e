"""The GitHub workflow: valid, testing against etcd containers of every supported series,
and deploying a site whose addresses come from the repository it runs in."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml
from bs4 import BeautifulSoup

from code_blocks import ROOT
from etcd_versions import is_safe, parse
from site_build import build_site

WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def test_workflow_matches_github_schema():
    run = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(WORKFLOW)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_tests_run_against_the_reference_and_a_safe_release_of_each_series():
    test = workflow()["jobs"]["test"]
    releases = [entry["etcd"] for entry in test["strategy"]["matrix"]["include"]]
    assert releases[0] == "reference"
    assert sorted(parse(r)[:2] for r in releases[1:]) == [(3, 5), (3, 6), (3, 7)], releases
    assert all(is_safe(r) for r in releases[1:]), releases
    runs = " ".join(step.get("run", "") for step in test["steps"])
    assert "make test-in-container" in runs and "gcr.io/etcd-development/etcd:" in runs
    assert "ETCD_IMAGE=" in runs and "ETCD_BIN_DIR=" in runs


def test_deploy_takes_its_addresses_from_the_repository():
    deploy = workflow()["jobs"]["deploy"]
    assert "github.event.repository.default_branch" in deploy["if"]
    build = next(step for step in deploy["steps"] if step.get("run") == "make build")
    assert build["env"] == {
        "SITE_URL": "${{ steps.pages.outputs.base_url }}/",
        "REPO_URL": "${{ github.server_url }}/${{ github.repository }}",
        "REPO_NAME": "${{ github.event.repository.name }}",
        "EDIT_URI": "edit/${{ github.event.repository.default_branch }}/docs/",
    }
    assert any(step.get("uses", "").startswith("actions/configure-pages@") for step in deploy["steps"])


@pytest.mark.timeout(600)  # a whole strict build of its own, beside the suite's
def test_a_fork_builds_with_its_own_addresses(tmp_path):
    base = "https://someone.github.io/fork-of-the-course/"
    repo = "https://github.com/someone/fork-of-the-course"
    site = build_site(tmp_path, base, {"REPO_URL": repo, "REPO_NAME": "fork-of-the-course",
                                       "EDIT_URI": "edit/trunk/docs/"})
    assert site.returncode == 0, site.log
    for page, source, url in [
        ("etcd/raft/index.html", "docs/zh/etcd/raft.md", f"{base}etcd/raft/"),
        ("en/etcd/raft/index.html", "docs/en/etcd/raft.md", f"{base}en/etcd/raft/"),
    ]:
        html = BeautifulSoup((tmp_path / page).read_text(encoding="utf-8"), "html.parser")
        assert html.find("link", rel="canonical")["href"] == url
        edit = html.select_one("a.md-content__button[href*='/edit/']")
        assert edit is not None and edit["href"] == f"{repo}/edit/trunk/{source}"
        assert html.select_one("a.md-source")["href"] == repo
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.parse(tmp_path / "sitemap.xml").getroot().findall("s:url", ns)
    assert urls
    for url in urls:
        assert url.find("s:loc", ns).text.startswith(base)
        for link in url.findall("x:link", ns):
            assert link.get("href").startswith(base), link.get("href")
    assert not re.search(r"example\.github\.io|github\.com/example/", (tmp_path / "index.html").read_text())
