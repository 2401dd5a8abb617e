"""docs/{zh,en}/core-objects/capacity.md (Quotas and autoscaling).

Its manifests and exercises (snippets/core-objects/capacity/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestCapacity(ManifestChecks, ExerciseChecks):
    page = "core-objects/capacity.md"
