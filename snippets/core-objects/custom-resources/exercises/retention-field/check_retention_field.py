"""Checks an answer to the exercise "A validated field with a default" (Custom resources page).

Usage: python3 check_retention_field.py my-crd.yaml
Needs: pip install kubernetes-validate==1.37.0
"""

import sys

import kubernetes_validate
import yaml


def schema_problems(doc):
    """What Kubernetes 1.37 rejects in doc, checked strictly: unknown fields are errors too."""
    if not isinstance(doc, dict) or "apiVersion" not in doc or "kind" not in doc:
        return ["a document is not a Kubernetes object: it needs apiVersion and kind"]
    try:
        kubernetes_validate.validate(doc, "1.37.0", strict=True)
    except kubernetes_validate.SchemaNotFoundError:
        return [f"Kubernetes 1.37 has no kind {doc['kind']} in {doc['apiVersion']}"]
    except kubernetes_validate.ValidationError as err:
        field = ".".join(str(part) for part in err.path) or "the top level"
        return [f"{doc['kind']} is not valid for Kubernetes 1.37: {field}: {err.message}"]
    return []


def task_problems(docs):
    crds = [doc for doc in docs if doc["kind"] == "CustomResourceDefinition"]
    if len(crds) != 1:
        return ["the file must hold exactly one CustomResourceDefinition"]
    crd = crds[0]
    if crd["metadata"]["name"] != "backups.ops.example.com":
        return ["keep the CustomResourceDefinition backups.ops.example.com"]
    stored = [v for v in crd["spec"]["versions"] if v.get("storage")]
    if len(stored) != 1:
        return ["exactly one version must have storage: true"]
    version = stored[0]
    spec_schema = version["schema"]["openAPIV3Schema"].get("properties", {}).get("spec", {})
    field = spec_schema.get("properties", {}).get("retentionDays")
    problems = []
    if field is None:
        return ["spec.retentionDays is not in the schema of the stored version"]
    if field.get("type") != "integer":
        problems.append(f"retentionDays has type {field.get('type')}, not integer")
    if (field.get("minimum"), field.get("maximum")) != (1, 365):
        problems.append("retentionDays needs minimum: 1 and maximum: 365")
    default = field.get("default")
    if default != 30:
        problems.append(f"retentionDays must default to 30, not {default!r}")
    if isinstance(default, int) and not 1 <= default <= 365:
        problems.append(f"the default {default} breaks the field's own bounds, which the API server refuses")
    columns = [c for c in version.get("additionalPrinterColumns", []) if c["jsonPath"] == ".spec.retentionDays"]
    if not columns:
        problems.append("no printer column shows .spec.retentionDays in kubectl get")
    elif columns[0]["type"] != "integer":
        problems.append("the printer column's type must be integer, like the field")
    return problems


def main(path):
    with open(path, encoding="utf-8") as file:
        docs = [doc for doc in yaml.safe_load_all(file) if doc is not None]
    problems = [problem for doc in docs for problem in schema_problems(doc)]
    if not problems:
        problems = task_problems(docs)
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
