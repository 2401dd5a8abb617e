"""The core-objects exercises check themselves: each checker accepts its reference solution
and rejects the typical wrong answers beside it with the message the pages promise.

Each exercise lives in snippets/core-objects/<page>/exercises/<slug>/: the checker, the
reference solution (solution.yaml, validated and shown like every manifest), wrong-*.yaml
files and, for a "fix this manifest" task, the manifest to fix (given.yaml, shown on the
page). A wrong answer starts with one or more "# expect: <line>" comments: lines the checker
must print for it. Both language versions of the page quote each of those lines, so a
reader can match what the checker says with what the page explains.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"

CHECKERS = [
    "core-objects/pods/exercises/graceful-shutdown/check_graceful_shutdown.py",
    "core-objects/pods/exercises/guaranteed-resize/check_guaranteed_resize.py",
    "core-objects/security/exercises/log-reader/check_log_reader.py",
    "core-objects/security/exercises/restricted-pod/check_restricted_pod.py",
    "core-objects/security/exercises/db-policy/check_db_policy.py",
    "core-objects/scheduling/exercises/zone-spread/check_zone_spread.py",
    "core-objects/scheduling/exercises/gpu-nodes/check_gpu_nodes.py",
    "core-objects/scheduling/exercises/batch-priority/check_batch_priority.py",
    "core-objects/capacity/exercises/team-quota/check_team_quota.py",
    "core-objects/capacity/exercises/zk-budget/check_zk_budget.py",
    "core-objects/capacity/exercises/web-autoscaler/check_web_autoscaler.py",
    "core-objects/coordination/exercises/lease-takeover/check_lease_takeover.py",
    "core-objects/coordination/exercises/warning-event/check_warning_event.py",
    "core-objects/workloads/exercises/fix-selector/check_fix_selector.py",
    "core-objects/workloads/exercises/thumbnails-job/check_thumbnails_job.py",
    "core-objects/networking/exercises/api-service/check_api_service.py",
    "core-objects/networking/exercises/canary-route/check_canary_route.py",
    "core-objects/cluster/exercises/team-namespace/check_team_namespace.py",
    "core-objects/cluster/exercises/maintenance-node/check_maintenance_node.py",
    "core-objects/configuration/exercises/shop-settings/check_shop_settings.py",
    "core-objects/configuration/exercises/fix-secret/check_fix_secret.py",
    "core-objects/storage/exercises/orders-claim/check_orders_claim.py",
    "core-objects/storage/exercises/archive-class/check_archive_class.py",
    "core-objects/custom-resources/exercises/retention-field/check_retention_field.py",
    "core-objects/custom-resources/exercises/worker-scale/check_worker_scale.py",
    "core-objects/index/exercises/service-for-deployment/check_service_for_deployment.py",
    "core-objects/index/exercises/owner-reference/check_owner_reference.py",
]
EXPECT = re.compile(r"^# expect: (.+)$", re.M)


def run(checker: str, answer: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SNIPPETS / checker), str(answer)],
                          capture_output=True, text=True, timeout=60)


def page(checker: str, lang: str) -> Path:
    return DOCS / lang / "core-objects" / f"{checker.split('/')[1]}.md"


def wrong_answers(checker: str) -> list[Path]:
    return sorted((SNIPPETS / checker).parent.glob("wrong-*.yaml"))


@pytest.mark.parametrize("checker", CHECKERS)
def test_checker_accepts_the_reference_solution(checker):
    result = run(checker, (SNIPPETS / checker).parent / "solution.yaml")
    assert (result.returncode, result.stdout) == (0, "PASS\n"), result.stdout + result.stderr


@pytest.mark.parametrize("checker", CHECKERS)
def test_checker_rejects_typical_wrong_answers(checker):
    wrong = wrong_answers(checker)
    assert len(wrong) >= 2, f"{checker}: fewer than two wrong-*.yaml beside it"
    for answer in wrong:
        expected = EXPECT.findall(answer.read_text(encoding="utf-8"))
        assert expected, f"{answer.relative_to(ROOT)}: no '# expect:' line"
        result = run(checker, answer)
        assert result.returncode == 1, f"{answer.name}: exit {result.returncode}\n{result.stdout}{result.stderr}"
        printed = result.stdout.splitlines()
        for line in expected:
            assert line in printed, f"{answer.name}: expected {line!r}, the checker printed:\n{result.stdout}"
        assert "PASS" not in printed
    given = (SNIPPETS / checker).parent / "given.yaml"
    if given.exists():
        result = run(checker, given)
        assert result.returncode == 1, f"the manifest to fix passes its checker:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("checker", CHECKERS)
def test_page_shows_the_exercise_and_quotes_its_messages(checker, lang):
    text = page(checker, lang).read_text(encoding="utf-8")
    folder = Path(checker).parent.as_posix()
    included = [checker, f"{folder}/solution.yaml"]
    if ((SNIPPETS / checker).parent / "given.yaml").exists():
        included.append(f"{folder}/given.yaml")
    for shown in included:
        assert f'--8<-- "{shown}"' in text, f"{page(checker, lang).relative_to(ROOT)} does not include {shown}"
    for answer in wrong_answers(checker):
        for line in EXPECT.findall(answer.read_text(encoding="utf-8")):
            assert line in text, f"{page(checker, lang).relative_to(ROOT)} does not quote {line!r} ({answer.name})"
