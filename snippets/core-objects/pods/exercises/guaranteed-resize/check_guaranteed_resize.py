"""Checks an answer to the exercise "A resizable Guaranteed Pod" (Pods page).

Usage: python3 check_guaranteed_resize.py my-cache.yaml
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


# Binary and decimal suffixes of Kubernetes quantities ("500m" CPU, "1Gi" memory).
SUFFIXES = {"m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def amount(quantity):
    number, suffix = re.fullmatch(r"([0-9.]+)([a-zA-Z]*)", str(quantity)).groups()
    return float(number) * SUFFIXES[suffix]


def qos_problems(container):
    """Why this container keeps its Pod out of the Guaranteed class, if it does."""
    resources = container.get("resources", {})
    limits = resources.get("limits", {})
    requests = resources.get("requests", {})
    for name in ("cpu", "memory"):
        if name not in limits:
            return [f"container {container['name']} sets no {name} limit, so the Pod would not be Guaranteed"]
        # A request left out defaults to the limit.
        if amount(requests.get(name, limits[name])) != amount(limits[name]):
            return [f"container {container['name']}: its {name} request {requests[name]} differs from "
                    f"its limit {limits[name]}, so the Pod would be Burstable"]
    return []


def task_problems(docs):
    pods = [doc for doc in docs if doc["kind"] == "Pod"]
    if len(pods) != 1:
        return ["the file must hold exactly one Pod"]
    meta, spec = pods[0]["metadata"], pods[0]["spec"]
    if (meta.get("name"), meta.get("namespace")) != ("cache", "shop"):
        return ["the Pod must be named cache, in the namespace shop"]
    if "resources" in spec:
        return ["this exercise sets resources on each container: remove the Pod-level spec.resources"]
    containers = {c["name"]: c for c in spec["containers"]}
    if set(containers) != {"redis", "exporter"}:
        return ["the Pod needs exactly two containers, redis and exporter"]
    problems = [problem for container in containers.values() for problem in qos_problems(container)]
    policy = {p["resourceName"]: p["restartPolicy"] for p in containers["redis"].get("resizePolicy", [])}
    if policy.get("cpu", "NotRequired") != "NotRequired":
        problems.append("container redis: a CPU resize must not restart it (cpu: NotRequired)")
    if policy.get("memory", "NotRequired") != "RestartContainer":
        problems.append("container redis: a memory resize must restart it (memory: RestartContainer)")
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
