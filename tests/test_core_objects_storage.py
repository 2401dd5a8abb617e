"""docs/{zh,en}/core-objects/storage.md (Persistent storage).

Its manifests and exercises (snippets/core-objects/storage/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestStorage(ManifestChecks, ExerciseChecks):
    page = "core-objects/storage.md"
