"""docs/{zh,en}/core-objects/custom-resources.md (Custom resources).

Its manifests and exercises (snippets/core-objects/custom-resources/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestCustomResources(ManifestChecks, ExerciseChecks):
    page = "core-objects/custom-resources.md"
