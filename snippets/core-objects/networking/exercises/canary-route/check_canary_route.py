"""Checks an answer to the exercise "Five per cent to the canary" (Services page).

Usage: python3 check_canary_route.py my-route.yaml
Needs: PyYAML (pip install pyyaml; kubernetes-validate brings it along).

Gateway API is not built into Kubernetes, so there is no 1.37 schema to apply: this checker
only looks at the fields the task is about, and does not notice a misspelt field elsewhere.
"""

import sys

import yaml


def backends(rule):
    """{service name: weight} of a rule's backendRefs (weight 1 when left out), or None if a port isn't 80."""
    refs = rule.get("backendRefs", [])
    if any(ref.get("port") != 80 or ref.get("kind", "Service") != "Service" for ref in refs):
        return None
    return {ref["name"]: ref.get("weight", 1) for ref in refs}


def header_match(match):
    return any(h.get("name", "").lower() == "x-canary" and h.get("value") == "always"
               and h.get("type", "Exact") == "Exact" for h in match.get("headers", []))


def task_problems(docs):
    routes = [doc for doc in docs if isinstance(doc, dict) and doc.get("kind") == "HTTPRoute"]
    if len(routes) != 1 or routes[0].get("apiVersion") != "gateway.networking.k8s.io/v1":
        return ["the file must hold exactly one HTTPRoute of gateway.networking.k8s.io/v1"]
    route = routes[0]
    meta, spec = route.get("metadata", {}), route.get("spec", {})
    if (meta.get("name"), meta.get("namespace")) != ("web", "shop"):
        return ["the HTTPRoute must be named web, in the namespace shop"]
    problems = []
    parents = [(p.get("name"), p.get("namespace")) for p in spec.get("parentRefs", [])]
    if parents != [("shop-gateway", "infra")]:
        problems.append("parentRefs must name the Gateway shop-gateway in the namespace infra: "
                        "without a namespace, a route looks for its Gateway in its own")
    if spec.get("hostnames") != ["shop.example.com"]:
        problems.append("the route must serve the host name shop.example.com")
    rules = spec.get("rules", [])
    canary = [r for r in rules if any(header_match(m) for m in r.get("matches", []))]
    if not canary or backends(canary[0]) != {"web-canary": 1}:
        problems.append("no rule sends requests with the header x-canary: always to web-canary (port 80) alone")
    default = [r for r in rules if not r.get("matches") or any(
        m.get("path", {}).get("value", "/") == "/" and not m.get("headers") for m in r["matches"])]
    split = backends(default[0]) if default else None
    if not split or set(split) != {"web", "web-canary"} or split["web"] != 19 * split["web-canary"]:
        problems.append("ordinary requests must go 95% to web and 5% to web-canary, both on port 80 "
                        "(weights 95 and 5, or any in the ratio 19:1)")
    return problems


def main(path):
    with open(path, encoding="utf-8") as file:
        docs = [doc for doc in yaml.safe_load_all(file) if doc is not None]
    problems = task_problems(docs)
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
