"""Checks an answer to the exercise "Make a custom resource scalable" (Custom resources page).

Usage: python3 check_worker_scale.py my-workers-crd.yaml
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


# The scale subresource maps the Scale object's fields onto these paths of a Worker.
WANTED = {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas",
          "labelSelectorPath": ".status.selector"}


def task_problems(docs):
    crds = [doc for doc in docs if doc["kind"] == "CustomResourceDefinition"]
    if len(crds) != 1:
        return ["the file must hold exactly one CustomResourceDefinition"]
    spec = crds[0]["spec"]
    if (spec["group"], spec["names"]["plural"], spec["names"]["kind"]) != ("ops.example.com", "workers", "Worker"):
        return ["the CRD must define the kind Worker (plural workers) in the group ops.example.com"]
    served = [v for v in spec["versions"] if v.get("served")]
    if not served:
        return ["no version is served"]
    problems = []
    for version in served:
        subresources = version.get("subresources", {})
        scale = subresources.get("scale")
        if scale is None:
            problems.append(f"version {version['name']} has no scale subresource")
            continue
        if "status" not in subresources:
            problems.append(f"version {version['name']}: enable the status subresource too, "
                            f"so the controller's status writes don't touch spec")
        for key, path in WANTED.items():
            if key not in scale:
                problems.append(f"version {version['name']}: without {key}, "
                                + ("an HPA can't find the Pods to read metrics from"
                                   if key == "labelSelectorPath" else f"the Scale object has no {path}"))
            elif scale[key] != path:
                problems.append(f"version {version['name']}: {key} is {scale[key]}, not {path} "
                                f"(a JSON path that starts with a dot)")
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
