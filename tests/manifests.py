"""The checks every Kubernetes manifest under snippets/ gets from the test module of its page.

A page's module (tests/test_core_objects_pods.py for docs/*/core-objects/pods.md) has a
ManifestChecks class (tests/page_checks.py) that asserts, for each of its manifests, that it
is valid, uses no deprecated field and is shown on both language versions of the page;
tests/site/test_manifests.py checks that every manifest is checked by the module of a page
that shows it.

Built-in kinds are checked with kubernetes-validate in strict mode (unknown fields are
errors) against the pinned Kubernetes version, the newest one the installed
kubernetes-validate ships schemas for, and may not set a field that the API marks as
deprecated. A custom resource (a kind that no built-in schema knows) is checked against
the openAPIV3Schema of the CustomResourceDefinition in its chapter (snippets/<chapter>/)
that serves it, with the same strictness. Gateway API objects, whose CRDs no package
ships, are checked structurally against the fields tests/gateway_api_structure.py lists.

A failure starts with the pages and lines that show the manifest, then the file and the
document: ``docs/zh/core-objects/pods.md:42 and docs/en/core-objects/pods.md:40 show
snippets/core-objects/pods/web.yaml: document 0 (Pod/web): ...``.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from code_blocks import LANGUAGES, ROOT, includes, snippet_includes
from gateway_api_structure import SCHEMAS as GATEWAY_API_SCHEMAS

SNIPPETS = ROOT / "snippets"

# The Kubernetes version every manifest must be valid for, and that the pages name
# (core-objects/index.md). Keep it at the newest schema set kubernetes-validate ships.
KUBERNETES_VERSION = "1.37.0"

# Exercises whose answers are predictions written as YAML mappings, not Kubernetes objects.
PREDICTIONS = ("object-design/exercises/conflict", "object-design/exercises/ratcheting",
               "object-design/exercises/patch")


def is_manifest(path: Path, root: Path = ROOT) -> bool:
    """A *.yaml under snippets/ that is a Kubernetes object: not a typical wrong answer of an
    exercise (wrong-*, invalid on purpose and shown on no page), not another accepted answer
    (alternative-*, which the exercise tests run) and not a prediction."""
    name = path.relative_to(root / "snippets").as_posix()
    return (not path.name.startswith(("wrong-", "alternative-"))
            and not any(name.startswith(prediction + "/") for prediction in PREDICTIONS))


def under(*folders: str, root: Path = ROOT) -> list[Path]:
    """Every manifest under snippets/<folder>/ for each folder, sorted."""
    return sorted(path for folder in folders for path in (root / "snippets" / folder).rglob("*.yaml")
                  if is_manifest(path, root))


def name(path: Path) -> str:
    """snippets/<name>: the test ID of a manifest and the way the pages include it."""
    return path.relative_to(SNIPPETS).as_posix()


# --- where a manifest is shown -----------------------------------------------------------


@functools.cache
def _shown(root: Path) -> dict[str, list[str]]:
    """snippet -> ["docs/zh/<page>.md:<line>", ..., "docs/en/<page>.md:<line>", ...]."""
    places: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for page in sorted((root / "docs" / lang).rglob("*.md")):
            where = page.relative_to(root).as_posix()
            for line, snippet in snippet_includes(page.read_text(encoding="utf-8")):
                places.setdefault(snippet, []).append(f"{where}:{line}")
    return places


def shown_on(path: Path, root: Path = ROOT) -> list[str]:
    """The page lines, Chinese first, that include this file of snippets/."""
    return _shown(root).get(path.relative_to(root / "snippets").as_posix(), [])


def described(path: Path, root: Path = ROOT) -> str:
    """'docs/zh/a.md:4 and docs/en/a.md:4 show snippets/x.yaml', for the start of a failure."""
    places = shown_on(path, root)
    snippet = f"snippets/{path.relative_to(root / 'snippets').as_posix()}"
    if not places:
        return f"{snippet} (shown on no page)"
    listed = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " and " + places[-1]
    return f"{listed} {'shows' if len(places) == 1 else 'show'} {snippet}"


def document(index: int, doc: object) -> str:
    """'document 0 (Pod/web)'."""
    if isinstance(doc, dict):
        return f"document {index} ({doc.get('kind', '?')}/{(doc.get('metadata') or {}).get('name', '?')})"
    return f"document {index}"


def documents(path: Path, root: Path = ROOT) -> list[tuple[int, object]]:
    """(index, document) for every non-empty YAML document in the file."""
    try:
        loaded = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as err:
        pytest.fail(f"{described(path, root)}: not valid YAML: {err}", pytrace=False)
    return [(index, doc) for index, doc in enumerate(loaded) if doc is not None]


def assert_shown(path: Path, lang: str, page: str | None = None) -> None:
    """docs/<lang>/<page> includes the manifest; without a page, any page of that language."""
    snippet = name(path)
    if page is None:
        if not any(place.startswith(f"docs/{lang}/") for place in shown_on(path)):
            pytest.fail(f'snippets/{snippet} is not included by any docs/{lang}/ page (expected --8<-- "{snippet}")',
                        pytrace=False)
    elif not includes((ROOT / "docs" / lang / page).read_text(encoding="utf-8"), snippet):
        pytest.fail(f'docs/{lang}/{page} does not include snippets/{snippet} (expected --8<-- "{snippet}")',
                    pytrace=False)


# --- custom resources -------------------------------------------------------------------


def strict_schema(schema: object) -> object:
    """Reject unknown fields the way the API server does with strict field validation.

    An object schema that lists its properties, and neither declares additionalProperties
    nor x-kubernetes-preserve-unknown-fields, accepts no other keys.
    """
    if isinstance(schema, list):
        return [strict_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict_schema(value) for key, value in schema.items()}
    if (
        "properties" in schema
        and "additionalProperties" not in schema
        and not schema.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


@functools.cache
def custom_resource_schemas(chapter: str, root: Path = ROOT) -> dict[tuple[str, str], dict]:
    """(apiVersion, kind) -> strict JSON schema, for every served version of every
    CustomResourceDefinition under snippets/<chapter>/."""
    schemas = {}
    for path in under(chapter, root=root):
        for _, doc in documents(path, root):
            if not (isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition"):
                continue
            spec = doc["spec"]
            for version in spec["versions"]:
                if not version.get("served", False):
                    continue
                schema = copy.deepcopy(version["schema"]["openAPIV3Schema"])
                # The API server adds these three to every custom resource.
                schema.setdefault("properties", {}).update(
                    apiVersion={"type": "string"},
                    kind={"type": "string"},
                    metadata={"type": "object"},
                )
                api_version = f"{spec['group']}/{version['name']}"
                schemas[(api_version, spec["names"]["kind"])] = strict_schema(schema)
    return schemas


def custom_resource_problem(doc: dict, schemas: dict[tuple[str, str], dict], not_found: str,
                            chapter: str) -> str | None:
    """Why a custom resource does not match the schema that serves it, or None."""
    key = (doc["apiVersion"], doc["kind"])
    schema = schemas.get(key)
    if schema is None and key in GATEWAY_API_SCHEMAS:
        schema = strict_schema(GATEWAY_API_SCHEMAS[key])
    if schema is None:
        return (f"{not_found}, and no CustomResourceDefinition in snippets/{chapter}/ "
                f"serves {doc['kind']} in {doc['apiVersion']}")
    failure = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(doc))
    if failure is None:
        return None
    field = ".".join(str(part) for part in failure.path) or "(top level)"
    return f"does not match its schema: {field}: {failure.message}"


# --- deprecated fields ------------------------------------------------------------------

# How the API's own field descriptions mark a deprecated field ("Deprecated: ...",
# "Deprecated. ...", "... is a deprecated alias for ...").
DEPRECATED = re.compile(r"\bDeprecated[:.]|\bdeprecated alias\b")


@functools.cache
def schema_definitions() -> dict:
    """The named schemas (io.k8s.api.core.v1.Pod, ...) of the pinned version, strict flavour."""
    root = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    path = root / f"v{KUBERNETES_VERSION}-local-strict" / "_definitions.json"
    return json.loads(path.read_text(encoding="utf-8"))["$defs"]


def resolve(schema: dict) -> dict:
    """Follow a $ref ("#/$defs/NAME" or "/api/_definitions.json#/$defs/NAME")."""
    while "$ref" in schema:
        schema = schema_definitions()[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def deprecated_fields(value: object, schema: dict, path: str = "") -> list[str]:
    """'<field path>: <description>' for every field set in value whose schema description
    says it is deprecated; the path starts with ``path``."""
    schema = resolve(schema)
    found = []
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if key in properties:
                field = properties[key]
                # The description next to the field describes the field; the one behind
                # a $ref describes its type.
                # An empty value is how the API shows a field nobody sets any more.
                if DEPRECATED.search(field.get("description", "")) and item not in ("", None, [], {}):
                    found.append(f"{here}: {field['description']}")
                found += deprecated_fields(item, field, here)
            elif isinstance(extra, dict):
                found += deprecated_fields(item, extra, here)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            found += deprecated_fields(item, schema["items"], f"{path}[{index}]")
    return found


@functools.cache
def built_in_kinds() -> dict[tuple[str, str], dict]:
    """(apiVersion, kind) -> named schema, from each schema's x-kubernetes-group-version-kind."""
    kinds = {}
    for schema in schema_definitions().values():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            api_version = "/".join(part for part in (gvk.get("group", ""), gvk["version"]) if part)
            kinds[(api_version, gvk["kind"])] = schema
    return kinds


