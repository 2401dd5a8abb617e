"""The shape of the Gateway API objects the pages show, for a structural check.

Gateway API is installed as CustomResourceDefinitions that no Python package ships, so
its manifests cannot be validated against the real schema offline. These schemas list
the fields of gateway.networking.k8s.io/v1 Gateway and HTTPRoute (standard channel) that
a reader meets first, with their types and enums; tests/manifests.py applies them
strictly, so a misspelt or misplaced field fails. They are no substitute for the CRDs:
CEL rules, formats and length limits are not checked.
"""

from __future__ import annotations

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
PORT = {"type": "integer", "minimum": 1, "maximum": 65535}
LABEL_SELECTOR = {"type": "object"}  # a metav1.LabelSelector


def obj(required: list[str] | None = None, **properties) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def enum(*values: str) -> dict:
    return {"type": "string", "enum": list(values)}


# An object reference: group and kind default to the usual target, namespace to the referrer's.
REFERENCE = obj(["name"], group=STRING, kind=STRING, name=STRING, namespace=STRING)

GATEWAY_SPEC = obj(
    ["gatewayClassName", "listeners"],
    gatewayClassName=STRING,
    addresses=array(obj(["value"], type=STRING, value=STRING)),
    listeners=array(obj(
        ["name", "port", "protocol"],
        name=STRING,
        hostname=STRING,
        port=PORT,
        protocol=STRING,
        tls=obj(mode=enum("Terminate", "Passthrough"), certificateRefs=array(REFERENCE),
                options={"type": "object"}),
        allowedRoutes=obj(
            namespaces=obj(**{"from": enum("All", "Selector", "Same")}, selector=LABEL_SELECTOR),
            kinds=array(obj(["kind"], group=STRING, kind=STRING)),
        ),
    )),
)

HEADER_MATCH = obj(["name", "value"], type=enum("Exact", "RegularExpression"), name=STRING, value=STRING)
HTTPROUTE_SPEC = obj(
    parentRefs=array(obj(["name"], group=STRING, kind=STRING, name=STRING, namespace=STRING,
                         sectionName=STRING, port=PORT)),
    hostnames=array(STRING),
    rules=array(obj(
        name=STRING,
        matches=array(obj(
            path=obj(type=enum("Exact", "PathPrefix", "RegularExpression"), value=STRING),
            headers=array(HEADER_MATCH),
            queryParams=array(HEADER_MATCH),
            method=enum("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"),
        )),
        # Each filter type has its own fields; only the discriminator is checked.
        filters=array({**obj(["type"], type=STRING), "x-kubernetes-preserve-unknown-fields": True}),
        backendRefs=array(obj(["name"], group=STRING, kind=STRING, name=STRING, namespace=STRING,
                              port=PORT, weight={"type": "integer", "minimum": 0, "maximum": 1000000})),
        timeouts=obj(request=STRING, backendRequest=STRING),
    )),
)


def top_level(spec: dict) -> dict:
    return obj(["apiVersion", "kind", "metadata", "spec"], apiVersion=STRING, kind=STRING,
               metadata={"type": "object"}, spec=spec)


# (apiVersion, kind) -> schema, applied with unknown fields rejected.
SCHEMAS = {
    ("gateway.networking.k8s.io/v1", "Gateway"): top_level(GATEWAY_SPEC),
    ("gateway.networking.k8s.io/v1", "HTTPRoute"): top_level(HTTPROUTE_SPEC),
}
