"""Checks an answer to the exercise "At most 5 replicas in production" (The request path).

Usage: python3 check_replica_limit.py my-replica-limit.yaml
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


def selects_production(selector):
    """Whether a label selector picks namespaces labelled environment: production."""
    selector = selector or {}
    if (selector.get("matchLabels") or {}).get("environment") == "production":
        return True
    return any(e.get("key") == "environment" and e.get("operator") == "In"
               and e.get("values") == ["production"] for e in selector.get("matchExpressions", []))


def rule_problems(rules):
    groups = {g for rule in rules for g in rule.get("apiGroups", [])}
    resources = {r for rule in rules for r in rule.get("resources", [])}
    operations = {o for rule in rules for o in rule.get("operations", [])}
    if any("/" in group for group in groups):
        return ['apiGroups takes group names without a version: "apps", not "apps/v1"']
    if not groups & {"apps", "*"}:
        return ['no rule matches the "apps" API group, where Deployments live']
    if "Deployment" in resources:
        return ['resources are lower-case plural names: "deployments", not the kind "Deployment"']
    problems = []
    if not resources & {"deployments", "*"}:
        problems.append('no rule matches the resource "deployments"')
    if not resources & {"deployments/scale", "deployments/*", "*/*"}:
        problems.append('kubectl scale writes the "deployments/scale" subresource, which a rule for '
                        '"deployments" does not match: add it, or scaling bypasses the policy')
    for operation in ("CREATE", "UPDATE"):
        if not operations & {operation, "*"}:
            problems.append(f"the rules do not match {operation} requests")
    return problems


def task_problems(docs):
    policies = [d for d in docs if d["kind"] == "ValidatingAdmissionPolicy"]
    bindings = [d for d in docs if d["kind"] == "ValidatingAdmissionPolicyBinding"]
    if len(policies) != 1 or len(bindings) != 1:
        return ["the file must hold one ValidatingAdmissionPolicy and one "
                "ValidatingAdmissionPolicyBinding: a policy without a binding does nothing"]
    policy, binding = policies[0]["spec"], bindings[0]["spec"]
    problems = []
    if policies[0]["metadata"].get("name") != "replica-limit":
        problems.append("the policy must be named replica-limit")
    if binding["policyName"] != policies[0]["metadata"].get("name"):
        problems.append("the binding's policyName is not the policy's name")
    problems += rule_problems(policy.get("matchConstraints", {}).get("resourceRules", []))
    if policy.get("failurePolicy") == "Ignore":
        problems.append("failurePolicy: Ignore admits a request when its check cannot run; "
                        "leave it out or set Fail")
    expressions = ["".join(v["expression"].split()) for v in policy.get("validations", [])]
    if "object.spec.replicas<=5" not in expressions:
        problems.append("no validation uses the expression object.spec.replicas <= 5")
    if not (selects_production(binding.get("matchResources", {}).get("namespaceSelector"))
            or selects_production(policy.get("matchConstraints", {}).get("namespaceSelector"))):
        problems.append("nothing limits the policy to namespaces labelled environment: production: "
                        "give the binding's matchResources a namespaceSelector")
    if "Deny" not in binding["validationActions"]:
        problems.append("the binding's validationActions lack Deny: Warn and Audit let the request through")
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
