"""docs/{zh,en}/architecture-principles/extension-points.md: its exercises check themselves, and
the manifest the apiservice solution is (snippets/architecture-principles/exercises/) is valid and shown.
"""

from __future__ import annotations

import pytest

import exercises
import manifests
from code_blocks import LANGUAGES

PAGE = "architecture-principles/extension-points.md"
CHECKERS = [
    "architecture-principles/exercises/extension-point/check_extension_point.py",
    "architecture-principles/exercises/apiservice/check_apiservice.py",
]
MANIFESTS = manifests.under("architecture-principles/exercises/apiservice")


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


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("checker", CHECKERS)
def test_page_shows_the_exercise_and_quotes_its_messages(checker, lang):
    exercises.assert_page_sets_the_exercise(PAGE, lang, checker)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_ends_with_two_to_four_exercises(lang):
    exercises.assert_page_ends_with_two_to_four_exercises(PAGE, lang)
