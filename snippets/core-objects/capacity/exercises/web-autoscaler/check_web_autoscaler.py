"""Checks an answer to the exercise "Autoscale the storefront" (Quotas and autoscaling page).

Usage: python3 check_web_autoscaler.py my-web-hpa.yaml
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
    autoscalers = [doc for doc in docs if doc["kind"] == "HorizontalPodAutoscaler"]
    if len(autoscalers) != 1:
        return ["the file must hold exactly one HorizontalPodAutoscaler"]
    hpa = autoscalers[0]
    if hpa["apiVersion"] != "autoscaling/v2":
        return ["use autoscaling/v2: autoscaling/v1 can express neither behavior nor other metrics"]
    spec = hpa["spec"]
    problems = []
    target = spec["scaleTargetRef"]
    if (target.get("apiVersion"), target["kind"], target["name"]) != ("apps/v1", "Deployment", "web"):
        problems.append("scaleTargetRef must be the Deployment web (apiVersion apps/v1): "
                        "an HPA on one of its ReplicaSets would be left behind by the next rollout")
    if (spec.get("minReplicas", 1), spec["maxReplicas"]) != (2, 10):
        problems.append("the HPA must keep between 2 and 10 replicas")
    cpu = [m["resource"]["target"] for m in spec.get("metrics", [])
           if m["type"] == "Resource" and m["resource"]["name"] == "cpu"]
    if not cpu or cpu[0]["type"] != "Utilization" or cpu[0].get("averageUtilization") != 60:
        problems.append("the HPA must aim at 60% CPU utilization (target type Utilization, averageUtilization 60)")
    down = spec.get("behavior", {}).get("scaleDown", {})
    policies = down.get("policies", [])
    one_pod_a_minute = {"type": "Pods", "value": 1, "periodSeconds": 60}
    if policies != [one_pod_a_minute] and not (one_pod_a_minute in policies and down.get("selectPolicy") == "Min"):
        problems.append("scaling down must remove at most one Pod per minute "
                        "(a scaleDown policy of type Pods, value 1, periodSeconds 60)")
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
