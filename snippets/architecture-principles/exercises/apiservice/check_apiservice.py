"""Checks an answer to the exercise "Register an aggregated API" (Extension points).

Usage: python3 check_apiservice.py my-apiservice.yaml
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
    services = [d for d in docs if d["kind"] == "APIService"]
    if len(services) != 1:
        return ["the file must hold exactly one APIService"]
    name, spec = services[0]["metadata"].get("name"), services[0]["spec"]
    problems = []
    if (spec.get("group"), spec.get("version")) != ("metrics.k8s.io", "v1beta1"):
        problems.append("the APIService must register group metrics.k8s.io, version v1beta1")
    if name != f"{spec.get('version')}.{spec.get('group')}":
        problems.append(f"the name {name} is not <version>.<group>: an APIService for "
                        f"{spec.get('group')}/{spec.get('version')} must be named "
                        f"{spec.get('version')}.{spec.get('group')}")
    service = spec.get("service")
    if service is None:
        problems.append("there is no spec.service: without one, the API server serves the group "
                        "itself instead of proxying it")
    elif (service.get("namespace"), service.get("name"), service.get("port", 443)) != \
            ("kube-system", "metrics-server", 443):
        problems.append("spec.service must point at port 443 of the Service metrics-server in kube-system")
    if spec.get("insecureSkipTLSVerify"):
        problems.append("insecureSkipTLSVerify: true accepts any certificate from the server: "
                        "remove it and give caBundle")
    elif not spec.get("caBundle"):
        problems.append("there is no caBundle, so the aggregator cannot verify the server's certificate")
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
