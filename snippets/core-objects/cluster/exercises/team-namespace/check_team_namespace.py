"""Checks an answer to the exercise "A namespace for a team" (Nodes and namespaces page).

Usage: python3 check_team_namespace.py my-team-a.yaml
Needs: pip install kubernetes-validate==1.37.0
"""

import re
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


# An RFC 1123 label: what a namespace name must be.
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
WANTED = {"team": "a",
          "pod-security.kubernetes.io/enforce": "baseline",
          "pod-security.kubernetes.io/enforce-version": "v1.37",
          "pod-security.kubernetes.io/warn": "restricted"}


def task_problems(docs):
    found = [doc for doc in docs if doc["kind"] == "Namespace"]
    if len(found) != 1:
        return ["the file must hold exactly one Namespace"]
    meta = found[0]["metadata"]
    name = meta.get("name", "")
    problems = []
    if not DNS_LABEL.fullmatch(name):
        problems.append(f"{name} is not a valid namespace name: lowercase letters, digits and '-' only")
    elif name != "team-a":
        problems.append("the namespace must be named team-a")
    labels, annotations = meta.get("labels", {}), meta.get("annotations", {})
    for key, value in WANTED.items():
        if labels.get(key) == value:
            continue
        if annotations.get(key) == value:
            problems.append(f"{key} is an annotation: Pod Security Admission and selectors read labels")
        else:
            problems.append(f"the label {key} must be {value}, not {labels.get(key)}")
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
