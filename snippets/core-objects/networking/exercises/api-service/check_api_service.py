"""Checks an answer to the exercise "A sticky, dual-stack, zone-aware Service" (Services page).

Usage: python3 check_api_service.py my-api.yaml
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
    services = [doc for doc in docs if doc["kind"] == "Service"]
    if len(services) != 1:
        return ["the file must hold exactly one Service"]
    meta, spec = services[0]["metadata"], services[0]["spec"]
    if (meta.get("name"), meta.get("namespace")) != ("api", "shop"):
        return ["the Service must be named api, in the namespace shop"]
    problems = []
    if spec.get("selector") != {"app.kubernetes.io/name": "api"}:
        problems.append("the selector must pick the api Pods: app.kubernetes.io/name: api")
    ports = [(p.get("port"), p.get("targetPort")) for p in spec.get("ports", [])]
    if ports != [(80, "http")]:
        problems.append("the Service needs one port, 80, forwarding to the container port named http")
    policy = spec.get("ipFamilyPolicy", "SingleStack")
    if policy == "RequireDualStack":
        problems.append("RequireDualStack is rejected on single-stack clusters: use PreferDualStack")
    elif policy != "PreferDualStack":
        problems.append(f"ipFamilyPolicy {policy} gives one address even on a dual-stack cluster: use PreferDualStack")
    if spec.get("sessionAffinity") != "ClientIP":
        problems.append("each client must stick to one Pod: sessionAffinity: ClientIP")
    else:
        timeout = spec.get("sessionAffinityConfig", {}).get("clientIP", {}).get("timeoutSeconds", 10800)
        if timeout != 1800:
            problems.append(f"the affinity lasts {timeout} seconds; the task asks for 30 minutes, 1800")
    if spec.get("internalTrafficPolicy") == "Local":
        problems.append("internalTrafficPolicy: Local drops traffic on nodes without an api Pod; "
                        "a preference is trafficDistribution")
    distribution = spec.get("trafficDistribution")
    if distribution == "PreferClose":
        problems.append("PreferClose is the deprecated name of PreferSameZone: use PreferSameZone")
    elif distribution != "PreferSameZone":
        problems.append("prefer endpoints in the client's zone: trafficDistribution: PreferSameZone")
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
