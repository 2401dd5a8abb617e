"""Self-check for the exercise "Fix a CRD so that its rules hold".

Usage: python3 check_fix_crd.py my-mirror-crd.yaml
Prints PASS, or one line per problem; exits 0 on PASS, 1 otherwise.
"""

import sys

import kubernetes_validate
import yaml


def rules(schema):
    return [item.get("rule", "") for item in schema.get("x-kubernetes-validations") or []]


def problems(doc):
    try:
        kubernetes_validate.validate(doc, "1.37.0", strict=True)
    except kubernetes_validate.ValidationError as err:
        field = ".".join(str(part) for part in err.path) or "(top level)"
        return [f"not valid for Kubernetes 1.37: {field}: {err.message}"]
    except kubernetes_validate.SchemaNotFoundError as err:
        return [f"not a Kubernetes 1.37 kind: {err.message}"]
    if doc["kind"] != "CustomResourceDefinition" or doc["metadata"].get("name") != "mirrors.ops.example.com":
        return ["expected the CustomResourceDefinition mirrors.ops.example.com"]
    found = []
    spec = doc["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
    fields = spec.get("properties") or {}

    # 1. A rule sees only the value it is attached to, as self.
    if any("maxReplicas" in rule for rule in rules(fields.get("minReplicas", {}))):
        found.append("minReplicas still carries a rule that reads self.maxReplicas: there self is "
                     "the integer minReplicas, so the rule does not compile")
    if not any("self.minReplicas" in rule and "self.maxReplicas" in rule for rule in rules(spec)):
        found.append("spec has no rule comparing self.minReplicas with self.maxReplicas: "
                     "a rule about two fields belongs on the object that holds both")

    # 2. The cost of a rule is estimated for the largest list and the longest strings allowed.
    endpoints = fields.get("endpoints", {})
    items = endpoints.get("items", {})
    url = (items.get("properties") or {}).get("url", {})
    if not any("contains('@')" in rule for rule in rules(endpoints)):
        found.append("the rule on endpoints is gone: bound the list instead of deleting the rule")
    if not 0 < endpoints.get("maxItems", 0) <= 100:
        found.append("endpoints needs a maxItems of at most 100: without it the API server assumes "
                     "a huge list and rejects the rule as too expensive")
    if not 0 < url.get("maxLength", 0) <= 2048:
        found.append("url needs a maxLength of at most 2048: without it the API server assumes "
                     "huge strings and rejects the rule as too expensive")

    # 3. Entries merge one by one, keyed by name.
    if endpoints.get("x-kubernetes-list-type") != "map" or endpoints.get("x-kubernetes-list-map-keys") != ["name"]:
        found.append("endpoints must be x-kubernetes-list-type: map with x-kubernetes-list-map-keys: [name], "
                     "or an apply replaces the whole list")
    elif "name" not in (items.get("required") or []) and "default" not in (items.get("properties") or {}).get(
            "name", {}):
        found.append("name is a list map key, so every entry must have one: make it required")
    return found


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        doc = yaml.safe_load(file)
    found = problems(doc)
    print("\n".join(found) if found else "PASS")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
