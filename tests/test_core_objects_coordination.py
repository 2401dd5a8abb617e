"""docs/{zh,en}/core-objects/coordination.md (Leases and events).

Its manifests and exercises (snippets/core-objects/coordination/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestCoordination(ManifestChecks, ExerciseChecks):
    page = "core-objects/coordination.md"
