"""The manifest checks themselves (tests/manifests.py), and that every manifest under
snippets/ is checked by the test module of a page that shows it."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import kubernetes_validate
import pytest

import manifests
from code_blocks import LANGUAGES, ROOT
from page_checks import ManifestChecks

MANIFESTS = manifests.under("")  # every manifest under snippets/


def test_there_are_manifests():
    assert MANIFESTS, "no *.yaml files under snippets/"


def test_pinned_version_is_the_newest_schema():
    newest = kubernetes_validate.latest_version()
    assert manifests.KUBERNETES_VERSION == newest, (
        f"kubernetes-validate ships schemas up to Kubernetes {newest}, but the manifests are "
        f"checked against {manifests.KUBERNETES_VERSION}: raise KUBERNETES_VERSION in tests/manifests.py "
        f"(and the version that docs/*/core-objects/index.md names)")


def test_deprecated_fields_are_detected():
    """The check finds deprecated fields nested in objects and in lists, and only those."""
    deprecated_fields, kind_schema = manifests.deprecated_fields, manifests.kind_schema
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
    def check(doc):
        return manifests.custom_resource_problem(doc, {}, "", "core-objects")

    route = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "r"},
             "spec": {"parentRefs": [{"name": "gw"}],
                      "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                                 "backendRefs": [{"name": "web", "port": 80, "weight": 90}]}]}}
    assert check(route) is None
    route["spec"]["rules"][0]["backendRefs"][0]["wieght"] = 1
    assert "'wieght' was unexpected" in check(route)
    gateway = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {"name": "g"},
               "spec": {"gatewayClassName": "c", "listeners": [{"name": "http", "port": 80}]}}
    assert "'protocol' is a required property" in check(gateway)
    gateway["spec"]["listeners"][0].update(protocol="HTTP", allowedRoutes={"namespaces": {"from": "Any"}})
    assert "'Any' is not one of" in check(gateway)


def modules_for(place: str) -> list[str]:
    """'docs/zh/core-objects/pods.md:12' -> the page's module, then its chapter's:
    ['test_core_objects_pods', 'test_core_objects']."""
    parts = Path(place.rsplit(":", 1)[0]).with_suffix("").parts[2:]
    return ["test_" + "_".join(parts[:n]).replace("-", "_") for n in range(len(parts), 0, -1)]


def checked_by(module_name: str) -> list[Path]:
    """The manifests the ManifestChecks classes of tests/<module_name>.py check."""
    module = importlib.import_module(module_name)
    return [path for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, ManifestChecks) and value.__module__ == module_name
            for path in value.manifests]


def test_every_manifest_is_checked_by_the_module_of_a_page_that_shows_it():
    """A page's module is named after the page (tests/test_core_objects_pods.py for
    core-objects/pods.md) or, where the page has none, after its chapter; a ManifestChecks
    class in it checks the page's manifests. A manifest no such class lists is not checked."""
    unchecked = []
    for path in MANIFESTS:
        owners = [next((name for name in modules_for(place) if (ROOT / "tests" / f"{name}.py").exists()), None)
                  for place in manifests.shown_on(path) if place.startswith(f"docs/{LANGUAGES[0]}/")]
        if not any(owner and path in checked_by(owner) for owner in owners):
            modules = ", ".join(f"tests/{owner}.py" for owner in owners if owner) or "no test module"
            unchecked.append(f"{manifests.described(path)}, but no ManifestChecks class of {modules} checks it")
    assert not unchecked, "\n".join(unchecked)


@pytest.fixture
def pods_page(tmp_path):
    """A copy of the pods page in both languages and of one manifest it shows; the Chinese
    copy has two more lines at the top, so the two pages show it on different lines."""
    snippet = "core-objects/pods/pod.yaml"
    (tmp_path / "snippets" / snippet).parent.mkdir(parents=True)
    shutil.copy(ROOT / "snippets" / snippet, tmp_path / "snippets" / snippet)
    lines = []
    for lang in LANGUAGES:
        page = tmp_path / "docs" / lang / "core-objects" / "pods.md"
        page.parent.mkdir(parents=True)
        text = (ROOT / "docs" / lang / "core-objects" / "pods.md").read_text(encoding="utf-8")
        page.write_text(("\n\n" if lang == "zh" else "") + text, encoding="utf-8")
        lines.append(next(number for number, line in enumerate(page.read_text().splitlines(), 1)
                          if f'"{snippet}"' in line))
    shows = (f"docs/zh/core-objects/pods.md:{lines[0]} and docs/en/core-objects/pods.md:{lines[1]} "
             f"show snippets/{snippet}: document 0 (Pod/hello): ")
    return tmp_path, tmp_path / "snippets" / snippet, shows


def test_an_invalid_manifest_fails_naming_the_pages_and_lines_that_show_it(pods_page):
    root, manifest, shows = pods_page
    manifest.write_text(manifest.read_text().replace("containerPort: 80", "containerPort: 80\n          protocl: TCP"))
    with pytest.raises(pytest.fail.Exception) as failure:
        manifests.assert_valid(manifest, root)
    message = str(failure.value)
    assert message.startswith(shows + "not valid for Kubernetes 1."), message
    assert "'protocl' was unexpected" in message


def test_a_deprecated_field_fails_naming_the_pages_and_lines_that_show_it(pods_page):
    root, manifest, shows = pods_page
    manifest.write_text(manifest.read_text().replace("spec:\n", "spec:\n  serviceAccount: hello\n", 1))
    manifests.assert_valid(manifest, root)  # still valid: deprecated, not removed
    with pytest.raises(pytest.fail.Exception) as failure:
        manifests.assert_no_deprecated_field(manifest, root)
    assert str(failure.value).startswith(shows + "deprecated field spec.serviceAccount: "), str(failure.value)
