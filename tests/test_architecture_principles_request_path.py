"""docs/{zh,en}/architecture-principles/request-path.md: its exercises check themselves, and the
manifests their solutions are (snippets/architecture-principles/exercises/) are valid and shown.
"""

from __future__ import annotations

import pytest

import exercises
import manifests
from code_blocks import LANGUAGES

PAGE = "architecture-principles/request-path.md"
CHECKERS = [
    "architecture-principles/exercises/admission-order/check_admission_order.py",
    "architecture-principles/exercises/replica-limit/check_replica_limit.py",
    "architecture-principles/exercises/reports-flow/check_reports_flow.py",
]
MANIFESTS = manifests.under("architecture-principles/exercises/replica-limit",
                            "architecture-principles/exercises/reports-flow")


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
