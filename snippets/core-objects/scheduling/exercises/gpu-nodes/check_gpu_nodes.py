"""Checks an answer to the exercise "Only on the GPU nodes" (Scheduling page).

Usage: python3 check_gpu_nodes.py my-trainer.yaml
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


def tolerates(toleration):
    """Whether a toleration matches the taint example.com/gpu=true:NoSchedule."""
    if toleration.get("key") not in ("example.com/gpu", None):  # no key with Exists matches every taint
        return False
    if toleration.get("effect") not in ("NoSchedule", None):  # no effect matches every effect
        return False
    if toleration.get("operator", "Equal") == "Exists":
        return True
    return toleration.get("value") == "true"


def restricted_to_gpu_nodes(spec):
    """Whether the Pod can only land on nodes labelled example.com/gpu=true."""
    if spec.get("nodeSelector", {}).get("example.com/gpu") == "true":
        return True
    node_affinity = spec.get("affinity", {}).get("nodeAffinity", {})
    terms = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution", {}).get("nodeSelectorTerms", [])
    # Terms are alternatives, so every one of them must demand the label.
    return bool(terms) and all(
        any(e["key"] == "example.com/gpu" and e["operator"] == "In" and e.get("values") == ["true"]
            for e in term.get("matchExpressions", []))
        for term in terms)


def task_problems(docs):
    pods = [doc for doc in docs if doc["kind"] == "Pod"]
    if len(pods) != 1:
        return ["the file must hold exactly one Pod"]
    meta, spec = pods[0]["metadata"], pods[0]["spec"]
    if (meta.get("name"), meta.get("namespace")) != ("trainer", "shop"):
        return ["the Pod must be named trainer, in the namespace shop"]
    problems = []
    if not any(tolerates(toleration) for toleration in spec.get("tolerations", [])):
        problems.append("no toleration matches the taint example.com/gpu=true:NoSchedule")
    if not restricted_to_gpu_nodes(spec):
        problems.append("nothing keeps the Pod off other nodes: a toleration only permits; "
                        "add a nodeSelector or required node affinity for example.com/gpu=true")
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
