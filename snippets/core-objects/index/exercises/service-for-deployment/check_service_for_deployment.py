"""Checks an answer to the exercise "Put a Service in front of a Deployment" (Core objects overview).

Usage: python3 check_service_for_deployment.py my-frontend.yaml
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
    kinds = {doc["kind"]: doc for doc in docs}
    if set(kinds) != {"Deployment", "Service"} or len(docs) != 2:
        return ["the file must hold one Deployment and one Service"]
    deployment, service = kinds["Deployment"], kinds["Service"]
    if {deployment["metadata"].get("namespace"), service["metadata"].get("namespace")} != {"shop"}:
        return ["both objects belong in the namespace shop"]
    template = deployment["spec"]["template"]
    pod_labels = template["metadata"].get("labels", {})
    problems = []
    if deployment["spec"].get("replicas") != 3:
        problems.append("the Deployment must run 3 replicas")
    selector = service["spec"].get("selector", {})
    if not selector:
        problems.append("the Service has no selector, so no EndpointSlice lists the Pods")
    elif any(pod_labels.get(key) != value for key, value in selector.items()):
        problems.append("the Service's selector matches no Pod of the Deployment: it must use labels "
                        "of the Pod template, not of the Deployment itself")
    names = {port.get("name") for c in template["spec"]["containers"] for port in c.get("ports", [])}
    ports = service["spec"].get("ports", [])
    if [p.get("port") for p in ports] != [80]:
        problems.append("the Service must listen on port 80 only")
    for port in ports:
        target = port.get("targetPort", port.get("port"))
        if not isinstance(target, str):
            problems.append(f"targetPort {target} is a number: name the container port (http), "
                            f"so the Service survives a change of port number")
        elif target not in names:
            problems.append(f"targetPort {target} names no container port of the Pods")
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
