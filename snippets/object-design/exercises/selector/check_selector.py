"""Self-check for the exercise "Keep two Deployments apart".

Usage: python3 check_selector.py my-web-stable.yaml
Prints PASS, or one line per problem; exits 0 on PASS, 1 otherwise.
"""

import sys

import kubernetes_validate
import yaml

# The canary Deployment on the page (selector-deployment.yaml): its selector and its Pods' labels.
CANARY_SELECTOR = {
    "matchLabels": {"app.kubernetes.io/name": "web"},
    "matchExpressions": [
        {"key": "track", "operator": "In", "values": ["canary"]},
        {"key": "environment", "operator": "NotIn", "values": ["dev", "qa"]},
    ],
}
CANARY_POD_LABELS = {"app.kubernetes.io/name": "web", "track": "canary", "environment": "production"}


def selects(selector, labels):
    """Whether a label selector selects an object with these labels: every requirement must hold."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for requirement in selector.get("matchExpressions") or []:
        key, operator = requirement["key"], requirement["operator"]
        values = requirement.get("values") or []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and key in labels and labels[key] in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def problems(doc):
    try:
        kubernetes_validate.validate(doc, "1.37.0", strict=True)
    except kubernetes_validate.ValidationError as err:
        field = ".".join(str(part) for part in err.path) or "(top level)"
        return [f"not valid for Kubernetes 1.37: {field}: {err.message}"]
    except kubernetes_validate.SchemaNotFoundError as err:
        return [f"not a Kubernetes 1.37 kind: {err.message}"]
    if (doc["apiVersion"], doc["kind"]) != ("apps/v1", "Deployment"):
        return [f"expected a Deployment (apps/v1), found {doc['kind']} ({doc['apiVersion']})"]
    found = []
    metadata = doc.get("metadata") or {}
    if (metadata.get("namespace"), metadata.get("name")) != ("shop", "web-stable"):
        found.append("the Deployment must be web-stable in the namespace shop")
    selector = doc["spec"]["selector"]
    pod_labels = (doc["spec"]["template"].get("metadata") or {}).get("labels") or {}
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        found.append("spec.selector is empty: the API server rejects a Deployment without a selector")
    elif not selects(selector, pod_labels):
        found.append("spec.selector does not select the Deployment's own Pod labels: "
                     "the API server rejects such a Deployment")
    if selects(selector, CANARY_POD_LABELS):
        found.append("spec.selector also selects the canary Pods: add a requirement the canary Pods fail")
    if selects(CANARY_SELECTOR, pod_labels):
        found.append("the canary Deployment's selector still selects your Pods: "
                     "give them a label value its selector rejects")
    if pod_labels.get("app.kubernetes.io/name") != "web":
        found.append("the Pods must keep the label app.kubernetes.io/name: web, "
                     "or the Service that selects web stops sending them traffic")
    return found


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        doc = yaml.safe_load(file)
    found = problems(doc)
    print("\n".join(found) if found else "PASS")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
