"""Checks an answer to the exercise "A priority level for a noisy client" (The request path).

Usage: python3 check_reports_flow.py my-reports-flow.yaml
Needs: pip install kubernetes-validate==1.37.0
"""

import sys

import kubernetes_validate
import yaml

# The suggested FlowSchema that matches every ServiceAccount (it sends them to workload-low).
SERVICE_ACCOUNTS_PRECEDENCE = 9000


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


def is_exporter(subject):
    if subject["kind"] == "ServiceAccount":
        account = subject.get("serviceAccount", {})
        return (account.get("namespace"), account.get("name")) == ("reports", "exporter")
    if subject["kind"] == "User":
        return subject.get("user", {}).get("name") == "system:serviceaccount:reports:exporter"
    return False


def matches_everything(rule):
    return all(rule.get(field) == ["*"] for field in ("verbs", "apiGroups", "resources", "namespaces")) \
        and rule.get("clusterScope") is True


def level_problems(level):
    if level["metadata"].get("name") != "reports":
        return ["the PriorityLevelConfiguration must be named reports"]
    if level["spec"]["type"] != "Limited":
        return ["the priority level must be of type Limited: an Exempt level is never limited"]
    limited = level["spec"].get("limited", {})
    problems = []
    shares = limited.get("nominalConcurrencyShares", 30)  # the API's default
    if shares > 10:
        problems.append(f"nominalConcurrencyShares is {shares} (30 when left out); the task allows at most 10")
    if limited.get("limitResponse", {}).get("type") != "Queue":
        problems.append("the level does not queue: with limitResponse type Reject, every request "
                        "beyond its seats gets 429 at once")
    return problems


def schema_rule_problems(flow):
    spec = flow["spec"]
    problems = []
    if spec["priorityLevelConfiguration"]["name"] != "reports":
        problems.append("the FlowSchema does not send its requests to the priority level reports")
    precedence = spec.get("matchingPrecedence", 1000)  # the API's default
    if precedence >= SERVICE_ACCOUNTS_PRECEDENCE:
        problems.append(f"matchingPrecedence {precedence} is not below 9000: the suggested "
                        f"service-accounts FlowSchema matches every ServiceAccount first")
    rules = spec.get("rules", [])
    if not any(is_exporter(s) for rule in rules for s in rule.get("subjects", [])):
        problems.append("no rule has the ServiceAccount exporter in the namespace reports as subject")
    if not any(matches_everything(r) for rule in rules for r in rule.get("resourceRules", [])):
        problems.append('no resource rule matches every request: use ["*"] for verbs, apiGroups, '
                        "resources and namespaces, and clusterScope: true")
    return problems


def task_problems(docs):
    levels = [d for d in docs if d["kind"] == "PriorityLevelConfiguration"]
    flows = [d for d in docs if d["kind"] == "FlowSchema"]
    if len(levels) != 1 or len(flows) != 1:
        return ["the file must hold one PriorityLevelConfiguration and one FlowSchema"]
    problems = level_problems(levels[0])
    if flows[0]["metadata"].get("name") != "reports-exporter":
        problems.append("the FlowSchema must be named reports-exporter")
    return problems + schema_rule_problems(flows[0])


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
