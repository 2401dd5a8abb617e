"""Checks an answer to the exercise "Fix a Pod for the restricted profile" (Access control page).

Usage: python3 check_restricted_pod.py my-restricted.yaml
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


# Volume types the restricted Pod Security Standard allows.
ALLOWED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                   "projected", "secret"}


def restricted_problems(pod):
    """The restricted profile's rules this Pod breaks (the checks Pod Security Admission makes)."""
    spec = pod["spec"]
    shared = spec.get("securityContext", {})
    problems = []
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(key):
            problems.append(f"{key} shares the node's namespaces, which no profile but privileged allows")
    for volume in spec.get("volumes", []):
        kind = next(key for key in volume if key != "name")
        if kind not in ALLOWED_VOLUMES:
            problems.append(f"volume {volume['name']} is a {kind} volume, which the restricted profile forbids")
    for container in spec.get("initContainers", []) + spec["containers"]:
        name, own = container["name"], container.get("securityContext", {})

        def setting(key):
            return own.get(key, shared.get(key))  # the container's value wins over the Pod's

        if own.get("privileged"):
            problems.append(f"container {name} is privileged")
        if own.get("allowPrivilegeEscalation") is not False:
            problems.append(f"container {name} must set allowPrivilegeEscalation: false")
        capabilities = own.get("capabilities", {})
        if "ALL" not in capabilities.get("drop", []):
            problems.append(f"container {name} must drop ALL capabilities")
        if set(capabilities.get("add", [])) - {"NET_BIND_SERVICE"}:
            problems.append(f"container {name} adds capabilities other than NET_BIND_SERVICE")
        if setting("runAsNonRoot") is not True:
            problems.append(f"container {name} must set runAsNonRoot: true, in its own or the Pod's securityContext")
        if setting("runAsUser") == 0:
            problems.append(f"container {name} runs as user 0, which is root")
        if (setting("seccompProfile") or {}).get("type") not in ("RuntimeDefault", "Localhost"):
            problems.append(f"container {name} needs a seccomp profile of type RuntimeDefault or Localhost")
    return problems


def task_problems(docs):
    pods = [doc for doc in docs if doc["kind"] == "Pod"]
    if len(pods) != 1:
        return ["the file must hold exactly one Pod"]
    pod = pods[0]
    names = [container["name"] for container in pod["spec"]["containers"]]
    if names != ["web"]:
        return ["keep the one container, web, of the given Pod"]
    return restricted_problems(pod)


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
