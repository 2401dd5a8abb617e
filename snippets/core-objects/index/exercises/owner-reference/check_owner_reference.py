"""Checks an answer to the exercise "Who owns this ReplicaSet?" (Core objects overview).

Usage: python3 check_owner_reference.py my-replicaset.yaml
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


OWNER = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "7b2f6f0e-51c4-4d4b-9a62-0c1e4d7f3a10"}


def task_problems(docs):
    sets = [doc for doc in docs if doc["kind"] == "ReplicaSet"]
    if len(sets) != 1:
        return ["the file must hold exactly one ReplicaSet"]
    meta = sets[0]["metadata"]
    if meta.get("namespace") != "shop":
        return ["the ReplicaSet lives where its Deployment does: in shop"]
    references = meta.get("ownerReferences", [])
    if len(references) != 1:
        return ["the ReplicaSet needs exactly one owner reference, to the Deployment web"]
    reference = references[0]
    problems = []
    for key, value in OWNER.items():
        if reference.get(key) != value:
            problems.append(f"the owner reference's {key} must be {value}, not {reference.get(key)}")
    if reference.get("controller") is not True:
        problems.append("controller: true is missing: without it the Deployment isn't the ReplicaSet's "
                        "managing controller, and would adopt it as an orphan")
    if reference.get("blockOwnerDeletion") is not True:
        problems.append("blockOwnerDeletion: true is missing: a foreground deletion of the Deployment "
                        "would not wait for this ReplicaSet")
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
