"""Checks an answer to the exercise "Twenty thumbnails, retried one by one" (Workloads page).

Usage: python3 check_thumbnails_job.py my-thumbnails.yaml
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
    jobs = [doc for doc in docs if doc["kind"] == "Job"]
    if len(jobs) != 1:
        return ["the file must hold exactly one Job"]
    meta, spec = jobs[0]["metadata"], jobs[0]["spec"]
    if (meta.get("name"), meta.get("namespace")) != ("thumbnails", "shop"):
        return ["the Job must be named thumbnails, in the namespace shop"]
    problems = []
    if spec.get("completionMode") != "Indexed" or spec.get("completions") != 20:
        problems.append("the Job needs 20 indexes: completionMode: Indexed and completions: 20")
    if spec.get("parallelism") != 5:
        problems.append("at most 5 Pods may run at once: parallelism: 5")
    if spec.get("backoffLimitPerIndex") != 3:
        problems.append("each index needs its own 3 retries: backoffLimitPerIndex: 3 "
                        "(backoffLimit counts the failures of all indexes together)")
    if spec["template"]["spec"].get("restartPolicy") != "Never":
        problems.append("backoffLimitPerIndex and podFailurePolicy need restartPolicy: Never")
    rules = spec.get("podFailurePolicy", {}).get("rules", [])
    exit_3 = [rule for rule in rules
              if rule.get("onExitCodes", {}).get("operator") == "In" and 3 in rule["onExitCodes"]["values"]]
    if not exit_3:
        problems.append("no podFailurePolicy rule matches exit code 3")
    elif exit_3[0]["action"] != "FailIndex":
        problems.append(f"exit code 3 must give up that index only (action FailIndex), not {exit_3[0]['action']}")
    disrupted = [rule for rule in rules
                 if any(c["type"] == "DisruptionTarget" for c in rule.get("onPodConditions", []))]
    if not disrupted or disrupted[0]["action"] != "Ignore":
        problems.append("an evicted or preempted Pod must be retried without counting: "
                        "action Ignore on the DisruptionTarget condition")
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
