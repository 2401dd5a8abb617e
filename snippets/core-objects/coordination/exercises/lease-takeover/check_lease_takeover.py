"""Checks an answer to the exercise "Take over a Lease" (Leases and events page).

Usage: python3 check_lease_takeover.py my-lease.yaml
Needs: pip install kubernetes-validate==1.37.0
"""

from datetime import datetime, timedelta
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


# The Lease as candidate b read it, and the moment b writes.
READ = {"resourceVersion": "41235", "holder": "backup-controller-a", "transitions": 4,
        "renewTime": "2026-12-01T08:00:00Z", "duration": 15}
NOW = "2026-12-01T08:00:20Z"


def when(timestamp):
    return datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))


def task_problems(docs):
    leases = [doc for doc in docs if doc["kind"] == "Lease"]
    if len(leases) != 1:
        return ["the file must hold exactly one Lease"]
    meta, spec = leases[0]["metadata"], leases[0]["spec"]
    if (meta.get("name"), meta.get("namespace")) != ("backup-controller", "shop"):
        return ["the Lease is backup-controller, in the namespace shop"]
    problems = []
    if meta.get("resourceVersion") != READ["resourceVersion"]:
        problems.append("without the resourceVersion that was read (41235), the update could overwrite "
                        "another candidate's takeover instead of failing with a conflict")
    if spec.get("holderIdentity") != "backup-controller-b":
        problems.append("holderIdentity must name the new leader, backup-controller-b")
    if spec.get("leaseDurationSeconds") != READ["duration"]:
        problems.append("keep leaseDurationSeconds at 15, as every candidate expects")
    if spec.get("leaseTransitions") != READ["transitions"] + 1:
        problems.append("leaseTransitions counts changes of holder: this takeover makes it 5")
    for field in ("acquireTime", "renewTime"):
        if field not in spec:
            problems.append(f"{field} is missing: the new holder sets it to the time of the takeover")
        elif when(spec[field]) != when(NOW):
            problems.append(f"{field} must be the time of the takeover, {NOW}")
            expires = when(READ["renewTime"]) + timedelta(seconds=READ["duration"])
            if field == "renewTime" and when(spec[field]) < expires:
                problems.append(f"at {spec[field]} the Lease of backup-controller-a has not expired yet: "
                                f"it runs until {expires:%H:%M:%S}")
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
