"""Checks an answer to the exercise "Only the API may reach the database" (Access control page).

Usage: python3 check_db_policy.py my-db-policy.yaml
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


def labels(selector):
    """The labels a selector requires, if it uses matchLabels only (enough for this task)."""
    if selector is None or selector.get("matchExpressions"):
        return None
    return selector.get("matchLabels", {})


def task_problems(docs):
    policies = [doc for doc in docs if doc["kind"] == "NetworkPolicy"]
    if len(policies) != 1:
        return ["the file must hold exactly one NetworkPolicy"]
    policy = policies[0]
    spec = policy["spec"]
    if policy["metadata"].get("namespace") != "shop":
        return ["the NetworkPolicy belongs in the namespace shop"]
    if labels(spec["podSelector"]) != {"app.kubernetes.io/name": "db"}:
        return ["spec.podSelector must select the database Pods: app.kubernetes.io/name: db"]
    problems = []
    if "Egress" in spec.get("policyTypes", []):
        problems.append("policyTypes lists Egress: that isolates the db Pods' outgoing traffic too, "
                        "which the task leaves alone")
    rules = spec.get("ingress", [])
    if len(rules) != 1:
        return problems + ["write exactly one ingress rule"]
    for peer in rules[0].get("from", []):
        if "namespaceSelector" in peer or "ipBlock" in peer:
            problems.append("a peer selects namespaces or IP blocks: that admits more than the api Pods of shop")
        elif labels(peer.get("podSelector")) != {"app.kubernetes.io/name": "api"}:
            problems.append("every peer must select the api Pods: podSelector app.kubernetes.io/name: api")
    if not rules[0].get("from"):
        problems.append("the rule has no from: without peers it admits traffic from everywhere")
    ports = [(port.get("protocol", "TCP"), port.get("port")) for port in rules[0].get("ports", [])]
    if ports != [("TCP", 5432)]:
        problems.append("the rule must allow TCP port 5432 and no other port")
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
