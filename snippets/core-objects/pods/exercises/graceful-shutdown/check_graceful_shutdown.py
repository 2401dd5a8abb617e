"""Checks an answer to the exercise "A graceful shutdown" (Pods page).

Usage: python3 check_graceful_shutdown.py my-checkout.yaml
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
    pods = [doc for doc in docs if doc["kind"] == "Pod"]
    if len(pods) != 1:
        return ["the file must hold exactly one Pod"]
    pod = pods[0]
    meta, spec = pod["metadata"], pod["spec"]
    if (meta.get("name"), meta.get("namespace")) != ("checkout", "shop"):
        return ["the Pod must be named checkout, in the namespace shop"]
    app = next((c for c in spec["containers"] if c["name"] == "app"), None)
    if app is None:
        return ["the Pod has no container named app"]
    pre_stop = app.get("lifecycle", {}).get("preStop", {})
    if "exec" in pre_stop:
        return ["the preStop hook runs a command: use the sleep action, which needs nothing in the image"]
    if "sleep" not in pre_stop:
        return ["container app has no preStop hook with the sleep action"]
    pause = pre_stop["sleep"]["seconds"]
    if pause != 10:
        return [f"the preStop hook sleeps {pause} seconds, not 10"]
    grace = spec.get("terminationGracePeriodSeconds", 30)  # the API's default
    if grace < pause + 30:
        return [f"the grace period is {grace} seconds, but the preStop pause (10 s) and the "
                f"shutdown after SIGTERM (30 s) both count against it: it must be at least 40"]
    if grace > 60:
        return [f"the grace period is {grace} seconds; the task allows at most 60"]
    return []


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
