"""Checks an answer to the exercise "A priority class for batch work" (Scheduling page).

Usage: python3 check_batch_priority.py my-batch-low.yaml
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
    classes = [doc for doc in docs if doc["kind"] == "PriorityClass"]
    if len(classes) != 1:
        return ["the file must hold exactly one PriorityClass"]
    priority_class = classes[0]
    if priority_class["metadata"].get("name") != "batch-low":
        return ["the PriorityClass must be named batch-low"]
    problems = []
    value = priority_class["value"]
    if value > 1_000_000_000:
        problems.append(f"value {value} is above 1000000000: larger values are reserved for system classes")
    elif not 0 < value < 1000:
        problems.append(f"value {value} must be above 0, the default priority, and below 1000, the services' class")
    if priority_class.get("globalDefault"):
        problems.append("globalDefault would give every Pod without a class this priority")
    if priority_class.get("preemptionPolicy") != "Never":
        problems.append("without preemptionPolicy: Never, batch-low Pods would preempt Pods of lower priority")
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
