"""The object-design chapter's manifests are valid, shown, and its exercises check themselves.

Manifests: every *.yaml under snippets/object-design/ is checked strictly against the pinned
Kubernetes version (the one tests/test_core_objects.py pins), a custom resource against the
CustomResourceDefinition in snippets/object-design/ that serves it, and each is included by both
languages. Exercise answers that are predictions rather than objects (PREDICTIONS) and the
wrong-*.yaml answers are not manifests; the exercise tests below cover them.

Exercises: each lives in snippets/object-design/exercises/<slug>/ with its checker, its reference
solution and wrong-*.yaml answers. A wrong answer starts with "# expect: <line>" comments, lines
the checker must print for it, and the page that sets the exercise quotes each of them in both
languages.
"""

from __future__ import annotations

import copy
import functools
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
from test_core_objects import (
    KUBERNETES_VERSION,
    deprecated_fields,
    documents,
    kind_schema,
    strict_schema,
    where,
)

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
CHAPTER = SNIPPETS / "object-design"
DOCS = ROOT / "docs"
INCLUDE = re.compile(r'--8<--\s+"([^"]+)"')
EXPECT = re.compile(r"^# expect: (.+)$", re.M)

# Exercises whose answers are predictions written as YAML mappings, not Kubernetes objects.
PREDICTIONS = ("conflict", "ratcheting", "patch")

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


def rel(path: Path) -> str:
    return path.relative_to(SNIPPETS).as_posix()


def is_manifest(path: Path) -> bool:
    parts = path.relative_to(CHAPTER).parts
    if parts[0] == "exercises" and parts[1] in PREDICTIONS:
        return False
    return not path.name.startswith(("wrong-", "alternative-"))


MANIFESTS = sorted(p for p in CHAPTER.rglob("*.yaml") if is_manifest(p))


@functools.cache
def custom_resource_schemas() -> dict[tuple[str, str], dict]:
    """(apiVersion, kind) -> strict JSON schema, for every served version of this chapter's CRDs."""
    schemas = {}
    for path in MANIFESTS:
        for _, doc in documents(path):
            if doc.get("kind") != "CustomResourceDefinition":
                continue
            spec = doc["spec"]
            for version in spec["versions"]:
                if version.get("served"):
                    schema = copy.deepcopy(version["schema"]["openAPIV3Schema"])
                    schema["properties"].update(apiVersion={"type": "string"}, kind={"type": "string"},
                                                metadata={"type": "object"})
                    schemas[(f"{spec['group']}/{version['name']}", spec["names"]["kind"])] = strict_schema(schema)
    return schemas


def test_the_chapter_has_manifests_and_crds():
    assert len(MANIFESTS) >= 10
    assert ("ops.example.com/v1", "Backup") in custom_resource_schemas()


@pytest.mark.parametrize("path", MANIFESTS, ids=rel)
def test_manifest_is_valid(path):
    docs = documents(path)
    assert docs, f"snippets/{rel(path)}: no YAML documents"
    pinned = ".".join(KUBERNETES_VERSION.split(".")[:2])
    for index, doc in docs:
        here = where(path, index, doc)
        if not isinstance(doc, dict) or "apiVersion" not in doc or "kind" not in doc:
            pytest.fail(f"{here}: not a Kubernetes object (needs apiVersion and kind)", pytrace=False)
        try:
            used = kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as err:
            field = ".".join(str(part) for part in err.path) or "(top level)"
            pytest.fail(f"{here} is not valid for Kubernetes {err.version}: {field}: {err.message}", pytrace=False)
        except kubernetes_validate.SchemaNotFoundError:
            schema = custom_resource_schemas().get((doc["apiVersion"], doc["kind"]))
            if schema is None:
                pytest.fail(f"{here}: no CustomResourceDefinition in snippets/object-design/ serves "
                            f"{doc['kind']} in {doc['apiVersion']}", pytrace=False)
            failure = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(doc))
            if failure is not None:
                field = ".".join(str(part) for part in failure.path) or "(top level)"
                pytest.fail(f"{here} does not match its CustomResourceDefinition: {field}: {failure.message}",
                            pytrace=False)
        else:
            assert used == pinned, f"{here}: validated against Kubernetes {used}, not {pinned}"


