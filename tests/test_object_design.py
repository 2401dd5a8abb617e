"""The object-design chapter (docs/{zh,en}/object-design.md and object-design/*.md): its manifests
are valid, shown, and its exercises check themselves.

Manifests: every *.yaml under snippets/object-design/ gets the checks of tests/manifests.py, a
custom resource against the CustomResourceDefinition in snippets/object-design/ that serves it.
Exercise answers that are predictions rather than objects (manifests.PREDICTIONS) and the
wrong-*.yaml answers are not manifests; the exercise tests below cover them.

Exercises: each lives in snippets/object-design/exercises/<slug>/ (see tests/exercises.py); the
page that sets it is listed in EXERCISES.
"""

from __future__ import annotations

import jsonschema
import pytest

import exercises
import manifests
from code_blocks import LANGUAGES
from page_checks import ManifestChecks

MANIFESTS = manifests.under("object-design")

# checker -> the page (under docs/<lang>/) that sets the exercise
EXERCISES = {
    "object-design/exercises/selector/check_selector.py": "object-design.md",
    "object-design/exercises/conflict/check_conflict.py": "object-design.md",
    "object-design/exercises/fix-crd/check_fix_crd.py": "object-design/fields-and-validation.md",
    "object-design/exercises/ratcheting/check_ratcheting.py": "object-design/fields-and-validation.md",
    "object-design/exercises/crd-versions/check_crd_versions.py": "object-design/api-evolution.md",
    "object-design/exercises/storage-migration/check_storage_migration.py": "object-design/api-evolution.md",
    "object-design/exercises/patch/check_patch.py": "object-design/writes-and-status.md",
    "object-design/exercises/condition/check_condition.py": "object-design/writes-and-status.md",
}
CONDITION = "object-design/exercises/condition/check_condition.py"


def test_the_chapter_has_manifests_and_crds():
    assert len(MANIFESTS) >= 10
    assert ("ops.example.com/v1", "Backup") in manifests.custom_resource_schemas("object-design")


class TestObjectDesign(ManifestChecks):
    page = None  # the chapter's manifests are shown on its several pages
    manifests = MANIFESTS


def test_custom_resources_are_checked_strictly():
    """A misspelt field, a missing required one and a wrong enum value are all caught."""
    schema = manifests.custom_resource_schemas("object-design")[("ops.example.com/v1", "Backup")]
    validator = jsonschema.Draft202012Validator(schema)
    backup = {"apiVersion": "ops.example.com/v1", "kind": "Backup", "metadata": {"name": "b"},
              "spec": {"schedule": "0 3 * * *", "source": {"type": "Volume", "volume": {"claimName": "data"}}}}
    assert not list(validator.iter_errors(backup))
    backup["spec"]["retentionSecond"] = 3600
    assert "'retentionSecond' was unexpected" in str(list(validator.iter_errors(backup)))
    del backup["spec"]["retentionSecond"], backup["spec"]["schedule"]
    assert "'schedule' is a required property" in str(list(validator.iter_errors(backup)))
    backup["spec"].update(schedule="0 3 * * *", source={"type": "Bucket"})
    assert "'Bucket' is not one of" in str(list(validator.iter_errors(backup)))


# --- exercises --------------------------------------------------------------------------


def test_every_exercise_is_listed():
    assert set(exercises.checkers("object-design")) == set(EXERCISES)


@pytest.mark.parametrize("checker", EXERCISES)
def test_checker_accepts_the_reference_solution(checker):
    exercises.assert_accepts_the_solution(checker)


@pytest.mark.parametrize("checker", EXERCISES)
def test_checker_rejects_typical_wrong_answers(checker):
    exercises.assert_rejects_typical_wrong_answers(checker)


@pytest.mark.parametrize("checker", [c for c in EXERCISES if exercises.starting_point(c)])
def test_checker_rejects_the_starting_point(checker):
    exercises.assert_rejects_the_starting_point(checker)


def test_condition_checker_reads_timestamps_as_the_api_server_does():
    """An unquoted lastTransitionTime is a YAML timestamp; kubectl sends it as a string, so it passes."""
    exercises.assert_accepted(exercises.run_checker(CONDITION, exercises.beside(CONDITION) /
                                                    "alternative-unquoted-time.yaml"))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("checker", EXERCISES)
def test_page_shows_the_exercise_and_quotes_its_messages(checker, lang):
    exercises.assert_page_sets_the_exercise(EXERCISES[checker], lang, checker)
