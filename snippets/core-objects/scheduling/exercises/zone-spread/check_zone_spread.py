"""Checks an answer to the exercise "Six replicas, three zones" (Scheduling page).

Usage: python3 check_zone_spread.py my-web.yaml
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


def selects(selector, labels):
    """Whether a matchLabels-only selector selects Pods with these labels."""
    if not selector or selector.get("matchExpressions"):
        return False
    wanted = selector.get("matchLabels", {})
    return bool(wanted) and all(labels.get(key) == value for key, value in wanted.items())


def task_problems(docs):
    deployments = [doc for doc in docs if doc["kind"] == "Deployment"]
    if len(deployments) != 1:
        return ["the file must hold exactly one Deployment"]
    deployment = deployments[0]
    if (deployment["metadata"].get("name"), deployment["metadata"].get("namespace")) != ("web", "shop"):
        return ["the Deployment must be named web, in the namespace shop"]
    spec = deployment["spec"]
    if spec.get("replicas") != 6:
        return ["the Deployment must run 6 replicas"]
    labels = spec["template"]["metadata"].get("labels", {})
    pod = spec["template"]["spec"]
    problems = []
    zone = [c for c in pod.get("topologySpreadConstraints", []) if c["topologyKey"] == "topology.kubernetes.io/zone"]
    if not zone:
        problems.append("no topology spread constraint uses topology.kubernetes.io/zone")
    else:
        if zone[0]["maxSkew"] != 1:
            problems.append("the zone constraint must allow a skew of at most 1 (maxSkew: 1)")
        if zone[0]["whenUnsatisfiable"] != "DoNotSchedule":
            problems.append("the zone constraint must be a hard rule: whenUnsatisfiable: DoNotSchedule")
        if not selects(zone[0].get("labelSelector"), labels):
            problems.append("the zone constraint's labelSelector does not select the Deployment's own Pods")
    anti = pod.get("affinity", {}).get("podAntiAffinity", {})
    required = anti.get("requiredDuringSchedulingIgnoredDuringExecution", [])
    if not any(term["topologyKey"] == "kubernetes.io/hostname" and selects(term.get("labelSelector"), labels)
               for term in required):
        problems.append("no required pod anti-affinity term keeps two web Pods off one node "
                        "(topologyKey: kubernetes.io/hostname)")
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
