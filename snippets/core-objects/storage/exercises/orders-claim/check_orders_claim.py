"""Checks an answer to the exercise "Storage for one writer" (Persistent storage page).

Usage: python3 check_orders_claim.py my-orders.yaml
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
    if set(kinds) != {"PersistentVolumeClaim", "Pod"} or len(docs) != 2:
        return ["the file must hold one PersistentVolumeClaim and one Pod"]
    claim, pod = kinds["PersistentVolumeClaim"], kinds["Pod"]
    spec = claim["spec"]
    problems = []
    if claim["metadata"].get("name") != "orders-db":
        problems.append("the claim must be named orders-db")
    modes = spec.get("accessModes", [])
    if modes == ["ReadWriteOnce"]:
        problems.append("ReadWriteOnce lets every Pod on the node write: only ReadWriteOncePod limits it to one Pod")
    elif modes != ["ReadWriteOncePod"]:
        problems.append("the claim's only access mode must be ReadWriteOncePod")
    size = spec.get("resources", {}).get("requests", {}).get("storage")
    if size != "20Gi":
        problems.append(f"the claim requests {size}, not 20Gi")
    if spec.get("storageClassName") != "fast-ssd":
        problems.append("the claim must use the StorageClass fast-ssd")
    volumes = {v["name"]: v.get("persistentVolumeClaim", {}).get("claimName") for v in pod["spec"].get("volumes", [])}
    mounts = [m for c in pod["spec"]["containers"] for m in c.get("volumeMounts", [])
              if volumes.get(m["name"]) == "orders-db"]
    if not mounts:
        problems.append("the Pod must mount a volume that refers to the claim orders-db")
    elif mounts[0]["mountPath"] != "/var/lib/postgresql/data":
        problems.append("mount the claim at /var/lib/postgresql/data")
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
