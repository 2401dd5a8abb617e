"""docs/{zh,en}/core-objects/networking.md (Services, Ingress and Gateway API).

Its manifests (snippets/core-objects/networking/) are valid Kubernetes and shown on both versions
of the page; its exercises accept their solutions and reject the typical wrong answers.
"""

import pytest

import exercises
import manifests
from code_blocks import LANGUAGES

PAGE = "core-objects/networking.md"
MANIFESTS = manifests.under("core-objects/networking")
CHECKERS = exercises.checkers("core-objects/networking")


@pytest.mark.parametrize("path", MANIFESTS, ids=manifests.name)
def test_manifest_is_valid(path):
    manifests.assert_valid(path)


@pytest.mark.parametrize("path", MANIFESTS, ids=manifests.name)
def test_manifest_uses_no_deprecated_field(path):
    manifests.assert_no_deprecated_field(path)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", MANIFESTS, ids=manifests.name)
def test_manifest_is_shown(path, lang):
    manifests.assert_shown(path, lang, PAGE)


@pytest.mark.parametrize("checker", CHECKERS)
def test_checker_accepts_the_reference_solution(checker):
    exercises.assert_accepts_the_solution(checker)


@pytest.mark.parametrize("checker", CHECKERS)
def test_checker_rejects_typical_wrong_answers(checker):
    exercises.assert_rejects_typical_wrong_answers(checker)
    exercises.assert_rejects_the_starting_point(checker)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("checker", CHECKERS)
def test_page_shows_the_exercise_and_quotes_its_messages(checker, lang):
    exercises.assert_page_sets_the_exercise(PAGE, lang, checker)
