"""Checks an answer to the exercise "Fix a Deployment" (Workloads page).

Usage: python3 check_fix_selector.py my-web.yaml
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
    deployments = [doc for doc in docs if doc["kind"] == "Deployment"]
    if len(deployments) != 1:
        return ["the file must hold exactly one Deployment"]
    spec = deployments[0]["spec"]
    problems = []
    selector = spec["selector"]
    labels = spec["template"]["metadata"].get("labels", {})
    wanted = selector.get("matchLabels", {})
    if selector.get("matchExpressions"):
        problems.append("keep the selector to matchLabels for this exercise")
    if not wanted:
        problems.append("the selector is empty: it must name the labels that identify this Deployment's Pods")
    elif any(labels.get(key) != value for key, value in wanted.items()):
        problems.append("spec.selector does not match the Pod template's labels, which the API server refuses")
    if spec["template"]["spec"].get("restartPolicy", "Always") != "Always":
        problems.append("a Deployment's Pods must use restartPolicy: Always (the default): "
                        "its Pods are meant to run until replaced")
    if spec.get("replicas") != 3:
        problems.append("keep the three replicas")
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
