"""docs/{zh,en}/architecture-principles/controllers.md: its exercises check themselves."""

from __future__ import annotations

import pytest

import exercises
from code_blocks import LANGUAGES

PAGE = "architecture-principles/controllers.md"
CHECKERS = [
    "architecture-principles/exercises/adoption/check_adoption.py",
    "architecture-principles/exercises/leader-election/check_leader_election.py",
]


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
