"""docs/{zh,en}/core-objects/security.md (Access control and security).

Its manifests and exercises (snippets/core-objects/security/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestSecurity(ManifestChecks, ExerciseChecks):
    page = "core-objects/security.md"
