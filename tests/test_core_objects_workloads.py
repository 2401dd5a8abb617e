"""docs/{zh,en}/core-objects/workloads.md (Workloads).

Its manifests and exercises (snippets/core-objects/workloads/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestWorkloads(ManifestChecks, ExerciseChecks):
    page = "core-objects/workloads.md"
