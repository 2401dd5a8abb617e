"""Checks an answer to the exercise "Fix a Secret" (Configuration page).

Usage: python3 check_fix_secret.py my-secret.yaml
Needs: pip install kubernetes-validate==1.37.0
"""

import base64
import binascii
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
    found = [doc for doc in docs if doc["kind"] == "Secret"]
    if len(found) != 1:
        return ["the file must hold exactly one Secret"]
    secret = found[0]
    problems = []
    if secret.get("type") != "kubernetes.io/basic-auth":
        problems.append("keep the type kubernetes.io/basic-auth")
    values = dict(secret.get("stringData", {}))
    for key, value in secret.get("data", {}).items():
        try:
            values[key] = base64.b64decode(value, validate=True).decode()
            if values[key].endswith("\n"):
                problems.append(f"data.{key} ends with a newline: encode with printf '%s' or echo -n")
        except (binascii.Error, UnicodeDecodeError):
            problems.append(f"data.{key} is not base64: put plain text under stringData, or encode it")
            values[key] = None
    if set(values) != {"username", "password"}:
        problems.append("a basic-auth Secret here holds exactly the keys username and password")
    elif None not in values.values() and values != {"username": "report-reader", "password": "s3cr3t!"}:
        problems.append("the values must still be username report-reader and password s3cr3t!")
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
