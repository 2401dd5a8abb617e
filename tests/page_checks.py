"""The checks a page gets for the manifests it shows and the exercises it sets, as test
classes that the page's module subclasses, naming the page:

    class TestPods(ManifestChecks, ExerciseChecks):
        page = "core-objects/pods.md"

Each test runs once per manifest (``path``) or exercise checker (``checker``) of the class,
and per language where the page is read. They are found under snippets/<page without .md>/
(tests/manifests.py and tests/exercises.py say what counts as one); a class whose manifests
or checkers live elsewhere lists them in ``manifests`` or ``checkers``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import exercises
import manifests
from code_blocks import LANGUAGES


class _PageChecks:
    page: str | None  # under docs/<lang>/; None: any page of the language (a chapter's manifests)
    manifests: list[Path] = []
    checkers: list[str] = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if isinstance(cls.__dict__.get("page"), str):
            folder = cls.page.removesuffix(".md")
            if "manifests" not in cls.__dict__:
                cls.manifests = manifests.under(folder)
            if "checkers" not in cls.__dict__:
                cls.checkers = exercises.checkers(folder)

    def pytest_generate_tests(self, metafunc):
        for argument, values, ids in (("path", self.manifests, manifests.name), ("checker", self.checkers, None)):
            if argument in metafunc.fixturenames:
                # An empty list would make pytest skip the test, which hides a page that lost its files.
                assert values, f"{type(self).__name__} ({self.page}): no {argument} for {metafunc.function.__name__}"
                metafunc.parametrize(argument, values, ids=ids)


class ManifestChecks(_PageChecks):
    """Each manifest is valid for the pinned Kubernetes, uses no deprecated field and is
    shown on both language versions of the page."""

    def test_manifest_is_valid(self, path):
        manifests.assert_valid(path)

    def test_manifest_uses_no_deprecated_field(self, path):
        manifests.assert_no_deprecated_field(path)

    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_manifest_is_shown(self, path, lang):
        manifests.assert_shown(path, lang, self.page)


class ExercisePageChecks(_PageChecks):
    """Both versions of the page set each exercise (checker, solution, starting file) and
    quote what its checker says, and the page ends with its two to four exercises. For a page
    whose checkers run against etcd, its module runs them itself."""

    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_page_shows_the_exercise_and_quotes_its_messages(self, checker, lang):
        exercises.assert_page_sets_the_exercise(self.page, lang, checker)

    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_page_ends_with_two_to_four_exercises(self, lang):
        exercises.assert_page_ends_with_two_to_four_exercises(self.page, lang)


class ExerciseChecks(ExercisePageChecks):
    """The page's checks, and each Python checker accepts the reference solution and rejects
    the typical wrong answers and the starting point."""

    def test_checker_accepts_the_reference_solution(self, checker):
        exercises.assert_accepts_the_solution(checker)

    def test_checker_rejects_typical_wrong_answers(self, checker):
        exercises.assert_rejects_typical_wrong_answers(checker)
        exercises.assert_rejects_the_starting_point(checker)