def kind_schema(doc: dict) -> dict | None:
    """The schema of a built-in kind, or None for a custom resource."""
    return built_in_kinds().get((doc["apiVersion"], doc["kind"]))


# --- the checks -------------------------------------------------------------------------


def problem(path: Path, root: Path = ROOT) -> str | None:
    """Why the manifest is not valid for the pinned Kubernetes version, or None."""
    here = described(path, root)
    docs = documents(path, root)
    if not docs:
        return f"{here}: no YAML documents"
    chapter = path.relative_to(root / "snippets").parts[0]
    pinned = ".".join(KUBERNETES_VERSION.split(".")[:2])
    for index, doc in docs:
        if not isinstance(doc, dict) or "apiVersion" not in doc or "kind" not in doc:
            return f"{here}: {document(index, doc)}: not a Kubernetes object (needs apiVersion and kind)"
        try:
            used = kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as err:
            field = ".".join(str(part) for part in err.path) or "(top level)"
            return f"{here}: {document(index, doc)}: not valid for Kubernetes {err.version}: {field}: {err.message}"
        except kubernetes_validate.SchemaNotFoundError as err:
            why = custom_resource_problem(doc, custom_resource_schemas(chapter, root), err.message, chapter)
            if why:
                return f"{here}: {document(index, doc)}: {why}"
        else:
            # Guard against a silent fallback to an older schema set.
            if used != pinned:
                return f"{here}: {document(index, doc)}: validated against Kubernetes {used}, not {pinned}"
    return None


def deprecated(path: Path, root: Path = ROOT) -> list[str]:
    """A line for every deprecated field the manifest sets, each starting where it is shown."""
    found = []
    for index, doc in documents(path, root):
        schema = kind_schema(doc) if isinstance(doc, dict) and "apiVersion" in doc else None
        if schema is not None:
            found += [f"{described(path, root)}: {document(index, doc)}: deprecated field {field}"
                      for field in deprecated_fields(doc, schema)]
    return found


def assert_valid(path: Path, root: Path = ROOT) -> None:
    why = problem(path, root)
    if why:
        pytest.fail(why, pytrace=False)


def assert_no_deprecated_field(path: Path, root: Path = ROOT) -> None:
    found = deprecated(path, root)
    if found:
        pytest.fail("\n".join(found), pytrace=False)
