"""Every manifest under snippets/ is valid Kubernetes, and every one is shown on both sites.

Built-in kinds are checked with kubernetes-validate in strict mode (unknown fields are
errors) against the pinned Kubernetes version, the newest one the installed
kubernetes-validate ships schemas for, and may not set a field that the API marks as
deprecated. A custom resource (a kind that no built-in schema knows) is checked against
the openAPIV3Schema of the CustomResourceDefinition that declares it in snippets/, with
the same strictness. Gateway API objects, whose CRDs no package ships, are checked
structurally against the fields tests/gateway_api_structure.py lists.
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
from gateway_api_structure import SCHEMAS as GATEWAY_API_SCHEMAS

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"

# The Kubernetes version every manifest must be valid for, and that the pages name
# (core-objects/index.md). Keep it at the newest schema set kubernetes-validate ships.
KUBERNETES_VERSION = "1.37.0"

# Exercises keep typical wrong answers as wrong-*.yaml beside their checker: they are invalid
# on purpose and shown on no page; the exercise tests run the checkers on them.
# snippets/object-design/ has its own manifest tests (tests/test_object_design.py).
MANIFESTS = sorted(p for p in SNIPPETS.rglob("*.yaml") if not p.name.startswith("wrong-")
                   and not p.is_relative_to(SNIPPETS / "object-design"))
SNIPPET_INCLUDE = re.compile(r'--8<--\s+"([^"]+)"')


def rel(path: Path) -> str:
    return path.relative_to(SNIPPETS).as_posix()


def documents(path: Path) -> list[tuple[int, object]]:
    """(index, document) for every non-empty YAML document in the file."""
    try:
        loaded = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as err:
        pytest.fail(f"snippets/{rel(path)}: not valid YAML: {err}")
    return [(index, doc) for index, doc in enumerate(loaded) if doc is not None]


def where(path: Path, index: int, doc: object) -> str:
    name = ""
    if isinstance(doc, dict):
        name = f" ({doc.get('kind', '?')}/{(doc.get('metadata') or {}).get('name', '?')})"
    return f"snippets/{rel(path)} document {index}{name}"


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
def custom_resource_schemas() -> dict[tuple[str, str], dict]:
    """(apiVersion, kind) -> JSON schema, for every served version of every CRD in snippets/."""
    schemas = {}
    for path in MANIFESTS:
        for _, doc in documents(path):
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


def check_custom_resource(doc: dict, here: str, not_found: str) -> str | None:
    """Why a custom resource does not match the CRD in snippets/ that declares it, or None."""
    key = (doc["apiVersion"], doc["kind"])
    schema = custom_resource_schemas().get(key)
    if schema is None and key in GATEWAY_API_SCHEMAS:
        schema = strict_schema(GATEWAY_API_SCHEMAS[key])
    if schema is None:
        return (f"{here}: {not_found}, and no CustomResourceDefinition in snippets/ "
                f"serves {doc['kind']} in {doc['apiVersion']}")
    failure = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(doc))
    if failure is None:
        return None
    field = ".".join(str(part) for part in failure.path) or "(top level)"
    return f"{here} does not match its schema: {field}: {failure.message}"


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


def deprecated_fields(value: object, schema: dict, path: str) -> list[str]:
    """Every field set in value whose schema description says it is deprecated."""
    schema = resolve(schema)
    found = []
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                field = properties[key]
                # The description next to the field describes the field; the one behind
                # a $ref describes its type.
                # An empty value is how the API shows a field nobody sets any more.
                if DEPRECATED.search(field.get("description", "")) and item not in ("", None, [], {}):
                    found.append(f"{path}.{key}: {field['description']}")
                found += deprecated_fields(item, field, f"{path}.{key}")
            elif isinstance(extra, dict):
                found += deprecated_fields(item, extra, f"{path}.{key}")
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


# --- tests ------------------------------------------------------------------------------


def test_there_are_manifests():
    assert MANIFESTS, "no *.yaml files under snippets/"


def test_pinned_version_is_the_newest_schema():
    newest = kubernetes_validate.latest_version()
    assert KUBERNETES_VERSION == newest, (
        f"kubernetes-validate ships schemas up to Kubernetes {newest}, but the manifests are "
        f"checked against {KUBERNETES_VERSION}: raise KUBERNETES_VERSION (and the version "
        f"that docs/*/core-objects/index.md names)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_name_the_pinned_version(lang):
    minor = ".".join(KUBERNETES_VERSION.split(".")[:2])
    page = DOCS / lang / "core-objects" / "index.md"
    assert f"Kubernetes {minor}" in page.read_text(encoding="utf-8"), (
        f"docs/{lang}/core-objects/index.md does not say the manifests are checked "
        f"against Kubernetes {minor}")


def test_deprecated_fields_are_detected():
    """The check below finds deprecated fields nested in objects and in lists, and only those."""
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"},
            "status": {"nodeInfo": {"kubeletVersion": "v1", "kubeProxyVersion": "v1"}}}
    found = deprecated_fields(node, kind_schema(node), "Node")
    assert [line.split(":")[0] for line in found] == ["Node.status.nodeInfo.kubeProxyVersion"]
    node["status"]["nodeInfo"]["kubeProxyVersion"] = ""
    assert deprecated_fields(node, kind_schema(node), "Node") == []
    pod_spec = {"serviceAccount": "a", "serviceAccountName": "a",
                "volumes": [{"name": "v", "emptyDir": {}}, {"name": "w", "gitRepo": {"repository": "r"}}]}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment",
                  "spec": {"template": {"spec": pod_spec}}}
    found = deprecated_fields(deployment, kind_schema(deployment), "D")
    assert [line.split(":")[0] for line in found] == [
        "D.spec.template.spec.serviceAccount", "D.spec.template.spec.volumes[1].gitRepo"]


def test_gateway_api_structure_rejects_what_the_crds_reject():
    """The structural check finds a misspelt field, a missing one and a wrong enum value."""
    route = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "r"},
             "spec": {"parentRefs": [{"name": "gw"}],
                      "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                                 "backendRefs": [{"name": "web", "port": 80, "weight": 90}]}]}}
    assert check_custom_resource(route, "r", "") is None
    route["spec"]["rules"][0]["backendRefs"][0]["wieght"] = 1
    assert "'wieght' was unexpected" in check_custom_resource(route, "r", "")
    gateway = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {"name": "g"},
               "spec": {"gatewayClassName": "c", "listeners": [{"name": "http", "port": 80}]}}
    assert "'protocol' is a required property" in check_custom_resource(gateway, "g", "")
    gateway["spec"]["listeners"][0].update(protocol="HTTP", allowedRoutes={"namespaces": {"from": "Any"}})
    assert "'Any' is not one of" in check_custom_resource(gateway, "g", "")


@pytest.mark.parametrize("path", MANIFESTS, ids=rel)
def test_manifest_is_valid(path):
    docs = documents(path)
    assert docs, f"snippets/{rel(path)}: no YAML documents"
    pinned = ".".join(KUBERNETES_VERSION.split(".")[:2])
    for index, doc in docs:
        here = where(path, index, doc)
        if not isinstance(doc, dict) or "apiVersion" not in doc or "kind" not in doc:
            pytest.fail(f"{here}: not a Kubernetes object (needs apiVersion and kind)", pytrace=False)
        problem = None
        try:
            used = kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as err:
            field = ".".join(str(part) for part in err.path) or "(top level)"
            problem = f"{here} is not valid for Kubernetes {err.version}: {field}: {err.message}"
        except kubernetes_validate.SchemaNotFoundError as err:
            problem = check_custom_resource(doc, here, err.message)
        else:
            # Guard against a silent fallback to an older schema set.
            if used != pinned:
                problem = f"{here}: validated against Kubernetes {used}, not {pinned}"
        if problem:
            pytest.fail(problem, pytrace=False)


@pytest.mark.parametrize("path", MANIFESTS, ids=rel)
def test_manifest_uses_no_deprecated_field(path):
    found = []
    for index, doc in documents(path):
        schema = kind_schema(doc) if isinstance(doc, dict) and "apiVersion" in doc else None
        if schema is not None:
            found += deprecated_fields(doc, schema, where(path, index, doc))
    if found:
        pytest.fail("deprecated fields:\n" + "\n".join(found), pytrace=False)


@functools.cache
def included(lang: str) -> frozenset[str]:
    found = set()
    for page in (DOCS / lang).rglob("*.md"):
        found.update(SNIPPET_INCLUDE.findall(page.read_text(encoding="utf-8")))
    return frozenset(found)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", MANIFESTS, ids=rel)
def test_manifest_is_shown(path, lang):
    if rel(path) not in included(lang):
        pytest.fail(f"snippets/{rel(path)} is not included by any docs/{lang}/ page "
                    f'(expected --8<-- "{rel(path)}")', pytrace=False)
