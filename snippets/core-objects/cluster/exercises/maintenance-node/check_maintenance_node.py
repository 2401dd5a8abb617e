"""Checks an answer to the exercise "Take a node out for maintenance" (Nodes and namespaces page).

Usage: python3 check_maintenance_node.py my-node.yaml
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
    found = [doc for doc in docs if doc["kind"] == "Node"]
    if len(found) != 1:
        return ["the file must hold exactly one Node"]
    node = found[0]
    if node["metadata"].get("name") != "node-7":
        return ["the Node must be node-7"]
    spec = node.get("spec", {})
    problems = []
    if spec.get("unschedulable") is not True:
        problems.append("kubectl cordon sets spec.unschedulable: true, which keeps new Pods off the node")
    taints = [t for t in spec.get("taints", []) if t["key"] == "example.com/maintenance"]
    if not taints:
        problems.append("no taint with the key example.com/maintenance")
    elif taints[0].get("value") != "true":
        problems.append("the maintenance taint's value must be true")
    elif taints[0]["effect"] != "NoExecute":
        problems.append(f"effect {taints[0]['effect']} leaves running Pods in place: evicting them takes NoExecute")
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
