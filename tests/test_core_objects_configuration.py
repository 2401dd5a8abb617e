"""docs/{zh,en}/core-objects/configuration.md (Configuration and identity).

Its manifests and exercises (snippets/core-objects/configuration/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestConfiguration(ManifestChecks, ExerciseChecks):
    page = "core-objects/configuration.md"
