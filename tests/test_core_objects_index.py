"""docs/{zh,en}/core-objects/index.md (Kubernetes core objects).

Its manifests and exercises (snippets/core-objects/index/) get the checks of
tests/page_checks.py.
"""

import pytest

import manifests
from code_blocks import LANGUAGES
from page_checks import ExerciseChecks, ManifestChecks


class TestCoreObjectsIndex(ManifestChecks, ExerciseChecks):
    page = "core-objects/index.md"

    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_page_names_the_pinned_version(self, lang):
        minor = ".".join(manifests.KUBERNETES_VERSION.split(".")[:2])
        assert f"Kubernetes {minor}" in (manifests.ROOT / "docs" / lang / self.page).read_text(encoding="utf-8"), (
            f"docs/{lang}/{self.page} does not say the manifests are checked against Kubernetes {minor}")
