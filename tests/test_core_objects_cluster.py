"""docs/{zh,en}/core-objects/cluster.md (Nodes and namespaces).

Its manifests and exercises (snippets/core-objects/cluster/) get the checks of
tests/page_checks.py.
"""

from page_checks import ExerciseChecks, ManifestChecks


class TestCluster(ManifestChecks, ExerciseChecks):
    page = "core-objects/cluster.md"
