"""Checks an answer to the exercise "Read-only access to Pods and their logs" (Access control page).

Usage: python3 check_log_reader.py my-log-reader.yaml
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


READ_VERBS = {"get", "list", "watch"}
# What the task asks for: (resource, verb) pairs the Role must grant.
NEEDED = {("pods", "get"), ("pods", "list"), ("pods", "watch"), ("pods/log", "get")}


def task_problems(docs):
    kinds = {doc["kind"]: doc for doc in docs}
    if "ClusterRoleBinding" in kinds or "ClusterRole" in kinds:
        return ["a ClusterRole or ClusterRoleBinding reaches beyond shop: use a Role and a RoleBinding"]
    if set(kinds) != {"Role", "RoleBinding"} or len(docs) != 2:
        return ["the file must hold exactly one Role and one RoleBinding"]
    role, binding = kinds["Role"], kinds["RoleBinding"]
    problems = []
    if role["metadata"].get("namespace") != "shop" or binding["metadata"].get("namespace") != "shop":
        problems.append("the Role and the RoleBinding both belong in the namespace shop")
    granted = set()
    for rule in role.get("rules", []):
        if rule.get("apiGroups") != [""]:
            problems.append(f"a rule names the API groups {rule.get('apiGroups')}: Pods are in the core group, \"\"")
        if rule.get("resourceNames"):
            problems.append("a rule lists resourceNames: the account must read every Pod in shop")
        extra = set(rule["verbs"]) - READ_VERBS
        if extra:
            problems.append(f"the Role grants verbs beyond reading: {', '.join(sorted(extra))}")
        granted |= {(resource, verb) for resource in rule.get("resources", []) for verb in rule["verbs"]}
    for resource, verb in sorted(NEEDED):
        if {(resource, verb), ("*", verb), (resource, "*"), ("*", "*")}.isdisjoint(granted):
            problems.append(f"the Role does not grant {verb} on {resource}")
    ref = binding["roleRef"]
    if (ref["kind"], ref["name"]) != ("Role", role["metadata"]["name"]):
        problems.append(f"the RoleBinding refers to {ref['kind']} {ref['name']}, not to your Role")
    subjects = binding.get("subjects", [])
    wanted = {"kind": "ServiceAccount", "name": "log-collector", "namespace": "shop"}
    if [{key: s.get(key) for key in wanted} for s in subjects] != [wanted]:
        problems.append("the RoleBinding's only subject must be the ServiceAccount log-collector in shop")
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
