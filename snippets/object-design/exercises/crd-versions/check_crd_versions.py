"""Self-check for the exercise "Serve three versions of Report".

Usage: python3 check_crd_versions.py my-report-crd.yaml
Prints PASS, or one line per problem; exits 0 on PASS, 1 otherwise.
"""

import re
import sys

import kubernetes_validate
import yaml


def spec_fields(version):
    schema = (version.get("schema") or {}).get("openAPIV3Schema") or {}
    return ((schema.get("properties") or {}).get("spec") or {}).get("properties") or {}


def problems(doc):
    try:
        kubernetes_validate.validate(doc, "1.37.0", strict=True)
    except kubernetes_validate.ValidationError as err:
        field = ".".join(str(part) for part in err.path) or "(top level)"
        return [f"not valid for Kubernetes 1.37: {field}: {err.message}"]
    except kubernetes_validate.SchemaNotFoundError as err:
        return [f"not a Kubernetes 1.37 kind: {err.message}"]
    if doc["kind"] != "CustomResourceDefinition" or doc["metadata"].get("name") != "reports.ops.example.com":
        return ["expected the CustomResourceDefinition reports.ops.example.com"]
    found = []
    versions = {version["name"]: version for version in doc["spec"]["versions"]}
    storage = [name for name, version in versions.items() if version["storage"]]
    if storage != ["v1"]:
        found.append(f"exactly one version, v1, must be the storage version; found {storage or 'none'}")

    alpha = versions.get("v1alpha1")
    if alpha is None:
        found.append("v1alpha1 is missing: it is still in status.storedVersions, "
                     "so the API server rejects a CRD that leaves it out")
    elif alpha["served"]:
        found.append("v1alpha1 must no longer be served (served: false)")

    beta = versions.get("v1beta1")
    if beta is None or not beta["served"]:
        found.append("v1beta1 must still be served")
    elif not beta.get("deprecated"):
        found.append("v1beta1 must be marked deprecated: true, so that its clients get a warning")
    elif not re.search(r"ops\.example\.com/v1\b", beta.get("deprecationWarning", "")):
        found.append("v1beta1's deprecationWarning must name the version to move to, ops.example.com/v1")
    if beta is not None and (spec_fields(beta).get("interval") or {}).get("type") != "string":
        found.append("v1beta1 keeps spec.interval as a string")

    v1 = versions.get("v1")
    fields = spec_fields(v1) if v1 else {}
    if (fields.get("intervalSeconds") or {}).get("type") != "integer" or "interval" in fields:
        found.append("v1 has spec.intervalSeconds, an integer, and no spec.interval")

    conversion = doc["spec"].get("conversion") or {}
    webhook = conversion.get("webhook") or {}
    service = (webhook.get("clientConfig") or {}).get("service") or {}
    if conversion.get("strategy") != "Webhook":
        found.append("the versions have different fields, so conversion must use strategy: Webhook; "
                     "None only rewrites apiVersion")
    elif "v1" not in webhook.get("conversionReviewVersions", []):
        found.append("the webhook must accept ConversionReview v1 (conversionReviewVersions)")
    elif (service.get("namespace"), service.get("name"), service.get("path")) != (
            "report-system", "report-conversion", "/convert"):
        found.append("the webhook must be the Service report-conversion in report-system, path /convert")
    return found


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        doc = yaml.safe_load(file)
    found = problems(doc)
    print("\n".join(found) if found else "PASS")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
