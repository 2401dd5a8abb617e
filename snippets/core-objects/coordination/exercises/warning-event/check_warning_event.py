"""Checks an answer to the exercise "Report a failed backup" (Leases and events page).

Usage: python3 check_warning_event.py my-event.yaml
Needs: pip install kubernetes-validate==1.37.0
"""

import re
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
    events = [doc for doc in docs if doc["kind"] == "Event"]
    if len(events) != 1:
        return ["the file must hold exactly one Event"]
    event = events[0]
    if event["apiVersion"] != "events.k8s.io/v1":
        return ["write the Event in events.k8s.io/v1; the core v1 Event is the older form of the same object"]
    problems = []
    if event["metadata"].get("namespace") != "shop":
        problems.append("an Event lives in the namespace of the object it is about: shop")
    regarding = event.get("regarding", {})
    wanted = {"apiVersion": "ops.example.com/v1alpha1", "kind": "Backup", "name": "nightly", "namespace": "shop"}
    if {key: regarding.get(key) for key in wanted} != wanted:
        problems.append("regarding must point at the Backup nightly (ops.example.com/v1alpha1) in shop")
    if event.get("type") != "Warning":
        problems.append(f"type is {event.get('type')!r}: an Event is Normal or Warning, and a failure is a Warning")
    if not re.fullmatch(r"[A-Z][a-zA-Z0-9]*", event.get("reason", "")):
        problems.append("reason must be a short UpperCamelCase code such as UploadFailed")
    for field in ("note", "action", "reportingController", "reportingInstance"):
        if not event.get(field):
            problems.append(f"{field} is missing")
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
