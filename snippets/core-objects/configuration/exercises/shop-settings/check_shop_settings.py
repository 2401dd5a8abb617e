"""Checks an answer to the exercise "Immutable settings" (Configuration page).

Usage: python3 check_shop_settings.py my-settings.yaml
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
    if set(kinds) != {"ConfigMap", "Pod"} or len(docs) != 2:
        return ["the file must hold one ConfigMap and one Pod"]
    config, pod = kinds["ConfigMap"], kinds["Pod"]
    problems = []
    if config["metadata"].get("name") != "shop-settings":
        problems.append("the ConfigMap must be named shop-settings")
    if not {"log-level", "settings.yaml"} <= set(config.get("data", {})):
        problems.append("the ConfigMap needs the keys log-level and settings.yaml under data")
    if config.get("immutable") is not True:
        problems.append("the ConfigMap must be immutable: true, so kubelets stop watching it")
    container = pod["spec"]["containers"][0]
    env = {e["name"]: e.get("valueFrom", {}).get("configMapKeyRef") for e in container.get("env", [])}
    if env.get("LOG_LEVEL") != {"name": "shop-settings", "key": "log-level"}:
        problems.append("LOG_LEVEL must come from the key log-level of the ConfigMap shop-settings")
    volumes = {v["name"]: v.get("configMap", {}).get("name") for v in pod["spec"].get("volumes", [])}
    mounts = [m for m in container.get("volumeMounts", []) if volumes.get(m["name"]) == "shop-settings"]
    if not mounts or mounts[0]["mountPath"] != "/etc/shop":
        problems.append("the ConfigMap must be mounted as a volume at /etc/shop")
    elif mounts[0].get("subPath"):
        problems.append("mount the whole volume at /etc/shop, without subPath")
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
