"""Self-check for the exercise "Report a failed backup".

Usage: python3 check_condition.py my-condition.yaml
Prints PASS, or one line per problem; exits 0 on PASS, 1 otherwise.
"""

import datetime
import re
import sys

import kubernetes_validate
import yaml

NOW = "2026-12-02T02:30:41Z"
SCHEDULED = {  # set by another controller, which has not seen generation 7 yet
    "type": "Scheduled", "status": "True", "observedGeneration": 6,
    "lastTransitionTime": "2026-11-20T09:12:00Z", "reason": "CronRegistered",
    "message": "runs at 02:30 every day",
}
# metav1.Condition's own validation, which Kubernetes' OpenAPI schema leaves out.
TYPE = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                  r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
REASON = re.compile(r"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")


def as_api_reads_it(value):
    """YAML turns an unquoted timestamp into a datetime; the API server receives it as a string."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return {key: as_api_reads_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_api_reads_it(item) for item in value]
    return value


def condition_problems(index, condition):
    """metav1.Condition as Kubernetes 1.37 checks it. No built-in schema knows Backup, but
    StorageVersionMigration's status holds metav1.Condition, so we borrow it."""
    if isinstance(condition.get("status"), bool):
        return [f'conditions[{index}].status must be a string: quote it ("False"), '
                "or YAML reads a boolean"]
    carrier = {"apiVersion": "storagemigration.k8s.io/v1", "kind": "StorageVersionMigration",
               "metadata": {"name": "carrier"}, "spec": {"resource": {"group": "", "resource": "x"}},
               "status": {"conditions": [condition]}}
    try:
        kubernetes_validate.validate(carrier, "1.37.0", strict=True)
    except kubernetes_validate.ValidationError as err:
        field = ".".join(str(part) for part in list(err.path)[3:])
        return [f"conditions[{index}]{'.' + field if field else ''}: {err.message}"]
    found = []
    if condition["status"] not in ("True", "False", "Unknown"):
        found.append(f"conditions[{index}].status must be the string True, False or Unknown")
    if not TYPE.match(condition["type"]):
        found.append(f"conditions[{index}].type must be CamelCase, optionally prefixed by a domain and /")
    if not REASON.match(condition["reason"]):
        found.append(f"conditions[{index}].reason must be one CamelCase word, such as BucketAccessDenied; "
                     "put the sentence in message")
    return found


def problems(doc):
    if (doc.get("apiVersion"), doc.get("kind")) != ("ops.example.com/v1", "Backup"):
        return ["expected the Backup (ops.example.com/v1) from the page"]
    if (doc.get("metadata") or {}).get("generation") != 7:
        return ["keep metadata.generation: 7; the system sets it, and this exercise is about generation 7"]
    status = doc.get("status") or {}
    conditions = status.get("conditions") or []
    found = []
    for index, condition in enumerate(conditions):
        found += condition_problems(index, condition)
    if found:
        return found
    by_type = {condition["type"]: condition for condition in conditions}
    if len(by_type) != len(conditions):
        found.append("conditions is a map keyed by type: each type may appear only once")
    if status.get("observedGeneration") != 7:
        found.append("status.observedGeneration must be 7: the controller has acted on generation 7")
    ready = by_type.get("Ready")
    if ready is None:
        found.append("there is no Ready condition")
    else:
        if ready["status"] != "False":
            found.append("Ready must be False: the last backup failed")
        if ready.get("observedGeneration") != 7:
            found.append("Ready.observedGeneration must be 7: this condition describes generation 7")
        if ready["lastTransitionTime"] != NOW:
            found.append(f"Ready changed from True to False now, so its lastTransitionTime is {NOW}")
        if not ready["message"].strip():
            found.append("Ready.message should tell a person what went wrong")
    if by_type.get("Scheduled") != SCHEDULED:
        found.append("Scheduled belongs to another controller, which has not seen generation 7: "
                     "leave it exactly as it was")
    return found


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        doc = as_api_reads_it(yaml.safe_load(file))
    found = problems(doc)
    print("\n".join(found) if found else "PASS")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
