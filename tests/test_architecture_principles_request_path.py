"""docs/{zh,en}/architecture-principles/request-path.md: its exercises, and the manifests
their solutions are, get the checks of tests/page_checks.py."""

import manifests
from page_checks import ExerciseChecks, ManifestChecks


class TestRequestPath(ManifestChecks, ExerciseChecks):
    page = "architecture-principles/request-path.md"
    checkers = [
        "architecture-principles/exercises/admission-order/check_admission_order.py",
        "architecture-principles/exercises/replica-limit/check_replica_limit.py",
        "architecture-principles/exercises/reports-flow/check_reports_flow.py",
    ]
    manifests = manifests.under("architecture-principles/exercises/replica-limit",
                                "architecture-principles/exercises/reports-flow")
