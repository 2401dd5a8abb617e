"""Checks an answer to the exercise "A quota for a team" (Quotas and autoscaling page).

Usage: python3 check_team_quota.py my-team-a.yaml
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


# What the task asks the quota to cap, and at which value. "cpu" and "memory" mean the requests.
WANTED = {"requests.cpu": "8", "requests.memory": "16Gi", "limits.cpu": "16", "limits.memory": "32Gi",
          "services.loadbalancers": "2"}
SYNONYMS = {"cpu": "requests.cpu", "memory": "requests.memory"}


def task_problems(docs):
    quotas = [doc for doc in docs if doc["kind"] == "ResourceQuota"]
    ranges = [doc for doc in docs if doc["kind"] == "LimitRange"]
    if len(quotas) != 1:
        return ["the file must hold exactly one ResourceQuota"]
    if any(doc["metadata"].get("namespace") != "team-a" for doc in quotas + ranges):
        return ["every object belongs in the namespace team-a"]
    hard = {SYNONYMS.get(key, key): value for key, value in quotas[0]["spec"]["hard"].items()}
    problems = []
    for key, value in WANTED.items():
        if key not in hard:
            problems.append(f"the quota does not cap {key}")
        elif amount(hard[key]) != amount(value):
            problems.append(f"the quota caps {key} at {hard[key]}, not {value}")
    defaults = {}
    for limit_range in ranges:
        for item in limit_range["spec"]["limits"]:
            if item.get("type") == "Container":
                defaults.update({("request", k): v for k, v in item.get("defaultRequest", {}).items()})
                defaults.update({("limit", k): v for k, v in item.get("default", {}).items()})
    for kind in ("request", "limit"):
        for resource in ("cpu", "memory"):
            if (kind, resource) not in defaults:
                problems.append(f"no LimitRange gives containers a default {resource} {kind}: under this quota, "
                                f"Pods that set none would be rejected")
    for resource in ("cpu", "memory"):
        request, limit = defaults.get(("request", resource)), defaults.get(("limit", resource))
        if request and limit and amount(request) > amount(limit):
            problems.append(f"the default {resource} request {request} is above the default limit {limit}")
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
