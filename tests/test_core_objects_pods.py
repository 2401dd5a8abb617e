"""docs/{zh,en}/core-objects/pods.md (Pods).

Its manifests and exercises (snippets/core-objects/pods/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestPods(ManifestChecks, ExerciseChecks):
    page = "core-objects/pods.md"