def test_custom_resources_are_checked_strictly():
    """A misspelt field, a missing required one and a wrong enum value are all caught."""
    validator = jsonschema.Draft202012Validator(custom_resource_schemas()[("ops.example.com/v1", "Backup")])
    backup = {"apiVersion": "ops.example.com/v1", "kind": "Backup", "metadata": {"name": "b"},
              "spec": {"schedule": "0 3 * * *", "source": {"type": "Volume", "volume": {"claimName": "data"}}}}
    assert not list(validator.iter_errors(backup))
    backup["spec"]["retentionSecond"] = 3600
    assert "'retentionSecond' was unexpected" in str(list(validator.iter_errors(backup)))
    del backup["spec"]["retentionSecond"], backup["spec"]["schedule"]
    assert "'schedule' is a required property" in str(list(validator.iter_errors(backup)))
    backup["spec"].update(schedule="0 3 * * *", source={"type": "Bucket"})
    assert "'Bucket' is not one of" in str(list(validator.iter_errors(backup)))


@pytest.mark.parametrize("path", MANIFESTS, ids=rel)
def test_manifest_uses_no_deprecated_field(path):
    found = []
    for index, doc in documents(path):
        schema = kind_schema(doc)
        if schema is not None:
            found += deprecated_fields(doc, schema, where(path, index, doc))
    assert not found, "deprecated fields:\n" + "\n".join(found)


@functools.cache
def page_text(page: str, lang: str) -> str:
    return (DOCS / lang / page).read_text(encoding="utf-8")


@functools.cache
def included(lang: str) -> frozenset[str]:
    return frozenset(name for page in (DOCS / lang).rglob("*.md")
                     for name in INCLUDE.findall(page.read_text(encoding="utf-8")))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", MANIFESTS, ids=rel)
def test_manifest_is_shown(path, lang):
    assert rel(path) in included(lang), (
        f'snippets/{rel(path)} is not included by any docs/{lang}/ page (expected --8<-- "{rel(path)}")')


# --- exercises --------------------------------------------------------------------------


def run(checker: str, answer: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SNIPPETS / checker), str(answer)],
                          capture_output=True, text=True, timeout=60)


def folder(checker: str) -> Path:
    return (SNIPPETS / checker).parent


def test_every_exercise_is_listed():
    on_disk = {rel(path) for path in (CHAPTER / "exercises").glob("*/check_*.py")}
    assert on_disk == set(EXERCISES)


@pytest.mark.parametrize("checker", EXERCISES)
def test_checker_accepts_the_reference_solution(checker):
    result = run(checker, folder(checker) / "solution.yaml")
    assert (result.returncode, result.stdout) == (0, "PASS\n"), result.stdout + result.stderr


@pytest.mark.parametrize("checker", EXERCISES)
def test_checker_rejects_typical_wrong_answers(checker):
    wrong = sorted(folder(checker).glob("wrong-*.yaml"))
    assert len(wrong) >= 2, f"{checker}: fewer than two wrong-*.yaml beside it"
    for answer in wrong:
        expected = EXPECT.findall(answer.read_text(encoding="utf-8"))
        assert expected, f"{answer.relative_to(ROOT)}: no '# expect:' line"
        result = run(checker, answer)
        assert result.returncode == 1, f"{answer.name}: exit {result.returncode}\n{result.stdout}{result.stderr}"
        printed = result.stdout.splitlines()
        assert "PASS" not in printed
        for line in expected:
            assert line in printed, f"{answer.name}: expected {line!r}, the checker printed:\n{result.stdout}"


@pytest.mark.parametrize("checker", [c for c in EXERCISES if (folder(c) / "start.yaml").exists()])
def test_checker_rejects_the_starting_point(checker):
    """Where the exercise hands out a file to start from, that file is not already an answer."""
    result = run(checker, folder(checker) / "start.yaml")
    assert result.returncode == 1 and "PASS" not in result.stdout.splitlines(), result.stdout


def test_condition_checker_reads_timestamps_as_the_api_server_does():
    """An unquoted lastTransitionTime is a YAML timestamp; kubectl sends it as a string, so it passes."""
    result = run("object-design/exercises/condition/check_condition.py",
                 folder("object-design/exercises/condition/check_condition.py") / "alternative-unquoted-time.yaml")
    assert (result.returncode, result.stdout) == (0, "PASS\n"), result.stdout + result.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("checker", EXERCISES)
def test_page_shows_the_exercise_and_quotes_its_messages(checker, lang):
    page = EXERCISES[checker]
    text = page_text(page, lang)
    base = Path(checker).parent.as_posix()
    shown = [checker, f"{base}/solution.yaml"]
    if (folder(checker) / "start.yaml").exists():
        shown.append(f"{base}/start.yaml")
    for name in shown:
        assert f'--8<-- "{name}"' in text, f"docs/{lang}/{page} does not include {name}"
    for answer in sorted(folder(checker).glob("wrong-*.yaml")):
        for line in EXPECT.findall(answer.read_text(encoding="utf-8")):
            assert line in text, f"docs/{lang}/{page} does not quote {line!r} ({answer.name})"
