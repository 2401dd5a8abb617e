"""Self-check for the exercise "Rewrite every stored Report".

Usage: python3 check_storage_migration.py my-migration.yaml
Prints PASS, or one line per problem; exits 0 on PASS, 1 otherwise.
"""

import sys

import kubernetes_validate
import yaml


def problems(doc):
    try:
        kubernetes_validate.validate(doc, "1.37.0", strict=True)
    except kubernetes_validate.ValidationError as err:
        field = ".".join(str(part) for part in err.path) or "(top level)"
        return [f"not valid for Kubernetes 1.37: {field}: {err.message}"]
    except kubernetes_validate.SchemaNotFoundError as err:
        return [f"not a Kubernetes 1.37 kind: {err.message}"]
    if (doc["apiVersion"], doc["kind"]) != ("storagemigration.k8s.io/v1", "StorageVersionMigration"):
        return [f"expected a StorageVersionMigration (storagemigration.k8s.io/v1), found {doc['kind']}"]
    found = []
    resource = doc["spec"]["resource"]
    if resource.get("group") != "ops.example.com":
        found.append("spec.resource.group is the API group alone, ops.example.com, without a version: "
                     "the migration rewrites objects in whatever the storage version is")
    if resource.get("resource") != "reports":
        found.append("spec.resource.resource is the resource, the CRD's plural name (reports), not the kind")
    return found


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        doc = yaml.safe_load(file)
    found = problems(doc)
    print("\n".join(found) if found else "PASS")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
