"""Checks an answer to the exercise "Drain without losing quorum" (Quotas and autoscaling page).

Usage: python3 check_zk_budget.py my-zk-pdb.yaml
Needs: pip install kubernetes-validate==1.37.0
"""

import math
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


REPLICAS = 5


def pods(value):
    """An absolute count or a percentage of the replicas, rounded up as the disruption controller does."""
    if isinstance(value, str) and value.endswith("%"):
        return math.ceil(REPLICAS * int(value[:-1]) / 100)
    return int(value)


def task_problems(docs):
    budgets = [doc for doc in docs if doc["kind"] == "PodDisruptionBudget"]
    if len(budgets) != 1:
        return ["the file must hold exactly one PodDisruptionBudget"]
    budget = budgets[0]
    spec = budget["spec"]
    if budget["metadata"].get("namespace") != "shop":
        return ["the PodDisruptionBudget belongs in the namespace shop"]
    problems = []
    if (spec.get("selector") or {}).get("matchLabels") != {"app.kubernetes.io/name": "zk"}:
        problems.append("the selector must match the zk Pods: matchLabels app.kubernetes.io/name: zk")
    if ("minAvailable" in spec) == ("maxUnavailable" in spec):
        return problems + ["set exactly one of minAvailable and maxUnavailable"]
    if "minAvailable" in spec:
        evictable = REPLICAS - pods(spec["minAvailable"])
    else:
        evictable = pods(spec["maxUnavailable"])
    if evictable <= 0:
        problems.append("the budget allows no eviction at all: every node drain would block")
    elif evictable > 1:
        problems.append(f"the budget lets {evictable} of the 5 Pods be evicted at once; the task allows 1")
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
