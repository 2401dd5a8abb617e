"""Checks an answer to the exercise "A class for archives" (Persistent storage page).

Usage: python3 check_archive_class.py my-archive.yaml
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
    found = [doc for doc in docs if doc["kind"] == "StorageClass"]
    if len(found) != 1:
        return ["the file must hold exactly one StorageClass"]
    storage_class = found[0]
    problems = []
    if storage_class["metadata"].get("name") != "archive":
        problems.append("the StorageClass must be named archive")
    if storage_class["provisioner"] != "ebs.csi.aws.com":
        problems.append("the provisioner is the AWS EBS CSI driver, ebs.csi.aws.com")
    if storage_class.get("reclaimPolicy", "Delete") != "Retain":
        problems.append("with reclaimPolicy Delete (the default), deleting a claim deletes the archive: use Retain")
    if storage_class.get("volumeBindingMode", "Immediate") != "WaitForFirstConsumer":
        problems.append("with volumeBindingMode Immediate, a volume may be created in a zone "
                        "where the Pod can't run: use WaitForFirstConsumer")
    if storage_class.get("allowVolumeExpansion") is not True:
        problems.append("archives grow: set allowVolumeExpansion: true")
    annotations = storage_class["metadata"].get("annotations", {})
    if annotations.get("storageclass.kubernetes.io/is-default-class") == "true":
        problems.append("archive must not be the default StorageClass")
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
