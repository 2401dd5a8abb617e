"""docs/{zh,en}/core-objects/scheduling.md (Scheduling and priority).

Its manifests and exercises (snippets/core-objects/scheduling/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestScheduling(ManifestChecks, ExerciseChecks):
    page = "core-objects/scheduling.md"
