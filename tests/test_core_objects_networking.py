"""docs/{zh,en}/core-objects/networking.md (Services, Ingress and Gateway API).

Its manifests and exercises (snippets/core-objects/networking/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestNetworking(ManifestChecks, ExerciseChecks):
    page = "core-objects/networking.md"
