"""The GitHub workflow file is valid and runs the same tests against a real etcd."""

import subprocess
import sys
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "docs.yml"


def test_workflow_matches_github_schema():
    run = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(WORKFLOW)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_workflow_tests_against_a_pinned_etcd_35_container():
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    image = jobs["test"]["services"]["etcd"]["image"]
    assert image.startswith("gcr.io/etcd-development/etcd:v3.5."), image
    assert jobs["test"]["env"]["ETCD_ENDPOINTS"] == "http://127.0.0.1:2379"
    commands = [step.get("run", "") for step in jobs["test"]["steps"]]
    assert any(cmd.startswith("make test") for cmd in commands), commands
