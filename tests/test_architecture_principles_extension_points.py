"""docs/{zh,en}/architecture-principles/extension-points.md: its exercises, and the manifest
the apiservice solution is, get the checks of tests/page_checks.py."""

import manifests
from page_checks import ExerciseChecks, ManifestChecks


class TestExtensionPoints(ManifestChecks, ExerciseChecks):
    page = "architecture-principles/extension-points.md"
    checkers = [
        "architecture-principles/exercises/extension-point/check_extension_point.py",
        "architecture-principles/exercises/apiservice/check_apiservice.py",
    ]
    manifests = manifests.under("architecture-principles/exercises/apiservice")
